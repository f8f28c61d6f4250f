// gen_sequencer: a build-time tool of the tests. Writes the power sequencer's Verilog and
// its ROM module for the parameters on the command line (tests/gen/SequencerSpec.hh), with
// gen::sequencerVerilog and gen::sequencerRomVerilog, so the Verilated models the tests
// run are exactly what the generator produces.
//
//   gen_sequencer OUT_DIR key=value... [--replace OLD NEW]...
//
// writes OUT_DIR/<module>.v and OUT_DIR/<module>_rom.v (ROM file <module>.hex). --replace
// plants a bug in the template (mutation tests): OLD must occur exactly once, or the tool
// fails, so a template edit cannot silently turn the mutant into the original.
// A file whose content is unchanged is not rewritten (no needless re-Verilation).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "gen/Sequencer.hh"
#include "tests/gen/SequencerSpec.hh"

namespace {

namespace fs = std::filesystem;

struct Replacement {
  std::string from, to;
};

struct Arguments {
  fs::path out_dir;
  std::vector<std::string> spec;
  std::vector<Replacement> replacements;
};

Arguments parseArguments(int argc, char **argv) {
  if (argc < 2)
    throw std::invalid_argument("usage: gen_sequencer OUT_DIR key=value... [--replace OLD NEW]...");
  Arguments args;
  args.out_dir = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string word = argv[i];
    if (word != "--replace") {
      args.spec.push_back(word);
      continue;
    }
    if (i + 2 >= argc) throw std::invalid_argument("--replace needs OLD and NEW");
    args.replacements.push_back({argv[i + 1], argv[i + 2]});
    i += 2;
  }
  return args;
}

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string mutatedTemplate(const std::vector<Replacement> &replacements) {
  std::string text = pf::gen::sequencerTemplate();
  for (const Replacement &r : replacements) {
    const size_t n = count(text, r.from);
    if (n != 1)
      throw std::runtime_error(
          fmt::format("--replace: '{}' occurs {} times in the template (must be once)", r.from, n));
    text.replace(text.find(r.from), r.from.size(), r.to);
  }
  return text;
}

void writeIfChanged(const fs::path &path, const std::string &text) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream old;
  old << in.rdbuf();
  if (in && old.str() == text) return;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The banner names a command that regenerates the file, without this build's paths.
std::string commandLine(const Arguments &args) {
  std::string text = "tests/gen/gen_sequencer OUT_DIR";
  for (const std::string &word : args.spec) text += " " + word;
  for (const Replacement &r : args.replacements)
    text += fmt::format(" --replace '{}' '{}'", r.from, r.to);
  return text;
}

}  // namespace

int main(int argc, char **argv) {
  try {
    const Arguments args = parseArguments(argc, argv);
    const pf::gen::SequencerParams params = pf::gen::parseSequencerSpec(args.spec);
    const std::string by = commandLine(args);
    fs::create_directories(args.out_dir);
    writeIfChanged(args.out_dir / (params.module_name + ".v"),
                   pf::gen::sequencerVerilog(params, by, mutatedTemplate(args.replacements)));
    writeIfChanged(args.out_dir / (params.module_name + "_rom.v"),
                   pf::gen::sequencerRomVerilog(params, params.module_name + ".hex", by));
    return 0;
  } catch (const pf::Error &e) {
    std::cerr << "gen_sequencer: " << e.formatted() << "\n";
  } catch (const std::exception &e) {
    std::cerr << "gen_sequencer: " << e.what() << "\n";
  }
  return 1;
}
