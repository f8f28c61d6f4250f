// Internal to sched/ and its tests: the ILP oracle with its knobs. solveIlp()
// (sched/Schedule.hh) is solveIlpWith() with the defaults; Ilp.cc has the formulation.
#pragma once

#include "sched/Schedule.hh"

namespace pf::sched {

struct IlpOptions {
  double time_limit_s = 600.0;  // wall clock, for all idle options together
  // Seed CBC with cutoffs from a Lagrangian heuristic and from the idle options solved
  // before. Speed only: without it every per-idle MILP is solved from scratch, which the
  // tests use to check the formulation on its own.
  bool warm_start = true;
};

SolveResult solveIlpWith(const Instance &instance, const IlpOptions &options);

}  // namespace pf::sched
