// Bounds: backward DPs over the layers, straight from the instance and independent of
// the exact solver's (Graph.hh), so the tests cross-check the two. Each is
// O(sum_i |O_i| * |O_{i+1}|): boundary by boundary from the last layer, the cost to go
// from (i, o) is min over o' of transition + layer i+1 in o' + cost to go from o'.
#include "sched/Bounds.hh"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace pf::sched {

namespace {

// Flat index of every (layer, option) pair, layer-major.
class OptionIndex {
 public:
  explicit OptionIndex(const Instance &instance) : offset_{0} {
    for (const Stage &stage : instance.layers)
      offset_.push_back(offset_.back() + stage.options.size());
  }
  size_t at(int layer, int option) const { return offset_[size_t(layer)] + size_t(option); }
  size_t size() const { return offset_.back(); }

 private:
  std::vector<size_t> offset_;
};

// Cheapest completion from "layer i has just run in option o" to the end of the period,
// and the cheapest whole period through k.
template <class Value>
struct CostToGo {
  std::vector<Value> value;  // by OptionIndex
  Value total{};
};

using detail::optionCount;

// `busy(time, energy)` weighs a transition or layer inside the busy time, `sleep(time,
// energy)` the transition into k. With `path`, also the cheapest whole period's option per
// layer (ties: the smallest option).
template <class Value, class Busy, class Sleep>
CostToGo<Value> backward(const Instance &instance, const OptionIndex &index, int k, Busy busy,
                         Sleep sleep, std::vector<int> *path = nullptr) {
  const int layers = instance.layerCount();
  CostToGo<Value> result;
  result.value.assign(index.size(), Value{});
  std::vector<int> next;  // argmin option of layer i + 1 from (i, o)
  if (path) next.assign(index.size(), 0);
  const TransitionMatrix &down = instance.transitions[size_t(layers)];
  for (int o = 0; o < optionCount(instance, layers - 1); ++o)
    result.value[index.at(layers - 1, o)] = sleep(down.timeAt(o, k), down.energyAt(o, k));
  std::vector<Value> ahead;  // layer i+1 in o' plus its cost to go
  for (int i = layers - 2; i >= 0; --i) {
    const int to_count = optionCount(instance, i + 1);
    ahead.resize(size_t(to_count));
    for (int to = 0; to < to_count; ++to) {
      const LayerOption &option = instance.layers[size_t(i + 1)].options[size_t(to)];
      ahead[size_t(to)] = busy(option.time, option.energyPj()) + result.value[index.at(i + 1, to)];
    }
    const TransitionMatrix &matrix = instance.transitions[size_t(i + 1)];
    for (int from = 0; from < optionCount(instance, i); ++from) {
      const Ticks *time = &matrix.time[size_t(from) * size_t(to_count)];
      const double *energy = &matrix.energy_pj[size_t(from) * size_t(to_count)];
      Value best = busy(time[0], energy[0]) + ahead[0];
      int arg = 0;
      for (int to = 1; to < to_count; ++to) {
        const Value candidate = busy(time[to], energy[to]) + ahead[size_t(to)];
        if (candidate < best) best = candidate, arg = to;
      }
      result.value[index.at(i, from)] = best;
      if (path) next[index.at(i, from)] = arg;
    }
  }
  const TransitionMatrix &wake = instance.transitions[0];
  int first = 0;
  for (int o = 0; o < optionCount(instance, 0); ++o) {
    const LayerOption &option = instance.layers[0].options[size_t(o)];
    const Value candidate = busy(wake.timeAt(k, o), wake.energyAt(k, o)) +
                            busy(option.time, option.energyPj()) + result.value[index.at(0, o)];
    if (o == 0 || candidate < result.total) result.total = candidate, first = o;
  }
  if (path) {
    path->assign(size_t(layers), first);
    for (int i = 1; i < layers; ++i)
      (*path)[size_t(i)] = next[index.at(i - 1, (*path)[size_t(i - 1)])];
  }
  return result;
}

// Minimum time to go, busy time only (going to sleep counts nothing).
CostToGo<Ticks> busyTimeToGo(const Instance &instance, const OptionIndex &index) {
  auto busy = [](Ticks time, double) { return time; };
  auto sleep = [](Ticks, double) { return Ticks{0}; };
  return backward<Ticks>(instance, index, 0, busy, sleep);
}

}  // namespace

namespace detail {

std::string infeasibleMessage(const Instance &instance, Ticks min_busy_time) {
  const std::string deadline = "D = " + std::to_string(instance.deadline);
  if (instance.deadline < min_busy_time)
    return "infeasible: " + deadline + " is below the minimum busy time " +
           std::to_string(min_busy_time);
  return "infeasible: every schedule meeting " + deadline +
         " overruns P = " + std::to_string(instance.period) + " going back to sleep";
}

}  // namespace detail

