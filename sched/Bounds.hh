// Internal to sched/: what the solvers share beyond Schedule.hh.
//
// Effective time. For a fixed idle option k the period energy is p_k * P plus the sum of
// reduced costs e - p_k * t (sched/Instance.hh). The two limits fold into one: going to
// sleep may use the slack P - D for free, so a schedule is feasible iff
//   T_busy + max(0, T_down - (P - D)) <= D,
// and "effective time" means busy time plus that excess of the down transition. The
// exact solver's graph (Graph.hh) and bounds (Exact.cc) work in these terms.
#pragma once

#include <algorithm>
#include <limits>
#include <string>

#include "sched/Schedule.hh"

namespace pf::sched::detail {

// "No value yet" for the solvers' energy tables.
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

inline int optionCount(const Instance &instance, int layer) {
  return int(instance.layers[size_t(layer)].options.size());
}

// The part of the down transition that does not fit in the slack P - D.
inline Ticks effectiveDownTime(const Instance &instance, Ticks down) {
  return std::max<Ticks>(0, down - (instance.period - instance.deadline));
}

// Why no schedule is feasible, for SolveResult::message.
std::string infeasibleMessage(const Instance &instance, Ticks min_busy_time);

}  // namespace pf::sched::detail
