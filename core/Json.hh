// A small JSON value with an insertion-ordered object, a deterministic writer and a
// strict parser with line/column errors. Stage outputs (characterization, profiles,
// schedules) are JSON; writing the same value always gives the same bytes.
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
  bool isNumber() const { return std::holds_alternative<double>(value_); }
  bool isString() const { return std::holds_alternative<std::string>(value_); }
  bool isArray() const { return std::holds_alternative<Array>(value_); }
  bool isObject() const { return std::holds_alternative<Object>(value_); }

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
  void write(std::string &out, int indent) const;
  std::variant<std::monostate, bool, double, std::string, Array, Object> value_;
};

// Parses JSON text; errors are pf::Error PF-1403 with `file`, line and column.
Json parseJson(const std::string &text, const std::string &file);

}  // namespace pf
