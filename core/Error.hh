// Error reporting shared by every powerflow stage.
//
// Stages never print and exit on bad input: they throw pf::Error, which carries a
// numbered message id, the source location (file, line, column) and the offending
// field. Only the command-line edge (flows/) turns it into text and an exit status,
// so libraries stay usable from tests and other programs.
#pragma once

#include <stdexcept>
#include <string>

namespace pf {

// Where a problem was found. line/column are 1-based; 0 means unknown.
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
};

// Message ids: one range per stage, so a number identifies its origin (1000-1999 core,
// 5000-5999 characterize, 9000-9499 sim, ...). docs/messages.md is the registry: every
// range and every number, checked by `ctest -L messages`.
class Error : public std::runtime_error {
 public:
  Error(int id, SourceLoc loc, std::string field, const std::string &message);

  int id() const { return id_; }
  const SourceLoc &loc() const { return loc_; }
  const std::string &field() const { return field_; }
  const std::string &message() const { return message_; }

  // "error PF-2003: pdk_stub/process.toml:12:1: field 'vth_v': must be ..."
  std::string formatted() const;

 private:
  int id_;
  SourceLoc loc_;
  std::string field_;
  std::string message_;
};

}  // namespace pf
