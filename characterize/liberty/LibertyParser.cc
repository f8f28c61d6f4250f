#include "characterize/liberty/LibertyParser.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/Error.hh"
#include "core/Files.hh"

namespace pf::liberty {

namespace {

enum class TokenKind { Word, String, LParen, RParen, LBrace, RBrace, Colon, Semi, Comma, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;  // word or string contents
  int line = 0;
  int column = 0;
  int end_line = 0;  // position just after the token, for "expected X after Y"
  int end_column = 0;
};

std::string describe(const Token &token) {
  switch (token.kind) {
    case TokenKind::Word:
      return fmt::format("'{}'", token.text);
    case TokenKind::String:
      return fmt::format("string \"{}\"", token.text.substr(0, 40));
    case TokenKind::LParen:
      return "'('";
    case TokenKind::RParen:
      return "')'";
    case TokenKind::LBrace:
      return "'{'";
    case TokenKind::RBrace:
      return "'}'";
    case TokenKind::Colon:
      return "':'";
    case TokenKind::Semi:
      return "';'";
    case TokenKind::Comma:
      return "','";
    case TokenKind::End:
      return "end of file";
  }
  return "?";
}

// Splits the text into tokens. Whitespace, comments and backslash-newline continuations
// separate tokens and are dropped. Words are everything else up to a delimiter; a '['
// inside a word runs to the matching ']' so bus ranges such as A[7:0] stay one word.
class Lexer {
 public:
  Lexer(std::string_view text, const std::string &file) : text_(text), file_(file) {}

  Token next() {
    skipSpaceAndComments();
    Token token;
    token.line = line_;
    token.column = column();
    if (pos_ >= text_.size()) {
      token.kind = TokenKind::End;
    } else {
      char c = text_[pos_];
      switch (c) {
        case '(':
          token.kind = TokenKind::LParen;
          ++pos_;
          break;
        case ')':
          token.kind = TokenKind::RParen;
          ++pos_;
          break;
        case '{':
          token.kind = TokenKind::LBrace;
          ++pos_;
          break;
        case '}':
          token.kind = TokenKind::RBrace;
          ++pos_;
          break;
        case ':':
          token.kind = TokenKind::Colon;
          ++pos_;
          break;
        case ';':
          token.kind = TokenKind::Semi;
          ++pos_;
          break;
        case ',':
          token.kind = TokenKind::Comma;
          ++pos_;
          break;
        case '"':
          readString(token);
          break;
        default:
          readWord(token);
          break;
      }
    }
    token.end_line = line_;
    token.end_column = column();
    return token;
  }

  [[noreturn]] void fail(int line, int column, const std::string &message,
                         const std::string &field = "") const {
    throw Error(5101, {file_, line, column}, field, message);  // the syntax errors' family
  }

 private:
  int column() const { return static_cast<int>(pos_ - line_start_) + 1; }

  void newline() {
    ++line_;
    line_start_ = pos_;
  }

  // At a backslash: true (and consumed) if only blanks follow it up to the end of line.
  bool skipContinuation() {
    size_t p = pos_ + 1;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r')) ++p;
    if (p < text_.size() && text_[p] != '\n') return false;
    pos_ = p < text_.size() ? p + 1 : p;
    newline();
    return true;
  }

  void skipSpaceAndComments() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++pos_;
        newline();
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '\\') {
        if (!skipContinuation()) fail(line_, column(), "stray '\\' (only allowed at end of line)");
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        skipBlockComment();
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  void skipBlockComment() {
    int start_line = line_, start_column = column();
    pos_ += 2;
    while (pos_ + 1 < text_.size() && !(text_[pos_] == '*' && text_[pos_ + 1] == '/')) {
      if (text_[pos_++] == '\n') newline();
    }
    if (pos_ + 1 >= text_.size())
      fail(start_line, start_column, "unterminated '/*' comment (the file ends inside it)");
    pos_ += 2;
  }

  void readString(Token &token) {
    token.kind = TokenKind::String;
    ++pos_;
    size_t chunk = pos_;
    while (true) {
      if (pos_ >= text_.size())
        fail(token.line, token.column, "unterminated string (the file ends inside it)");
      char c = text_[pos_];
      if (c == '"') break;
      if (c == '\\') {
        token.text.append(text_.substr(chunk, pos_ - chunk));
        if (!skipContinuation()) {  // an escaped character: keep it as written
          token.text.append(text_.substr(pos_, 2));
          pos_ += 2;
        }
        chunk = pos_;
        continue;
      }
      ++pos_;
      if (c == '\n') newline();
    }
    token.text.append(text_.substr(chunk, pos_ - chunk));
    ++pos_;  // closing quote
  }

  static bool isDelimiter(char c) {
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
      case '\n':
      case '\f':
      case '\v':
      case '(':
      case ')':
      case '{':
      case '}':
      case ':':
      case ';':
      case ',':
      case '"':
      case '\\':
        return true;
      default:
        return false;
    }
  }

