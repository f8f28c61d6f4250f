// powerflow: the command-line edge. Dispatches git-style subcommands, prints help,
// and is the only place where errors become text on stderr and an exit status.
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "flows/Command.hh"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitInputError = 1;
constexpr int kExitInternalError = 3;

void printOverview() {
  fmt::print(
      "usage: powerflow COMMAND [ARGS...]\n"
      "       powerflow COMMAND --help\n\n"
      "Compiler-directed power orchestration for DNN accelerators (see README.md).\n\n"
      "commands:\n");
  for (const pf::Command &command : pf::allCommands())
    fmt::print("  {:<14} {}\n", command.name, command.summary);
}

const pf::Command *findCommand(const std::string &name) {
  for (const pf::Command &command : pf::allCommands())
    if (name == command.name) return &command;
  return nullptr;
}

bool wantsHelp(const std::vector<std::string> &args) {
  for (const std::string &arg : args)
    if (arg == "--help" || arg == "-h") return true;
  return false;
}

}  // namespace

int main(int argc, char **argv) {
  const std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    if (words.size() >= 2) {
      if (const pf::Command *command = findCommand(words[1])) {
        fmt::print("{}", command->help);
        return 0;
      }
    }
    printOverview();
    return words.empty() ? kExitUsage : 0;
  }
  const pf::Command *command = findCommand(words[0]);
  if (!command) {
    fmt::print(stderr, "powerflow: unknown command '{}' (try 'powerflow --help')\n", words[0]);
    return kExitUsage;
  }
  const std::vector<std::string> args(words.begin() + 1, words.end());
  if (wantsHelp(args)) {
    fmt::print("{}", command->help);
    return 0;
  }
  try {
    return command->run(args);
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return kExitInputError;
  } catch (const std::exception &error) {
    fmt::print(stderr, "internal error PF-0001: {} (please report)\n", error.what());
    return kExitInternalError;
  }
}
