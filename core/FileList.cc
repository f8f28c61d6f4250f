#include "core/FileList.hh"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/Error.hh"
#include "core/Files.hh"

namespace pf {

namespace fs = std::filesystem;

namespace {

bool readable(const std::string &path) {
  return fs::is_regular_file(path) && std::ifstream(path).good();
}

std::string trimmed(std::string line) {
  line.erase(0, line.find_first_not_of(" \t"));
  line.erase(line.find_last_not_of(" \t\r") + 1);
  return line;
}

}  // namespace

std::vector<std::string> readFileList(const std::string &list) {
  if (!readable(list)) throw Error(1005, {list}, "", "cannot read the file list");
  std::istringstream lines(readTextFile(list));
  const fs::path dir = fs::absolute(list).parent_path();
  std::vector<std::string> files;
  int number = 0;
  for (std::string raw; std::getline(lines, raw);) {
    ++number;
    const std::string line = trimmed(raw);
    if (line.empty() || line[0] == '#' || line.rfind("//", 0) == 0 || line[0] == '+' ||
        line[0] == '-')
      continue;  // comments and tool options are not sources
    const std::string path = (dir / line).lexically_normal().string();
    if (!readable(path))
      throw Error(1006, {list, number, 1}, "",
                  fmt::format("source file '{}' cannot be read", path));
    // Verilog is text: a binary file here is a wrong path, and Yosys would read it
    // silently up to its first NUL byte (docs/tools.md).
    requireText(readTextFile(path), path);
    files.push_back(path);
  }
  if (files.empty()) throw Error(1007, {list}, "", "the file list names no sources");
  return files;
}

}  // namespace pf
