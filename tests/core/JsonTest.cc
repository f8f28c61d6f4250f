#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/Error.hh"
#include "core/Json.hh"
#include "core/JsonNode.hh"

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

// The parser recurses once per level: deeper than 128 arrays or objects is refused where
// the 129th opens, so a hostile file cannot overflow the stack (a fuzz finding).
TEST(Json, NestingBeyond128LevelsIsRefusedWhereItStarts) {
  const std::string ok = std::string(128, '[') + std::string(128, ']');
  EXPECT_TRUE(pf::parseJson(ok, "ok.json").isArray());
  std::string objects = "{\"a\":\n" + std::string(64, '[');  // 65 levels open
  for (int i = 0; i < 64; ++i) objects += "{\"b\":";         // the 64th is level 129
  const struct {
    std::string text;
    int line, column;
  } cases[] = {{std::string(129, '[') + std::string(129, ']'), 1, 129},
               {std::string(100000, '['), 1, 129},
               {objects, 2, 64 + 63 * 5 + 1}};
  for (const auto &deep : cases) {
    try {
      pf::parseJson(deep.text, "deep.json");
      ADD_FAILURE() << "accepted " << deep.text.size() << " bytes";
    } catch (const pf::Error &error) {
      EXPECT_EQ(error.id(), 1411) << error.formatted();
      EXPECT_EQ(error.loc().file, "deep.json");
      EXPECT_EQ(error.loc().line, deep.line) << error.formatted();
      EXPECT_EQ(error.loc().column, deep.column) << error.formatted();
      EXPECT_NE(error.message().find("nested more than 128 deep"), std::string::npos);
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

// ---------------------------------------------------------------------------------------
// The field reader (core/JsonNode.hh) and the locations the parser records.

namespace {

// The error `read` throws (a failure if it throws none).
pf::Error errorOf(const std::function<void()> &read) {
  try {
    read();
  } catch (const pf::Error &error) {
    return error;
  }
  ADD_FAILURE() << "accepted";
  return pf::Error(0, {}, "", "");
}

void expectError(const pf::Error &error, int id, int line, int column, const std::string &field,
                 const std::string &needle) {
  EXPECT_EQ(error.id(), id) << error.formatted();
  EXPECT_EQ(error.loc().file, "doc.json") << error.formatted();
  EXPECT_EQ(error.loc().line, line) << error.formatted();
  EXPECT_EQ(error.loc().column, column) << error.formatted();
  EXPECT_EQ(error.field(), field) << error.formatted();
  EXPECT_NE(error.message().find(needle), std::string::npos) << error.formatted();
}

const std::string kFile = "doc.json";

// Line 1 is the opening brace; the layers' objects start on lines 4 and 9.
const std::string kDocument = R"({
  "format": "test-format", "version": 2,
  "layers": [
    {"name": "a", "cycles": 10,
     "domains": [{"rail": 0}, {"rail": 1}]},
    {"name": "b",
     "cycles": 20,
     "domains": []},
    {
      "name": "c", "cycles": -3, "domains": [{"rail": 2.5}]
    }
  ],
  "big": 9223372036854775807, "bigger": 9223372036854775808, "odd": 9007199254740993,
  "small": -9223372036854775808, "text": "x"
}
)";

}  // namespace

TEST(Json, ValuesKnowTheirLineAndColumn) {
  const pf::Json doc = pf::parseJson(kDocument, kFile);
  EXPECT_EQ(doc.line(), 1);
  EXPECT_EQ(doc.column(), 1);
  const pf::Json &layers = doc.at("layers");
  EXPECT_EQ(layers.line(), 3);
  EXPECT_EQ(layers.column(), 13);
  EXPECT_EQ(layers.asArray()[0].line(), 4);
  EXPECT_EQ(layers.asArray()[0].column(), 5);
  EXPECT_EQ(layers.asArray()[1].at("cycles").line(), 7);
  EXPECT_EQ(layers.asArray()[1].at("cycles").column(), 16);
  EXPECT_EQ(layers.asArray()[2].line(), 9);
  EXPECT_EQ(layers.asArray()[2].at("domains").asArray()[0].at("rail").line(), 10);
  EXPECT_EQ(doc.at("text").line(), 14);
  // Values made in code have no location; a copy keeps its value's.
  EXPECT_EQ(pf::Json(3).line(), 0);
  const pf::Json copy = layers.asArray()[1];
  EXPECT_EQ(copy.line(), 6);
  EXPECT_EQ(copy.at("name").asString(), "b");
  // Carriage returns are white space, not line breaks; a CRLF file counts its lines.
  const pf::Json crlf = pf::parseJson("{\r\n\"a\":\r\n  [1,\r\n 2]}", kFile);
  EXPECT_EQ(crlf.at("a").asArray()[1].line(), 4);
  EXPECT_EQ(crlf.at("a").asArray()[1].column(), 2);
}

TEST(Json, RawLineBreaksAndTabsInStringsRefused) {
  for (const auto &[text, what] : {std::pair<std::string, std::string>{"[\"a\nb\"]", "line break"},
                                   {"{\"k\": \"a\tb\"}", "tab"},
                                   {"[\"a\\nb\", \"c\rd\"]", "carriage return"}}) {
    const pf::Error error = errorOf([&] { pf::parseJson(text, kFile); });
    EXPECT_EQ(error.id(), 1403) << error.formatted();
    EXPECT_NE(error.message().find("a string holds a raw " + what), std::string::npos)
        << error.formatted();
  }
  const pf::Error error = errorOf([&] { pf::parseJson("[\n\"ab\ncd\"]", kFile); });
  EXPECT_EQ(error.loc().line, 2);
  EXPECT_EQ(error.loc().column, 4);
}

TEST(Json, PlainIntegersAreKeptExactly) {
  const pf::Json doc = pf::parseJson(kDocument, kFile);
  ASSERT_TRUE(doc.at("big").isExactInteger());
  EXPECT_EQ(doc.at("big").exactInteger(), INT64_MAX);
  EXPECT_EQ(doc.at("small").exactInteger(), INT64_MIN);
  EXPECT_EQ(doc.at("odd").exactInteger(), 9007199254740993);
  EXPECT_FALSE(doc.at("bigger").isExactInteger());  // beyond int64_t: a double
  EXPECT_TRUE(doc.at("bigger").isNumber());
  EXPECT_FALSE(pf::parseJson("-0", kFile).isExactInteger());  // keeps its sign as a double
  EXPECT_FALSE(pf::parseJson("1.0", kFile).isExactInteger());
  // Written back as read.
  EXPECT_EQ(pf::parseJson("[9007199254740993, -12, 0]", kFile).dump(),
            "[9007199254740993, -12, 0]\n");
}

TEST(JsonNode, IntegersAreExactAndInRange) {
  const pf::Json doc = pf::parseJson(kDocument, kFile);
  const pf::JsonNode root(doc, kFile);
  const pf::JsonObject top =
      root.object({"format", "version", "layers", "big", "bigger", "odd", "small", "text"});
  EXPECT_EQ(top["big"].integer(0, INT64_MAX), INT64_MAX);
  EXPECT_EQ(top["small"].integer(INT64_MIN, 0), INT64_MIN);
  EXPECT_EQ(top["odd"].integer(0, INT64_MAX), 9007199254740993);
  expectError(errorOf([&] { top["bigger"].integer(0, INT64_MAX); }), 1406, 13, 41, "bigger",
              "9223372036854775808 is out of range: expected an integer >= 0");
  expectError(errorOf([&] { top["big"].integer(0, 1000); }), 1406, 13, 10, "big",
              "9223372036854775807 is out of range: expected an integer in 0..1000");
  const pf::JsonNode layers = top["layers"];
  const pf::JsonObject c = layers[2].object({"name", "cycles", "domains"});
  expectError(errorOf([&] { c["cycles"].integer(0, INT64_MAX); }), 1406, 10, 30, "layers[2].cycles",
              "-3 is out of range: expected an integer >= 0");
  expectError(errorOf([&] { c["domains"][0].object({"rail"})["rail"].integer(0, 7); }), 1401, 10,
              55, "layers[2].domains[0].rail", "expected an integer, found 2.5");
  expectError(errorOf([&] { top["text"].integer(0, 7); }), 1401, 14, 42, "text",
              "expected an integer, found a string");
  // Integral numbers written otherwise are integers; infinities are not numbers here.
  const pf::Json numbers = pf::parseJson("[1e3, 2.0, 1e400, -1e19]", kFile);
  const pf::JsonNode list(numbers, kFile);
  EXPECT_EQ(list[0].integer(0, 5000), 1000);
  EXPECT_EQ(list[1].integer(0, 5000), 2);
  expectError(errorOf([&] { list[2].integer(0, INT64_MAX); }), 1401, 1, 12, "[2]",
              "expected an integer, found inf");
  expectError(errorOf([&] { list[2].number(); }), 1401, 1, 12, "[2]",
              "expected a finite number, found inf");
  expectError(errorOf([&] { list[3].integer(INT64_MIN, INT64_MAX); }), 1406, 1, 19, "[3]",
              "-10000000000000000000 is out of range");
}

TEST(JsonNode, UnknownAndMissingFieldsAreNamedWithTheirLine) {
  const pf::Json doc = pf::parseJson(kDocument, kFile);
  const pf::JsonNode root(doc, kFile);
  // An unknown field at the top level: its value's line, the allowed fields listed.
  expectError(errorOf([&] {
                root.object({"format", "version", "layers"});
              }),
              1405, 13, 10, "big", "unknown field; the fields here are: format, version, layers");
  const pf::JsonObject top =
      root.object({"format", "version", "layers", "big", "bigger", "odd", "small", "text"});
  // Nested, with a close spelling suggested.
  expectError(errorOf([&] {
                top["layers"][1].object({"name", "cycle", "domains"});
              }),
              1405, 7, 16, "layers[1].cycles",
              "unknown field (did you mean 'cycle'?); the fields here are: name, cycle, domains");
  // A missing field: the path it would have and its object's line.
  const pf::JsonObject b = top["layers"][1].object({"name", "cycles", "domains", "rails"});
  expectError(errorOf([&] { b["rails"]; }), 1402, 6, 5, "layers[1].rails",
              "required field is missing");
  EXPECT_FALSE(b.find("rails"));
  EXPECT_EQ(b.find("cycles")->integer(0, 100), 20);
  // Wrong types, with what was found.
  expectError(errorOf([&] { b["name"].object({}); }), 1401, 6, 14, "layers[1].name",
              "expected an object, found a string");
  expectError(errorOf([&] { b["cycles"].items(); }), 1401, 7, 16, "layers[1].cycles",
              "expected an array, found 20");
  expectError(errorOf([&] { b["domains"].requireSize(2); }), 1407, 8, 17, "layers[1].domains",
              "has 0 entries, 2 expected");
  expectError(errorOf([&] {
                b["name"].oneOf({"x", "y"});
              }),
              1410, 6, 14, "layers[1].name", "unknown value \"b\" (expected \"x\", \"y\")");
  EXPECT_EQ(b["name"].oneOf({"a", "b"}), 1u);
  // Fields are found in any order.
  const pf::JsonObject a = top["layers"][0].object({"domains", "cycles", "name"});
  EXPECT_EQ(a["domains"].size(), 2u);
  EXPECT_EQ(a["name"].string(), "a");
  EXPECT_EQ(a["cycles"].integer(0, 100), 10);
  EXPECT_EQ(a["domains"][1].path(), "layers[0].domains[1]");
}

TEST(JsonNode, FormatAndVersionAreCheckedFirst) {
  auto check = [](const std::string &text) {
    const pf::Json doc = pf::parseJson(text, kFile);
    return pf::JsonNode(doc, kFile).checkFormat("test-format", {1, 2}, "re-run `test`");
  };
  EXPECT_EQ(check(kDocument), 2);
  expectError(errorOf([&] { check("{\"format\": \"other\", \"version\": 2}"); }), 1408, 1, 12,
              "format",
              "expected \"test-format\", found \"other\" (this is not a test-format file)");
  expectError(errorOf([&] { check("{\"version\": 2}"); }), 1408, 1, 1, "format",
              "expected \"test-format\", found no format field");
  expectError(errorOf([&] { check("{\"format\": \"test-format\",\n \"version\": 3}"); }), 1409, 2,
              13, "version",
              "version 3 is not supported: this powerflow reads test-format versions 1 and 2; "
              "re-run `test`");
  expectError(errorOf([&] { check("{\"format\": \"test-format\", \"version\": \"2\"}"); }), 1409, 1,
              38, "version", "a version that is a string is not supported");
  expectError(errorOf([&] { check("{\"format\": \"test-format\"}"); }), 1409, 1, 1, "version",
              "a file without a version is not supported");
  expectError(errorOf([&] { check("[1]"); }), 1401, 1, 1, "(top level)",
              "expected an object, found an array");
}

namespace {

// A reader with numbers of its own for two kinds of problem.
void readerMessage(const pf::JsonProblem &problem) {
  if (problem.kind == pf::JsonProblem::Kind::Missing)
    problem.raise(1402, "required field is missing");  // the same number: core's test reader
  if (problem.kind == pf::JsonProblem::Kind::Unknown)
    problem.raise(1405, "unknown field");  // not the kind's text
}

}  // namespace

TEST(JsonNode, ReadersNumberTheProblemsTheyHaveNumbersFor) {
  const pf::Json doc = pf::parseJson("{\"a\": 1}", kFile);
  const pf::JsonNode root(doc, kFile, readerMessage);
  expectError(errorOf([&] { root.object({"a"})["b"]; }), 1402, 1, 1, "b",
              "required field is missing");
  expectError(errorOf([&] { root.object({"a"})["a"].string(); }), 1401, 1, 7, "a",
              "expected a string, found 1");  // core's number
  // A reader's text must be its kind's: a mistake in the reader, not in the file.
  EXPECT_THROW(root.object({"b"}), std::logic_error);
  // Json's own accessors give the field reader's text for a wrong type.
  const pf::Error error = errorOf([&] { doc.at("a").asString("a"); });
  EXPECT_EQ(error.id(), 1401);
  EXPECT_EQ(error.message(), "expected a string, found a number");
}
