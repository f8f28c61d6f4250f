// File input and all-or-nothing file output.
#pragma once

#include <map>
#include <string>

namespace pf {

// Whole file as read (any bytes); throws pf::Error PF-1001 naming the file if it cannot
// be read, or if it is a directory ("is a directory, not a file").
std::string readTextFile(const std::string &path);

// Refuses text no TOML or JSON file holds: PF-1008 "is not a text file (byte 0x00 at
// offset N)" naming `file`, the line and column of the first NUL or other control byte
// (0x00-0x1f except tab, line feed and carriage return, and 0x7f).
void requireText(const std::string &text, const std::string &file);

// `text` for an error message: every control byte (as above, and tab, line feed and
// carriage return too) written as \xNN, so an excerpt of a file cannot garble the terminal.
std::string escapeControlBytes(const std::string &text);

// Collects every output file of one command in memory and writes them only in
// commit(): first every file is written to a temporary beside its target, then all
// are renamed into place. A command that fails before commit(), or inside it, leaves
// no new output behind (a failing rename() removes the files this commit created;
// files it had already replaced keep their new contents).
class OutputSet {
 public:
  void add(const std::string &path, std::string contents);
  void commit();
  bool empty() const { return files_.empty(); }

 private:
  std::map<std::string, std::string> files_;  // ordered: deterministic write order
};

// Writes one file atomically (temporary file + rename).
void writeFileAtomic(const std::string &path, const std::string &contents);

}  // namespace pf
