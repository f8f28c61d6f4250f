// Brute force, the test oracle: every schedule in lexicographic order of (idle option,
// layer 0 option, ..., layer L-1 option), each priced by evaluate(). The first schedule
// of least energy among the feasible ones wins, so ties go to the lexicographically
// smallest. Deliberately naive: no shortcuts that could share a bug with the solvers.
#include <algorithm>
#include <chrono>
#include <limits>
#include <string>

#include "sched/Bounds.hh"

namespace pf::sched {

namespace {

// Advances `schedule` to the next one in lexicographic order; false after the last.
bool nextSchedule(const Instance &instance, Schedule &schedule) {
  for (int i = instance.layerCount() - 1; i >= 0; --i) {
    int &option = schedule.layer_options[size_t(i)];
    if (++option < int(instance.layers[size_t(i)].options.size())) return true;
    option = 0;
  }
  return ++schedule.idle_option < int(instance.idle.size());
}

}  // namespace

SolveResult solveBrute(const Instance &instance, double max_log10) {
  const auto start = std::chrono::steady_clock::now();
  SolveResult result;
  const double log10_count = scheduleSpaceLog10(instance);
  if (log10_count > max_log10 + 1e-9) {
    result.status = SolveStatus::TooLarge;
    result.message = "brute force refuses 10^" + std::to_string(log10_count) +
                     " schedules (limit 10^" + std::to_string(max_log10) + ")";
    return result;
  }

  Schedule schedule{0, std::vector<int>(instance.layers.size(), 0)};
  bool found = false;
  result.min_busy_time = std::numeric_limits<Ticks>::max();
  do {
    const Evaluation evaluation = evaluate(instance, schedule);
    ++result.stats.nodes;
    result.min_busy_time = std::min(result.min_busy_time, evaluation.busy_time);
    if (evaluation.feasible() && (!found || evaluation.total_pj < result.evaluation.total_pj)) {
      found = true;
      result.schedule = schedule;
      result.evaluation = evaluation;
    }
  } while (nextSchedule(instance, schedule));

  result.status = found ? SolveStatus::Optimal : SolveStatus::Infeasible;
  if (!found) result.message = detail::infeasibleMessage(instance, result.min_busy_time);
  result.stats.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace pf::sched
