// `powerflow report`: the one-page HTML report (docs/report.md).
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &reportCommandLine();
int runReportCommand(const std::vector<std::string> &args);

}  // namespace pf
