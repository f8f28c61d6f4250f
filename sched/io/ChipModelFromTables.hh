// The scheduler's chip model from the design (rails, clock, memory port) and the
// characterization (per-corner physics of every domain). Rails are matched to
// characterized corners by voltage; every rail must have one. The design's [transitions]
// choose the rail-change and clock-change physics (docs/transitions.md): with a PLL the
// clock's switch time is the relock time.
#pragma once

#include <string>

#include "characterize/Characterization.hh"
#include "core/Design.hh"
#include "sched/InstanceBuilder.hh"

namespace pf {

// Throws pf::Error (PF-71xx) naming the design or characterization file and the field:
// a design without [clock]/[memory], a rail voltage with no characterized corner, a
// design domain missing from the characterization, a table without the energies the
// scheduler needs.
sched::ChipModel chipModelFromTables(const DesignSpec &design, const Characterization &table,
                                     const std::string &characterization_file);

}  // namespace pf
