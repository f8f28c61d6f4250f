#include "core/Json.hh"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "core/Error.hh"
#include "core/Files.hh"

namespace pf {

Json Json::numbers(const std::vector<double> &values) {
  Array array;
  for (double value : values) array.emplace_back(value);
  return Json(std::move(array));
}

namespace {
// The text is the field reader's (core/JsonNode.cc, the same number).
[[noreturn]] void typeError(const std::string &what, const char *expected, const Json &found) {
  throw Error(1401, {}, what, fmt::format("expected {}, found {}", expected, found.typeName()));
}
}  // namespace

bool Json::asBool(const std::string &what) const {
  if (!isBool()) typeError(what, "true or false", *this);
  return std::get<bool>(value_);
}
double Json::asNumber(const std::string &what) const {
  if (const int64_t *exact = std::get_if<int64_t>(&value_)) return static_cast<double>(*exact);
  if (!isNumber()) typeError(what, "a number", *this);
  return std::get<double>(value_);
}
const std::string &Json::asString(const std::string &what) const {
  if (!isString()) typeError(what, "a string", *this);
  return std::get<std::string>(value_);
}
const Json::Array &Json::asArray(const std::string &what) const {
  if (!isArray()) typeError(what, "an array", *this);
  return std::get<Array>(value_);
}
const Json::Object &Json::asObject(const std::string &what) const {
  if (!isObject()) typeError(what, "an object", *this);
  return std::get<Object>(value_);
}

const char *Json::typeName() const {
  if (isNull()) return "null";
  if (isBool()) return "true or false";
  if (isNumber()) return "a number";
  if (isString()) return "a string";
  if (isArray()) return "an array";
  return "an object";
}

Json &Json::set(const std::string &key, Json value) {
  if (isNull()) value_ = Object{};
  auto &object = std::get<Object>(value_);
  for (auto &[name, existing] : object)
    if (name == key) return existing = std::move(value);
  object.emplace_back(key, std::move(value));
  return object.back().second;
}

const Json *Json::find(const std::string &key) const {
  if (!isObject()) return nullptr;
  for (const auto &[name, value] : std::get<Object>(value_))
    if (name == key) return &value;
  return nullptr;
}

const Json &Json::at(const std::string &key) const {
  const Json *value = find(key);
  if (!value) throw Error(1402, {}, key, "required field is missing");
  return *value;
}

Json &Json::push(Json value) {
  if (isNull()) value_ = Array{};
  auto &array = std::get<Array>(value_);
  array.push_back(std::move(value));
  return array.back();
}

namespace {

void writeString(std::string &out, const std::string &text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += c;
    }
  }
  out += '"';
}

void writeNumber(std::string &out, double value) {
  if (!std::isfinite(value)) throw Error(1404, {}, "", "JSON cannot hold a non-finite number");
  if (value == std::trunc(value) && std::abs(value) < 1e15)
    out += fmt::format("{}", static_cast<int64_t>(value));
  else
    out += fmt::format("{}", value);  // shortest round-trip representation
}

void newline(std::string &out, int indent) {
  out += '\n';
  out.append(static_cast<size_t>(indent) * 2, ' ');
}

}  // namespace

void Json::write(std::string &out, int indent) const {
  if (isNull())
    out += "null";
  else if (isBool())
    out += std::get<bool>(value_) ? "true" : "false";
  else if (const int64_t *exact = std::get_if<int64_t>(&value_))
    out += fmt::format("{}", *exact);
  else if (isNumber())
    writeNumber(out, std::get<double>(value_));
  else if (isString())
    writeString(out, std::get<std::string>(value_));
  else if (isArray()) {
    const Array &array = std::get<Array>(value_);
    const bool flat = std::all_of(array.begin(), array.end(),
                                  [](const Json &v) { return !v.isArray() && !v.isObject(); });
    out += '[';
    for (size_t i = 0; i < array.size(); ++i) {
      if (i > 0) out += flat ? ", " : ",";
      if (!flat) newline(out, indent + 1);
      array[i].write(out, indent + 1);
    }
    if (!flat && !array.empty()) newline(out, indent);
    out += ']';
  } else {
    const Object &object = std::get<Object>(value_);
    out += '{';
    for (size_t i = 0; i < object.size(); ++i) {
      if (i > 0) out += ',';
      newline(out, indent + 1);
      writeString(out, object[i].first);
      out += ": ";
      object[i].second.write(out, indent + 1);
    }
    if (!object.empty()) newline(out, indent);
    out += '}';
  }
}

