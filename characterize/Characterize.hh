// The characterize stage: design + corner set -> characterization table.
//
//   0. every liberty file checked by our own parser, and the corners against their
//      libraries, before any tool runs (LibraryCheck.hh);
//   1. synthesis of every power domain onto the synthesis corner (characterize/synth);
//   2. multi-corner static timing: fmax per domain per voltage;
//   3. leakage per domain per corner: sum of the cells' cell_leakage_power (SRAM macros
//      included), gated leakage through the header switch, SRAM retention leakage;
//   4. dynamic energy per operation class: PE-group MAC cycles vs operand sparsity,
//      clocked-idle and clock-gated cycles from gate-level simulation
//      (characterize/energy); SRAM read, write and idle cycles from the macro's clock-pin
//      internal power; the always-on domain's active and idle cycles from a real workload
//      run on the RTL and replayed on its gate netlist;
//   5. wake-up time and energy of each switchable domain from the power model (the corner
//      set's, or the stub's built in when it names none; LibraryCheck.hh);
//   6. the design's fastest clock against every domain's fmax (ClockLimit.hh, a warning);
//   7. the provenance of every figure family (Provenance.hh).
// No output is written here; the command edge writes the table.
#pragma once

#include <string>

#include "characterize/Characterization.hh"
#include "characterize/Corners.hh"
#include "characterize/LibraryCheck.hh"
#include "core/Design.hh"
#include "core/Progress.hh"

namespace pf {

struct CharacterizeOptions {
  std::string work_dir;                // netlists, tool logs, Verilator builds
  std::string command_line;            // recorded as generated_by
  int max_fanout = 16;                 // buffer trees keep nets at or below this
  double input_slew_ns = 0.1;          // stated slew of ports and the clock, and of SRAM lookups
  int energy_cycles_per_class = 1000;  // simulated cycles per PE operation class
  // Accept corners of different process or temperature (LibraryCheck.hh), with a warning
  // in the table.
  bool allow_mixed_corners = false;
  // Terminal progress, none if null: the counted steps "characterize: N/M what (tool)"
  // with their wall time or "(cached)", their sub-steps and warnings (core/Progress.hh).
  ProgressSink *progress = nullptr;
};

// SHA-256 over everything the table depends on: the design TOML and its RTL, the corner
// set, every liberty file, the power model, the tool versions and the options.
std::string characterizationInputsHash(const DesignSpec &design, const CornerSet &corners,
                                       const CharacterizeOptions &options);

// Throws pf::Error naming the file and quoting the tool on any failure. Checks the liberty
// files first (checkCornerLibraries, with options.allow_mixed_corners).
Characterization characterize(const DesignSpec &design, const CornerSet &corners,
                              const CharacterizeOptions &options);

// The same on libraries already checked by checkCornerLibraries(corners, ...), which are
// used as they are (not read again).
Characterization characterize(const DesignSpec &design, const CornerSet &corners,
                              const CheckedLibraries &checked, const CharacterizeOptions &options);

}  // namespace pf
