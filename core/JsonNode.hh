// A JSON value at a dotted path of a file, for readers of the stages' JSON files: every
// failure names the file and the path (e.g. `layers[3].domains[0].rail`). Each reader
// gives its message numbers: `structure` for a missing field, a wrong type or an unknown
// field, `value` for a number out of range (and for its own checks of values).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/Json.hh"

namespace pf {

struct JsonErrors {
  int structure = 0;
  int value = 0;
};

class JsonNode {
 public:
  JsonNode(const Json &json, std::string path, const std::string &file, JsonErrors errors)
      : json_(&json), path_(std::move(path)), file_(&file), errors_(errors) {}

  [[noreturn]] void fail(int id, const std::string &message) const;

  bool has(const std::string &key) const { return object().find(key) != nullptr; }
  bool isNull() const { return json_->isNull(); }
  const std::string &path() const { return path_; }

  JsonNode operator[](const std::string &key) const;  // a required field
  // Refuses a field of this object that is not in `allowed`.
  void onlyFields(const std::vector<std::string> &allowed) const;
  std::vector<JsonNode> items() const;  // an array's elements
  std::vector<std::pair<std::string, JsonNode>> members() const;

  double number() const;
  int64_t integer(int64_t min, int64_t max) const;
  bool boolean() const;
  const std::string &string() const;

 private:
  const Json &object() const;
  std::string child(const std::string &key) const {
    return path_.empty() ? key : path_ + "." + key;
  }
  JsonNode at(const Json &json, std::string path) const {
    return JsonNode(json, std::move(path), *file_, errors_);
  }

  const Json *json_;
  std::string path_;
  const std::string *file_;
  JsonErrors errors_;
};

}  // namespace pf