std::string Json::dump() const {
  std::string out;
  write(out, 0);
  return out + '\n';
}

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// What only the parser makes: exact integers and located values.
struct JsonParsed {
  static Json exact(int64_t value) { return Json(Json::Exact{}, value); }
  static void locate(Json &value, uint32_t line, size_t column) {
    value.line_ = line;
    value.column_ = column < Json::kNoColumn ? uint16_t(column) : Json::kNoColumn;
  }
};

namespace {

// A recursive-descent parser. The elements of the arrays and the members of the objects
// being parsed wait on two stacks shared by every level of nesting and move into a vector
// of the exact size when their array or object closes: one allocation per array or
// object, not one per growth step. Line breaks occur only between tokens (a string may not
// hold a raw one), so skipping white space counts the lines, and every value gets its line
// and column without a search.
class JsonParser {
 public:
  JsonParser(const std::string &text, const std::string &file) : text_(text), file_(file) {}

  Json parseDocument() {
    Json value = parseValue();
    skipSpace();
    if (pos_ != text_.size()) fail("unexpected text after the JSON value");
    return value;
  }

 private:
  using Member = Json::Object::value_type;

  // Hashes and compares the members on the stack by index, for the duplicate check of a
  // large object: each key is stored once, on the stack.
  struct KeyAt {
    const std::vector<Member> *members;
    size_t operator()(size_t i) const { return std::hash<std::string>()((*members)[i].first); }
    bool operator()(size_t a, size_t b) const { return (*members)[a].first == (*members)[b].first; }
  };
  using KeySet = std::unordered_set<size_t, KeyAt, KeyAt>;

  // One byte of the text for a message: itself when printable ASCII, else \xNN (a
  // control byte, or one byte of a multi-byte character).
  static std::string printable(char c) {
    const unsigned char byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7f ? std::string(1, c) : fmt::format("\\x{:02x}", byte);
  }

  [[noreturn]] void fail(const std::string &message) const {
    failHere(1403, "JSON syntax error: " + message);
  }

  [[noreturn]] void failHere(int id, const std::string &message) const {
    int line = 1, column = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw Error(id, {file_, line, column}, "", message);
  }

  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skipSpace() {
    const size_t size = text_.size();
    while (pos_ < size) {
      const char c = text_[pos_];
      if (c == ' ') {  // the common case: indentation
        ++pos_;
      } else if (c == '\n') {
        ++line_;
        line_start_ = ++pos_;
      } else if (c == '\t' || c == '\r') {
        ++pos_;
      } else {
        return;
      }
    }
  }

  // An array or object, at most kMaxNesting deep: the parser recurses once per level, and
  // a file of 4,000 '[' overflowed the stack (found by fuzz/schedule_timing.cc). Every
  // powerflow format nests a few levels.
  static constexpr int kMaxNesting = 128;
  Json parseNested(char open) {
    if (++depth_ > kMaxNesting)
      failHere(1411, fmt::format("arrays and objects nested more than {} deep (powerflow's "
                                 "files nest a few levels)",
                                 kMaxNesting));
    Json value = open == '{' ? parseObject() : parseArray();
    --depth_;
    return value;
  }

  bool consume(std::string_view word) {
    if (text_.compare(pos_, word.size(), word) != 0) return false;
    pos_ += word.size();
    return true;
  }

  // A value with its line and column (those of its first byte).
  Json parseValue() {
    skipSpace();
    if (pos_ >= text_.size()) fail("unexpected end of input");
    const uint32_t line = line_;
    const size_t column = pos_ - line_start_ + 1;
    Json value = parseBareValue();
    JsonParsed::locate(value, line, column);
    return value;
  }

