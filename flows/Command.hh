// The `powerflow` command table: one entry per git-style subcommand. Each stage owns
// its command function; flows/ only dispatches, prints help and turns pf::Error into
// a message and an exit status.
#pragma once

#include <string>
#include <vector>

namespace pf {

struct Command {
  const char *name;
  const char *summary;  // one line for `powerflow --help`
  const char *help;     // full text for `powerflow NAME --help`
  int (*run)(const std::vector<std::string> &args);
};

const std::vector<Command> &allCommands();

}  // namespace pf
