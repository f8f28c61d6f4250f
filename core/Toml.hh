// TOML input at the edge of the tool: parse errors and semantic errors both carry
// the file, line and column of the offending node and the dotted field name.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf {

// Parses a TOML file; a syntax error becomes pf::Error PF-1101 with line and column.
toml::table parseTomlFile(const std::string &path);

// Location of a node (its source region) in the file it came from.
SourceLoc locationOf(const toml::node &node, const std::string &file);

// Typed field access with errors naming file, line, column and the dotted field path.
// `context` is the dotted path of `table` itself ("" at the root).
class TomlReader {
 public:
  TomlReader(const toml::table &table, std::string file, std::string context = "");

  bool has(const std::string &key) const;
  double requireNumber(const std::string &key) const;
  double numberOr(const std::string &key, double fallback) const;
  // A number within [min, max] (inclusive), else PF-1103 naming the range.
  double requireNumberIn(const std::string &key, double min, double max) const;
  int64_t requireInteger(const std::string &key) const;
  int64_t integerOr(const std::string &key, int64_t fallback) const;
  std::string requireString(const std::string &key) const;
  std::string stringOr(const std::string &key, const std::string &fallback) const;
  std::vector<std::string> stringArrayOr(const std::string &key) const;
  std::vector<double> requireNumberArray(const std::string &key) const;
  TomlReader requireTable(const std::string &key) const;
  std::vector<TomlReader> tableArray(const std::string &key) const;

  // Throws PF-1104 for any key in the table that is not in `known` (typo guard).
  void rejectUnknownKeys(const std::vector<std::string> &known) const;

  // Error located at `key` (or at the table itself if the key is absent).
  [[noreturn]] void fail(int id, const std::string &key, const std::string &message) const;

  const toml::table &table() const { return *table_; }
  const std::string &file() const { return file_; }
  std::string fieldPath(const std::string &key) const;
  SourceLoc locationOf(const std::string &key) const;

 private:
  const toml::node &requireNode(const std::string &key) const;

  const toml::table *table_;
  std::string file_;
  std::string context_;
};

}  // namespace pf