  Json parseBareValue() {
    const char c = text_[pos_];
    switch (c) {
      case '{':
      case '[':
        return parseNested(c);
      case '"':
        return Json(parseString());
      case 't':
        if (consume("true")) return Json(true);
        break;
      case 'f':
        if (consume("false")) return Json(false);
        break;
      case 'n':
        if (consume("null")) return Json();
        break;
      default:
        if (c == '-' || isDigit(c)) return parseNumber();
    }
    fail(fmt::format("unexpected character '{}'", printable(c)));
  }

  // Numbers are what strtod reads at this point. A plain integer of at most 19 digits,
  // the common case, is converted here instead: exact in 64 bits, and kept so when it fits
  // in an int64_t (its double, for asNumber(), is then rounded once: strtod's correctly
  // rounded result); -0 stays the double -0. Anything that strtod would read further
  // ('.', an exponent, the 'x' of a hexadecimal number) goes to strtod.
  Json parseNumber() {
    size_t end = pos_;
    const bool negative = text_[end] == '-';
    if (negative) ++end;
    const size_t first_digit = end;
    uint64_t magnitude = 0;
    while (end < text_.size() && isDigit(text_[end]))
      magnitude = magnitude * 10 + static_cast<uint64_t>(text_[end++] - '0');
    const size_t digits = end - first_digit;
    const char next = end < text_.size() ? text_[end] : '\0';
    const bool read_further =
        next == '.' || next == 'e' || next == 'E' || next == 'x' || next == 'X';
    if (digits > 0 && digits <= 19 && !read_further) {
      pos_ = end;
      constexpr uint64_t kMaxPositive = uint64_t(INT64_MAX);
      if (!negative && magnitude <= kMaxPositive) return exact(int64_t(magnitude));
      if (negative && magnitude > 0 && magnitude <= kMaxPositive + 1)
        return exact(magnitude == kMaxPositive + 1 ? INT64_MIN : -int64_t(magnitude));
      const double value = static_cast<double>(magnitude);
      return Json(negative ? -value : value);
    }
    const char *begin = text_.c_str() + pos_;
    char *stop = nullptr;
    const double value = std::strtod(begin, &stop);
    if (stop == begin) fail("malformed number");
    pos_ += static_cast<size_t>(stop - begin);
    return Json(value);
  }

  static Json exact(int64_t value) { return JsonParsed::exact(value); }

  // The end of the run of plain characters from `from`: the next quote, backslash or
  // control byte (a raw tab or line break, which JSON strings may not hold).
  size_t plainRunEnd(size_t from) const {
    static constexpr auto kEnds = [] {
      std::array<bool, 256> ends{};
      for (int c = 0; c < 0x20; ++c) ends[size_t(c)] = true;
      ends['"'] = ends['\\'] = true;
      return ends;
    }();
    while (from < text_.size() && !kEnds[static_cast<unsigned char>(text_[from])]) ++from;
    return from;
  }

  // Fails at a raw tab or line break that ended a plain run (no other control byte gets
  // past requireText()).
  void refuseControlByte(size_t at) {
    if (at >= text_.size() || static_cast<unsigned char>(text_[at]) >= 0x20) return;
    pos_ = at;
    const char c = text_[at];
    fail(fmt::format("a string holds a raw {} (write it as {})",
                     c == '\n'   ? "line break"
                     : c == '\t' ? "tab"
                                 : "carriage return",
                     c == '\n'   ? "\\n"
                     : c == '\t' ? "\\t"
                                 : "\\r"));
  }

