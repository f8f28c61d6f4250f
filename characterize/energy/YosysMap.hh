// Minimal Yosys run that maps RTL onto a liberty library and writes a flat BLIF netlist
// for the energy engine. The characterize stage's synthesis driver (characterize/synth)
// will hand its own netlist instead; this keeps the energy engine testable on its own.
#pragma once

#include <string>
#include <vector>

namespace pf::energy {

struct YosysMapResult {
  std::string blif_path;
  double wall_seconds = 0;
};

// synth -flatten; dfflibmap + abc with `liberty_path`; opt_clean; write_blif.
// `parameters` are "NAME=VALUE" overrides of the top module (PF-5343 if one is not).
// Throws pf::Error PF-5341 when Yosys fails.
YosysMapResult mapWithYosys(const std::vector<std::string> &rtl_files, const std::string &top,
                            const std::string &liberty_path, const std::string &work_dir,
                            const std::vector<std::string> &parameters = {});

// One power domain of an already mapped, hierarchical netlist as a flat BLIF for the energy
// engine: the instances of `cut_types` (the other domains' modules and macros) are removed
// and their pins become ports of the result (Yosys `expose -evert`): an input port per
// output pin, named "<instance path>.<pin>", and an output port per input pin. Nothing
// else changes: the cells are exactly those of the netlist (no re-synthesis, no clean-up),
// so the simulated netlist is the one synthesis counted and STA timed.
struct DomainCutSpec {
  std::string netlist_verilog;  // hierarchical netlist of library cells
  std::string top;
  std::vector<std::string> liberty_files;  // read with -lib: cells and macros
  std::vector<std::string> cut_types;      // modules / macros whose instances are cut out
};

// Throws pf::Error PF-5342 quoting Yosys.
YosysMapResult cutDomainWithYosys(const DomainCutSpec &spec, const std::string &work_dir);

}  // namespace pf::energy
