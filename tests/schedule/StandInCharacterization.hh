// A stand-in characterization of a design for the schedule tests: every design domain at
// six corners (0.6..1.1 V), numbers of the right order for the stub PDK (alpha-power
// fmax, V^2 energies, exponential leakage) but not a physical model. Lets the schedule
// flow be tested without the minutes a real characterization takes.
#pragma once

#include <vector>

#include "characterize/Characterization.hh"
#include "core/Design.hh"

namespace pf::test {

Characterization standInCharacterization(const DesignSpec &design);
// The same at the given corner voltages (ascending), e.g. for eight rails.
Characterization standInCharacterization(const DesignSpec &design,
                                         const std::vector<double> &corners_v);

}  // namespace pf::test
