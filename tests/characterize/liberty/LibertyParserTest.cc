// LibertyParser: the generic syntax layer. Structure, positions, the lexical corners of
// liberty (continuations, both comment styles, bus ranges, define) and located errors.
#include <gtest/gtest.h>

#include <string>

#include "characterize/liberty/LibertyParser.hh"
#include "core/Error.hh"

namespace pf::liberty {
namespace {

pf::Error parseError(const std::string &text) {
  try {
    parseLibertyText(text, "t.lib");
  } catch (const pf::Error &error) {
    return error;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return pf::Error(0, {}, "", "");
}

TEST(LibertyParser, GroupsAttributesAndPositions) {
  const std::string text =
      "/* header\n"
      "   comment */\n"
      "library (demo) {\n"
      "  time_unit : \"1ns\" ;\n"
      "  capacitive_load_unit (1, ff);\n"
      "  define (my_attr, cell, string);\n"
      "  // line comment\n"
      "  cell (nd2) {\n"
      "    area : 1.5;\n"
      "    pin (a, b) { direction : input; }\n"
      "    bus (q) { pin (q[7:0]) { } }\n"
      "    values ( \\\n"
      "      \"1, 2\", \\\n"
      "      \"3, 4\" \\\n"
      "    );\n"
      "    timing () { }\n"
      "  }\n"
      "}\n";
  LibertyGroup root = parseLibertyText(text, "t.lib");
  ASSERT_EQ(root.groups.size(), 1u);
  const LibertyGroup &library = root.groups[0];
  EXPECT_EQ(library.type, "library");
  EXPECT_EQ(library.name(), "demo");
  EXPECT_EQ(library.line, 3);
  const LibertyAttribute *time = library.findAttribute("time_unit");
  ASSERT_NE(time, nullptr);
  EXPECT_EQ(time->text(), "1ns");
  EXPECT_TRUE(time->values[0].quoted);
  EXPECT_FALSE(time->is_complex);
  EXPECT_EQ(time->line, 4);
  const LibertyAttribute *cap = library.findAttribute("capacitive_load_unit");
  ASSERT_NE(cap, nullptr);
  EXPECT_TRUE(cap->is_complex);
  ASSERT_EQ(cap->values.size(), 2u);
  EXPECT_EQ(cap->values[1].text, "ff");
  EXPECT_NE(library.findAttribute("define"), nullptr);

  ASSERT_EQ(library.groups.size(), 1u);
  const LibertyGroup &cell = library.groups[0];
  EXPECT_EQ(cell.line, 8);
  EXPECT_EQ(cell.findAttribute("area")->text(), "1.5");
  ASSERT_EQ(cell.groups.size(), 3u);
  EXPECT_EQ(cell.groups[0].args.size(), 2u);
  EXPECT_EQ(cell.groups[1].groups[0].name(), "q[7:0]");
  EXPECT_TRUE(cell.groups[2].args.empty());
  EXPECT_EQ(cell.groups[2].line, 16);  // continuations counted as lines
  const LibertyAttribute *values = cell.findAttribute("values");
  ASSERT_NE(values, nullptr);
  ASSERT_EQ(values->values.size(), 2u);
  EXPECT_EQ(values->values[1].text, "3, 4");
  EXPECT_EQ(values->values[1].line, 14);
}

TEST(LibertyParser, ContinuationInsideStringAndExpressionValue) {
  LibertyGroup root = parseLibertyText(
      "library (x) {\n  index_1 (\"1, 2, \\\n 3\");\n  voltage : VDD - 0.1 ;\n}\n", "t.lib");
  const LibertyGroup &library = root.groups.at(0);
  EXPECT_EQ(library.findAttribute("index_1")->text(), "1, 2,  3");
  EXPECT_EQ(library.findAttribute("voltage")->text(), "VDD - 0.1");
}

TEST(LibertyParser, MissingSemicolonNamesAttributeAndLine) {
  pf::Error error =
      parseError("library (x) {\n  cell (a) {\n    area : 1.0\n    dont_use : true;\n");
  EXPECT_EQ(error.id(), 5101);
  EXPECT_EQ(error.loc().file, "t.lib");
  EXPECT_EQ(error.loc().line, 3);
  EXPECT_EQ(error.loc().column, 15);
  EXPECT_NE(error.message().find("expected ';' after attribute 'area'"), std::string::npos)
      << error.what();
}

TEST(LibertyParser, LocatedSyntaxErrors) {
  struct Case {
    const char *text;
    int line;
    const char *message;
  };
  const Case cases[] = {
      {"library (x) {\n  cell (a) {\n", 3,
       "missing '}' for group 'cell (a)' opened at line 2 (inside library (x) at line 1): the "
       "file ends inside it (truncated?)"},
      {"library (x) {\n}\n}\n", 3, "'}' without a matching '{'"},
      {"library (x) {\n  a : \"open\n;\n}\n", 2, "unterminated string"},
      {"library (x) {\n  /* open\n}\n", 2, "unterminated '/*' comment"},
      {"library (x) {\n  area 1;\n}\n", 2, "expected ':' or '(' after 'area'"},
      {"library (x) {\n  index_1 (\"1\", \"2\"\n  );\n  index_2 (1 2);\n}\n", 4,
       "expected ',' or ')'"},
      {"library (x) {\n  pin (a)\n  direction : input;\n}\n", 2, "expected ';' or '{' after 'pin"},
      {"library (x) {\n  a : ;\n}\n", 2, "expected a value after 'a :'"},
      {"library (x) {\n  a : 1; \\ b : 2;\n}\n", 2, "stray '\\'"},
      {"library (x) {\n  ; \n}\n", 2, "expected an attribute or group name"},
  };
  for (const Case &c : cases) {
    pf::Error error = parseError(c.text);
    EXPECT_EQ(error.id(), 5101) << c.text;
    EXPECT_EQ(error.loc().line, c.line) << c.text << "\n" << error.what();
    EXPECT_NE(error.message().find(c.message), std::string::npos) << error.what();
  }
}

// The parser recurses once per group: deeper than 128 groups is refused at the 129th
// group's name, so a hostile file cannot overflow the stack.
TEST(LibertyParser, GroupsNestedBeyond128AreRefusedNotAStackOverflow) {
  std::string ok;
  for (int i = 0; i < 128; ++i) ok += "g (a) {\n";
  ok += std::string(128, '}');
  EXPECT_EQ(parseLibertyText(ok, "t.lib").groups.size(), 1u);
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "g (a) {\n";
  const pf::Error error = parseError(deep);
  EXPECT_EQ(error.id(), 5101);
  EXPECT_EQ(error.loc().line, 129) << error.what();
  EXPECT_NE(error.message().find("groups nested more than 128 deep"), std::string::npos)
      << error.what();
}

TEST(LibertyParser, EmptyInputIsAnEmptyRoot) {
  EXPECT_TRUE(parseLibertyText("  /* nothing */ \n", "t.lib").groups.empty());
}

}  // namespace
}  // namespace pf::liberty
