#include "characterize/synth/Json.hh"

#include <fmt/format.h>

#include <cstdlib>

#include "core/Error.hh"

namespace pf::synth {

Json Json::makeString(std::string value) {
  Json json;
  json.kind = Kind::String;
  json.text = std::move(value);
  return json;
}

Json Json::makeNumber(double value) {
  Json json;
  json.kind = Kind::Number;
  json.number = value;
  return json;
}

Json Json::makeObject() {
  Json json;
  json.kind = Kind::Object;
  return json;
}

Json Json::makeArray() {
  Json json;
  json.kind = Kind::Array;
  return json;
}

const Json *Json::find(const std::string &key) const {
  for (const auto &[name, value] : fields)
    if (name == key) return &value;
  return nullptr;
}

Json &Json::set(const std::string &key, Json value) {
  for (auto &[name, existing] : fields)
    if (name == key) return existing = std::move(value);
  fields.emplace_back(key, std::move(value));
  return fields.back().second;
}

namespace {

class Parser {
 public:
  Parser(const std::string &text, const std::string &source) : text_(text), source_(source) {}

  Json parseDocument() {
    Json value = parseValue();
    skipSpace();
    if (pos_ != text_.size()) fail("trailing characters after the JSON value");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string &what) const {
    throw Error(5220, {source_}, "", fmt::format("JSON syntax error at byte {}: {}", pos_, what));
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\t' || text_[pos_] == '\r'))
      ++pos_;
  }

  void expect(char c) {
    skipSpace();
    if (pos_ >= text_.size() || text_[pos_] != c) fail(fmt::format("expected '{}'", c));
    ++pos_;
  }

  bool consumeIf(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  Json parseValue() {
    skipSpace();
    if (pos_ >= text_.size()) fail("unexpected end of input");
    const char c = text_[pos_];
    if (c == '{') return parseObject();
    if (c == '[') return parseArray();
    if (c == '"') return Json::makeString(parseString());
    if (text_.compare(pos_, 4, "true") == 0 || text_.compare(pos_, 5, "false") == 0) {
      Json value;
      value.kind = Json::Kind::Bool;
      value.boolean = text_[pos_] == 't';
      pos_ += value.boolean ? 4 : 5;
      return value;
    }
    if (text_.compare(pos_, 4, "null") == 0) {
      pos_ += 4;
      return Json();
    }
    char *end = nullptr;
    const double number = std::strtod(text_.c_str() + pos_, &end);
    if (end == text_.c_str() + pos_) fail("unexpected character");
    pos_ = static_cast<size_t>(end - text_.c_str());
    return Json::makeNumber(number);
  }

  Json parseObject() {
    expect('{');
    Json object = Json::makeObject();
    if (consumeIf('}')) return object;
    do {
      skipSpace();
      std::string key = parseString();
      expect(':');
      object.fields.emplace_back(std::move(key), parseValue());
    } while (consumeIf(','));
    expect('}');
    return object;
  }

  Json parseArray() {
    expect('[');
    Json array = Json::makeArray();
    if (consumeIf(']')) return array;
    do {
      array.items.push_back(parseValue());
    } while (consumeIf(','));
    expect(']');
    return array;
  }

  std::string parseString() {
    if (pos_ >= text_.size() || text_[pos_] != '"') fail("expected a string");
    ++pos_;
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      c = text_[pos_++];
      switch (c) {
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
          // Yosys only escapes control characters this way; keep the low byte.
          const long code = std::strtol(text_.substr(pos_, 4).c_str(), nullptr, 16);
          out += static_cast<char>(code & 0xff);
          pos_ += 4;
          break;
        }
        default:
          out += c;
      }
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }

  const std::string &text_;
  const std::string &source_;
  size_t pos_ = 0;
};

void writeString(const std::string &value, std::string &out) {
  out += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  out += '"';
}

void writeValue(const Json &value, std::string &out) {
  switch (value.kind) {
    case Json::Kind::Null:
      out += "null";
      break;
    case Json::Kind::Bool:
      out += value.boolean ? "true" : "false";
      break;
    case Json::Kind::Number:
      out += fmt::format("{}", value.number);
      break;
    case Json::Kind::String:
      writeString(value.text, out);
      break;
    case Json::Kind::Array:
      out += '[';
      for (size_t i = 0; i < value.items.size(); ++i) {
        if (i) out += ',';
        writeValue(value.items[i], out);
      }
      out += ']';
      break;
    case Json::Kind::Object:
      out += "{\n";
      for (size_t i = 0; i < value.fields.size(); ++i) {
        if (i) out += ",\n";
        writeString(value.fields[i].first, out);
        out += ':';
        writeValue(value.fields[i].second, out);
      }
      out += "\n}";
      break;
  }
}

}  // namespace

Json parseJson(const std::string &text, const std::string &source_name) {
  return Parser(text, source_name).parseDocument();
}

std::string writeJson(const Json &value) {
  std::string out;
  writeValue(value, out);
  out += '\n';
  return out;
}

}  // namespace pf::synth
