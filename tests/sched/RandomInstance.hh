// Random scheduling instances for the solver tests: arbitrary numbers (no physics),
// including negative reduced energies, zero-time transitions and infeasible deadlines,
// so the solvers are tested on the model, not on friendly data.
#pragma once

#include <cstdint>

#include "sched/Instance.hh"

namespace pf::sched::test {

struct RandomInstanceParams {
  int min_layers = 1, max_layers = 5;
  int min_options = 1, max_options = 4;
  int min_idle = 1, max_idle = 3;
  Ticks max_layer_time = 20;
  Ticks max_transition_time = 6;
  // Deadline as a fraction of the range [min busy, max busy] (drawn in [lo, hi]); values
  // below 0 give instances that may be infeasible.
  double deadline_lo = -0.1, deadline_hi = 1.1;
};

Instance randomInstance(uint64_t seed, const RandomInstanceParams &params = {});

}  // namespace pf::sched::test
