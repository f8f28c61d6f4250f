// The command-line parser (core/Cli.hh) on its own: every kind of option, defaults,
// ranges, --x=y, positional arguments, help and every usage message with its number.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/Cli.hh"
#include "core/Error.hh"
#include "core/Spelling.hh"

namespace pf::cli {
namespace {

// A command with one option of every kind.
Spec exampleSpec() {
  Spec s("pf_example", "an example");
  s.description("Does nothing, as an example.");
  s.positional("INPUT", "the input file");
  s.positional("MORE", "an optional second file").defaultValue("more.txt");
  s.path("--out", "FILE", "where to write").defaultValue("out/x.json");
  s.string("--name", "TEXT", "a name");
  s.flag("--force", "do it anyway");
  s.integer("--depth", "WORDS", "ROM words").range(2, 65536).defaultValue(1024);
  s.integer("--offset", "N", "may be negative").range(-5, 5).defaultValue(0);
  s.number("--period-us", "P", "the period").above(0).requiredUnless("--instance");
  s.number("--scale", "X", "a factor").range(0.5, 2).defaultValue("1");
  s.list("--rails", "\"V1 V2 ...\"", "rail voltages").count(1, 8).above(0);
  s.choice("--solver", "", {"exact", "ilp", "brute"}, "the solver").defaultValue("exact");
  s.path("--instance", "FILE", "a dumped instance");
  s.path("--include", "DIR", "a directory to search").repeatable();
  s.conflict("--instance", "--rails", "an instance has its own rails");
  s.epilogue("Nothing is written on failure.");
  return s;
}

const Spec &example() {
  static const Spec spec = exampleSpec();
  return spec;
}

Args parse(const std::vector<std::string> &words) { return example().parse(words); }

// The usage error `words` give: its id, field and text.
UsageError usageError(const std::vector<std::string> &words) {
  try {
    parse(words);
  } catch (const UsageError &error) {
    return error;
  }
  ADD_FAILURE() << "accepted: " << ::testing::PrintToString(words);
  return UsageError(0, "", "", "", "");
}

void expectUsageError(const std::vector<std::string> &words, int id, const std::string &field,
                      const std::string &text) {
  const UsageError error = usageError(words);
  EXPECT_EQ(error.id(), id) << error.what();
  EXPECT_EQ(error.field(), field) << error.what();
  EXPECT_NE(std::string(error.what()).find(text), std::string::npos)
      << "want '" << text << "' in: " << error.what();
  EXPECT_EQ(std::string(error.what()).rfind("error PF-" + std::to_string(id) + ": pf_example: ", 0),
            0u)
      << error.what();
}

TEST(CliParser, DefaultsWhenNothingIsGiven) {
  const Args args = parse({"in.txt", "--period-us", "10"});
  EXPECT_FALSE(args.help());
  EXPECT_EQ(args.text("INPUT"), "in.txt");
  EXPECT_EQ(args.text("MORE"), "more.txt");
  EXPECT_FALSE(args.given("MORE"));
  EXPECT_EQ(args.text("--out"), "out/x.json");
  EXPECT_FALSE(args.given("--out"));
  EXPECT_EQ(args.text("--name"), "");
  EXPECT_FALSE(args.flag("--force"));
  EXPECT_EQ(args.integer("--depth"), 1024);
  EXPECT_EQ(args.integer("--offset"), 0);
  EXPECT_DOUBLE_EQ(args.number("--scale"), 1.0);
  EXPECT_EQ(args.optionalNumber("--scale"), std::nullopt);  // defaulted, not given
  EXPECT_TRUE(args.numbers("--rails").empty());
  EXPECT_EQ(args.text("--solver"), "exact");
  EXPECT_TRUE(args.all("--include").empty());
}

TEST(CliParser, EveryKindGivenBothWays) {
  for (const bool equals : {false, true}) {
    std::vector<std::string> words = {"in.txt", "second.txt"};
    auto give = [&](const std::string &name, const std::string &value) {
      if (equals) {
        words.push_back(name + "=" + value);
      } else {
        words.push_back(name);
        words.push_back(value);
      }
    };
    give("--out", "o.json");
    give("--name", "a b");
    words.push_back("--force");
    give("--depth", "2");
    give("--offset", "-5");
    give("--period-us", "12.5");
    give("--scale", "2");
    give("--rails", "0.6, 0.9 1.1");
    give("--solver", "ilp");
    give("--include", "a");
    give("--include", "b");
    const Args args = parse(words);
    SCOPED_TRACE(equals ? "--x=y" : "--x y");
    EXPECT_EQ(args.text("MORE"), "second.txt");
    EXPECT_EQ(args.text("--out"), "o.json");
    EXPECT_EQ(args.text("--name"), "a b");
    EXPECT_TRUE(args.flag("--force"));
    EXPECT_EQ(args.integer("--depth"), 2);
    EXPECT_EQ(args.integer("--offset"), -5);
    EXPECT_DOUBLE_EQ(args.number("--period-us"), 12.5);
    EXPECT_EQ(args.optionalNumber("--period-us"), 12.5);
    EXPECT_DOUBLE_EQ(args.number("--scale"), 2.0);
    EXPECT_EQ(args.numbers("--rails"), (std::vector<double>{0.6, 0.9, 1.1}));
    EXPECT_EQ(args.text("--rails"), "0.6, 0.9 1.1");
    EXPECT_EQ(args.text("--solver"), "ilp");
    EXPECT_EQ(args.all("--include"), (std::vector<std::string>{"a", "b"}));
  }
}

TEST(CliParser, AValueMayLookLikeANumberOrContainEquals) {
  const Args args = parse({"in", "--instance", "x=y.json", "--offset", "-3", "--name=a=b"});
  EXPECT_EQ(args.text("--instance"), "x=y.json");
  EXPECT_EQ(args.integer("--offset"), -3);
  EXPECT_EQ(args.text("--name"), "a=b");
}

TEST(CliParser, DoubleDashEndsTheOptions) {
  const Args args = parse({"--period-us", "1", "--", "-odd", "--help"});
  EXPECT_FALSE(args.help());
  EXPECT_EQ(args.text("INPUT"), "-odd");
  EXPECT_EQ(args.text("MORE"), "--help");
}

TEST(CliParser, HelpAnywhereWinsOverEverythingElse) {
  for (const std::vector<std::string> &words : std::vector<std::vector<std::string>>{
           {"--help"}, {"-h"}, {"--bogus", "--depth", "x", "--help"}, {"in", "--out", "-h"}}) {
    const Args args = parse(words);
    EXPECT_TRUE(args.help()) << ::testing::PrintToString(words);
  }
  EXPECT_EQ(example().parseOrPrintHelp(std::vector<std::string>{"--help"}), std::nullopt);
}

TEST(CliParser, ArgcArgvSkipsTheProgramName) {
  const char *argv[] = {"pf_example", "in", "--period-us", "3"};
  const Args args = example().parse(4, argv);
  EXPECT_EQ(args.text("INPUT"), "in");
  EXPECT_DOUBLE_EQ(args.number("--period-us"), 3.0);
}

TEST(CliParser, UnknownOptionIsNamedWithTheClosestSpelling) {
  expectUsageError({"in", "--solve", "ilp"}, 1204, "--solve",
                   "option '--solve': unknown option (did you mean '--solver'? see pf_example "
                   "--help)");
  expectUsageError({"in", "--depht=3"}, 1204, "--depht", "did you mean '--depth'?");
  expectUsageError({"in", "--zzzzzzzz"}, 1204, "--zzzzzzzz",
                   "option '--zzzzzzzz': unknown option (see pf_example --help)");
  expectUsageError({"in", "-x"}, 1204, "-x", "unknown option");
}

TEST(CliParser, MissingValue) {
  expectUsageError({"in", "--out"}, 1202, "--out",
                   "option '--out': expects a value: --out FILE (see pf_example --help)");
  expectUsageError({"in", "--depth", "--force"}, 1202, "--depth", "expects a value");
}

TEST(CliParser, Integers) {
  EXPECT_EQ(parse({"in", "--period-us", "1", "--depth", "65536"}).integer("--depth"), 65536);
  EXPECT_EQ(parse({"in", "--period-us", "1", "--depth", "+2"}).integer("--depth"), 2);
  for (const char *bad : {"1.5", "12abc", "0x10", "1e3", " 3", "99999999999999999999"})
    expectUsageError({"in", "--depth", bad}, 1205, "--depth",
                     "'" + std::string(bad) + "' is not an integer");
  expectUsageError({"in", "--depth", "1"}, 1206, "--depth",
                   "option '--depth': '1' is out of range: must be 2..65536");
  expectUsageError({"in", "--depth=65537"}, 1206, "--depth", "must be 2..65536");
  expectUsageError({"in", "--offset", "-6"}, 1206, "--offset", "must be -5..5");
}

TEST(CliParser, Numbers) {
  EXPECT_DOUBLE_EQ(parse({"in", "--period-us", "1e3"}).number("--period-us"), 1000.0);
  EXPECT_DOUBLE_EQ(parse({"in", "--period-us", ".5"}).number("--period-us"), 0.5);
  for (const char *bad : {"abc", "1,5", "inf", "nan", "1e999", "0x1p3", "", "1 "})
    expectUsageError({"in", "--period-us", bad}, 1203, "--period-us",
                     "'" + std::string(bad) + "' is not a number");
  expectUsageError({"in", "--period-us", "0"}, 1206, "--period-us",
                   "'0' is out of range: must be > 0");
  expectUsageError({"in", "--period-us", "-1"}, 1206, "--period-us", "must be > 0");
  expectUsageError({"in", "--period-us", "1", "--scale", "2.5"}, 1206, "--scale", "must be 0.5..2");
}

TEST(CliParser, Lists) {
  EXPECT_EQ(parse({"in", "--period-us", "1", "--rails", "0.6"}).numbers("--rails"),
            (std::vector<double>{0.6}));
  expectUsageError({"in", "--rails", "0.6 x"}, 1214, "--rails",
                   "'0.6 x' is not a list of numbers: 'x' is not a number");
  expectUsageError({"in", "--rails", "1 2 3 4 5 6 7 8 9"}, 1215, "--rails",
                   "'1 2 3 4 5 6 7 8 9' has 9 values; must have 1 to 8");
  expectUsageError({"in", "--rails", " "}, 1215, "--rails", "has 0 values");
  expectUsageError({"in", "--rails", "0.6 -1"}, 1206, "--rails",
                   "'-1' is out of range: must be > 0 (see pf_example --help)");
}

TEST(CliParser, Choices) {
  expectUsageError(
      {"in", "--solver", "exat"}, 1207, "--solver",
      "'exat' is not one of exact, ilp, brute (did you mean 'exact'? see pf_example --help)");
  expectUsageError({"in", "--solver", "cplex"}, 1207, "--solver",
                   "'cplex' is not one of exact, ilp, brute");
}

TEST(CliParser, FlagsTakeNoValue) {
  expectUsageError({"in", "--force=yes"}, 1212, "--force",
                   "option '--force': takes no value (given '--force=yes')");
}

TEST(CliParser, EmptyPath) {
  expectUsageError({"in", "--out", ""}, 1213, "--out", "option '--out': empty value");
  expectUsageError({"in", "--out="}, 1213, "--out", "empty value");
  expectUsageError({""}, 1213, "INPUT", "argument INPUT: empty value");
}

TEST(CliParser, Positionals) {
  expectUsageError({"--period-us", "1"}, 1208, "INPUT",
                   "argument INPUT: missing (usage: pf_example INPUT [MORE]");
  expectUsageError({"a", "b", "c"}, 1201, "c",
                   "unexpected argument 'c' (usage: pf_example INPUT [MORE] [--out FILE]");
  Spec none("pf_none", "");
  try {
    none.parse(std::vector<std::string>{"stray"});
    ADD_FAILURE() << "accepted a positional argument";
  } catch (const UsageError &error) {
    EXPECT_STREQ(error.what(),
                 "error PF-1201: pf_none: unexpected argument 'stray' (pf_none takes no "
                 "arguments; see pf_none --help)");
  }
}

TEST(CliParser, OptionGivenTwice) {
  expectUsageError({"in", "--out", "a", "--out=b"}, 1210, "--out",
                   "option '--out': given twice ('a' and 'b'); it takes one value");
  expectUsageError({"in", "--force", "--force"}, 1210, "--force", "given twice");
}

TEST(CliParser, RequiredOptions) {
  expectUsageError({"in"}, 1209, "--period-us",
                   "option '--period-us': required unless --instance is given");
  EXPECT_EQ(parse({"in", "--instance", "i.json"}).optionalNumber("--period-us"), std::nullopt);
  Spec spec("pf_required", "");
  spec.path("--out", "FILE", "output").isRequired();
  try {
    spec.parse(std::vector<std::string>{});
    ADD_FAILURE() << "accepted without --out";
  } catch (const UsageError &error) {
    EXPECT_EQ(error.id(), 1209);
    EXPECT_STREQ(error.what(),
                 "error PF-1209: pf_required: option '--out': required (usage: pf_required --out "
                 "FILE; see pf_required --help)");
  }
}

TEST(CliParser, Conflicts) {
  expectUsageError({"in", "--instance", "i.json", "--rails", "0.6"}, 1211, "--rails",
                   "option '--rails': cannot be used with '--instance': an instance has its own "
                   "rails");
}

// Each message has its own number, and only that one.
TEST(CliParser, EveryMessageHasItsOwnNumber) {
  const std::vector<std::pair<std::vector<std::string>, int>> cases = {
      {{"a", "b", "c"}, 1201},
      {{"in", "--out"}, 1202},
      {{"in", "--period-us", "x"}, 1203},
      {{"in", "--bogus"}, 1204},
      {{"in", "--depth", "x"}, 1205},
      {{"in", "--depth", "1"}, 1206},
      {{"in", "--solver", "x"}, 1207},
      {{}, 1208},
      {{"in"}, 1209},
      {{"in", "--out", "a", "--out", "b"}, 1210},
      {{"in", "--instance", "i", "--rails", "1"}, 1211},
      {{"in", "--force=1"}, 1212},
      {{"in", "--out", ""}, 1213},
      {{"in", "--rails", "x"}, 1214},
      {{"in", "--rails", ","}, 1215},
  };
  std::map<int, std::string> texts;
  for (const auto &[words, id] : cases) {
    const UsageError error = usageError(words);
    EXPECT_EQ(error.id(), id) << error.what();
    EXPECT_EQ(exitStatusOf(error), kExitUsage);
    EXPECT_EQ(error.formatted(), std::string(error.what()));
    texts[error.id()] = error.message();
  }
  EXPECT_EQ(texts.size(), cases.size());
}

TEST(CliParser, HelpHasTheCommonLayout) {
  const std::string help = example().help();
  EXPECT_EQ(help.rfind("usage: pf_example INPUT [MORE] [--out FILE] [--name TEXT] [--force]", 0),
            0u)
      << help;
  EXPECT_NE(help.find("--period-us P"), std::string::npos);
  EXPECT_EQ(help.find("[--period-us P]"), std::string::npos) << "required unless: not optional";
  EXPECT_NE(help.find("[--solver exact|ilp|brute]"), std::string::npos) << help;
  EXPECT_NE(help.find("[--include DIR]..."), std::string::npos) << help;
  EXPECT_NE(help.find("\n\nDoes nothing, as an example.\n\narguments:\n  INPUT"), std::string::npos)
      << help;
  EXPECT_NE(help.find("\n  MORE                     an optional second file (default: more.txt)\n"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("\n\noptions:\n  --out FILE               where to write (default: "
                      "out/x.json)\n"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("  --depth WORDS            ROM words (2..65536; default: 1024)\n"),
            std::string::npos)
      << help;
  EXPECT_NE(help.find("the period (required unless --instance is given; > 0)"), std::string::npos)
      << help;
  EXPECT_NE(help.find("rail voltages (1 to 8 values; > 0)"), std::string::npos) << help;
  EXPECT_NE(help.find("(may be given more than once)"), std::string::npos) << help;
  EXPECT_NE(help.find("  -h, --help               show this text and exit\n\nNothing is written "
                      "on failure.\n"),
            std::string::npos)
      << help;
  size_t start = 0;
  while (start < help.size()) {
    const size_t end = help.find('\n', start);
    EXPECT_LE(end - start, Spec::kWidth) << help.substr(start, end - start);
    start = end + 1;
  }
}

TEST(CliParser, LongOptionNamesPutTheirHelpOnTheNextLine) {
  Spec spec("pf_long", "");
  spec.integer("--a-rather-long-option-name", "COUNT", "what it does");
  const std::string help = spec.help();
  EXPECT_NE(help.find("\n  --a-rather-long-option-name COUNT\n                           what it "
                      "does\n"),
            std::string::npos)
      << help;
}

TEST(CliParser, UsageLinesWrapUnderTheProgramName) {
  Spec spec("pf_wide", "");
  for (int i = 0; i < 12; ++i) spec.path("--option-" + std::to_string(i), "FILE", "a file");
  const std::string usage = spec.usage();
  EXPECT_NE(usage.find("\n               [--option-"), std::string::npos) << usage;
  EXPECT_EQ(spec.usage(0).find('\n'), std::string::npos);
}

TEST(CliParser, DeclarationMistakesAreProgrammingErrors) {
  Spec spec("pf_bad", "");
  spec.integer("--n", "N", "a count").range(1, 10).defaultValue(0);  // refused by its range
  EXPECT_THROW(spec.parse(std::vector<std::string>{}), std::logic_error);
  EXPECT_THROW(spec.flag("--n", "twice"), std::logic_error);
  EXPECT_THROW(spec.flag("n", "no dashes"), std::logic_error);
  const Args args = parse({"in", "--period-us", "1"});
  EXPECT_THROW(args.integer("--out"), std::logic_error);  // wrong kind
  EXPECT_THROW(args.text("--undeclared"), std::logic_error);
  EXPECT_THROW(args.number("--period-us-typo"), std::logic_error);
}

TEST(CliParser, ExitStatus) {
  EXPECT_EQ(exitStatusOf(UsageError(1204, "p", "--x", "option '--x'", "unknown option")), 2);
  EXPECT_EQ(exitStatusOf(Error(3009, {"f.toml", 1, 2}, "rails", "bad")), 1);
}

TEST(CliParser, ClosestSpelling) {
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(closest("--corner", {"--design", "--corners", "--out"}), "--corners");
  EXPECT_EQ(closest("--charact", {"--characterization", "--profile"}), "--characterization");
  EXPECT_EQ(closest("--xyz", {"--design", "--corners"}), "");
  EXPECT_EQ(closest("shedule", {"schedule", "sim"}), "schedule");
}

}  // namespace
}  // namespace pf::cli
