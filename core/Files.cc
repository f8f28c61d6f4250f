#include "core/Files.hh"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/Error.hh"

namespace pf {

namespace fs = std::filesystem;

std::string readTextFile(const std::string &path) {
  // An ifstream opens a directory and reads nothing: the file would read as empty.
  std::error_code error;
  if (fs::is_directory(path, error)) throw Error(1009, {path}, "", "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(1001, {path}, "", "cannot open for reading: " + std::string(std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(1010, {path}, "", "read error");
  return text.str();
}

namespace {

bool isControlByte(unsigned char byte) { return byte < 0x20 || byte == 0x7f; }

}  // namespace

void requireText(const std::string &text, const std::string &file) {
  const auto bad = std::find_if(text.begin(), text.end(), [](char c) {
    const unsigned char byte = static_cast<unsigned char>(c);
    return isControlByte(byte) && byte != '\t' && byte != '\n' && byte != '\r';
  });
  if (bad == text.end()) return;
  const size_t offset = size_t(bad - text.begin());
  const size_t line_start = text.rfind('\n', offset);  // npos on the first line
  const int line = int(std::count(text.begin(), bad, '\n')) + 1;
  const int column = int(line_start == std::string::npos ? offset + 1 : offset - line_start);
  throw Error(1008, {file, line, column}, "",
              fmt::format("is not a text file (byte 0x{:02x} at offset {})",
                          static_cast<unsigned char>(*bad), offset));
}

std::string escapeControlBytes(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (isControlByte(byte))
      out += fmt::format("\\x{:02x}", byte);
    else
      out += c;
  }
  return out;
}

namespace {

std::string temporaryNameFor(const std::string &path) {
  return path + ".tmp." + std::to_string(::getpid());
}

void writeTemporary(const std::string &tmp, const std::string &contents, const std::string &path) {
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out)
    throw Error(1002, {path}, "", "cannot open for writing: " + std::string(std::strerror(errno)));
  out << contents;
  out.close();
  if (!out) {
    std::remove(tmp.c_str());
    throw Error(1011, {path}, "", "write failed");
  }
}

}  // namespace

void writeFileAtomic(const std::string &path, const std::string &contents) {
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  const std::string tmp = temporaryNameFor(path);
  writeTemporary(tmp, contents, path);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(1003, {path}, "", "cannot rename temporary file into place");
  }
}

void OutputSet::add(const std::string &path, std::string contents) {
  files_[path] = std::move(contents);
}

void OutputSet::commit() {
  // Refuse targets that cannot be replaced by a file before touching anything.
  for (const auto &[path, contents] : files_)
    if (fs::is_directory(path))
      throw Error(1004, {path}, "", "is a directory, cannot write a file there");
  std::vector<std::string> staged;
  try {
    for (const auto &[path, contents] : files_) {
      const fs::path parent = fs::path(path).parent_path();
      if (!parent.empty()) fs::create_directories(parent);
      writeTemporary(temporaryNameFor(path), contents, path);
      staged.push_back(path);
    }
  } catch (...) {
    for (const auto &path : staged) std::remove(temporaryNameFor(path).c_str());
    throw;
  }
  std::vector<std::string> created;  // files that did not exist before: removed on failure
  for (const auto &path : staged) {
    const bool existed = fs::exists(path);
    if (std::rename(temporaryNameFor(path).c_str(), path.c_str()) != 0) {
      for (const auto &other : staged) std::remove(temporaryNameFor(other).c_str());
      for (const auto &done : created) std::remove(done.c_str());
      throw Error(1003, {path}, "", "cannot rename temporary file into place");
    }
    if (!existed) created.push_back(path);
  }
  files_.clear();
}

}  // namespace pf