  void readWord(Token &token) {
    token.kind = TokenKind::Word;
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '[') {
        size_t close = text_.find_first_of("]\n", pos_);
        if (close == std::string_view::npos || text_[close] != ']')
          fail(line_, column(), "'[' without ']' on the same line");
        pos_ = close + 1;
        continue;
      }
      if (isDelimiter(c)) break;
      if (c == '/' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '*' || text_[pos_ + 1] == '/'))
        break;
      ++pos_;
    }
    token.text.assign(text_.substr(start, pos_ - start));
  }

  std::string_view text_;
  const std::string &file_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
};

// Recursive descent over the token stream with one token of look-ahead.
class Parser {
 public:
  Parser(std::string_view text, const std::string &file) : lexer_(text, file) { advance(); }

  LibertyGroup parseFile() {
    LibertyGroup root;
    root.line = 1;
    root.column = 1;
    parseStatements(root, /*nested=*/false);
    return root;
  }

 private:
  void advance() { token_ = lexer_.next(); }

  [[noreturn]] void failAt(const Token &token, const std::string &message,
                           const std::string &field = "") const {
    lexer_.fail(token.line, token.column, message, field);
  }
  [[noreturn]] void failAfter(const Token &token, const std::string &message) const {
    lexer_.fail(token.end_line, token.end_column, message);
  }

  static bool isValue(const Token &token) {
    return token.kind == TokenKind::Word || token.kind == TokenKind::String;
  }

  LibertyValue takeValue() {
    LibertyValue value{std::move(token_.text), token_.kind == TokenKind::String, token_.line,
                       token_.column};
    advance();
    return value;
  }

  void parseStatements(LibertyGroup &group, bool nested) {
    while (true) {
      if (token_.kind == TokenKind::RBrace) {
        if (!nested) failAt(token_, "'}' without a matching '{'");
        advance();
        return;
      }
      if (token_.kind == TokenKind::End) {
        if (nested) failTruncated(group);
        return;
      }
      if (token_.kind != TokenKind::Word)
        failAt(token_,
               fmt::format("expected an attribute or group name, found {}", describe(token_)));
      parseStatement(group);
    }
  }

  // The file ends inside `group` (and the groups that enclose it): a truncated file, or
  // a '}' missing. Names the innermost open group as the field and every enclosing one.
  [[noreturn]] void failTruncated(const LibertyGroup &group) const {
    std::string enclosing;
    for (auto outer = open_.rbegin(); outer != open_.rend(); ++outer)
      if (*outer != &group)
        enclosing += fmt::format("{}{}", enclosing.empty() ? "" : ", ", label(**outer));
    failAt(token_,
           fmt::format(
               "missing '}}' for group '{}' opened at line {}{}: the file ends inside "
               "it (truncated?)",
               group.args.empty() ? group.type : fmt::format("{} ({})", group.type, group.name()),
               group.line, enclosing.empty() ? "" : " (inside " + enclosing + ")"),
           group.type);
  }

  // "cell (INV_X1) at line 12".
  static std::string label(const LibertyGroup &group) {
    return group.args.empty()
               ? fmt::format("{} at line {}", group.type, group.line)
               : fmt::format("{} ({}) at line {}", group.type, group.name(), group.line);
  }

  void parseStatement(LibertyGroup &parent) {
    Token name = std::move(token_);
    advance();
    if (token_.kind == TokenKind::Colon) {
      advance();
      parseSimpleAttribute(parent, name);
    } else if (token_.kind == TokenKind::LParen) {
      advance();
      parseGroupOrComplexAttribute(parent, name);
    } else {
      failAt(token_,
             fmt::format("expected ':' or '(' after '{}', found {}", name.text, describe(token_)));
    }
  }

  // name : value ;  The value may be an arithmetic expression of words
  // (`voltage : VDD - 0.1 ;`), kept as one space-separated text.
  void parseSimpleAttribute(LibertyGroup &parent, const Token &name) {
    if (!isValue(token_))
      failAt(token_,
             fmt::format("expected a value after '{} :', found {}", name.text, describe(token_)));
    Token last = token_;
    LibertyAttribute attribute{name.text, {takeValue()}, false, name.line, name.column};
    while (token_.kind == TokenKind::Word && isOperator(token_.text)) {
      attribute.values[0].text += " " + token_.text;
      advance();
      if (!isValue(token_)) failAt(token_, "expected a value after operator");
      attribute.values[0].text += " " + token_.text;
      last = token_;
      advance();
    }
    if (token_.kind != TokenKind::Semi)
      failAfter(last, fmt::format("expected ';' after attribute '{}'", name.text));
    advance();
    parent.attributes.push_back(std::move(attribute));
  }

  static bool isOperator(const std::string &word) {
    return word == "+" || word == "-" || word == "*" || word == "/";
  }

