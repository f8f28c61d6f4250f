// Baseline policies the optimal schedule is compared against (DESIGN.md, "The scheduling
// problem"). Each is a simple, named rule that picks a schedule from the instance's power
// states, operating points and idle kinds; the schedule is then priced by evaluate(), the
// same cost model as every solver, so "optimum <= baseline" compares like with like.
// A baseline may break the deadline (most are blind to transitions): its note says so.
#pragma once

#include <string>
#include <vector>

#include "sched/Schedule.hh"

namespace pf::sched {

enum class Baseline {
  Aggressive,  // aggressive point everywhere, nothing gated, clock running while idle
  RaceToIdle,  // aggressive point everywhere, then the lowest-power power-gated idle
  Static,      // one operating point for all layers: the cheapest that meets D
  LayerLevel,  // per-layer multiple-choice knapsack under D, blind to transitions (DAE-DVFS)
  SuperBlock,  // greedy super-blocks, one point and gating policy per block (SparseDVFS)
};
// "aggressive", "race-to-idle", "static", "layer-level", "super-block"
const char *baselineName(Baseline kind);

struct BaselineOptions {
  // super-block: a block closes once its time at the aggressive point exceeds
  // super_block_n x the switch time (Baselines.cc says which switch time).
  int super_block_n = 4;
};

struct BaselineResult {
  Baseline kind = Baseline::Aggressive;
  bool available = false;  // false: the instance lacks what the policy needs (see note)
  Schedule schedule;       // valid when available
  Evaluation evaluation;   // evaluate(instance, schedule), same validity
  std::string note;        // why unavailable, fallbacks taken, deadline/period breaks

  bool feasible() const { return available && evaluation.feasible(); }
};

// Runs one policy. The instance must be valid (validateInstance()).
BaselineResult runBaseline(const Instance &instance, Baseline kind,
                           const BaselineOptions &options = {});

// Every policy, in the order of the enum.
std::vector<BaselineResult> runAllBaselines(const Instance &instance,
                                            const BaselineOptions &options = {});

}  // namespace pf::sched
