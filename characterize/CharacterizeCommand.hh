// `powerflow characterize`: the command edge of the characterize stage.
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &characterizeCommandLine();
int runCharacterizeCommand(const std::vector<std::string> &args);

}  // namespace pf
