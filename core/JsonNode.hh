// The one field reader of powerflow's JSON files (docs/formats.md, "JSON files"): a value
// of a parsed document, with typed accessors whose every refusal is a pf::Error naming the
// file, the line and column where the value starts, and its JSON path (e.g.
// `error PF-6712: out/profile.json:2571:24: field 'layers[2].cycles.load_cycles': ...`).
//
//   const Json json = parseJson(text, file);
//   const JsonNode root(json, file, profileMessage);   // the reader's message numbers
//   root.checkFormat("powerflow-profile", {2});        // format and version, first
//   const JsonObject top = root.object({"format", "version", "layers"});   // unknown: refused
//   for (const JsonNode &layer : top["layers"].items()) ...
//   top["layers"][0].integer(0, INT64_MAX);
//
// An object is read through object(allowed): any field not in `allowed` is refused there,
// naming the field and listing the allowed ones, so every object level of every format
// refuses a misspelt field; members() reads an object whose keys are free (a map keyed by
// domain or rail name). Nodes hold no path: it is found from the document's root only
// when a message needs it, so reading a large file makes no strings.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Error.hh"
#include "core/Json.hh"

namespace pf {

// A refusal of the field reader before it has a number. The reader's message function
// (JsonMessages) numbers the kinds the reader has numbers of its own for, at literal
// sites the message registry sees; core's (coreJsonMessage) numbers the others:
//
//   void profileMessage(const JsonProblem &problem) {
//     if (problem.kind == JsonProblem::Kind::Missing)
//       problem.raise(6711, "required field is missing");
//   }
struct JsonProblem {
  enum class Kind {
    Format,   // the `format` field is not the reader's
    Version,  // a `version` the reader does not read
    Missing,  // a required field is absent
    Type,     // a value of another type (a number that is not an integer, inf)
    Unknown,  // a field the format does not have at that place
    Range,    // a number out of its range
    Length,   // an array of another length
    Choice,   // a string that is none of the names allowed there
  };
  Kind kind;
  SourceLoc loc;
  std::string field;              // the JSON path, "(top level)" for the document
  std::vector<std::string> args;  // filled into the kind's text, in order

  // Throws pf::Error(id, loc, field, text filled with args). `text` must be the kind's
  // (kindText(); checked: a mismatch is a std::logic_error).
  [[noreturn]] void raise(int id, std::string_view text) const;
  static std::string_view kindText(Kind kind);
};

// Throws for the problems it has a number for, returns for the others.
using JsonMessages = void (*)(const JsonProblem &problem);

// Core's numbers: PF-1408 format, PF-1409 version, PF-1402 missing, PF-1401 type, PF-1405
// unknown field, PF-1406 range, PF-1407 length, PF-1410 choice.
[[noreturn]] void coreJsonMessage(const JsonProblem &problem);

class JsonObject;

class JsonNode {
 public:
  // The root of a parsed document read from `file`; `root` and `file` must outlive
  // every node read from them. `messages` numbers the refusals (nullptr: core's).
  JsonNode(const Json &root, const std::string &file, JsonMessages messages = nullptr)
      : json_(&root), root_(&root), file_(&file), messages_(messages) {}

  // Refuses with message `id`, naming this value's file, line, column and path.
  [[noreturn]] void fail(int id, const std::string &message) const;
  // The path of this value ("" for the root), e.g. "layers[3].domains[0].rail".
  std::string path() const;
  const Json &json() const { return *json_; }

  // The document's `format` (a string) and `version` (an integer), checked first so a
  // file of another kind is named as such: returns the version, one of `versions`.
  // `hint` is added to a refused version (e.g. "re-run `powerflow sim`").
  int checkFormat(std::string_view format, std::initializer_list<int> versions,
                  std::string_view hint = "") const;

  // An object whose fields are among `allowed` (an Unknown problem otherwise).
  JsonObject object(std::initializer_list<std::string_view> allowed) const;
  JsonObject object(const std::vector<std::string_view> &allowed) const;
  // An object with free keys (a map), in file order.
  std::vector<std::pair<std::string, JsonNode>> members() const;

