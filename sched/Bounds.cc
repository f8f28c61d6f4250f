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

int optionCount(const Instance &instance, int layer) {
  return int(instance.layers[size_t(layer)].options.size());
}

// `busy(time, energy)` weighs a transition or layer inside the busy time, `sleep(time,
// energy)` the transition into k.
template <class Value, class Busy, class Sleep>
CostToGo<Value> backward(const Instance &instance, const OptionIndex &index, int k, Busy busy,
                         Sleep sleep) {
  const int layers = instance.layerCount();
  CostToGo<Value> result;
  result.value.assign(index.size(), Value{});
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
      for (int to = 1; to < to_count; ++to)
        best = std::min(best, busy(time[to], energy[to]) + ahead[size_t(to)]);
      result.value[index.at(i, from)] = best;
    }
  }
  const TransitionMatrix &wake = instance.transitions[0];
  for (int o = 0; o < optionCount(instance, 0); ++o) {
    const LayerOption &option = instance.layers[0].options[size_t(o)];
    const Value candidate = busy(wake.timeAt(k, o), wake.energyAt(k, o)) +
                            busy(option.time, option.energyPj()) + result.value[index.at(0, o)];
    result.total = o == 0 ? candidate : std::min(result.total, candidate);
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

// Lagrangian dual of the deadline for idle option k at time price lambda:
//   p_k P + min over paths (reduced energy + lambda * effective time) - lambda D,
// a lower bound on every feasible schedule through k (effective time <= D, see Bounds.hh).
double dualValue(const Instance &instance, const OptionIndex &index, int k, double lambda) {
  const double power = instance.idle[size_t(k)].power_pj_per_tick;
  const Ticks slack = instance.period - instance.deadline;
  auto busy = [=](Ticks time, double energy) {
    return energy - power * double(time) + lambda * double(time);
  };
  auto sleep = [=](Ticks time, double energy) {
    return energy - power * double(time) + lambda * double(std::max<Ticks>(0, time - slack));
  };
  return power * double(instance.period) + backward<double>(instance, index, k, busy, sleep).total -
         lambda * double(instance.deadline);
}

// The dual is concave in lambda: a golden-section search finds its maximum with one
// evaluation (one backward DP) per step; 52 steps shrink the bracket by 0.618^52 = 1.4e-11
// of the span, as tightly as the 60 ternary steps (two evaluations each) it replaced.
double bestDual(const Instance &instance, const OptionIndex &index, int k) {
  constexpr double kInverseGolden = 0.6180339887498949;
  double lo = 0.0, hi = energySpan(instance);  // one tick saved is worth at most the span
  double best = dualValue(instance, index, k, 0.0);
  double m1 = hi - kInverseGolden * (hi - lo), m2 = lo + kInverseGolden * (hi - lo);
  double f1 = dualValue(instance, index, k, m1), f2 = dualValue(instance, index, k, m2);
  best = std::max({best, f1, f2});
  for (int step = 0; step < 52; ++step) {
    if (f1 < f2) {
      lo = m1;
      m1 = m2, f1 = f2;
      m2 = lo + kInverseGolden * (hi - lo);
      f2 = dualValue(instance, index, k, m2);
      best = std::max(best, f2);
    } else {
      hi = m2;
      m2 = m1, f2 = f1;
      m1 = hi - kInverseGolden * (hi - lo);
      f1 = dualValue(instance, index, k, m1);
      best = std::max(best, f1);
    }
  }
  return best;
}

}  // namespace

double energyLowerBound(const Instance &instance) {
  const OptionIndex index(instance);
  double best = std::numeric_limits<double>::infinity();
  for (int k = 0; k < int(instance.idle.size()); ++k)
    best = std::min(best, bestDual(instance, index, k));
  return best;
}

}  // namespace pf::sched
