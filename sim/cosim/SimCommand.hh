// `powerflow sim`: co-simulate the generated system for N periods (docs/sim.md).
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &simCommandLine();
int runSimCommand(const std::vector<std::string> &args);

}  // namespace pf
