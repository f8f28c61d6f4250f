// `powerflow schedule`: the energy-minimal power schedule of a network on a design.
#pragma once

#include <string>
#include <vector>

namespace pf {

extern const char *const kScheduleCommandSummary;
extern const char *const kScheduleCommandHelp;
int runScheduleCommand(const std::vector<std::string> &args);

}  // namespace pf
