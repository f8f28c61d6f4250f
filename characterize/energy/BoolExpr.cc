#include "characterize/energy/BoolExpr.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/Error.hh"

namespace pf::energy {

// Recursive-descent parser over the raw text; one function per precedence level.
class BoolExprParser {
 public:
  BoolExprParser(BoolExpr &expr, const std::string &context)
      : expr_(expr), text_(expr.text_), context_(context) {}

  int parseAll() {
    const int root = parseOr();
    skipSpace();
    if (pos_ != text_.size()) fail("unexpected character");
    return root;
  }

 private:
  using Op = BoolExpr::Op;

  int add(Op op, int lhs = -1, int rhs = -1, std::string name = "") {
    expr_.nodes_.push_back({op, lhs, rhs, std::move(name)});
    return static_cast<int>(expr_.nodes_.size()) - 1;
  }

  [[noreturn]] void fail(const std::string &what) const {
    throw Error(5301, {}, context_,
                fmt::format("liberty function \"{}\": {} at position {}", text_, what, pos_ + 1));
  }

  void skipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  char peek() {
    skipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  static bool isIdentChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '[' || c == ']' ||
           c == '.' || c == '$';
  }
  // A primary can start here: that is what makes juxtaposition an AND.
  bool startsPrimary(char c) const { return c == '(' || c == '!' || isIdentChar(c); }

  int parseOr() {
    int lhs = parseAnd();
    for (char c = peek(); c == '|' || c == '+'; c = peek()) {
      ++pos_;
      lhs = add(Op::kOr, lhs, parseAnd());
    }
    return lhs;
  }

  int parseAnd() {
    int lhs = parseXor();
    for (;;) {
      const char c = peek();
      if (c == '&' || c == '*') {
        ++pos_;
      } else if (!startsPrimary(c)) {
        return lhs;
      }
      lhs = add(Op::kAnd, lhs, parseXor());
    }
  }

  int parseXor() {
    int lhs = parseUnary();
    while (peek() == '^') {
      ++pos_;
      lhs = add(Op::kXor, lhs, parseUnary());
    }
    return lhs;
  }

  int parseUnary() {
    if (peek() == '!') {
      ++pos_;
      return add(Op::kNot, parseUnary());
    }
    int node = parsePrimary();
    while (peek() == '\'') {
      ++pos_;
      node = add(Op::kNot, node);
    }
    return node;
  }

  int parsePrimary() {
    const char c = peek();
    if (c == '(') {
      ++pos_;
      const int inner = parseOr();
      if (peek() != ')') fail("missing ')'");
      ++pos_;
      return inner;
    }
    if (!isIdentChar(c)) fail(c == '\0' ? "unexpected end" : "expected a pin name");
    const size_t start = pos_;
    while (pos_ < text_.size() && isIdentChar(text_[pos_])) ++pos_;
    const std::string word = text_.substr(start, pos_ - start);
    if (word == "0") return add(Op::kConst0);
    if (word == "1") return add(Op::kConst1);
    return add(Op::kVar, -1, -1, word);
  }

  BoolExpr &expr_;
  const std::string &text_;
  const std::string &context_;
  size_t pos_ = 0;
};

BoolExpr BoolExpr::parse(const std::string &text, const std::string &context) {
  BoolExpr expr;
  expr.text_ = text;
  BoolExprParser parser(expr, context);
  expr.root_ = parser.parseAll();
  return expr;
}

bool BoolExpr::eval(const std::function<bool(const std::string &)> &value_of) const {
  return evalNode(root_, value_of);
}

bool BoolExpr::evalNode(int node, const std::function<bool(const std::string &)> &value_of) const {
  const Node &n = nodes_[node];
  switch (n.op) {
    case Op::kConst0:
      return false;
    case Op::kConst1:
      return true;
    case Op::kVar:
      return value_of(n.name);
    case Op::kNot:
      return !evalNode(n.lhs, value_of);
    case Op::kAnd:
      return evalNode(n.lhs, value_of) && evalNode(n.rhs, value_of);
    case Op::kOr:
      return evalNode(n.lhs, value_of) || evalNode(n.rhs, value_of);
    case Op::kXor:
      return evalNode(n.lhs, value_of) != evalNode(n.rhs, value_of);
  }
  return false;
}

std::string BoolExpr::toVerilog(
    const std::function<std::string(const std::string &)> &identifier) const {
  return verilogNode(root_, identifier);
}

std::string BoolExpr::verilogNode(
    int node, const std::function<std::string(const std::string &)> &identifier) const {
  const Node &n = nodes_[node];
  switch (n.op) {
    case Op::kConst0:
      return "1'b0";
    case Op::kConst1:
      return "1'b1";
    case Op::kVar:
      return identifier(n.name);
    case Op::kNot:
      return "(~" + verilogNode(n.lhs, identifier) + ")";
    case Op::kAnd:
      return "(" + verilogNode(n.lhs, identifier) + " & " + verilogNode(n.rhs, identifier) + ")";
    case Op::kOr:
      return "(" + verilogNode(n.lhs, identifier) + " | " + verilogNode(n.rhs, identifier) + ")";
    case Op::kXor:
      return "(" + verilogNode(n.lhs, identifier) + " ^ " + verilogNode(n.rhs, identifier) + ")";
  }
  return "1'b0";
}

std::vector<std::string> BoolExpr::variables() const {
  std::vector<std::string> names;
  for (const Node &n : nodes_) {
    if (n.op == Op::kVar && std::find(names.begin(), names.end(), n.name) == names.end())
      names.push_back(n.name);
  }
  return names;
}

}  // namespace pf::energy
