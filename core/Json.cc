#include "core/Json.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
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
[[noreturn]] void typeError(const std::string &what, const char *expected) {
  throw Error(1401, {}, what, fmt::format("expected {}", expected));
}
}  // namespace

bool Json::asBool(const std::string &what) const {
  if (!isBool()) typeError(what, "true or false");
  return std::get<bool>(value_);
}
double Json::asNumber(const std::string &what) const {
  if (!isNumber()) typeError(what, "a number");
  return std::get<double>(value_);
}
const std::string &Json::asString(const std::string &what) const {
  if (!isString()) typeError(what, "a string");
  return std::get<std::string>(value_);
}
const Json::Array &Json::asArray(const std::string &what) const {
  if (!isArray()) typeError(what, "an array");
  return std::get<Array>(value_);
}
const Json::Object &Json::asObject(const std::string &what) const {
  if (!isObject()) typeError(what, "an object");
  return std::get<Object>(value_);
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
  // One byte of the text for a message: itself when printable ASCII, else \xNN (a
  // control byte, or one byte of a multi-byte character).
  static std::string printable(char c) {
    const unsigned char byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7f ? std::string(1, c) : fmt::format("\\x{:02x}", byte);
  }

  [[noreturn]] void fail(const std::string &message) const {
    int line = 1, column = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw Error(1403, {file_, line, column}, "", "JSON syntax error: " + message);
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\t' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool consume(const char *word) {
    const std::string_view view(word);
    if (text_.compare(pos_, view.size(), view) != 0) return false;
    pos_ += view.size();
    return true;
  }

  Json parseValue() {
    skipSpace();
    if (pos_ >= text_.size()) fail("unexpected end of input");
    const char c = text_[pos_];
    if (c == '{') return parseObject();
    if (c == '[') return parseArray();
    if (c == '"') return Json(parseString());
    if (consume("true")) return Json(true);
    if (consume("false")) return Json(false);
    if (consume("null")) return Json();
    if (c == '-' || (c >= '0' && c <= '9')) return parseNumber();
    fail(fmt::format("unexpected character '{}'", printable(c)));
  }

  Json parseNumber() {
    const char *begin = text_.c_str() + pos_;
    char *end = nullptr;
    const double value = std::strtod(begin, &end);
    if (end == begin) fail("malformed number");
    pos_ += static_cast<size_t>(end - begin);
    return Json(value);
  }

  std::string parseString() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size()) {
      // Copy the run of plain characters up to the next quote or escape in one go.
      const size_t stop = text_.find_first_of("\"\\", pos_);
      const size_t end = stop == std::string::npos ? text_.size() : stop;
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
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;  // closing quote
    return out;
  }

  Json parseArray() {
    ++pos_;
    Json::Array array;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Json(std::move(array));
    }
    while (true) {
      array.push_back(parseValue());
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return Json(std::move(array));
      }
      fail("expected ',' or ']' in array");
    }
  }

  // Members are appended directly (Json::set() would search the object for every key);
  // duplicates are found by a scan while the object is small, then by a hash set, so a
  // netlist's object of 100,000 cells parses in linear time.
  Json parseObject() {
    ++pos_;
    Json::Object object;
    std::unordered_set<std::string> keys;  // filled once object.size() reaches kScanLimit
    constexpr size_t kScanLimit = 16;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Json(std::move(object));
    }
    while (true) {
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') fail("expected a string key");
      std::string key = parseString();
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') fail("expected ':' after key");
      ++pos_;
      bool duplicate = false;
      if (object.size() < kScanLimit) {
        for (const auto &member : object) duplicate = duplicate || member.first == key;
      } else {
        if (keys.empty())
          for (const auto &member : object) keys.insert(member.first);
        duplicate = !keys.insert(key).second;
      }
      if (duplicate) fail(fmt::format("duplicate key '{}'", escapeControlBytes(key)));
      Json value = parseValue();
      object.emplace_back(std::move(key), std::move(value));
      skipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return Json(std::move(object));
      }
      fail("expected ',' or '}' in object");
    }
  }

  const std::string &text_;
  const std::string &file_;
  size_t pos_ = 0;
};

}  // namespace

Json parseJson(const std::string &text, const std::string &file) {
  requireText(text, file);  // JSON text holds no control byte outside its whitespace
  return JsonParser(text, file).parseDocument();
}

}  // namespace pf
