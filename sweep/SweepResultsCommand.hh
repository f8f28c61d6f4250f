// `powerflow sweep-results [--dir DIR] [--out DIR]`: the results of a sweep folder (the
// one `powerflow sweep` wrote and ran) as a table and a page: results.json, results.csv,
// stage_times.csv and index.html, all written or none (docs/sweep.md).
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

const cli::Spec &sweepResultsCommandLine();
int runSweepResultsCommand(const std::vector<std::string> &args);

}  // namespace pf
