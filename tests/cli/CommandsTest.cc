// Every command of the powerflow command table through the real program: --help has the
// common layout and names every declared option; usage errors (unknown option, an option
// without its value, a non-number for a numeric option, ...) exit 2 with an
// "error PF-NNNN:" line naming the option, and write nothing. The commands come from the
// table itself (flows/Commands.cc), so a new command is tested as soon as it exists.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/Cli.hh"
#include "core/Subprocess.hh"
#include "flows/Command.hh"

namespace pf::test {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out, err;
};

std::string readAll(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scratch directory under $TMPDIR: `work` (where powerflow runs; must stay empty) and
// `streams` (its stdout and stderr).
class Scratch {
 public:
  explicit Scratch(const std::string &name) {
    const char *tmp = std::getenv("TMPDIR");
    root_ = fs::path(tmp ? tmp : "/tmp") / fmt::format("pf_cli_{}_{}", getpid(), name);
    fs::remove_all(root_);
    fs::create_directories(work());
    fs::create_directories(root_ / "streams");
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  fs::path work() const { return root_ / "work"; }

  Outcome powerflow(const std::vector<std::string> &args) const {
    const std::string out = (root_ / "streams" / "out").string();
    const std::string err = (root_ / "streams" / "err").string();
    std::vector<std::string> argv = {
        "sh", "-c",         "out=$1; err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\"", "sh", out,
        err,  POWERFLOW_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions options;
    options.working_dir = work().string();
    options.time_limit_seconds = 60;
    const ProcessResult result = runProcess(argv, options);
    return {result.exit_status, readAll(out), readAll(err)};
  }

  // What is in the work directory (nothing, if no command wrote anything).
  std::vector<std::string> written() const {
    std::vector<std::string> names;
    for (const fs::directory_entry &entry : fs::recursive_directory_iterator(work()))
      names.push_back(fs::relative(entry.path(), work()).string());
    return names;
  }

 private:
  fs::path root_;
};

std::vector<std::string> commandNames() {
  std::vector<std::string> names;
  for (const Command &command : allCommands()) names.push_back(command.name);
  return names;
}

const Command &commandNamed(const std::string &name) {
  for (const Command &command : allCommands())
    if (command.name == name) return command;
  throw std::logic_error("no command " + name);
}

bool isNumeric(const cli::Option &option) {
  return option.kind == cli::Kind::Integer || option.kind == cli::Kind::Number ||
         option.kind == cli::Kind::List;
}

int notANumberId(cli::Kind kind) {
  return kind == cli::Kind::Integer ? 1205 : kind == cli::Kind::Number ? 1203 : 1214;
}

// The table holds the commands of today, and `powerflow --help` lists exactly the table.
TEST(CliCommands, TheTableHasEveryCommandAndTheOverviewListsIt) {
  const std::vector<std::string> names = commandNames();
  for (const char *expected :
       {"characterize", "design", "gen", "net", "pdk", "profile", "report", "schedule", "sim"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  ASSERT_GE(names.size(), 9u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());

  const Scratch scratch("overview");
  const Outcome help = scratch.powerflow({"--help"});
  EXPECT_EQ(help.status, 0) << help.err;
  const size_t at = help.out.find("\ncommands:\n");
  ASSERT_NE(at, std::string::npos) << help.out;
  std::vector<std::string> listed;
  std::istringstream lines(help.out.substr(at + 11));
  for (std::string line; std::getline(lines, line) && !line.empty();) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, std::regex("  (\\S+) +(.+)"))) << line;
    listed.push_back(match[1]);
    EXPECT_EQ(match[2], commandNamed(match[1]).command_line().summary());
  }
  EXPECT_EQ(listed, names);
  EXPECT_NE(help.out.find("2 a usage error"), std::string::npos) << help.out;
  for (const Command &command : allCommands())
    EXPECT_EQ(command.command_line().program(), std::string("powerflow ") + command.name);

  const Outcome bare = scratch.powerflow({});
  EXPECT_EQ(bare.status, 2);
  EXPECT_NE(bare.out.find("\ncommands:\n"), std::string::npos);
  const Outcome unknown = scratch.powerflow({"shedule", "--period-us", "1"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.err,
            "error PF-1216: powerflow: unknown command 'shedule' (did you mean 'schedule'? see "
            "powerflow --help)\n");
  const Outcome help_unknown = scratch.powerflow({"help", "nosuchcommand"});
  EXPECT_EQ(help_unknown.status, 2);
  EXPECT_NE(help_unknown.err.find("error PF-1216: powerflow: unknown command 'nosuchcommand'"),
            std::string::npos);
  EXPECT_TRUE(scratch.written().empty()) << ::testing::PrintToString(scratch.written());
}

class CliCommand : public ::testing::TestWithParam<std::string> {
 protected:
  CliCommand() : scratch_(GetParam()) {}
  ~CliCommand() override {
    EXPECT_TRUE(scratch_.written().empty())
        << "powerflow " << GetParam()
        << " wrote files on a usage error: " << ::testing::PrintToString(scratch_.written());
  }

  const cli::Spec &spec() const { return commandNamed(GetParam()).command_line(); }
  std::string program() const { return "powerflow " + GetParam(); }

  Outcome run(std::vector<std::string> args) const {
    args.insert(args.begin(), GetParam());
    return scratch_.powerflow(args);
  }

  // A usage error: exit 2, nothing on stdout, one "error PF-<id>: powerflow NAME: " line on
  // stderr that contains `text`.
  void expectUsageError(const std::vector<std::string> &args, int id, const std::string &text) {
    const Outcome result = run(args);
    const std::string what = program() + " " + ::testing::PrintToString(args);
    EXPECT_EQ(result.status, 2) << what << "\n" << result.out << result.err;
    EXPECT_EQ(result.out, "") << what;
    EXPECT_EQ(result.err.rfind(fmt::format("error PF-{}: {}: ", id, program()), 0), 0u)
        << what << ": " << result.err;
    EXPECT_NE(result.err.find(text), std::string::npos)
        << what << ": want '" << text << "' in: " << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }

  Scratch scratch_;
};

TEST_P(CliCommand, HelpHasTheCommonLayoutAndEveryOption) {
  const Outcome help = run({"--help"});
  ASSERT_EQ(help.status, 0) << help.err;
  EXPECT_EQ(help.err, "");
  EXPECT_EQ(help.out, spec().help());
  EXPECT_EQ(help.out.rfind("usage: " + program(), 0), 0u) << help.out;
  // usage, a blank line, the command's description (not straight into the lists)
  const size_t blank = help.out.find("\n\n");
  ASSERT_NE(blank, std::string::npos) << help.out;
  const std::string usage = help.out.substr(0, blank);
  const std::string after = help.out.substr(blank + 2);
  EXPECT_NE(after.rfind("options:", 0), 0u) << "no description:\n" << help.out;
  EXPECT_NE(after.rfind("arguments:", 0), 0u) << "no description:\n" << help.out;
  EXPECT_NE(help.out.find("\n\noptions:\n"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("\n  -h, --help               show this text and exit\n"),
            std::string::npos)
      << help.out;
  for (const cli::Option &option : spec().options()) {
    EXPECT_NE(usage.find(option.name), std::string::npos)
        << option.name << " not in the usage line:\n"
        << usage;
    const std::string entry =
        "\n  " + option.name +
        (option.takesValue() && !option.positional ? " " + option.placeholder : "");
    EXPECT_NE(help.out.find(entry), std::string::npos)
        << option.name << " has no entry in the lists:\n"
        << help.out;
    if (option.default_value && option.default_text.empty()) {
      EXPECT_NE(help.out.find("default: " + *option.default_value), std::string::npos)
          << option.name;
    }
  }
  // Every line within the width the generator wraps at (the prose is wrapped by hand).
  std::istringstream lines(help.out);
  for (std::string line; std::getline(lines, line);)
    EXPECT_LE(line.size(), cli::Spec::kWidth) << line;
  // -h, `powerflow help NAME`, and --help after anything else give the same text.
  for (const std::vector<std::string> &args : std::vector<std::vector<std::string>>{
           {"-h"}, {"--no-such-option", "--help"}, {"stray", "words", "-h"}}) {
    const Outcome again = run(args);
    EXPECT_EQ(again.status, 0) << ::testing::PrintToString(args);
    EXPECT_EQ(again.out, help.out) << ::testing::PrintToString(args);
  }
  const Outcome via_help = scratch_.powerflow({"help", GetParam()});
  EXPECT_EQ(via_help.status, 0);
  EXPECT_EQ(via_help.out, help.out);
}

TEST_P(CliCommand, UnknownOptionExits2AndIsNamed) {
  expectUsageError({"--no-such-option"}, 1204,
                   "option '--no-such-option': unknown option (see " + program() + " --help)");
  expectUsageError({"--no-such-option=3"}, 1204, "option '--no-such-option': unknown option");
  // A near miss of the longest option name: one letter short.
  std::string longest;
  for (const cli::Option &option : spec().options())
    if (!option.positional && option.name.size() > longest.size()) longest = option.name;
  if (longest.empty()) return;  // a command without options (net, design)
  const std::string typo = longest.substr(0, longest.size() - 1);
  expectUsageError({typo}, 1204,
                   "option '" + typo + "': unknown option (did you mean '" + longest + "'?");
}

TEST_P(CliCommand, AnOptionWithoutItsValueExits2AndIsNamed) {
  int checked = 0;
  for (const cli::Option &option : spec().options()) {
    if (option.positional || !option.takesValue()) continue;
    expectUsageError(
        {option.name}, 1202,
        "option '" + option.name + "': expects a value: " + option.name + " " + option.placeholder);
    ++checked;
  }
  for (const cli::Option &option : spec().options())
    if (!option.positional && !option.takesValue()) {
      expectUsageError({option.name + "=1"}, 1212, "option '" + option.name + "': takes no value");
      expectUsageError({option.name, option.name}, 1210,
                       "option '" + option.name + "': given twice");
    }
  if (checked == 0) GTEST_SKIP() << program() << " has no option with a value";
}

TEST_P(CliCommand, ANonNumberForANumericOptionExits2AndIsNamed) {
  int checked = 0;
  for (const cli::Option &option : spec().options()) {
    if (option.positional || !isNumeric(option)) continue;
    expectUsageError({option.name, "abc"}, notANumberId(option.kind),
                     "option '" + option.name + "': 'abc' is not");
    expectUsageError({option.name + "=1x"}, notANumberId(option.kind),
                     "option '" + option.name + "': '1x' is not");
    if (option.kind == cli::Kind::Integer && option.max)
      expectUsageError({option.name, fmt::format("{}", int64_t(*option.max) + 1)}, 1206,
                       "option '" + option.name + "': '" +
                           fmt::format("{}", int64_t(*option.max) + 1) + "' is out of range");
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << program() << " has no numeric option";
}

TEST_P(CliCommand, PositionalArguments) {
  std::vector<std::string> words;  // every positional, with a plausible value
  bool any_required = false;
  for (const cli::Option &option : spec().options()) {
    if (!option.positional) continue;
    words.push_back(option.choices.empty() ? "x.toml" : option.choices.front());
    any_required = any_required || (option.required && !option.default_value);
  }
  words.push_back("one-too-many");
  expectUsageError(words, 1201, "unexpected argument 'one-too-many'");
  bool any_required_option = false;
  for (const cli::Option &option : spec().options())
    any_required_option = any_required_option || (!option.positional && option.required) ||
                          !option.required_unless.empty();
  if (any_required)
    expectUsageError({}, 1208, "missing (usage: " + program());
  else if (any_required_option)
    expectUsageError({}, 1209, "required");
}

// Commands with numeric options (not all do: design, net and pdk have none): the check
// above is not vacuous.
TEST(CliCommands, MostCommandsHaveNumericOptions) {
  std::set<std::string> numeric;
  for (const Command &command : allCommands())
    for (const cli::Option &option : command.command_line().options())
      if (isNumeric(option)) numeric.insert(command.name);
  for (const char *name : {"characterize", "gen", "profile", "report", "schedule", "sim"})
    EXPECT_TRUE(numeric.count(name)) << name;
}

INSTANTIATE_TEST_SUITE_P(EveryCommand, CliCommand, ::testing::ValuesIn(commandNames()),
                         [](const ::testing::TestParamInfo<std::string> &param) {
                           std::string name = param.param;  // "sweep-results": no '-' in a test name
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace pf::test
