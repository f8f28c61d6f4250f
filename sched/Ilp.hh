// Internal to sched/ and the tests: the ILP oracle with its knobs. solveIlp()
// (sched/Schedule.hh) is solveIlpWith() with the defaults; Ilp.cc has the formulation.
#pragma once

#include <optional>

#include "sched/Schedule.hh"

namespace pf::sched {

struct IlpOptions {
  double time_limit_s = 600.0;  // wall clock, for all idle options together
  // Seed CBC with cutoffs from a Lagrangian heuristic and from the idle options solved
  // before. Speed only: without it every per-idle MILP is solved from scratch, which the
  // tests use to check the formulation on its own.
  bool warm_start = true;
  // With the warm start: leave out of each MILP the arcs that Lagrangian bounds prove
  // cannot be in a schedule cheaper than the incumbent or a rising target
  // (sched/IlpPresolve.hh, Ilp.cc). Exact; turns ResNet-101's 0.58 M columns per idle
  // option into 300 to 2,600. Off: one whole model per idle option.
  bool fix_arcs = true;
  // With the warm start: a schedule known already (another solver's answer, say). It is
  // priced by evaluate() and, if feasible, becomes the first incumbent, so CBC only has to
  // prove that nothing cheaper exists; a wrong start can only cost time, not the answer.
  std::optional<Schedule> start;
};

SolveResult solveIlpWith(const Instance &instance, const IlpOptions &options);

}  // namespace pf::sched
