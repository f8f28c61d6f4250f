// Internal to sched/: the layered graph of the schedules, the form the exact solver
// searches.
//
// Stage s has one node per option of its layer; a path enters stage 0 from the idle
// option k, takes one step per stage boundary and leaves the last stage back to k. A
// step into a layer's option carries the transition and that layer's own cost, so the
// inner steps do not depend on k. For a given k every arc is priced in reduced energy
// e - p_k * t (sched/Instance.hh), and a path's reduced energy plus p_k * P is the
// schedule's E. The arc back to sleep carries its effective time, the part over the
// slack P - D (Bounds.hh), so a path is feasible iff its time is <= D.
//
// The backward graph runs the layers in reverse (stage s is layer L - 1 - s) with every
// step reversed: it enters from sleep and leaves by waking up. Its paths are the same
// schedules at the same cost and time; searching it from stage 0 builds schedules from
// the end.
#pragma once

#include <cstddef>
#include <vector>

#include "sched/Bounds.hh"

namespace pf::sched::detail {

// One step between stages: time and (real, not reduced) energy.
struct Step {
  Ticks time = 0;
  double energy = 0.0;
};

// An arc priced for one idle option: time and reduced energy.
struct Arc {
  Ticks time = 0;
  double reduced = 0.0;
};

class Graph {
 public:
  Graph(const Instance &instance, bool backward);

  // Re-prices the arcs into and out of the idle options for `instance`, the instance the
  // graph was built from at another deadline: only going to sleep depends on D (its
  // effective time). Returns whether any arc changed.
  bool setEnds(const Instance &instance);

  bool backward() const { return backward_; }
  int stages() const { return int(sizes_.size()); }
  int size(int stage) const { return sizes_[size_t(stage)]; }
  size_t at(int stage, int option) const { return offset_[size_t(stage)] + size_t(option); }
  size_t nodes() const { return offset_.back(); }
  int layer(int stage) const { return backward_ ? stages() - 1 - stage : stage; }
  double power(int k) const { return power_[size_t(k)]; }

  // The steps from option `from` of stage - 1 into every option of `stage` (>= 1).
  const Step *row(int stage, int from) const {
    return &steps_[size_t(stage)][size_t(from) * size_t(sizes_[size_t(stage)])];
  }
  // Into option o of stage 0 and out of option o of the last stage, for idle option k.
  const Arc &enter(int k, int option) const { return enter_[size_t(k)][size_t(option)]; }
  const Arc &leave(int k, int option) const { return leave_[size_t(k)][size_t(option)]; }

  // The schedule of a path through k given as one option per stage.
  Schedule schedule(int k, const std::vector<int> &options) const;

 private:
  bool backward_;
  std::vector<int> sizes_;
  std::vector<size_t> offset_;
  std::vector<double> power_;                    // p_k
  std::vector<std::vector<Arc>> enter_, leave_;  // [k][option]
  std::vector<std::vector<Step>> steps_;         // [stage][from * size(stage) + to]; [0] unused
};

// The transition alone between layer `boundary` - 1 in `from` and layer `boundary` in
// `to` (1 <= boundary < L), priced for k: what joins a forward and a backward partial
// path.
Arc transitionArc(const Instance &instance, int k, int boundary, int from, int to);

// Cheapest completion from every node of the graph for idle option k, under a weight
// of (time, reduced energy) per arc; ties keep the smallest option.
template <class Value>
struct PathTable {
  std::vector<Value> value;  // from node (s, o), after its arc in: the rest of the path
  std::vector<int> next;     // argmin option at stage s + 1; -1 at the last stage
  int first = -1;            // argmin option at stage 0
  Value total{};             // cheapest whole path
  // Time and reduced energy of that rest of the path (the argmin completion).
  std::vector<Ticks> along_time;
  std::vector<double> along_reduced;

  std::vector<int> path(const Graph &graph) const {
    std::vector<int> options(size_t(graph.stages()));
    int option = first;
    for (int s = 0; s < graph.stages(); ++s) {
      options[size_t(s)] = option;
      option = next[graph.at(s, option)];
    }
    return options;
  }
};

// `inner(step)` weighs an inner step (k's power folded in by the caller), `end(arc)` an
// arc into or out of k.
template <class Value, class Inner, class End>
PathTable<Value> pathTable(const Graph &graph, int k, Inner inner, End end) {
  const int stages = graph.stages();
  const double power = graph.power(k);
  PathTable<Value> table;
  table.value.resize(graph.nodes());
  table.next.assign(graph.nodes(), -1);
  table.along_time.resize(graph.nodes());
  table.along_reduced.resize(graph.nodes());
  for (int o = 0; o < graph.size(stages - 1); ++o) {
    const Arc &leave = graph.leave(k, o);
    const size_t node = graph.at(stages - 1, o);
    table.value[node] = end(leave);
    table.along_time[node] = leave.time;
    table.along_reduced[node] = leave.reduced;
  }
  for (int s = stages - 2; s >= 0; --s) {
    const int count = graph.size(s + 1);
    const size_t ahead_at = graph.at(s + 1, 0);
    const Value *ahead = &table.value[ahead_at];
    for (int from = 0; from < graph.size(s); ++from) {
      const Step *row = graph.row(s + 1, from);
      Value best = inner(row[0]) + ahead[0];
      int arg = 0;
      for (int to = 1; to < count; ++to) {
        const Value candidate = inner(row[to]) + ahead[to];
        if (candidate < best) {
          best = candidate;
          arg = to;
        }
      }
      const size_t node = graph.at(s, from);
      table.value[node] = best;
      table.next[node] = arg;
      const Step &step = row[arg];  // still in cache: the completion along the argmin
      table.along_time[node] = step.time + table.along_time[ahead_at + size_t(arg)];
      table.along_reduced[node] =
          step.energy - power * double(step.time) + table.along_reduced[ahead_at + size_t(arg)];
    }
  }
  for (int o = 0; o < graph.size(0); ++o) {
    const Value candidate = end(graph.enter(k, o)) + table.value[graph.at(0, o)];
    if (table.first < 0 || candidate < table.total) {
      table.total = candidate;
      table.first = o;
    }
  }
  return table;
}

// Fastest completion (time only).
inline PathTable<Ticks> fastestTable(const Graph &graph, int k) {
  return pathTable<Ticks>(
      graph, k, [](const Step &step) { return step.time; },
      [](const Arc &arc) { return arc.time; });
}

// Cheapest completion in reduced energy + lambda * time.
inline PathTable<double> pricedTable(const Graph &graph, int k, double lambda) {
  const double busy = lambda - graph.power(k);  // per tick: the price, less the idle power saved
  return pathTable<double>(
      graph, k, [busy](const Step &step) { return step.energy + busy * double(step.time); },
      [lambda](const Arc &arc) { return arc.reduced + lambda * double(arc.time); });
}

}  // namespace pf::sched::detail
