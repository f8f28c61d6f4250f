// Internal to sched/: what the ILP oracle (Ilp.cc) does before CBC, for one idle option k.
//
// Lagrangian relaxation. For a time price lambda >= 0 and any schedule through k that
// meets the limits (effective time <= D, Bounds.hh),
//   E(schedule) >= p_k P + (reduced energy + lambda * effective time)(schedule) - lambda D,
// and the right side minimised over all paths is a layered shortest path: the dual bound.
//
// Heuristic. The cheapest path at a price that makes it meet D is a schedule; bisecting
// the price finds cheap ones (lagrangianSearch). Speed only: CBC proves the answer.
//
// Variable fixing. The cheapest priced path through a given arc is a forward cost to
// the arc's tail, the arc, and a backward cost from its head. If that bound exceeds an
// energy limit, no schedule through the arc costs less than the limit, and the arc's
// column can be left out of a MILP that looks for such schedules (fixed at 0). The same
// with time alone: an arc whose fastest path exceeds D cannot be used at all. This is
// the textbook preprocessing for resource-constrained shortest paths (Beasley and
// Christofides, Networks 19(4), 1989; Dumitrescu and Boland, Networks 42(3), 2003).
//
// The DPs here are written for the oracle and do not use the exact solver's graph or
// bounds (Graph.hh, Bounds.cc), so the ILP stays an independent check; the tests compare
// the ILP with and without fixing against brute force.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sched/Schedule.hh"

namespace pf::sched::detail {

// Which arcs of idle option k's path model may still be taken: per boundary b, row-major
// (from, to) like TransitionMatrix. Boundary 0 only uses row k, boundary L only column k.
class ArcMask {
 public:
  ArcMask(const Instance &instance, int idle);

  int idle() const { return idle_; }
  bool open(int b, int from, int to) const { return open_[size_t(b)][cell(b, from, to)] != 0; }
  void close(int b, int from, int to) { open_[size_t(b)][cell(b, from, to)] = 0; }
  // Arcs of k's model (b = 0: from k; b = L: into k) still open, and all of them.
  int64_t openCount() const;
  int64_t modelCount() const;

 private:
  size_t cell(int b, int from, int to) const {
    return size_t(from) * size_t(to_count_[size_t(b)]) + size_t(to);
  }

  int idle_;
  std::vector<int> from_count_, to_count_;
  std::vector<std::vector<uint8_t>> open_;
};

// The heuristic's result for idle option k.
struct LagrangianSearch {
  std::optional<Schedule> best;  // the cheapest schedule met that meets D and P
  double best_pj = 0.0;          // its energy (evaluate())
  std::vector<double> lambdas;   // every price tried; the last ones bracket the best dual
};
LagrangianSearch lagrangianSearch(const Instance &instance, int idle);

// Closes every arc of `mask` that no schedule through k meeting D and P can use, and,
// when `limit_pj` (a whole-period energy) is finite, every arc whose cheapest path at one
// of `lambdas` costs more than it (plus a relative 1e-9, so that ties stay open). Returns
// the best dual bound met: no schedule using only open arcs costs less.
double fixArcs(const Instance &instance, const std::vector<double> &lambdas, double limit_pj,
               ArcMask &mask);

}  // namespace pf::sched::detail
