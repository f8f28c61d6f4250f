#include "characterize/synth/ToolRun.hh"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/Error.hh"

namespace pf::synth {

std::vector<std::string> linesWith(const std::string &output, const std::string &prefix,
                                   size_t limit) {
  std::vector<std::string> found;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line) && found.size() < limit;) {
    const size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    if (line.compare(start, prefix.size(), prefix) == 0 ||
        line.find(": " + prefix + ":") != std::string::npos)
      found.push_back(line);
  }
  return found;
}

std::string lastLines(const std::string &output, size_t count) {
  std::vector<std::string> all;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) all.push_back(line);
  std::string text;
  for (size_t i = all.size() > count ? all.size() - count : 0; i < all.size(); ++i)
    text += "  | " + all[i] + "\n";
  return text.empty() ? "  | (no output)\n" : text;
}

std::string quote(const std::vector<std::string> &lines) {
  std::string text;
  for (const std::string &line : lines) text += "  | " + line + "\n";
  return text;
}

void writeText(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw Error(5205, {path}, "", "cannot write file");
}

void makeDirectories(const std::string &path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) throw Error(5257, {path}, "", "cannot create work directory: " + error.message());
}

std::string absolutePath(const std::string &path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

}  // namespace pf::synth
