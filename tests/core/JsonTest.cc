#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "core/Error.hh"
#include "core/Json.hh"

namespace {

TEST(Json, DumpIsOrderedAndRoundTrips) {
  pf::Json doc = pf::Json::object();
  doc.set("zeta", 1);
  doc.set("alpha", pf::Json::numbers({0.1, 2.5e-12, -3}));
  doc.set("name", "a \"quoted\"\nline");
  pf::Json inner = pf::Json::object();
  inner.set("flag", true);
  inner.set("none", nullptr);
  doc.set("inner", inner);
  const std::string text = doc.dump();
  EXPECT_LT(text.find("zeta"), text.find("alpha"));  // insertion order, not sorted
  const pf::Json back = pf::parseJson(text, "mem.json");
  EXPECT_EQ(back.dump(), text);
  EXPECT_DOUBLE_EQ(back.at("alpha").asArray()[1].asNumber(), 2.5e-12);
  EXPECT_EQ(back.at("name").asString(), "a \"quoted\"\nline");
  EXPECT_TRUE(back.at("inner").at("none").isNull());
}

TEST(Json, NumbersRoundTripExactly) {
  for (double value : {0.1, 1.0 / 3.0, 6.02214076e23, -1e-300, 123456789.0}) {
    const pf::Json back = pf::parseJson(pf::Json(value).dump(), "n.json");
    EXPECT_EQ(back.asNumber(), value);
  }
}

TEST(Json, SyntaxErrorHasLineAndColumn) {
  try {
    pf::parseJson("{\n  \"a\": 1,\n  \"b\" 2\n}\n", "bad.json");
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1403);
    EXPECT_EQ(error.loc().file, "bad.json");
    EXPECT_EQ(error.loc().line, 3);
    EXPECT_EQ(error.loc().column, 7);
  }
}

TEST(Json, DuplicateKeysAndTrailingTextRefused) {
  EXPECT_THROW(pf::parseJson("{\"a\": 1, \"a\": 2}", "d.json"), pf::Error);
  EXPECT_THROW(pf::parseJson("[1, 2] x", "t.json"), pf::Error);
  EXPECT_THROW(pf::parseJson("[1, 2", "u.json"), pf::Error);
}

TEST(Json, LargeObjectsKeepOrderAndRefuseDuplicates) {
  // Objects past the parser's linear duplicate scan (a hash set takes over).
  std::string text = "{";
  for (int i = 0; i < 100; ++i)
    text += (i ? ",\n\"k" : "\"k") + std::to_string(i) + "\": " + std::to_string(i);
  const pf::Json doc = pf::parseJson(text + "}", "big.json");
  ASSERT_EQ(doc.asObject().size(), 100u);
  EXPECT_EQ(doc.asObject()[99].first, "k99");
  EXPECT_EQ(doc.at("k57").asNumber(), 57);
  try {
    pf::parseJson(text + ",\n\"k3\": 0}", "dup.json");
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1403);
    EXPECT_EQ(error.loc().line, 101);
    EXPECT_EQ(error.loc().column, 6);  // after the duplicate key's ':'
    EXPECT_NE(error.message().find("duplicate key 'k3'"), std::string::npos);
  }
}

TEST(Json, StringEscapesBetweenPlainRuns) {
  const pf::Json doc = pf::parseJson(R"(["ab\"c\\d\ne\u0041", "", "\t"])", "s.json");
  EXPECT_EQ(doc.asArray()[0].asString(), "ab\"c\\d\neA");
  EXPECT_EQ(doc.asArray()[1].asString(), "");
  EXPECT_EQ(doc.asArray()[2].asString(), "\t");
  EXPECT_THROW(pf::parseJson("\"abc", "open.json"), pf::Error);
  EXPECT_THROW(pf::parseJson("\"abc\\", "escape.json"), pf::Error);
}

