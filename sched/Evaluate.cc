#include <stdexcept>

#include "sched/Schedule.hh"

namespace pf::sched {

namespace {

int checkedIndex(int index, size_t size, const char *what) {
  if (index < 0 || size_t(index) >= size) throw std::out_of_range(std::string("schedule: ") + what);
  return index;
}

}  // namespace

Evaluation evaluate(const Instance &instance, const Schedule &schedule) {
  const int layers = instance.layerCount();
  if (int(schedule.layer_options.size()) != layers)
    throw std::out_of_range("schedule: one option per layer expected");
  const int idle = checkedIndex(schedule.idle_option, instance.idle.size(), "idle option");

  Evaluation result;
  int previous = idle;
  for (int i = 0; i < layers; ++i) {
    const Stage &stage = instance.layers[i];
    const int option =
        checkedIndex(schedule.layer_options[i], stage.options.size(), "layer option");
    const TransitionMatrix &into = instance.transitions[i];
    result.busy_time += into.timeAt(previous, option) + stage.options[option].time;
    result.transition_pj += into.energyAt(previous, option);
    result.layer_dynamic_pj += stage.options[option].dynamic_pj;
    result.layer_leakage_pj += stage.options[option].leakage_pj;
    previous = option;
  }
  const TransitionMatrix &down = instance.transitions[layers];
  result.down_time = down.timeAt(previous, idle);
  result.transition_pj += down.energyAt(previous, idle);
  result.idle_time = instance.period - result.busy_time - result.down_time;
  result.idle_pj = instance.idle[idle].power_pj_per_tick * double(result.idle_time);
  result.total_pj =
      result.layer_dynamic_pj + result.layer_leakage_pj + result.transition_pj + result.idle_pj;
  result.meets_deadline = result.busy_time <= instance.deadline;
  result.fits_period = result.busy_time + result.down_time <= instance.period;
  return result;
}

const char *solverKindName(SolverKind kind) {
  switch (kind) {
    case SolverKind::Exact:
      return "exact";
    case SolverKind::Discretized:
      return "discretized";
    case SolverKind::Ilp:
      return "ilp";
    case SolverKind::Brute:
      return "brute";
  }
  return "?";
}

const char *solveStatusName(SolveStatus status) {
  switch (status) {
    case SolveStatus::Optimal:
      return "optimal";
    case SolveStatus::Feasible:
      return "feasible";
    case SolveStatus::Infeasible:
      return "infeasible";
    case SolveStatus::TooLarge:
      return "too_large";
    case SolveStatus::Failed:
      return "failed";
  }
  return "?";
}

}  // namespace pf::sched
