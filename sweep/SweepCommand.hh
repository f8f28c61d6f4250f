// `powerflow sweep SWEEP.toml`: reads and checks a sweep file, writes the sweep folder
// (design points, plan, workflow) and runs the workflow with Snakemake, locally or on a
// cluster through a Snakemake profile (docs/sweep.md).
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"

namespace pf {

const cli::Spec &sweepCommandLine();
int runSweepCommand(const std::vector<std::string> &args);

}  // namespace pf
