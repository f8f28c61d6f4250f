// The ILP oracle's Lagrangian heuristic, bound and variable fixing; IlpPresolve.hh has
// the argument. Every pricing runs the same two DPs over the open arcs of k's model
// (forward from the wake-up, backward from going to sleep); a fixing pass then closes
// the arcs whose cheapest path is over the limit. Closed arcs stay out of later passes,
// so every pass can only tighten the next.
#include "sched/IlpPresolve.hh"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sched/Bounds.hh"

namespace pf::sched::detail {

ArcMask::ArcMask(const Instance &instance, int idle) : idle_(idle) {
  for (const TransitionMatrix &matrix : instance.transitions) {
    from_count_.push_back(matrix.from_count);
    to_count_.push_back(matrix.to_count);
    open_.emplace_back(size_t(matrix.from_count) * size_t(matrix.to_count), uint8_t{1});
  }
}

int64_t ArcMask::openCount() const {
  const int last = int(open_.size()) - 1;
  int64_t count = 0;
  for (int b = 0; b <= last; ++b)
    for (int from = 0; from < from_count_[size_t(b)]; ++from)
      for (int to = 0; to < to_count_[size_t(b)]; ++to)
        if ((b != 0 || from == idle_) && (b != last || to == idle_)) count += open(b, from, to);
  return count;
}

int64_t ArcMask::modelCount() const {
  const int last = int(open_.size()) - 1;
  int64_t count = 0;
  for (int b = 0; b <= last; ++b)
    count += int64_t(b == 0 ? 1 : from_count_[size_t(b)]) * (b == last ? 1 : to_count_[size_t(b)]);
  return count;
}

namespace {

using detail::kInfinity;

// Weights of the arcs of k's model under one pricing: `busy(time, energy)` for an arc
// into a layer's option (transition plus that layer), `sleep(time, energy)` for the arc
// back into k.
template <class Busy, class Sleep>
class ArcWeights {
 public:
  ArcWeights(const Instance &instance, int idle, Busy busy, Sleep sleep)
      : instance_(instance), idle_(idle), busy_(busy), sleep_(sleep) {}

  int layers() const { return instance_.layerCount(); }
  int options(int layer) const { return int(instance_.layers[size_t(layer)].options.size()); }

  // Arc from -> to across boundary b < L (from is k when b = 0).
  double into(int b, int from, int to) const {
    const TransitionMatrix &matrix = instance_.transitions[size_t(b)];
    const LayerOption &option = instance_.layers[size_t(b)].options[size_t(to)];
    return busy_(matrix.timeAt(from, to) + option.time,
                 matrix.energyAt(from, to) + option.energyPj());
  }
  // Arc from the last layer's option `from` back to k.
  double sleep(int from) const {
    const TransitionMatrix &matrix = instance_.transitions[size_t(layers())];
    return sleep_(matrix.timeAt(from, idle_), matrix.energyAt(from, idle_));
  }

