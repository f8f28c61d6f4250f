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

// Two layers of two options, one idle option, P = 30: small enough to price by hand.
// The four schedules, (busy, down, E):
//   a0 b0: (10, 1, 29.875)  a0 b1: (16, 1, 24.875)  a1 b0: (16, 1, 26.125)  a1 b1: (22, 1, 21.125)
Instance handInstance(Ticks deadline = 20);

// Like randomInstance(), but with the structure the baselines read: three operating
// points ("slow" div 4, "mid" div 2, "fast" div 1 = the aggressive point) x gating (unused
// domains on or gated) form six running states. Each layer offers every ungated one (the
// aggressive one rarely missing) and most gated ones; time falls and dynamic energy rises
// with speed, gated options leak less. Idle options have random kinds with powers ordered
// by kind. The options-per-layer range of `params` is ignored (the grid decides);
// transitions stay arbitrary.
Instance randomOperatingPointInstance(uint64_t seed, const RandomInstanceParams &params = {});

}  // namespace pf::sched::test
