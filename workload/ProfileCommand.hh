// `powerflow profile`: map a network onto the accelerator and write its workload profile
// (docs/mapping.md; the file format is in docs/formats.md, "Workload profile").
#pragma once

#include <string>
#include <vector>

#include "core/Cli.hh"
#include "core/Design.hh"
#include "golden/Layer.hh"
#include "workload/Mapping.hh"  // accelConfigOf
#include "workload/Profile.hh"

namespace pf {

// Options, summary and --help text.
const cli::Spec &profileCommandLine();
int runProfileCommand(const std::vector<std::string> &args);

// The per-layer table the command prints.
std::string formatProfileTable(const Profile &profile, const DesignSpec *design);

}  // namespace pf
