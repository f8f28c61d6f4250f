// `powerflow gen`: the schedule as hardware (docs/gen.md).
#pragma once

#include <string>
#include <vector>

namespace pf {

extern const char *const kGenCommandSummary;
extern const char *const kGenCommandHelp;
int runGenCommand(const std::vector<std::string> &args);

}  // namespace pf
