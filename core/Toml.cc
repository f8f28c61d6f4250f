#include "core/Toml.hh"

#include <fmt/format.h>

#include <algorithm>

#include "core/Files.hh"

namespace pf {

toml::table parseTomlFile(const std::string &path) {
  const std::string text = readTextFile(path);
  requireText(text, path);  // a binary file is named as such, not as a syntax error
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error &err) {
    const auto &begin = err.source().begin;
    throw Error(
        1101, {path, static_cast<int>(begin.line), static_cast<int>(begin.column)}, "",
        fmt::format("TOML syntax error: {}", escapeControlBytes(std::string(err.description()))));
  }
}

SourceLoc locationOf(const toml::node &node, const std::string &file) {
  const auto &begin = node.source().begin;
  return {file, static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

TomlReader::TomlReader(const toml::table &table, std::string file, std::string context)
    : table_(&table), file_(std::move(file)), context_(std::move(context)) {}

std::string TomlReader::fieldPath(const std::string &key) const {
  return context_.empty() ? key : context_ + "." + key;
}

SourceLoc TomlReader::locationOf(const std::string &key) const {
  if (const toml::node *node = table_->get(key)) return pf::locationOf(*node, file_);
  return pf::locationOf(*table_, file_);
}

void TomlReader::fail(int id, const std::string &key, const std::string &message) const {
  throw Error(id, locationOf(key), fieldPath(key), message);
}

bool TomlReader::has(const std::string &key) const { return table_->contains(key); }

const toml::node &TomlReader::requireNode(const std::string &key) const {
  const toml::node *node = table_->get(key);
  if (!node) fail(1102, key, "required field is missing");
  return *node;
}

double TomlReader::requireNumber(const std::string &key) const {
  const toml::node &node = requireNode(key);
  if (auto value = node.value<double>(); value && (node.is_floating_point() || node.is_integer()))
    return *value;
  fail(1105, key, "expected a number");
}

double TomlReader::numberOr(const std::string &key, double fallback) const {
  return has(key) ? requireNumber(key) : fallback;
}

double TomlReader::requireNumberIn(const std::string &key, double min, double max) const {
  const double value = requireNumber(key);
  if (!(value >= min && value <= max))
    fail(1103, key, fmt::format("value {} is outside the allowed range [{}, {}]", value, min, max));
  return value;
}

int64_t TomlReader::requireInteger(const std::string &key) const {
  const toml::node &node = requireNode(key);
  if (!node.is_integer()) fail(1106, key, "expected an integer");
  return *node.value<int64_t>();
}

int64_t TomlReader::integerOr(const std::string &key, int64_t fallback) const {
  return has(key) ? requireInteger(key) : fallback;
}

std::string TomlReader::requireString(const std::string &key) const {
  const toml::node &node = requireNode(key);
  if (!node.is_string()) fail(1107, key, "expected a string");
  return *node.value<std::string>();
}

std::string TomlReader::stringOr(const std::string &key, const std::string &fallback) const {
  return has(key) ? requireString(key) : fallback;
}

std::vector<std::string> TomlReader::stringArrayOr(const std::string &key) const {
  std::vector<std::string> values;
  if (!has(key)) return values;
  const toml::array *array = requireNode(key).as_array();
  if (!array) fail(1108, key, "expected an array of strings");
  for (const toml::node &element : *array) {
    if (!element.is_string())
      throw Error(1107, pf::locationOf(element, file_), fieldPath(key), "expected a string");
    values.push_back(*element.value<std::string>());
  }
  return values;
}

std::vector<double> TomlReader::requireNumberArray(const std::string &key) const {
  const toml::array *array = requireNode(key).as_array();
  if (!array) fail(1109, key, "expected an array of numbers");
  std::vector<double> values;
  for (const toml::node &element : *array) {
    if (!element.is_number())
      throw Error(1105, pf::locationOf(element, file_), fieldPath(key), "expected a number");
    values.push_back(*element.value<double>());
  }
  return values;
}

TomlReader TomlReader::requireTable(const std::string &key) const {
  const toml::table *sub = requireNode(key).as_table();
  if (!sub) fail(1110, key, "expected a table");
  return TomlReader(*sub, file_, fieldPath(key));
}

std::vector<TomlReader> TomlReader::tableArray(const std::string &key) const {
  std::vector<TomlReader> readers;
  if (!has(key)) return readers;
  const toml::array *array = requireNode(key).as_array();
  if (!array) fail(1111, key, "expected an array of tables ([[" + key + "]])");
  size_t index = 0;
  for (const toml::node &element : *array) {
    const std::string path = fmt::format("{}[{}]", fieldPath(key), index++);
    const toml::table *sub = element.as_table();
    if (!sub) throw Error(1110, pf::locationOf(element, file_), path, "expected a table");
    readers.emplace_back(*sub, file_, path);
  }
  return readers;
}

void TomlReader::rejectUnknownKeys(const std::vector<std::string> &known) const {
  for (const auto &[key, node] : *table_) {
    const std::string name(key.str());
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw Error(1104, pf::locationOf(node, file_), fieldPath(name),
                  "unknown field (known: " + fmt::format("{}", fmt::join(known, ", ")) + ")");
  }
}

}  // namespace pf