  void parseGroupOrComplexAttribute(LibertyGroup &parent, const Token &name) {
    std::vector<LibertyValue> values;
    Token last = token_;
    if (token_.kind != TokenKind::RParen) {
      while (true) {
        if (!isValue(token_))
          failAt(token_, fmt::format("expected a value in '{} (...)', found {}", name.text,
                                     describe(token_)));
        values.push_back(takeValue());
        if (token_.kind == TokenKind::Comma) {
          advance();
          continue;
        }
        if (token_.kind == TokenKind::RParen) break;
        failAt(token_, fmt::format("expected ',' or ')' in '{} (...)', found {}", name.text,
                                   describe(token_)));
      }
    }
    last = token_;  // ')'
    advance();
    if (token_.kind == TokenKind::LBrace) {
      // The parser recurses once per group: a file of 100,000 nested groups overflowed
      // its stack. Liberty nests a handful (library, cell, pin, timing, table).
      constexpr size_t kMaxNesting = 128;
      if (open_.size() >= kMaxNesting)
        failAt(name, fmt::format("groups nested more than {} deep (liberty nests a few levels)",
                                 kMaxNesting));
      advance();
      LibertyGroup group;
      group.type = name.text;
      group.args = std::move(values);
      group.line = name.line;
      group.column = name.column;
      open_.push_back(&group);
      parseStatements(group, /*nested=*/true);
      open_.pop_back();
      parent.groups.push_back(std::move(group));
    } else if (token_.kind == TokenKind::Semi) {
      advance();
      parent.attributes.push_back({name.text, std::move(values), true, name.line, name.column});
    } else {
      failAfter(last, fmt::format("expected ';' or '{{' after '{} (...)'", name.text));
    }
  }

  Lexer lexer_;
  Token token_;
  std::vector<const LibertyGroup *> open_;  // groups being parsed, outermost first
};

// Liberty is text: a byte below 0x20 other than whitespace (tab, line feed, carriage
// return, form feed, vertical tab), or 0x7f, means the file is binary (compressed,
// corrupted, or not a liberty file at all).
bool isBinaryByte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte == 0x7f) return true;
  return byte < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v';
}

// The name a line's statement starts with ("nom_voltage" in "  nom_voltage : 0.9;"), if
// it ends before `end` (the column of a bad byte); "" otherwise.
std::string statementName(std::string_view line, size_t end) {
  const size_t begin = line.find_first_not_of(" \t");
  if (begin == std::string_view::npos || begin >= end) return "";
  size_t stop = begin;
  while (stop < end && (std::isalnum(static_cast<unsigned char>(line[stop])) || line[stop] == '_'))
    ++stop;
  return std::string(line.substr(begin, stop - begin));
}

// `text` quoted for a message: control bytes and bytes above 0x7e as \xNN, so neither
// a control sequence nor a broken UTF-8 sequence reaches the terminal.
std::string escapeBinary(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e)
      out += fmt::format("\\x{:02x}", byte);
    else
      out += c;
  }
  return out;
}

// PF-5110 at the first binary byte: its line and column, the statement that line starts
// with as the field, and the line around it quoted with those bytes escaped.
void requireLibertyText(std::string_view text, const std::string &file) {
  const auto bad = std::find_if(text.begin(), text.end(), isBinaryByte);
  if (bad == text.end()) return;
  const size_t offset = static_cast<size_t>(bad - text.begin());
  const size_t previous_newline =
      offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  const size_t line_start = previous_newline == std::string_view::npos ? 0 : previous_newline + 1;
  const size_t line_end = std::min(text.find('\n', offset), text.size());
  const int line = static_cast<int>(std::count(text.begin(), bad, '\n')) + 1;
  const int column = static_cast<int>(offset - line_start) + 1;
  const std::string field =
      statementName(text.substr(line_start, line_end - line_start), offset - line_start);
  constexpr size_t kExcerpt = 60;  // bytes of the line quoted around the bad one
  const size_t from = std::max(line_start, offset >= kExcerpt / 2 ? offset - kExcerpt / 2 : 0);
  const size_t to = std::min(line_end, from + kExcerpt);
  const bool gzip = text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1f &&
                    static_cast<unsigned char>(text[1]) == 0x8b;
  throw Error(
      5110, {file, line, column}, field,
      fmt::format(
          "is a binary file, not liberty text: control byte 0x{:02x} at offset {}: "
          "\"{}{}{}\"{}",
          static_cast<unsigned char>(*bad), offset, from > line_start ? "..." : "",
          escapeBinary(text.substr(from, to - from)), to < line_end ? "..." : "",
          gzip ? "; it is gzip-compressed: decompress it (gunzip) and list the .lib file" : ""));
}

const std::string kEmpty;

}  // namespace

const std::string &LibertyAttribute::text() const {
  return values.empty() ? kEmpty : values.front().text;
}

const LibertyAttribute *LibertyGroup::findAttribute(std::string_view attribute_name) const {
  for (const LibertyAttribute &attribute : attributes)
    if (attribute.name == attribute_name) return &attribute;
  return nullptr;
}

const std::string &LibertyGroup::name() const { return args.empty() ? kEmpty : args.front().text; }

LibertyGroup parseLibertyText(std::string_view text, const std::string &file_name) {
  requireLibertyText(text, file_name);
  return Parser(text, file_name).parseFile();
}

LibertyGroup parseLibertyFile(const std::string &path) {
  std::string text = readTextFile(path);
  return parseLibertyText(text, path);
}

}  // namespace pf::liberty