TEST(Json, TypeMismatchNamesTheField) {
  const pf::Json doc = pf::parseJson("{\"v\": \"x\"}", "m.json");
  try {
    doc.at("v").asNumber("corners.v");
    FAIL();
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.field(), "corners.v");
  }
  EXPECT_THROW(doc.at("missing"), pf::Error);
}

// Excerpts of the text in a message have control bytes and bytes of multi-byte
// characters written as \xNN; raw control bytes never reach the parser (PF-1008).
TEST(Json, ExcerptsInSyntaxErrorsAreEscaped) {
  auto messageOf = [](const std::string &text) {
    try {
      pf::parseJson(text, "e.json");
    } catch (const pf::Error &error) {
      EXPECT_EQ(error.id(), 1403) << error.formatted();
      return error.message();
    }
    ADD_FAILURE() << "accepted: " << text;
    return std::string();
  };
  EXPECT_EQ(messageOf("{\"a\\u0000\": 1, \"a\\u0000\": 2}"),
            "JSON syntax error: duplicate key 'a\\x00'");
  EXPECT_EQ(messageOf("[\"\\u00zz\"]"),
            "JSON syntax error: '\\u00zz' is not a \\u escape (four hex digits)");
  EXPECT_EQ(messageOf("[\xc3\xa9]"), "JSON syntax error: unexpected character '\\xc3'");
}

// Plain integers are converted by the parser itself, anything else by strtod: both give
// strtod's value, to the bit and the sign of zero.
TEST(Json, NumbersAreWhatStrtodReads) {
  for (const char *number : {"0",
                             "-0",
                             "7",
                             "-7",
                             "007",
                             "-007",
                             "4294967295",
                             "9007199254740993",
                             "1234567890123456789",
                             "9223372036854775807",
                             "-9223372036854775807",
                             "-9223372036854775808",
                             "9223372036854775808",
                             "-9223372036854775809",
                             "9999999999999999999",
                             "18446744073709551615",
                             "18446744073709551616",
                             "99999999999999999999",
                             "123456789012345678901234567890",
                             "1e3",
                             "-2.5e-3",
                             "1E+2",
                             "12.",
                             "0.1",
                             "-0.0",
                             "1e400",
                             "-1e400",
                             "1e-400",
                             "0x10",
                             "0X1f"}) {
    SCOPED_TRACE(number);
    const double expected = std::strtod(number, nullptr);
    for (const std::string &text :
         {std::string(number), "[" + std::string(number) + "]",
          "{\"n\": " + std::string(number) + "}", "[" + std::string(number) + " , 1]"}) {
      const pf::Json doc = pf::parseJson(text, "n.json");
      const pf::Json &value = doc.isArray() ? doc.asArray()[0] : doc.isObject() ? doc.at("n") : doc;
      EXPECT_EQ(value.asNumber(), expected) << text;
      EXPECT_EQ(std::signbit(value.asNumber()), std::signbit(expected)) << text;
    }
  }
}

TEST(Json, MalformedNumbersAreLocated) {
  auto errorOf = [](const std::string &text) {
    try {
      pf::parseJson(text, "n.json");
    } catch (const pf::Error &error) {
      EXPECT_EQ(error.id(), 1403);
      return fmt::format("{}:{} {}", error.loc().line, error.loc().column, error.message());
    }
    ADD_FAILURE() << "accepted: " << text;
    return std::string();
  };
  EXPECT_EQ(errorOf("[1, -]"), "1:5 JSON syntax error: malformed number");
  EXPECT_EQ(errorOf("[--1]"), "1:2 JSON syntax error: malformed number");
  EXPECT_EQ(errorOf("[1x]"), "1:3 JSON syntax error: expected ',' or ']' in array");
  EXPECT_EQ(errorOf("[0x]"), "1:3 JSON syntax error: expected ',' or ']' in array");
  EXPECT_EQ(errorOf("[12a]"), "1:4 JSON syntax error: expected ',' or ']' in array");
  EXPECT_EQ(errorOf("{\"a\": 1\n  2}"), "2:3 JSON syntax error: expected ',' or '}' in object");
  EXPECT_EQ(errorOf("[1.5.5]"), "1:5 JSON syntax error: expected ',' or ']' in array");
}

