#include "core/JsonNode.hh"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "core/Error.hh"
#include "core/Spelling.hh"

namespace pf {

namespace {

// Appends to `path` the path from `at` to `target` (by address); false if `target` is
// not in `at`. Only run for a message.
bool findPath(const Json &at, const Json *target, std::string &path) {
  if (&at == target) return true;
  const size_t length = path.size();
  if (at.isArray()) {
    const Json::Array &array = at.asArray();
    for (size_t i = 0; i < array.size(); ++i) {
      path += fmt::format("[{}]", i);
      if (findPath(array[i], target, path)) return true;
      path.resize(length);
    }
  } else if (at.isObject()) {
    for (const auto &[key, value] : at.asObject()) {
      if (!path.empty()) path += '.';
      path += key;
      if (findPath(value, target, path)) return true;
      path.resize(length);
    }
  }
  return false;
}

std::string joined(const std::vector<std::string_view> &names) {
  std::string text;
  for (std::string_view name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

std::string versionsText(std::initializer_list<int> versions) {
  std::string text = versions.size() == 1 ? "version " : "versions ";
  size_t i = 0;
  for (int version : versions) {
    if (i > 0) text += i + 1 == versions.size() ? " and " : ", ";
    text += std::to_string(version);
    ++i;
  }
  return text;
}

}  // namespace

std::string_view JsonProblem::kindText(Kind kind) {
  switch (kind) {
    case Kind::Format:
      return "expected \"{}\", found {} (this is not a {} file)";
    case Kind::Version:
      return "{} is not supported: this powerflow reads {}";
    case Kind::Missing:
      return "required field is missing";
    case Kind::Type:
      return "expected {}, found {}";
    case Kind::Unknown:
      return "unknown field{}; the fields here are: {}";
    case Kind::Range:
      return "{} is out of range: expected {}";
    case Kind::Length:
      return "has {} entries, {} expected";
    case Kind::Choice:
      return "unknown value \"{}\" (expected {})";
  }
  return "";
}

void JsonProblem::raise(int id, std::string_view text) const {
  if (text != kindText(kind))
    throw std::logic_error(
        fmt::format("PF-{}: the text of a JSON reader's message is not its "
                    "kind's: \"{}\"",
                    id, text));
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const std::string &arg : args) store.push_back(arg);
  throw Error(id, loc, field, fmt::vformat(text, store));
}

void coreJsonMessage(const JsonProblem &problem) {
  using Kind = JsonProblem::Kind;
  switch (problem.kind) {
    case Kind::Format:
      problem.raise(1408, "expected \"{}\", found {} (this is not a {} file)");
    case Kind::Version:
      problem.raise(1409, "{} is not supported: this powerflow reads {}");
    case Kind::Missing:
      problem.raise(1402, "required field is missing");
    case Kind::Type:
      problem.raise(1401, "expected {}, found {}");
    case Kind::Unknown:
      problem.raise(1405, "unknown field{}; the fields here are: {}");
    case Kind::Range:
      problem.raise(1406, "{} is out of range: expected {}");
    case Kind::Length:
      problem.raise(1407, "has {} entries, {} expected");
    case Kind::Choice:
      problem.raise(1410, "unknown value \"{}\" (expected {})");
  }
  throw std::logic_error("a JSON problem of no kind");
}

std::string JsonNode::path() const {
  std::string path;
  findPath(*root_, json_, path);
  return path;
}

void JsonNode::fail(int id, const std::string &message) const {
  const std::string path = this->path();
  throw Error(id, {*file_, json_->line(), json_->column()}, path.empty() ? "(top level)" : path,
              message);
}

void JsonNode::problem(JsonProblem::Kind kind, std::vector<std::string> args,
                       const std::string *field) const {
  std::string path = field ? *field : this->path();
  const JsonProblem problem{kind,
                            {*file_, json_->line(), json_->column()},
                            path.empty() ? "(top level)" : std::move(path),
                            std::move(args)};
  if (messages_) messages_(problem);
  coreJsonMessage(problem);
}

void JsonNode::failType(const char *expected) const {
  problem(JsonProblem::Kind::Type,
          {expected, json_->isNumber() ? numberText() : json_->typeName()});
}

std::string JsonNode::numberText() const {
  if (json_->isExactInteger()) return std::to_string(json_->exactInteger());
  const double value = json_->asNumber();
  // An integral number all digits (9223372036854775808, not 9.223372036854776e+18).
  if (value == std::floor(value) && std::abs(value) < 1e21) return fmt::format("{:.0f}", value);
  return fmt::format("{}", value);
}

int JsonNode::checkFormat(std::string_view format, std::initializer_list<int> versions,
                          std::string_view hint) const {
  if (!json_->isObject()) failType("an object");
  const Json *name = json_->find("format");
  if (!name || !name->isString() || name->asString() != format) {
    const std::string found = !name              ? "no format field"
                              : name->isString() ? fmt::format("\"{}\"", name->asString())
                                                 : name->typeName();
    std::vector<std::string> args = {std::string(format), found, std::string(format)};
    if (!name) {
      const std::string field = "format";
      problem(JsonProblem::Kind::Format, std::move(args), &field);
    }
    JsonNode(*this, *name).problem(JsonProblem::Kind::Format, std::move(args));
  }
  const Json *version = json_->find("version");
  const std::string accepted =
      fmt::format("{} {}{}{}", format, versionsText(versions), hint.empty() ? "" : "; ", hint);
  if (!version) {
    const std::string field = "version";
    problem(JsonProblem::Kind::Version, {"a file without a version", accepted}, &field);
  }
  const JsonNode node(*this, *version);
  if (version->isNumber()) {
    const double value = version->asNumber();
    for (int known : versions)
      if (value == known) return known;
  }
  node.problem(JsonProblem::Kind::Version,
               {version->isNumber() ? "version " + node.numberText()
                                    : fmt::format("a version that is {}", version->typeName()),
                accepted});
}

JsonObject JsonNode::object(const std::string_view *allowed, size_t count) const {
  const Json::Object *object = json_->ifObject();
  if (!object) failType("an object");
  const std::string_view *end = allowed + count;
  for (const auto &[key, value] : *object) {
    if (std::find(allowed, end, key) != end) continue;
    // A close spelling: at most a third of its letters (at least 2) edited away, one for a
    // key of three letters or fewer.
    std::string_view nearest;
    size_t best = SIZE_MAX;
    for (const std::string_view *name = allowed; name != end; ++name) {
      const size_t limit = key.size() <= 3 ? 1 : std::max<size_t>(2, name->size() / 3);
      if (const size_t distance = editDistance(key, *name); distance <= limit && distance < best)
        best = distance, nearest = *name;
    }
    JsonNode(*this, value)
        .problem(JsonProblem::Kind::Unknown,
                 {nearest.empty() ? "" : fmt::format(" (did you mean '{}'?)", nearest),
                  joined(std::vector<std::string_view>(allowed, end))});
  }
  return JsonObject(*this);
}

std::vector<std::pair<std::string, JsonNode>> JsonNode::members() const {
  const Json::Object *object = json_->ifObject();
  if (!object) failType("an object");
  std::vector<std::pair<std::string, JsonNode>> result;
  for (const auto &[key, value] : *object) result.emplace_back(key, JsonNode(*this, value));
  return result;
}

std::vector<JsonNode> JsonNode::items() const {
  const size_t count = size();
  std::vector<JsonNode> result;
  result.reserve(count);
  for (const Json &item : *json_->ifArray()) result.push_back(JsonNode(*this, item));
  return result;
}

JsonNode JsonNode::operator[](size_t index) const {
  if (index >= size())
    throw std::out_of_range(fmt::format("JsonNode: index {} of an array of {}", index, size()));
  return JsonNode(*this, (*json_->ifArray())[index]);
}

const JsonNode &JsonNode::requireSize(size_t count) const {
  if (size() != count)
    problem(JsonProblem::Kind::Length, {std::to_string(size()), std::to_string(count)});
  return *this;
}

double JsonNode::number() const {
  if (!json_->isNumber()) failType("a number");
  const double value = json_->asNumber();
  if (!std::isfinite(value)) failType("a finite number");
  return value;
}

double JsonNode::number(double min, double max) const {
  const double value = number();
  if (!(value >= min && value <= max))
    problem(JsonProblem::Kind::Range,
            {numberText(), fmt::format("a number in [{}, {}]", min, max)});
  return value;
}

double JsonNode::positive() const {
  const double value = number();
  if (!(value > 0.0)) problem(JsonProblem::Kind::Range, {numberText(), "a number > 0"});
  return value;
}

int64_t JsonNode::integerSlow(int64_t min, int64_t max) const {
  // [-2^63, 2^63) is exactly the doubles that convert to int64_t.
  constexpr double kTwo63 = 9223372036854775808.0;
  int64_t value = 0;
  bool in_range = true;
  if (json_->isExactInteger()) {
    value = json_->exactInteger();
  } else {
    if (!json_->isNumber()) failType("an integer");
    const double number = json_->asNumber();
    if (!std::isfinite(number) || number != std::floor(number)) failType("an integer");
    in_range = number >= -kTwo63 && number < kTwo63;
    if (in_range) value = static_cast<int64_t>(number);
  }
  if (!in_range || value < min || value > max)
    problem(JsonProblem::Kind::Range,
            {numberText(), max == INT64_MAX   ? fmt::format("an integer >= {}", min)
                           : min == INT64_MIN ? fmt::format("an integer <= {}", max)
                                              : fmt::format("an integer in {}..{}", min, max)});
  return value;
}

void JsonObject::missing(std::string_view key) const {
  const std::string path = node_.path();
  const std::string field = path.empty() ? std::string(key) : path + "." + std::string(key);
  node_.problem(JsonProblem::Kind::Missing, {}, &field);
}

std::optional<JsonNode> JsonObject::find(std::string_view key) const {
  const Json *value = lookup(key);
  if (!value) return std::nullopt;
  return JsonNode(node_, *value);
}

std::optional<JsonNode> JsonObject::findNonNull(std::string_view key) const {
  const Json *value = lookup(key);
  if (!value || value->isNull()) return std::nullopt;
  return JsonNode(node_, *value);
}

size_t JsonNode::oneOf(std::initializer_list<std::string_view> names) const {
  const std::string &text = string();
  size_t index = 0;
  for (std::string_view name : names) {
    if (text == name) return index;
    ++index;
  }
  std::string expected;
  for (std::string_view name : names)
    expected += fmt::format("{}\"{}\"", expected.empty() ? "" : ", ", name);
  problem(JsonProblem::Kind::Choice, {text, expected});
}

}  // namespace pf
