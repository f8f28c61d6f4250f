#include <gtest/gtest.h>

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

TEST(Json, NonFiniteNumbersRefused) { EXPECT_THROW(pf::Json(1.0 / 0.0).dump(), pf::Error); }

}  // namespace
