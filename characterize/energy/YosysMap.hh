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
// `parameters` are "NAME=VALUE" overrides of the top module. Throws pf::Error PF-5341.
YosysMapResult mapWithYosys(const std::vector<std::string> &rtl_files, const std::string &top,
                            const std::string &liberty_path, const std::string &work_dir,
                            const std::vector<std::string> &parameters = {});

}  // namespace pf::energy