Ticks minimumBusyTime(const Instance &instance) {
  // Busy time ignores going to sleep, so only waking up depends on k: one table serves all.
  const OptionIndex index(instance);
  const CostToGo<Ticks> rest = busyTimeToGo(instance, index);
  const TransitionMatrix &wake = instance.transitions[0];
  Ticks best = std::numeric_limits<Ticks>::max();
  for (int k = 0; k < int(instance.idle.size()); ++k)
    for (int o = 0; o < int(instance.layers[0].options.size()); ++o)
      best = std::min(best, wake.timeAt(k, o) + instance.layers[0].options[size_t(o)].time +
                                rest.value[index.at(0, o)]);
  return best;
}

namespace {

// Largest energy difference any choice can make: an upper limit for the time price.
double energySpan(const Instance &instance) {
  double span = 0.0;
  for (const Stage &stage : instance.layers) {
    double lo = INFINITY, hi = -INFINITY;
    for (const LayerOption &option : stage.options) {
      lo = std::min(lo, option.energyPj());
      hi = std::max(hi, option.energyPj());
    }
    span += hi - lo;
  }
  for (const TransitionMatrix &matrix : instance.transitions)
    span += *std::max_element(matrix.energy_pj.begin(), matrix.energy_pj.end()) -
            *std::min_element(matrix.energy_pj.begin(), matrix.energy_pj.end());
  double power = 0.0;
  for (const IdleOption &idle : instance.idle)
    power = std::max(power, std::abs(idle.power_pj_per_tick));
  return span + power * double(instance.period) + 1.0;
}

// A whole period through k as a point of the dual: its effective time (Bounds.hh) and
// reduced energy sum_e - p_k * sum_t.
struct PeriodPoint {
  Ticks time = 0;
  double reduced = 0.0;
  std::vector<int> options;  // per layer
};

PeriodPoint pointOf(const Instance &instance, int k, const std::vector<int> &options) {
  const double power = instance.idle[size_t(k)].power_pj_per_tick;
  PeriodPoint point;
  point.options = options;
  auto add = [&](Ticks time, double energy) {
    point.time += time;
    point.reduced += energy - power * double(time);
  };
  const int layers = instance.layerCount();
  add(instance.transitions[0].timeAt(k, options[0]),
      instance.transitions[0].energyAt(k, options[0]));
  for (int i = 0; i < layers; ++i) {
    const LayerOption &option = instance.layers[size_t(i)].options[size_t(options[size_t(i)])];
    add(option.time, option.energyPj());
    if (i > 0) {
      const TransitionMatrix &matrix = instance.transitions[size_t(i)];
      add(matrix.timeAt(options[size_t(i - 1)], options[size_t(i)]),
          matrix.energyAt(options[size_t(i - 1)], options[size_t(i)]));
    }
  }
  const TransitionMatrix &down = instance.transitions[size_t(layers)];
  const Ticks down_time = down.timeAt(options.back(), k);
  point.time += detail::effectiveDownTime(instance, down_time);
  point.reduced += down.energyAt(options.back(), k) - power * double(down_time);
  return point;
}

// The dual's value on one path: p_k P + reduced energy + lambda (effective time - D). From
// the path's own sums, with the time difference exact: at a large price the DP's totals
// (~ lambda T) would cancel against lambda D and keep few digits.
double lineAt(const Instance &instance, int k, const PeriodPoint &point, double lambda) {
  return instance.idle[size_t(k)].power_pj_per_tick * double(instance.period) + point.reduced +
         lambda * double(point.time - instance.deadline);
}

// Lagrangian dual of the deadline for idle option k at time price lambda:
//   p_k P + min over paths (reduced energy + lambda * (effective time - D)),
// a lower bound on every feasible schedule through k (effective time <= D, see Bounds.hh);
// `argmin` gets the minimising path as a point.
double dualValue(const Instance &instance, const OptionIndex &index, int k, double lambda,
                 PeriodPoint &argmin) {
  const double power = instance.idle[size_t(k)].power_pj_per_tick;
  const Ticks slack = instance.period - instance.deadline;
  auto busy = [=](Ticks time, double energy) {
    return energy - power * double(time) + lambda * double(time);
  };
  auto sleep = [=](Ticks time, double energy) {
    return energy - power * double(time) + lambda * double(std::max<Ticks>(0, time - slack));
  };
  std::vector<int> path;
  backward<double>(instance, index, k, busy, sleep, &path);
  argmin = pointOf(instance, k, path);
  return lineAt(instance, k, argmin, lambda);
}

// Effective time, then reduced energy: the cheapest of the fastest paths.
struct TimeThenEnergy {
  Ticks time = 0;
  double reduced = 0.0;

