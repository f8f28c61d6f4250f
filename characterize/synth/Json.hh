// A minimal JSON value, parser and writer for Yosys `write_json` netlists.
//
// Only what the synthesis stage needs: objects keep their key order (Yosys output is
// deterministic, and so must our rewritten netlist be), numbers are kept as doubles.
//
// It predates core/Json.hh (pf::Json), which the stage caches (Cache.cc) use. Not yet
// merged into it: Netlist.cc reads and builds it through its public fields in ~50
// places (NlCell::parameters holds one), its parse errors are 5220 naming the netlist,
// and pf::Json's parser/indented writer have not been measured on Yosys's 25 MB JSON
// of the default design. Merge when that is checked; the two never meet (pf::synth::Json
// vs pf::Json).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pf::synth {

struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<Json> items;                           // Array
  std::vector<std::pair<std::string, Json>> fields;  // Object, in file order

  static Json makeString(std::string value);
  static Json makeNumber(double value);
  static Json makeObject();
  static Json makeArray();

  bool isObject() const { return kind == Kind::Object; }
  bool isArray() const { return kind == Kind::Array; }
  bool isString() const { return kind == Kind::String; }
  bool isNumber() const { return kind == Kind::Number; }
  // The field's value, or nullptr (objects only).
  const Json *find(const std::string &key) const;
  // Adds or replaces a field.
  Json &set(const std::string &key, Json value);
};

// Throws pf::Error 5220 naming `source_name` and the byte offset of a syntax error.
Json parseJson(const std::string &text, const std::string &source_name);
std::string writeJson(const Json &value);

}  // namespace pf::synth
