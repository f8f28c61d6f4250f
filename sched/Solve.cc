#include "sched/Schedule.hh"

namespace pf::sched {

SolveResult solve(const Instance &instance, const SolveOptions &options) {
  switch (options.kind) {
    case SolverKind::Exact:
      return solveExact(instance, options.prune);
    case SolverKind::Discretized:
      return solveDiscretized(instance, options.bucket_ticks);
    case SolverKind::Ilp:
      return solveIlp(instance, options.ilp_time_limit_s);
    case SolverKind::Brute:
      return solveBrute(instance, options.brute_max_log10);
  }
  SolveResult failed;
  failed.message = "unknown solver";
  return failed;
}

}  // namespace pf::sched