  TimeThenEnergy operator+(const TimeThenEnergy &other) const {
    return {time + other.time, reduced + other.reduced};
  }
  bool operator<(const TimeThenEnergy &other) const {
    return time != other.time ? time < other.time : reduced < other.reduced;
  }
};

PeriodPoint fastestPoint(const Instance &instance, const OptionIndex &index, int k) {
  const double power = instance.idle[size_t(k)].power_pj_per_tick;
  auto busy = [=](Ticks time, double energy) {
    return TimeThenEnergy{time, energy - power * double(time)};
  };
  auto sleep = [&](Ticks time, double energy) {
    return TimeThenEnergy{detail::effectiveDownTime(instance, time), energy - power * double(time)};
  };
  std::vector<int> path;
  backward<TimeThenEnergy>(instance, index, k, busy, sleep, &path);
  return pointOf(instance, k, path);
}

// The two paths around the maximum of the last idle option's dual: the next option's
// search starts from them (the options differ only in their ends, so the same two paths
// usually straddle its maximum too).
struct Bracket {
  std::vector<int> beyond, within;  // options per layer; empty before the first search
};

// The dual is concave and piecewise linear in lambda: each path is a line of slope
// (effective time - D), the dual their lower envelope. Its maximum is where a path
// within D (slope <= 0) and one beyond it (slope > 0) cross, and the secant search finds
// it exactly: price the crossing of the best such pair known; the cheapest path there
// either lies on both lines (the crossing is the maximum) or below them, and replaces the
// one on its side. The pair starts as the last option's (`bracket`) when it still
// straddles D, else as the cheapest path (price 0) and the cheapest of the fastest (the
// minimum at a price above any energy difference per tick); when the fastest misses D
// the dual grows without bound, and its value at that price is reported. Every probe is
// a valid bound: the best is returned.
double bestDual(const Instance &instance, const OptionIndex &index, int k, Bracket &bracket) {
  constexpr int kMaxProbes = 100;  // the search takes ~10; a guard against rounding cycles
  const double deadline = double(instance.deadline);
  PeriodPoint cheapest;  // the cheapest path, the minimum at price 0
  double best = dualValue(instance, index, k, 0.0, cheapest);
  if (cheapest.time <= instance.deadline) return best;  // the dual only falls from price 0
  PeriodPoint a = cheapest, b;                          // beyond D, within D
  // Whether a is the cheapest path at some price (the probes' are): then every path
  // within D is dearer, and the crossing's price is positive unless the maximum is at 0.
  bool a_minimal = true;
  bool started = false;
  if (!bracket.beyond.empty()) {
    PeriodPoint beyond = pointOf(instance, k, bracket.beyond);
    b = pointOf(instance, k, bracket.within);
    started = beyond.time > instance.deadline && b.time <= instance.deadline;
    if (started && beyond.reduced < b.reduced) a = std::move(beyond), a_minimal = false;
  }
  if (!started) {
    b = fastestPoint(instance, index, k);
    if (b.time > instance.deadline)  // no path within D: unbounded
      return std::max(best, lineAt(instance, k, b, energySpan(instance)));
  }
  const double base = instance.idle[size_t(k)].power_pj_per_tick * double(instance.period);
  for (int probe = 0; probe < kMaxProbes; ++probe) {
    const double lambda = (b.reduced - a.reduced) / double(a.time - b.time);
    if (!(lambda > 0.0)) {
      if (a_minimal) break;            // b is as cheap as the cheapest path: the maximum is at 0
      a = cheapest, a_minimal = true;  // b beats the old path: start from the cheapest
      continue;
    }
    const double line = a.reduced + lambda * (double(a.time) - deadline);  // b's too
    PeriodPoint c;
    const double value = dualValue(instance, index, k, lambda, c);
    best = std::max(best, value);
    const double tolerance = 1e-12 * double(instance.layerCount() + 2) *
                             (std::abs(base) + std::abs(line) + lambda * deadline + 1.0);
    if (value - base >= line - tolerance) break;  // on both lines: the maximum
    if (c.time > instance.deadline)
      a = std::move(c), a_minimal = true;
    else
      b = std::move(c);
  }
  bracket = {a.options, b.options};
  return best;
}

}  // namespace

double energyLowerBound(const Instance &instance) {
  const OptionIndex index(instance);
  double best = std::numeric_limits<double>::infinity();
  Bracket bracket;
  for (int k = 0; k < int(instance.idle.size()); ++k)
    best = std::min(best, bestDual(instance, index, k, bracket));
  return best;
}

}  // namespace pf::sched
