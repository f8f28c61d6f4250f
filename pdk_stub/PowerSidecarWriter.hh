// The rails-and-switches sidecar of the stub PDK (pf40lp_power.toml): everything the
// scheduler needs about supply rails, header switches, isolation, level shifters and SRAM
// retention that liberty has no standard attribute for. Formulas: docs/pdk_stub.md.
#pragma once

#include <string>

#include "pdk_stub/Model.hh"

namespace pf::pdk {

// "pf40lp_power.toml".
std::string powerSidecarFileName(const ProcessParams &p);

// `command` is the regeneration command quoted in the banner.
std::string powerSidecarText(const ProcessParams &p, const std::string &command);

// Load and input slew at which the sidecar quotes cell delays/energies: four INV_X1 inputs,
// second slew index.
double sidecarReferenceLoadPf(const ProcessParams &p);
double sidecarReferenceSlewNs(const ProcessParams &p);

}  // namespace pf::pdk
