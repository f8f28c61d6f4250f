// The `powerflow` command table: one entry per git-style subcommand. Each stage owns
// its command function and its command-line declaration (core/Cli.hh); flows/ only
// dispatches, prints help and turns pf::Error into a message and an exit status.
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

struct Command {
  const char *name;
  // Options, summary (one line for `powerflow --help`) and the `powerflow NAME --help` text.
  const cli::Spec &(*command_line)();
  int (*run)(const std::vector<std::string> &args);
};

const std::vector<Command> &allCommands();

}  // namespace pf
