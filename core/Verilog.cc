#include "core/Verilog.hh"

#include <cctype>
#include <set>

namespace pf {

namespace {

const std::set<std::string> &verilogKeywords() {
  static const std::set<std::string> words = {
      "always", "and",     "assign",  "begin",    "buf",   "case",  "default",   "else",
      "end",    "for",     "if",      "initial",  "inout", "input", "module",    "nand",
      "nor",    "not",     "or",      "output",   "reg",   "wire",  "xnor",      "xor",
      "edge",   "posedge", "negedge", "function", "task",  "table", "primitive", "logic"};
  return words;
}

}  // namespace

std::string verilogIdentifier(const std::string &name) {
  bool simple =
      !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') simple = false;
  }
  if (simple && !verilogKeywords().count(name)) return name;
  return "\\" + name + " ";  // escaped identifier: ends at white space
}

}  // namespace pf
