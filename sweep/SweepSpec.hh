// The sweep file (docs/sweep.md) as plain structs: what `powerflow sweep` reads at its
// edge (sweep/SweepReader.hh) and expands into a plan of points (sweep/SweepPlan.hh).
// Paths are resolved (relative to the sweep file); every entry keeps where it came from
// so a later check can name the file, line and field.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf::sweep {

// One design point: a base design with some of its [design.parameters] replaced.
struct DesignPointSpec {
  std::string name;                           // a file-name-safe word, unique in the sweep
  std::string base_design;                    // the design TOML it starts from
  std::map<std::string, int64_t> parameters;  // replaced parameters, by name
  SourceLoc loc;                              // of the entry (or of the axis)
  std::string field;                          // "design_point[1]", "axes.parameters"
};

struct NetworkSpec {
  std::string name;  // the file's stem, unique in the sweep
  std::string file;
  SourceLoc loc;
};

struct SweepSpec {
  std::string file;  // the sweep file itself
  std::string name;
  std::string corners;                 // corner set every design point is characterized on
  std::string characterization_cache;  // "" = <out>/characterizations
  std::vector<DesignPointSpec> designs;
  std::vector<std::vector<double>> rails_v;  // each ascending; empty list = design's rails
  std::vector<NetworkSpec> networks;
  std::vector<double> periods_us;
  std::vector<double> deadlines_us;             // at most one of these two is non-empty;
  std::vector<double> deadline_fractions;       // none: the deadline is the period
  int sim_periods = 1;                          // 0: no co-simulation
  int64_t sparsity_seed = 0;                    // powerflow profile --sparsity-from-data
  std::map<std::string, SourceLoc> field_locs;  // "axes.rails" -> where, for later checks
};

}  // namespace pf::sweep