 private:
  const Instance &instance_;
  int idle_;
  Busy busy_;
  Sleep sleep_;
};

template <class Busy, class Sleep>
ArcWeights<Busy, Sleep> weightsOf(const Instance &instance, int idle, Busy busy, Sleep sleep) {
  return ArcWeights<Busy, Sleep>(instance, idle, busy, sleep);
}

// Effective time alone (exact in doubles: integers below 2^53).
auto timeWeights(const Instance &instance, int idle) {
  return weightsOf(
      instance, idle, [](Ticks time, double) { return double(time); },
      [&instance](Ticks time, double) { return double(effectiveDownTime(instance, time)); });
}

// Reduced energy plus lambda times effective time: the Lagrangian weights.
auto pricedWeights(const Instance &instance, int idle, double lambda) {
  const double power = instance.idle[size_t(idle)].power_pj_per_tick;
  return weightsOf(
      instance, idle,
      [=](Ticks time, double energy) { return energy + (lambda - power) * double(time); },
      [=, &instance](Ticks time, double energy) {
        return energy - power * double(time) + lambda * double(effectiveDownTime(instance, time));
      });
}

// Cheapest open path from k's wake-up to the end of each (layer, option), that option's
// arc included, and from there back to sleep in k.
struct PathCosts {
  std::vector<std::vector<double>> forward, backward;  // [layer][option]
};

template <class Weights>
PathCosts pathCosts(const Weights &weights, const ArcMask &mask) {
  const int layers = weights.layers(), k = mask.idle();
  PathCosts costs;
  for (int i = 0; i < layers; ++i) {
    costs.forward.emplace_back(size_t(weights.options(i)), kInfinity);
    costs.backward.emplace_back(size_t(weights.options(i)), kInfinity);
  }
  for (int o = 0; o < weights.options(0); ++o)
    if (mask.open(0, k, o)) costs.forward[0][size_t(o)] = weights.into(0, k, o);
  for (int b = 1; b < layers; ++b)
    for (int from = 0; from < weights.options(b - 1); ++from) {
      const double reached = costs.forward[size_t(b - 1)][size_t(from)];
      if (reached == kInfinity) continue;
      for (int to = 0; to < weights.options(b); ++to) {
        if (!mask.open(b, from, to)) continue;
        double &best = costs.forward[size_t(b)][size_t(to)];
        best = std::min(best, reached + weights.into(b, from, to));
      }
    }
  for (int o = 0; o < weights.options(layers - 1); ++o)
    if (mask.open(layers, o, k)) costs.backward[size_t(layers - 1)][size_t(o)] = weights.sleep(o);
  for (int b = layers - 1; b >= 1; --b)
    for (int from = 0; from < weights.options(b - 1); ++from) {
      double best = kInfinity;
      for (int to = 0; to < weights.options(b); ++to)
        if (mask.open(b, from, to))
          best = std::min(best, weights.into(b, from, to) + costs.backward[size_t(b)][size_t(to)]);
      costs.backward[size_t(b - 1)][size_t(from)] = best;
    }
  return costs;
}

// The cheapest whole path's cost and its last option (-1 if no open path).
template <class Weights>
std::pair<double, int> cheapestEnd(const Weights &weights, const PathCosts &costs) {
  const int last = weights.layers() - 1;
  std::pair<double, int> best{kInfinity, -1};
  for (int o = 0; o < weights.options(last); ++o) {
    const double cost =
        costs.forward[size_t(last)][size_t(o)] + costs.backward[size_t(last)][size_t(o)];
    if (cost < best.first) best = {cost, o};
  }
  return best;
}

// The cheapest open path, walked back from its last option along the forward costs.
template <class Weights>
std::optional<Schedule> cheapestPath(const Weights &weights, const PathCosts &costs,
                                     const ArcMask &mask) {
  const auto [cost, last] = cheapestEnd(weights, costs);
  if (last < 0) return std::nullopt;
  Schedule schedule{mask.idle(), std::vector<int>(size_t(weights.layers()))};
  int to = last;
  for (int b = weights.layers() - 1; b >= 1; --b) {
    schedule.layer_options[size_t(b)] = to;
    int arg = 0;
    double best = kInfinity;
    for (int from = 0; from < weights.options(b - 1); ++from) {
      if (!mask.open(b, from, to)) continue;
      const double reach = costs.forward[size_t(b - 1)][size_t(from)] + weights.into(b, from, to);
      if (reach < best) best = reach, arg = from;
    }
    to = arg;
  }
  schedule.layer_options[0] = to;
  return schedule;
}

// Closes every open arc whose cheapest path through it costs more than `limit`.
template <class Weights>
void closeAbove(const Weights &weights, const PathCosts &costs, double limit, ArcMask &mask) {
  const int layers = weights.layers(), k = mask.idle();
  for (int o = 0; o < weights.options(0); ++o)
    if (weights.into(0, k, o) + costs.backward[0][size_t(o)] > limit) mask.close(0, k, o);
  for (int b = 1; b < layers; ++b)
    for (int from = 0; from < weights.options(b - 1); ++from) {
      const double head = costs.forward[size_t(b - 1)][size_t(from)];
      for (int to = 0; to < weights.options(b); ++to)
        if (head + weights.into(b, from, to) + costs.backward[size_t(b)][size_t(to)] > limit)
          mask.close(b, from, to);
    }
  for (int o = 0; o < weights.options(layers - 1); ++o)
    if (costs.forward[size_t(layers - 1)][size_t(o)] + weights.sleep(o) > limit)
      mask.close(layers, o, k);
}

// Bisection on the price for idle option k, recording the cheapest feasible schedule.
class PriceBisection {
 public:
  PriceBisection(const Instance &instance, int idle)
      : instance_(instance), all_open_(instance, idle) {
    search_.best_pj = kInfinity;
    if (tryPrice(0.0)) return;  // D does not bind: lambda = 0 is optimal for k
    double high = 1.0;
    while (!tryPrice(high))
      if ((high *= 4.0) > 1e12) return;  // no path meets D with this idle option
    double low = 0.0;
    for (int step = 0; step < 30; ++step) {
      const double middle = 0.5 * (low + high);
      (tryPrice(middle) ? high : low) = middle;
    }
  }
  LagrangianSearch take() { return std::move(search_); }

 private:
  // Records the cheapest path at `lambda` if it is the cheapest feasible schedule so far;
  // true if it meets D.
  bool tryPrice(double lambda) {
    search_.lambdas.push_back(lambda);
    const auto weights = pricedWeights(instance_, all_open_.idle(), lambda);
    const std::optional<Schedule> path =
        cheapestPath(weights, pathCosts(weights, all_open_), all_open_);
    if (!path) return false;
    const Evaluation evaluation = evaluate(instance_, *path);
    if (evaluation.feasible() && evaluation.total_pj < search_.best_pj) {
      search_.best = *path;
      search_.best_pj = evaluation.total_pj;
    }
    return evaluation.feasible();
  }

  const Instance &instance_;
  const ArcMask all_open_;
  LagrangianSearch search_;
};

}  // namespace

LagrangianSearch lagrangianSearch(const Instance &instance, int idle) {
  return PriceBisection(instance, idle).take();
}

double fixArcs(const Instance &instance, const std::vector<double> &lambdas, double limit_pj,
               ArcMask &mask) {
  const int k = mask.idle();
  const auto by_time = timeWeights(instance, k);
  closeAbove(by_time, pathCosts(by_time, mask), double(instance.deadline), mask);

  const double constant = instance.idle[size_t(k)].power_pj_per_tick * double(instance.period);
  const double reduced_limit = limit_pj + 1e-9 * std::abs(limit_pj) - constant;
  double bound = -kInfinity;
  for (double lambda : lambdas) {
    if (!(lambda >= 0.0) || !std::isfinite(lambda)) continue;
    const auto priced = pricedWeights(instance, k, lambda);
    const PathCosts costs = pathCosts(priced, mask);
    const double shift = lambda * double(instance.deadline);
    bound = std::max(bound, constant + cheapestEnd(priced, costs).first - shift);
    if (std::isfinite(limit_pj)) closeAbove(priced, costs, reduced_limit + shift, mask);
  }
  return bound;
}

}  // namespace pf::sched::detail
