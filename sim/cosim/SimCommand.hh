// `powerflow sim`: co-simulate the generated system for N periods (docs/sim.md).
#pragma once

#include <string>
#include <vector>

namespace pf {

extern const char *const kSimCommandSummary;
extern const char *const kSimCommandHelp;
int runSimCommand(const std::vector<std::string> &args);

}  // namespace pf
