// `powerflow pdk`: regenerate the stub PDK (liberty per voltage, SRAM macros, rails).
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &pdkCommandLine();

// args excludes the program and subcommand names. Returns the process exit status;
// throws pf::Error on bad input (the CLI edge prints it and exits non-zero).
int runPdkCommand(const std::vector<std::string> &args);

}  // namespace pf
