#include "core/JsonNode.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/Error.hh"

namespace pf {

void JsonNode::fail(int id, const std::string &message) const {
  throw Error(id, {*file_, 0, 0}, path_.empty() ? "(top level)" : path_, message);
}

const Json &JsonNode::object() const {
  if (!json_->isObject()) fail(errors_.structure, "expected an object");
  return *json_;
}

JsonNode JsonNode::operator[](const std::string &key) const {
  const Json *found = object().find(key);
  if (!found) at(*json_, child(key)).fail(errors_.structure, "required field is missing");
  return at(*found, child(key));
}

void JsonNode::onlyFields(const std::vector<std::string> &allowed) const {
  for (const auto &[key, value] : object().asObject())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      at(value, child(key)).fail(errors_.structure, "unknown field");
}

std::vector<JsonNode> JsonNode::items() const {
  if (!json_->isArray()) fail(errors_.structure, "expected an array");
  std::vector<JsonNode> result;
  const Json::Array &array = json_->asArray();
  for (size_t i = 0; i < array.size(); ++i)
    result.push_back(at(array[i], fmt::format("{}[{}]", path_, i)));
  return result;
}

std::vector<std::pair<std::string, JsonNode>> JsonNode::members() const {
  std::vector<std::pair<std::string, JsonNode>> result;
  for (const auto &[key, value] : object().asObject())
    result.emplace_back(key, at(value, child(key)));
  return result;
}

double JsonNode::number() const {
  if (!json_->isNumber()) fail(errors_.structure, "expected a number");
  return json_->asNumber();
}

int64_t JsonNode::integer(int64_t min, int64_t max) const {
  const double value = number();
  if (value != std::floor(value)) fail(errors_.structure, "expected an integer");
  if (value < double(min) || value > double(max))
    fail(errors_.value, fmt::format("{} is out of range [{}, {}]", value, min, max));
  return int64_t(value);
}

bool JsonNode::boolean() const {
  if (!json_->isBool()) fail(errors_.structure, "expected true or false");
  return json_->asBool();
}

const std::string &JsonNode::string() const {
  if (!json_->isString()) fail(errors_.structure, "expected a string");
  return json_->asString();
}

}  // namespace pf
