// Liberty boolean functions ("!(A & B)", "A' B + C", "(A^B)", "IQ", "1") as a small
// expression tree that can be evaluated and printed as Verilog.
//
// Liberty syntax: ! (prefix) and ' (postfix) invert; ^ is XOR; &, * and plain
// juxtaposition (space) are AND; | and + are OR; 0 / 1 are constants; parentheses group.
// Precedence, highest first: inversion, ^, AND, OR (Liberty reference manual), all
// left-associative.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace pf::energy {

class BoolExpr {
 public:
  // Throws pf::Error PF-5301 naming `context` (e.g. "cell NAND2_X1 pin Y") on a syntax error.
  static BoolExpr parse(const std::string &text, const std::string &context = "");

  // Evaluates with variable values from `value_of` (called once per variable occurrence).
  bool eval(const std::function<bool(const std::string &)> &value_of) const;

  // Verilog expression; `identifier` maps a liberty variable name to a Verilog identifier.
  std::string toVerilog(const std::function<std::string(const std::string &)> &identifier) const;

  // Variable names in first-occurrence order, each once.
  std::vector<std::string> variables() const;

  const std::string &text() const { return text_; }

 private:
  enum class Op { kConst0, kConst1, kVar, kNot, kAnd, kOr, kXor };
  struct Node {
    Op op;
    int lhs = -1;
    int rhs = -1;
    std::string name;  // kVar only
  };
  friend class BoolExprParser;

  bool evalNode(int node, const std::function<bool(const std::string &)> &value_of) const;
  std::string verilogNode(int node,
                          const std::function<std::string(const std::string &)> &identifier) const;

  std::string text_;
  std::vector<Node> nodes_;
  int root_ = -1;
};

}  // namespace pf::energy
