// The always-on domain's energy per clock cycle, as a step of the characterize stage
// (docs/characterize-energy.md, "Always-on domain"): the domain is cut out of the
// synthesized netlist (the switchable instances removed, their pins made ports), its
// boundary is taken from the design and the SRAM bindings, a real accelerator workload
// runs on the RTL and is replayed on the cut netlist (energy/AlwaysOnEnergy.hh). The
// result is cached in <work>/energy_aon/, keyed by the SHA-256 of what it depends on.
#pragma once

#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "characterize/Characterize.hh"
#include "characterize/Corners.hh"
#include "characterize/liberty/Liberty.hh"
#include "characterize/synth/Synth.hh"
#include "core/Design.hh"

namespace pf {

// True if the always-on domain holds the accelerator's layer engine and DMA (modules
// pf_ctrl and pf_dma), whose top-level port contract (docs/accelerator.md) the workload
// drives. Otherwise reports through options.progress that the domain's energy per cycle
// is not characterized, and returns false.
bool alwaysOnEnergySupported(const DomainSpec &domain, const CharacterizeOptions &options);

// Operations "active_cycle", "idle_clocked_cycle" and the busy cycles by phase
// ("fetch_cycle", "load_cycle", "compute_cycle", "store_cycle"): pJ per clock cycle of the
// domain at every corner. `std_libraries` are the corners' standard-cell libraries, in
// corner order. Sub-steps go to options.progress; `from_cache`, if given, tells whether
// the result came from the cache.
std::vector<OperationEnergy> alwaysOnOperations(
    const DesignSpec &design, const synth::SynthesisResult &synthesis, const CornerSet &corners,
    const std::vector<const liberty::Library *> &std_libraries, const CharacterizeOptions &options,
    bool *from_cache = nullptr);

}  // namespace pf
