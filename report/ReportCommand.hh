// `powerflow report`: the one-page HTML report (docs/report.md).
#pragma once

#include <string>
#include <vector>

namespace pf {

extern const char *const kReportCommandSummary;
extern const char *const kReportCommandHelp;
int runReportCommand(const std::vector<std::string> &args);

}  // namespace pf