  std::string parseString() {
    ++pos_;  // opening quote
    size_t end = plainRunEnd(pos_);
    refuseControlByte(end);
    if (end < text_.size() && text_[end] == '"') {  // no escapes: one copy
      std::string out(text_, pos_, end - pos_);
      pos_ = end + 1;
      return out;
    }
    std::string out;
    while (true) {
      out.append(text_, pos_, end - pos_);
      pos_ = end;
      if (pos_ >= text_.size() || text_[pos_] == '"') break;
      ++pos_;  // backslash
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          if (pos_ + 4 > text_.size()) fail("truncated \\u escape");
          const std::string digits = text_.substr(pos_, 4);
          if (!std::all_of(digits.begin(), digits.end(),
                           [](char d) { return std::isxdigit(static_cast<unsigned char>(d)); }))
            fail(fmt::format("'\\u{}' is not a \\u escape (four hex digits)",
                             escapeControlBytes(digits)));
          const unsigned code = static_cast<unsigned>(std::stoul(digits, nullptr, 16));
          pos_ += 4;
          if (code > 0x7f) fail("only ASCII \\u escapes are supported");
          out += static_cast<char>(code);
          break;
        }
        default:
          out += e;
      }
      end = plainRunEnd(pos_);
      refuseControlByte(end);
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;  // closing quote
    return out;
  }

  // Moves the entries of `stack` from `base` on into a vector of their own.
  template <typename T>
  static std::vector<T> takeFrom(std::vector<T> &stack, size_t base) {
    std::vector<T> out(std::make_move_iterator(stack.begin() + base),
                       std::make_move_iterator(stack.end()));
    stack.erase(stack.begin() + base, stack.end());
    return out;
  }

  Json parseArray() {
    ++pos_;
    const size_t base = values_.size();
    skipSpace();
    if (at(']')) {
      ++pos_;
      return Json(Json::Array{});
    }
    while (true) {
      values_.push_back(parseValue());
      skipSpace();
      if (at(',')) {
        ++pos_;
        continue;
      }
      if (at(']')) {
        ++pos_;
        return Json(takeFrom(values_, base));
      }
      fail("expected ',' or ']' in array");
    }
  }

  // Whether the key of members_[index] is one of the keys from members_[base] on: a scan
  // while the object is small, then a hash set of their indices, made once.
  bool repeatsKey(size_t base, size_t index, std::optional<KeySet> &keys) const {
    constexpr size_t kScanLimit = 16;
    if (index - base < kScanLimit) {
      for (size_t i = base; i < index; ++i)
        if (members_[i].first == members_[index].first) return true;
      return false;
    }
    if (!keys) {
      keys.emplace(2 * kScanLimit, KeyAt{&members_}, KeyAt{&members_});
      for (size_t i = base; i < index; ++i) keys->insert(i);
    }
    return !keys->insert(index).second;
  }

  // Members are appended directly (Json::set() would search the object for every key);
  // duplicates are found by a scan while the object is small, then by a hash set of the
  // members' indices, so a netlist's object of 100,000 cells parses in linear time.
  Json parseObject() {
    ++pos_;
    const size_t base = members_.size();
    std::optional<KeySet> keys;  // for repeatsKey()
    skipSpace();
    if (at('}')) {
      ++pos_;
      return Json(Json::Object{});
    }
    while (true) {
      skipSpace();
      if (!at('"')) fail("expected a string key");
      std::string key = parseString();
      skipSpace();
      if (!at(':')) fail("expected ':' after key");
      ++pos_;
      const size_t index = members_.size();  // the value is filled in once parsed
      members_.emplace_back(std::move(key), nullptr);
      if (repeatsKey(base, index, keys))
        fail(fmt::format("duplicate key '{}'", escapeControlBytes(members_[index].first)));
      Json value = parseValue();  // may grow members_: index it again
      members_[index].second = std::move(value);
      skipSpace();
      if (at(',')) {
        ++pos_;
        continue;
      }
      if (at('}')) {
        ++pos_;
        return Json(takeFrom(members_, base));
      }
      fail("expected ',' or '}' in object");
    }
  }

  const std::string &text_;
  const std::string &file_;
  size_t pos_ = 0;
  int depth_ = 0;                // arrays and objects open at pos_
  uint32_t line_ = 1;            // of pos_, once skipSpace() has passed it
  size_t line_start_ = 0;        // offset of the line's first byte
  std::vector<Json> values_;     // elements of the open arrays, innermost last
  std::vector<Member> members_;  // members of the open objects, innermost last
};

}  // namespace

Json parseJson(const std::string &text, const std::string &file) {
  requireText(text, file);  // JSON text holds no control byte outside its whitespace
  return JsonParser(text, file).parseDocument();
}

}  // namespace pf
