// Energy per operation class of one PE column group (rtl/pf_pe_group.v) from gate-level
// simulation: MAC cycles as a function of operand sparsity and bit activity, clocked idle
// (clock running, ce low) and clock-gated cycles (no clock edges).
//
// The stimulus knows pf_pe_group's port contract (clk, rst_n, ce, iso, ld, init,
// max_mode, x_in, w_in, init_val); the widths (ROWS lanes, GC columns) come from the
// netlist, so any parameterisation works.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "characterize/energy/EnergyModel.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleSim.hh"
#include "characterize/liberty/Liberty.hh"

namespace pf::energy {

struct PeGroupEnergyOptions {
  std::vector<double> sparsities = {0.0, 0.25, 0.5, 0.75, 0.9};  // fraction of zero activations
  double weight_sparsity = 0.0;                                  // fraction of zero weight bytes
  double bit_activity = 0.5;    // per-bit flip probability between non-zero operands of a lane
  int cycles_per_point = 1000;  // simulated cycles per operation class
  uint64_t seed = 1;
  EnergyOptions energy;
};

// One operation class at one voltage, per clock cycle of the group.
struct PeGroupClassEnergy {
  std::string op_class;  // "mac", "idle_clocked", "idle_clocked_quiet", "gated", "gated_quiet"
  double sparsity = 0;   // mac only
  EnergyBreakdown per_cycle;
};

struct PeGroupEnergyTable {
  std::string library;
  double voltage_v = 0;
  int lanes = 0;    // ROWS
  int columns = 0;  // GC
  int macsPerCycle() const { return lanes * columns; }
  std::vector<PeGroupClassEnergy> classes;
  const PeGroupClassEnergy *find(const std::string &op_class, double sparsity = 0) const;
};

// The stimulus: phase "warmup" (reset, init, a few MACs), then one phase per class:
// "mac_<i>" for sparsities[i], "idle_clocked" (ce low, operand buses active as if other
// groups computed), "idle_clocked_quiet" (ce low, buses still), "gated" (no clock, buses
// active), "gated_quiet" (no clock, nothing moves).
Stimulus makePeGroupStimulus(const GateNetlist &netlist, const PeGroupEnergyOptions &options);

// Simulates once (toggles do not depend on the corner) and prices the toggles with every
// library; cells must exist in all of them. `work_dir` holds the Verilator build if the
// netlist needs one (simulateToggles) and the classes' toggle counts (kToggleCountsFile,
// ToggleCounts.hh).
std::vector<PeGroupEnergyTable> characterizePeGroup(
    const GateNetlist &netlist, const std::vector<const liberty::Library *> &libraries,
    const PeGroupEnergyOptions &options, const std::string &work_dir,
    ToggleSimStats *stats = nullptr);

}  // namespace pf::energy
