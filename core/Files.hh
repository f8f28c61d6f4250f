// File input and all-or-nothing file output.
#pragma once

#include <map>
#include <string>

namespace pf {

// Whole file as text; throws pf::Error (PF-1001) naming the file if unreadable.
std::string readTextFile(const std::string &path);

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
