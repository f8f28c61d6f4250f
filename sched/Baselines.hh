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
  // Per-layer multiple-choice knapsack under D, blind to transitions (DAE-DVFS), then
  // charged for them; repaired: re-planned with the budget cut by the overshoot until the
  // schedule meets D, as the method budgets for switching.
  LayerLevel,
  LayerLevelRaw,  // the same, not repaired: the blind plan as it comes
  // Super-blocks of layers, one operating point and gating policy per block (SparseDVFS),
  // repaired like layer-level; raw: not repaired.
  SuperBlock,
  SuperBlockRaw,
};
// "aggressive", "race-to-idle", "static", "layer-level", "layer-level-raw", "super-block",
// "super-block-raw"
const char *baselineName(Baseline kind);

struct BaselineOptions {
  // super-block: a block closes once its time at the aggressive point exceeds
  // super_block_n x the switch time (Baselines.cc says which switch time).
  int super_block_n = 4;
  // runAllBaselines() also reports the repaired super-block at each of these N.
  std::vector<int> super_block_sweep = {1, 2, 8, 16};
};

struct BaselineResult {
  Baseline kind = Baseline::Aggressive;
  std::string label;       // the name it is reported by: baselineName(kind), or with its N
  bool repaired = false;   // the plan was re-made with a smaller budget to meet D
  Ticks budget = 0;        // the knapsack's capacity of the reported plan (knapsack kinds)
  double wall_ms = 0.0;    // how long runAllBaselines() took for it (varies run to run)
  bool available = false;  // false: the instance lacks what the policy needs (see note)
  Schedule schedule;       // valid when available
  Evaluation evaluation;   // evaluate(instance, schedule), same validity
  std::string note;        // why unavailable, fallbacks taken, deadline/period breaks

  bool feasible() const { return available && evaluation.feasible(); }
};

// Runs one policy. The instance must be valid (validateInstance()).
BaselineResult runBaseline(const Instance &instance, Baseline kind,
                           const BaselineOptions &options = {});

// Every policy, in the order of the enum, then the super-block sweep over N.
std::vector<BaselineResult> runAllBaselines(const Instance &instance,
                                            const BaselineOptions &options = {});

}  // namespace pf::sched
