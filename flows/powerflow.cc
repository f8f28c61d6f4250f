// powerflow: the command-line edge. Dispatches git-style subcommands, prints help,
// and is the only place where errors become text on stderr and an exit status:
// 0 success, 1 bad input (or a failed check), 2 a usage error (a command line the
// command does not take, core/Cli.hh), 3 an internal error.
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "core/Cli.hh"
#include "core/Error.hh"
#include "flows/Command.hh"

namespace {

void printOverview() {
  fmt::print(
      "usage: powerflow COMMAND [ARGS...]\n"
      "       powerflow COMMAND --help\n\n"
      "Compiler-directed power orchestration for DNN accelerators (see README.md).\n\n"
      "commands:\n");
  for (const pf::Command &command : pf::allCommands())
    fmt::print("  {:<14} {}\n", command.name, command.command_line().summary());
  fmt::print(
      "\nexit status: 0 success, 1 bad input or a failed check, 2 a usage error, 3 an internal "
      "error\n");
}

const pf::Command &findCommand(const std::string &name) {
  std::vector<std::string> names;
  for (const pf::Command &command : pf::allCommands()) {
    if (name == command.name) return command;
    names.push_back(command.name);
  }
  const std::string near = pf::cli::closest(name, names);
  pf::cli::failAt(1216, "powerflow", name, "",
                  fmt::format("unknown command '{}' ({}see powerflow --help)", name,
                              near.empty() ? "" : fmt::format("did you mean '{}'? ", near)));
}

int dispatch(const std::vector<std::string> &words) {
  if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    if (words.size() >= 2) {
      fmt::print("{}", findCommand(words[1]).command_line().help());
      return 0;
    }
    printOverview();
    return words.empty() ? pf::cli::kExitUsage : 0;
  }
  const pf::Command &command = findCommand(words[0]);
  const std::vector<std::string> args(words.begin() + 1, words.end());
  return command.run(args);  // --help is the command's (its declaration prints it)
}

}  // namespace

int main(int argc, char **argv) {
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return pf::cli::exitStatusOf(error);
  } catch (const std::exception &error) {
    fmt::print(stderr, "internal error PF-0001: {} (please report)\n", error.what());
    return pf::cli::kExitInternalError;
  }
}
