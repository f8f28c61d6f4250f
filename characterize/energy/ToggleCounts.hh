// Toggle counts per operation class of a netlist, kept beside a characterization's
// gate-level simulation (characterizePeGroup, characterizeAlwaysOn) so the same toggles
// can be priced again with other EnergyOptions (a slew or wire model, bench/) without
// simulating again.
//
// Text file, one net per line in netlist order, so it is checked against the netlist it is
// priced with (same net count and names):
//
//   powerflow-toggle-counts 1
//   nets <N> classes <K>
//   class <name> <sparsity> <cycles>                  K lines
//   <net name> <rise_1> <fall_1> ... <rise_K> <fall_K>  N lines
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "characterize/energy/GateNetlist.hh"

namespace pf::energy {

// The file's name in the work folder of characterizePeGroup and characterizeAlwaysOn.
inline constexpr const char *kToggleCountsFile = "toggle_counts.txt";

struct ClassToggleCounts {
  std::string op_class;              // "mac", "idle_clocked", "active", ...
  double sparsity = 0;               // MAC classes; 0 otherwise
  int64_t cycles = 0;                // clock cycles the counts were taken over
  std::vector<uint32_t> rise, fall;  // per net
};

// Throws pf::Error PF-5336 if the counts are not one per net of `netlist`, or the file
// cannot be written.
void writeToggleCounts(const std::string &path, const GateNetlist &netlist,
                       const std::vector<ClassToggleCounts> &classes);

// Throws pf::Error PF-5334 naming file and line if the file is malformed or its nets are
// not those of `netlist` (name by name); PF-1001 if it cannot be read.
std::vector<ClassToggleCounts> readToggleCounts(const std::string &path,
                                                const GateNetlist &netlist);

}  // namespace pf::energy
