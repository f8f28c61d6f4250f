// pf_messages: the message registry's scanner on the command line.
//
//   pf_messages [--root DIR] list       every site: number, severity, file:line, text
//   pf_messages [--root DIR] registry   the registry docs/messages.md would be, on stdout
//   pf_messages [--root DIR] write      rewrites DIR/docs/messages.md (its head is kept)
//   pf_messages [--root DIR] check      every check; exit status 1 and the problems if any
//
// DIR defaults to the source tree this program was built from.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/messages/MessageScan.hh"

namespace fs = std::filesystem;
using namespace pf::messages;

namespace {

std::string readIfExists(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int usage() {
  fmt::print(stderr, "usage: pf_messages [--root DIR] list|registry|write|check\n");
  return 2;
}

}  // namespace

int main(int argc, char **argv) {
  fs::path root = PF_SOURCE_DIR;
  std::string mode;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--root" && i + 1 < argc)
      root = argv[++i];
    else if (mode.empty() &&
             (arg == "list" || arg == "registry" || arg == "write" || arg == "check"))
      mode = arg;
    else
      return usage();
  }
  if (mode.empty()) return usage();
  const fs::path registry_file = root / "docs" / "messages.md";
  const std::string registry = readIfExists(registry_file);
  const Scan scan = scanTree(root);
  if (mode == "list") {
    for (const Site &site : scan.sites)
      fmt::print("{}\t{}\t{}:{}\t{}\t{}\n", numberText(site.id), severityName(site.severity),
                 site.file, site.line, site.function, site.text);
    return 0;
  }
  if (mode == "registry" || mode == "write") {
    const std::string fresh = makeRegistry(scan, registry);
    if (mode == "registry") {
      fmt::print("{}", fresh);
      return 0;
    }
    const fs::path temporary = registry_file.string() + ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary);
      out << fresh;
      if (!out) {
        fmt::print(stderr, "pf_messages: cannot write {}\n", temporary.string());
        return 1;
      }
    }
    fs::rename(temporary, registry_file);
    fmt::print("pf_messages: wrote {}\n", registry_file.string());
    return 0;
  }
  const std::vector<Problem> problems = checkAll(scan, registry);
  std::set<int> numbers;
  int warnings = 0;
  for (const Site &site : scan.sites) {
    numbers.insert(site.id);
    if (site.severity == Severity::Warning) ++warnings;
  }
  for (const Problem &problem : problems)
    fmt::print(stderr, "{}:{}: {}\n", problem.file, problem.line, problem.what);
  fmt::print("pf_messages: {} files, {} sites, {} numbers, {} warning sites, {} problems\n",
             scan.files, scan.sites.size(), numbers.size(), warnings, problems.size());
  return problems.empty() ? 0 : 1;
}
