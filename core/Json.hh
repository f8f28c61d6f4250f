// A small JSON value with an insertion-ordered object, a deterministic writer and a
// strict parser with line/column errors. Stage outputs (characterization, profiles,
// schedules) are JSON; writing the same value always gives the same bytes. A parsed value
// knows where it starts in its text (line() and column()), and a plain integer literal of
// at most 64 bits is kept exactly (exactInteger()), so readers (core/JsonNode.hh) can name
// the line of a problem and read integers beyond 2^53 exactly.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace pf {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;  // insertion order kept

  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool value) : value_(value) {}
  Json(int value) : value_(static_cast<double>(value)) {}
  Json(int64_t value) : value_(static_cast<double>(value)) {}
  Json(double value) : value_(value) {}
  Json(const char *value) : value_(std::string(value)) {}
  Json(std::string value) : value_(std::move(value)) {}
  Json(Array value) : value_(std::move(value)) {}
  Json(Object value) : value_(std::move(value)) {}

  static Json array() { return Json(Array{}); }
  static Json object() { return Json(Object{}); }
  static Json numbers(const std::vector<double> &values);

  bool isNull() const { return std::holds_alternative<std::monostate>(value_); }
  bool isBool() const { return std::holds_alternative<bool>(value_); }
  bool isNumber() const {
    return std::holds_alternative<double>(value_) || std::holds_alternative<int64_t>(value_);
  }
  bool isString() const { return std::holds_alternative<std::string>(value_); }
  bool isArray() const { return std::holds_alternative<Array>(value_); }
  bool isObject() const { return std::holds_alternative<Object>(value_); }
  // A number the parser read from a plain integer literal that fits in 64 bits, held
  // exactly; values made in code hold doubles (their writer's output is unchanged).
  bool isExactInteger() const { return std::holds_alternative<int64_t>(value_); }
  int64_t exactInteger() const { return std::get<int64_t>(value_); }
  // The value when it is of that type, else nullptr (for readers that give their own
  // message, core/JsonNode.hh).
  const bool *ifBool() const { return std::get_if<bool>(&value_); }
  const std::string *ifString() const { return std::get_if<std::string>(&value_); }
  const Array *ifArray() const { return std::get_if<Array>(&value_); }
  const Object *ifObject() const { return std::get_if<Object>(&value_); }
  // "a number", "a string", ... for messages.
  const char *typeName() const;

  // Where the parser found the value (1-based; 0 for a value made in code). The column
  // counts bytes; 0 beyond column 65534.
  int line() const { return int(line_); }
  int column() const { return column_ == kNoColumn ? 0 : int(column_); }

  // Accessors throw pf::Error (PF-1401) on a type mismatch, naming `what`.
  bool asBool(const std::string &what = "value") const;
  double asNumber(const std::string &what = "value") const;
  const std::string &asString(const std::string &what = "value") const;
  const Array &asArray(const std::string &what = "value") const;
  const Object &asObject(const std::string &what = "value") const;

  // Object access: set() replaces or appends; find() returns nullptr if absent.
  Json &set(const std::string &key, Json value);
  const Json *find(const std::string &key) const;
  const Json &at(const std::string &key) const;  // PF-1402 if absent
  // Array append.
  Json &push(Json value);

  // Two-space indented, keys in insertion order, numbers with up to 17 significant
  // digits (round-trip exact), integers without a decimal point. Ends with a newline.
  std::string dump() const;

 private:
  friend struct JsonParsed;  // the parser's access (core/Json.cc)
  static constexpr uint16_t kNoColumn = UINT16_MAX;
  struct Exact {};
  Json(Exact, int64_t value) : value_(value) {}
  void write(std::string &out, int indent) const;
  // The location fits in the variant's tail padding: a value stays 40 bytes.
  [[no_unique_address]] std::variant<std::monostate, bool, double, int64_t, std::string, Array,
                                     Object>
      value_;
  uint16_t column_ = 0;
  uint32_t line_ = 0;
};

// Parses JSON text (RFC 8259; strings must not hold raw tabs or line breaks); errors are
// pf::Error PF-1403 with `file`, line and column.
Json parseJson(const std::string &text, const std::string &file);

}  // namespace pf
