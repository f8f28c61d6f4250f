// `powerflow schedule`: the energy-minimal power schedule of a network on a design.
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &scheduleCommandLine();
int runScheduleCommand(const std::vector<std::string> &args);

}  // namespace pf
