// Liberty function syntax and precedence, checked against hand-written truth tables.
#include <gtest/gtest.h>

#include <map>

#include "characterize/energy/BoolExpr.hh"
#include "core/Error.hh"

namespace pf::energy {
namespace {

bool evalWith(const BoolExpr &e, std::map<std::string, bool> values) {
  return e.eval([&](const std::string &name) { return values.at(name); });
}

TEST(BoolExpr, OperatorsAndPrecedence) {
  for (int v = 0; v < 8; ++v) {
    const bool a = v & 1, b = v & 2, c = v & 4;
    const std::map<std::string, bool> m = {{"A", a}, {"B", b}, {"C", c}};
    EXPECT_EQ(evalWith(BoolExpr::parse("!(A & B)"), m), !(a && b));
    EXPECT_EQ(evalWith(BoolExpr::parse("A B + C"), m),
              (a && b) || c);                                  // space is AND, binds tighter
    EXPECT_EQ(evalWith(BoolExpr::parse("A' B"), m), !a && b);  // postfix inversion
    EXPECT_EQ(evalWith(BoolExpr::parse("A | B & C"), m), a || (b && c));
    EXPECT_EQ(evalWith(BoolExpr::parse("A ^ B & C"), m), (a != b) && c);  // ^ above AND
    EXPECT_EQ(evalWith(BoolExpr::parse("!A ^ B"), m), (!a) != b);
    EXPECT_EQ(evalWith(BoolExpr::parse("(A+B)*C"), m), (a || b) && c);
    EXPECT_EQ(evalWith(BoolExpr::parse("(A & !C) | (B & C)"), m), c ? b : a);
    EXPECT_EQ(evalWith(BoolExpr::parse("(A B)'"), m), !(a && b));
  }
  EXPECT_TRUE(evalWith(BoolExpr::parse("1"), {}));
  EXPECT_FALSE(evalWith(BoolExpr::parse("0"), {}));
}

TEST(BoolExpr, VariablesAndVerilog) {
  const BoolExpr e = BoolExpr::parse("!((A1 & A2) | B)");
  EXPECT_EQ(e.variables(), (std::vector<std::string>{"A1", "A2", "B"}));
  EXPECT_EQ(e.toVerilog([](const std::string &n) { return n; }), "(~((A1 & A2) | B))");
}

TEST(BoolExpr, SyntaxErrorsNameTheContext) {
  try {
    BoolExpr::parse("A & (B |", "cell X pin Y");
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.id(), 5301);
    EXPECT_EQ(e.field(), "cell X pin Y");
  }
  EXPECT_THROW(BoolExpr::parse("A & & B"), Error);
}

}  // namespace
}  // namespace pf::energy
