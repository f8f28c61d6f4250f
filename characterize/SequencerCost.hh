// The power sequencer's own cost (issue 10, item 8): it lives in the always-on domain, so
// its area, leakage and clock energy are paid in every state the scheduler picks.
//
// characterizeSequencer() generates the sequencer's Verilog for the given parameters
// (gen::sequencerVerilog; the ROM, a separate module, is not included), synthesizes it with
// Yosys onto the synthesis corner's standard cells with the same steps as characterize/synth
// (synth, dfflibmap, abc, opt_clean -purge; flattened, no fan-out buffering) and prices the
// netlist with every corner's liberty.
//
// What is measured and what is modelled:
//   measured  cells and flip-flops of the mapped netlist, its area (Yosys `stat -liberty`);
//             leakage per corner (sum over instances of the corner's cell_leakage_power,
//             state-independent, as characterize does for the domains).
//   tables    clock energy per cycle: the clock net rises and falls once per cycle and is
//             priced by energy::EnergyModel, the same code that prices characterize's
//             toggle counts: the flip-flops' clock-pin internal energy, C*V^2 of the net
//             (liberty pin capacitances plus the stated wire model). The sequencer has no
//             clock gating, so this part is exact up to the stated slew and wire model.
//   modelled  data energy per cycle: every other net toggles `data_activity` times per
//             cycle (a borrowed vectorless default, not simulated), half rising, half
//             falling, priced by the same EnergyModel (output and input internal energy at
//             the net's load, 1/2*C*V^2); it is the energy of clock and data toggling
//             together minus the clock-only energy, so flop outputs are charged their
//             clock arc. The reset net (`rst_n`) is static.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "characterize/Corners.hh"
#include "characterize/energy/EnergyModel.hh"
#include "gen/Sequencer.hh"

namespace pf {

struct SequencerCostOptions {
  std::string work_dir;  // created if absent: the Verilog, Yosys script, log and netlist
  // Toggles per cycle of every non-clock net. 0.1 is the usual vectorless default of
  // power estimators; the sequencer mostly counts and waits, so it is an upper-side guess.
  double data_activity = 0.1;
  // Slew and wire model, the same defaults as the gate-level energy of characterize.
  energy::EnergyOptions loads;
};

struct SequencerCornerCost {
  std::string corner;
  double voltage_v = 0;
  std::string liberty;         // the corner's first standard-cell library
  double leakage_nw = 0;       // measured (liberty sum)
  double clock_energy_pj = 0;  // per cycle, from liberty tables (see above)
  double data_energy_pj = 0;   // per cycle, modelled with data_activity
  double energyPerCyclePj() const { return clock_energy_pj + data_energy_pj; }
};

struct SequencerCost {
  std::string module;                        // the synthesized module (params.module_name)
  int rails = 0, domains = 0;                // the shape that was characterized
  std::string synthesis_corner;              // the corner whose library the netlist is mapped onto
  std::string synthesis_liberty;             // that library file
  long cells = 0;                            // measured: leaf cells of the mapped netlist
  long flip_flops = 0;                       // measured: cells with an ff or latch group
  double area_um2 = 0;                       // measured: Yosys stat -liberty
  std::map<std::string, long> cell_counts;   // cell type -> instances
  double data_activity = 0;                  // the modelled toggle rate the data energy used
  std::vector<SequencerCornerCost> corners;  // in the corner set's order (ascending V)
  double yosys_wall_seconds = 0;
  std::string netlist_file;  // Yosys JSON of the mapped netlist (in work_dir)
};

// Throws pf::Error: 5401 unusable parameters or corner set, 5402 Yosys failed (quoting
// it), 5403 Yosys output without the expected figures or netlist, 5404 a mapped cell or
// pin missing from a corner's library, 5405 the work directory cannot be written. Liberty
// read errors are PF-51xx.
SequencerCost characterizeSequencer(const gen::SequencerParams &params, const CornerSet &corners,
                                    const SequencerCostOptions &options);

// A sequencer shape with plausible constants for `rails` x `domains`, for benchmarks and
// tests that have no design behind them: the default design's 6 dividers, a 1024-word ROM
// and its power-good timeout (121 cycles); the first third of the domains without
// retention (PE groups), the rest with (banks); on rail r of R (ascending voltage) a
// domain needs divider index >= R-1-r (capped at 5).
gen::SequencerParams representativeSequencerParams(int rails, int domains);

}  // namespace pf
