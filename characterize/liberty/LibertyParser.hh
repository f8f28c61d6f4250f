// Liberty syntax -> a generic tree of groups and attributes (first layer of the liberty
// stack, like OpenSTA's LibertyParser). It knows the grammar only, not what any group or
// attribute means; LibertyReader gives them meaning.
//
//   group:             type ( args ) { statements }
//   simple attribute:  name : value ;
//   complex attribute: name ( v1, v2, ... ) ;     (define(...) is one of these)
//
// Values keep their text (quotes removed) and position; numbers are converted by the
// reader, which knows the units.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pf::liberty {

struct LibertyValue {
  std::string text;  // without quotes
  bool quoted = false;
  int line = 0;
  int column = 0;
};

struct LibertyAttribute {
  std::string name;
  std::vector<LibertyValue> values;  // one for a simple attribute
  bool is_complex = false;           // name ( ... ) ; form
  int line = 0;
  int column = 0;

  // The first value's text, "" if there is none.
  const std::string &text() const;
};

struct LibertyGroup {
  std::string type;                // "library", "cell", "pin", "cell_rise", ...
  std::vector<LibertyValue> args;  // the names in parentheses, possibly none
  std::vector<LibertyAttribute> attributes;
  std::vector<LibertyGroup> groups;  // sub-groups in file order
  int line = 0;
  int column = 0;

  // First attribute called `name`, nullptr if absent.
  const LibertyAttribute *findAttribute(std::string_view name) const;
  // First argument's text, "" if the group has none.
  const std::string &name() const;
};

// Parses liberty text. The result is a root group with an empty type whose sub-groups
// are the file's top-level groups (normally one `library`). Throws pf::Error (PF-5101)
// naming `file_name`, the line and column of the problem.
LibertyGroup parseLibertyText(std::string_view text, const std::string &file_name);

// Reads and parses a file (PF-1001 if it cannot be read).
LibertyGroup parseLibertyFile(const std::string &path);

}  // namespace pf::liberty
