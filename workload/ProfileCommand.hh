// `powerflow profile`: map a network onto the accelerator and write its workload profile
// (docs/mapping.md; the file format is in docs/formats.md, "Workload profile").
#pragma once

#include <string>
#include <vector>

#include "core/Design.hh"
#include "golden/Layer.hh"
#include "workload/Profile.hh"

namespace pf {

extern const char *const kProfileCommandSummary;
extern const char *const kProfileCommandHelp;
int runProfileCommand(const std::vector<std::string> &args);

// The accelerator parameters of a design (ROWS, COLS, ... of [design.parameters]; the
// documented defaults for any that are absent). Throws PF-6707 if they are unusable.
AccelConfig accelConfigOf(const DesignSpec &design);

// The per-layer table the command prints.
std::string formatProfileTable(const Profile &profile, const DesignSpec *design);

}  // namespace pf
