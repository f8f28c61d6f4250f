// Schedules, their evaluation, and the one interface every solver sits behind.
//
// A schedule picks one idle option and one option per layer (sched/Instance.hh has the
// model). evaluate() is the single cost model: solvers, baselines, reports and tests all
// price a schedule through it, so "exact == ilp" compares like with like.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sched/Instance.hh"

namespace pf::sched {

struct Schedule {
  int idle_option = -1;            // index into Instance::idle
  std::vector<int> layer_options;  // one per layer, index into Stage::options
};

// The cost of a schedule, split the way the schedule file reports it.
struct Evaluation {
  Ticks busy_time = 0;  // wake-up + layers + inner transitions (compared with D)
  Ticks down_time = 0;  // transition from the last layer into idle
  Ticks idle_time = 0;  // P - busy - down (may be negative when infeasible)
  double layer_dynamic_pj = 0.0;
  double layer_leakage_pj = 0.0;
  double transition_pj = 0.0;  // all boundaries, including wake-up and going to sleep
  double idle_pj = 0.0;        // p_k * idle_time
  double total_pj = 0.0;
  bool meets_deadline = false;  // busy_time <= D
  bool fits_period = false;     // busy_time + down_time <= P
  bool feasible() const { return meets_deadline && fits_period; }
};

// Prices `schedule` on `instance`. Indices must be in range (checked; throws
// std::out_of_range otherwise) — a malformed schedule is a programming error.
Evaluation evaluate(const Instance &instance, const Schedule &schedule);

enum class SolverKind { Exact, Discretized, Ilp, Brute };
const char *solverKindName(SolverKind kind);  // "exact", "discretized", "ilp", "brute"

enum class SolveStatus {
  Optimal,     // proven optimal for the instance (discretized: only with 1-tick buckets)
  Feasible,    // a feasible schedule without proof (limits hit, or heuristic)
  Infeasible,  // no schedule meets D and P; see SolveResult::min_busy_time
  TooLarge,    // refused: the instance exceeds the solver's limit (brute)
  Failed,      // the solver itself failed (message says why)
};
const char *solveStatusName(SolveStatus status);

struct SolveOptions {
  SolverKind kind = SolverKind::Exact;
  bool prune = true;                // exact: bound pruning on/off (dominance always on)
  Ticks bucket_ticks = 1;           // discretized: bucket width
  double ilp_time_limit_s = 600.0;  // ilp: wall-clock limit
  double brute_max_log10 = 7.0;     // brute: refuse above 10^this schedules
};

struct SolverStats {
  int64_t labels_created = 0;
  int64_t labels_dominated = 0;  // removed by (time, energy) dominance
  int64_t labels_pruned = 0;     // removed by the time or energy bounds
  int64_t peak_labels = 0;       // most labels alive at one stage
  int64_t nodes = 0;             // ilp: branch-and-bound nodes; brute: schedules tried
  int64_t columns = 0;           // ilp: binary columns handed to CBC, all idle options
  int64_t columns_fixed = 0;     // ilp: columns left out by Lagrangian fixing
  double wall_ms = 0.0;
};

struct SolveResult {
  SolveStatus status = SolveStatus::Failed;
  Schedule schedule;        // valid when Optimal or Feasible
  Evaluation evaluation;    // evaluate(instance, schedule), same validity
  Ticks min_busy_time = 0;  // the smallest T_busy any schedule achieves
  SolverStats stats;
  std::string message;  // why, when not Optimal
};

// Runs the chosen solver. The instance must be valid (validateInstance()).
SolveResult solve(const Instance &instance, const SolveOptions &options);

// The solvers behind solve(); each is also callable directly.
SolveResult solveExact(const Instance &instance, bool prune);
SolveResult solveDiscretized(const Instance &instance, Ticks bucket_ticks);
SolveResult solveIlp(const Instance &instance, double time_limit_s);
SolveResult solveBrute(const Instance &instance, double max_log10);

// The exact solver (pruned) at each of `deadlines` in turn, the instance otherwise as
// given: result i is what solveExact() returns for the instance with D = deadlines[i]
// (each D must keep it valid: D <= P). What does not depend on D is built once: the
// solver's graphs, the minimum busy time, and its shortest-path tables while the graphs'
// arcs into sleep stay the same (they change only once P - D is below some transition
// into sleep). stats.wall_ms of the first result includes building them.
std::vector<SolveResult> solveExactAtDeadlines(const Instance &instance,
                                               const std::vector<Ticks> &deadlines);

// The smallest achievable T_busy (and a schedule that achieves it, ignoring energy),
// used to refuse a deadline below it with the number in the message.
Ticks minimumBusyTime(const Instance &instance);

// A lower bound on E for any feasible schedule: for every idle option k, the Lagrangian
// dual of the deadline (cheapest path in reduced energy e - p_k t plus a price on time,
// maximised over the price), plus p_k P; the minimum over k. Without binding limits it
// is the optimum itself.
double energyLowerBound(const Instance &instance);

}  // namespace pf::sched
