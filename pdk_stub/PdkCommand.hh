// `powerflow pdk`: regenerate the stub PDK (liberty per voltage, SRAM macros, rails).
#pragma once

#include <string>
#include <vector>

namespace pf {

extern const char *const kPdkCommandSummary;  // one line for `powerflow --help`
extern const char *const kPdkCommandHelp;     // full text for `powerflow pdk --help`

// args excludes the program and subcommand names. Returns the process exit status;
// throws pf::Error on bad input (the CLI edge prints it and exits non-zero).
int runPdkCommand(const std::vector<std::string> &args);

}  // namespace pf
