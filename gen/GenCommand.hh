// `powerflow gen`: the schedule as hardware (docs/gen.md).
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &genCommandLine();
int runGenCommand(const std::vector<std::string> &args);

}  // namespace pf