  // An array's elements; size() and operator[] read one without a vector.
  std::vector<JsonNode> items() const;
  size_t size() const {  // of an array
    if (const Json::Array *array = json_->ifArray()) return array->size();
    failType("an array");
  }
  JsonNode operator[](size_t index) const;  // index < size()
  // An array of exactly `count` elements (a Length problem otherwise).
  const JsonNode &requireSize(size_t count) const;

  bool isNull() const { return json_->isNull(); }
  double number() const;                        // finite
  double number(double min, double max) const;  // finite, in [min, max]
  double positive() const;                      // finite, > 0
  // Exact: a literal that is not an integer, or beyond [min, max], is refused (2^63 is
  // beyond INT64_MAX, 9007199254740993 is read as written).
  int64_t integer(int64_t min, int64_t max) const {
    if (json_->isExactInteger()) {
      const int64_t value = json_->exactInteger();
      if (value >= min && value <= max) return value;
    }
    return integerSlow(min, max);
  }
  bool boolean() const {
    if (const bool *value = json_->ifBool()) return *value;
    failType("true or false");
  }
  const std::string &string() const {
    if (const std::string *value = json_->ifString()) return *value;
    failType("a string");
  }
  // One of `names` (a Choice problem otherwise, listing them); returns its index.
  size_t oneOf(std::initializer_list<std::string_view> names) const;

 private:
  friend class JsonObject;
  JsonNode(const JsonNode &parent, const Json &json) : JsonNode(parent) { json_ = &json; }
  // Numbers the problem `kind` at this value (or at `field` when given) and throws.
  [[noreturn]] void problem(JsonProblem::Kind kind, std::vector<std::string> args,
                            const std::string *field = nullptr) const;
  JsonObject object(const std::string_view *allowed, size_t count) const;
  [[noreturn]] void failType(const char *expected) const;
  int64_t integerSlow(int64_t min, int64_t max) const;
  std::string numberText() const;

  const Json *json_;
  const Json *root_;
  const std::string *file_;
  JsonMessages messages_;
};

// An object whose fields were checked against the allowed ones (JsonNode::object()).
class JsonObject {
 public:
  const JsonNode &node() const { return node_; }
  [[noreturn]] void fail(int id, const std::string &message) const { node_.fail(id, message); }
  std::string path() const { return node_.path(); }

  // A required field (a Missing problem naming `path.key` at the object's line).
  JsonNode operator[](std::string_view key) const {
    if (const Json *value = lookup(key)) return JsonNode(node_, *value);
    missing(key);
  }
  // An optional field: nullopt when absent.
  std::optional<JsonNode> find(std::string_view key) const;
  bool has(std::string_view key) const { return lookup(key) != nullptr; }
  // An optional field that may also be null: nullopt when absent or null.
  std::optional<JsonNode> findNonNull(std::string_view key) const;

 private:
  friend class JsonNode;
  explicit JsonObject(const JsonNode &node) : node_(node), members_(node.json_->ifObject()) {}
  // The member `key`; the search starts after the member found last, so reading the
  // members in file order finds each at once.
  const Json *lookup(std::string_view key) const {
    const size_t count = members_->size();
    for (size_t k = 0, i = next_; k < count; ++k, ++i) {
      if (i >= count) i = 0;
      if ((*members_)[i].first == key) {
        next_ = i + 1;
        return &(*members_)[i].second;
      }
    }
    return nullptr;
  }
  [[noreturn]] void missing(std::string_view key) const;

  JsonNode node_;
  const Json::Object *members_;
  mutable size_t next_ = 0;  // where lookup() starts: fields are mostly read in file order
};

inline JsonObject JsonNode::object(std::initializer_list<std::string_view> allowed) const {
  return object(allowed.begin(), allowed.size());
}

inline JsonObject JsonNode::object(const std::vector<std::string_view> &allowed) const {
  return object(allowed.data(), allowed.size());
}

}  // namespace pf