TEST(Json, StringsWithAndWithoutEscapes) {
  const pf::Json doc = pf::parseJson(R"(["plain", "\"lead", "trail\\", "\q\/", "x", ")"
                                     "\xc3\xa9"
                                     R"(", "a\u0041b"])",
                                     "s.json");
  const pf::Json::Array &a = doc.asArray();
  ASSERT_EQ(a.size(), 7u);
  EXPECT_EQ(a[0].asString(), "plain");
  EXPECT_EQ(a[1].asString(), "\"lead");
  EXPECT_EQ(a[2].asString(), "trail\\");
  EXPECT_EQ(a[3].asString(), "q/");  // an unknown escape stands for its character
  EXPECT_EQ(a[4].asString(), "x");
  EXPECT_EQ(a[5].asString(), "\xc3\xa9");  // bytes outside ASCII pass unchanged
  EXPECT_EQ(a[6].asString(), "aAb");
  EXPECT_EQ(pf::parseJson(R"({"k\n": "v"})", "k.json").asObject()[0].first, "k\n");
  EXPECT_THROW(pf::parseJson("[\"a\\u0080\"]", "u.json"), pf::Error);
  for (const char *text : {"\"ab\\n", "[\"ab", "{\"a"}) {
    try {
      pf::parseJson(text, "open.json");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const pf::Error &error) {
      EXPECT_EQ(error.message(), "JSON syntax error: unterminated string") << text;
      EXPECT_EQ(error.loc().column, int(std::string(text).size()) + 1) << text;
    }
  }
}

TEST(Json, KeysWithEscapesAreComparedDecoded) {
  try {
    pf::parseJson("{\"a\": 1, \"\\u0061\": 2}", "d.json");
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.message(), "JSON syntax error: duplicate key 'a'");
    EXPECT_EQ(error.loc().column, 19);
  }
}

// Nested arrays and objects share the parser's stacks: each keeps its own entries, in
// order, and a large object's duplicate check sees its own keys, not its children's.
TEST(Json, NestingKeepsEveryLevelApart) {
  const std::string text = R"([[1, [2, 3]], {"a": [4, {"b": 5, "a": []}], "c": {}}, [], "x"])";
  const pf::Json doc = pf::parseJson(text, "n.json");
  EXPECT_EQ(doc.dump(), pf::parseJson(doc.dump(), "again.json").dump());
  ASSERT_EQ(doc.asArray().size(), 4u);
  EXPECT_EQ(doc.asArray()[0].asArray()[1].asArray()[1].asNumber(), 3);
  EXPECT_EQ(doc.asArray()[1].at("a").asArray()[1].at("b").asNumber(), 5);
  EXPECT_TRUE(doc.asArray()[1].at("c").asObject().empty());
  EXPECT_TRUE(doc.asArray()[2].asArray().empty());
  EXPECT_EQ(doc.asArray()[3].asString(), "x");

  std::string big = "{";
  for (int i = 0; i < 40; ++i)
    big +=
        fmt::format("{}\"k{}\": {{\"k{}\": [{}], \"k{}\": {{}}}}", i ? ", " : "", i, i, i, i + 1);
  const pf::Json nested = pf::parseJson(big + "}", "big.json");
  ASSERT_EQ(nested.asObject().size(), 40u);
  EXPECT_EQ(nested.at("k39").at("k39").asArray()[0].asNumber(), 39);
  try {
    pf::parseJson(big + ", \"k25\": 0}", "dup.json");
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.message(), "JSON syntax error: duplicate key 'k25'");
    EXPECT_EQ(error.loc().column, int(big.size()) + 9);
  }
}

TEST(Json, NonFiniteNumbersRefused) { EXPECT_THROW(pf::Json(1.0 / 0.0).dump(), pf::Error); }

}  // namespace
