// Discretized DP: the published time-bucket formulation (PowerFlow-DNN), run as well as
// that formulation can be run, to measure its gap to the exact solver fairly.
//
// Model. For each idle option k, a table over (option, time bucket) per layer keeps one
// partial schedule per cell: the one of least reduced energy (e - p_k t, sched/Instance.hh)
// among those whose busy time so far falls in the cell's bucket of `w` ticks (ties: the
// faster). Energies are exact, idle included; what the buckets lose is the partial
// schedules a cell forgets, faster but dearer than the one it keeps, which the deadline
// may later need. With 1-tick buckets a cell is one exact time and the DP is exact.
//
// Rounding rule: the running total is bucketed, never a single duration. A cell holds,
// beside its energy, the exact tick time T of its partial schedule, and its bucket is
// floor(T / w); a step adds exact durations. A partial schedule is admitted only when its
// fastest completion still meets the limits: T + togo(option) <= D, togo being the
// least time to the end with going to sleep counted by its excess over the slack P - D
// (sched/Bounds.hh folds the two limits into that one). (The rule this replaces rounded
// every duration up on its own and lost up to a bucket per layer: ResNet-101 was
// infeasible at D/100.)
// Why this keeps feasibility: a kept partial schedule can finish in time along its
// fastest completion, so that completion's next step is admitted too, and the cell it
// lands in stays filled (a cell only trades an admitted partial schedule for a cheaper
// admitted one): each layer keeps a cell if the one before does. Layer 0 keeps one when
// the instance is feasible (the fastest schedule's first step is admitted). So a feasible
// instance never comes out infeasible;
// and at the last layer admission is T_busy + excess of T_down <= D, which is feasibility
// in ticks, so every schedule returned is feasible (evaluate() prices it).
//
// Memory. Values roll over two layers (energy and exact time, 16 bytes a cell). One
// back-pointer per (layer, option, bucket) names the previous layer's option (1 byte, 2
// above 256 options): the parent's exact time is T less the step, hence its bucket, so
// no bucket needs storing. Only the buckets where a cell can be admitted are stored, from
// the fastest arrival at the option to the latest that can still finish:
// [floor(T_min / w), floor((D - togo) / w)], about (D - T_min) / w buckets: on ResNet-101
// (140 layers, 39..78 options) at the bench's deadline a quarter of D / w. So D/10,000
// takes 19 MB of back-pointers and 6 MB of values there, D/100,000 194 MB and 58 MB
// (bench/sched_results.md). Tables above kMaxBytes are refused (TooLarge).
//
// Time O(K sum_i |O_i| |O_i+1| * window / w), where window is the slack D - T_min: it may
// be slower than exact, which is the point of the comparison.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sched/Bounds.hh"

namespace pf::sched {

namespace {

using detail::kInfinity;
constexpr Ticks kNever = std::numeric_limits<Ticks>::max();
// Back-pointers and value tables kept at most, for one idle option (they are reused for
// the next): beyond, the buckets are finer than this formulation is worth.
constexpr double kMaxBytes = 1e9;

using detail::optionCount;

// A step into option `to` of layer i >= 1 from option `from` of layer i - 1: transition
// plus the layer, exact.
struct LayerStep {
  Ticks time;
  double energy;
};

LayerStep stepInto(const Instance &instance, int i, int from, int to) {
  const TransitionMatrix &matrix = instance.transitions[size_t(i)];
  const LayerOption &option = instance.layers[size_t(i)].options[size_t(to)];
  return {matrix.timeAt(from, to) + option.time, matrix.energyAt(from, to) + option.energyPj()};
}

// Where an option's cells can hold an admissible partial schedule, for one idle option:
// buckets lo..hi (empty when lo > hi), times at most `latest`.
struct Window {
  Ticks lo = 0, hi = -1;
  Ticks latest = -1;
  size_t offset = 0;  // first cell of the option in its layer's table
  size_t size() const { return hi >= lo ? size_t(hi - lo + 1) : 0; }
};

// Windows of every (layer, option) for idle option k: the fastest arrival from k (forward
// min-time DP) and the fastest completion (backward, going to sleep by its excess over
// P - D) bound the admissible busy times.
std::vector<std::vector<Window>> windowsFor(const Instance &instance, int k, Ticks width) {
  const int layers = instance.layerCount();
  const size_t stages = instance.layers.size();
  std::vector<std::vector<Ticks>> togo(stages);
  const TransitionMatrix &down = instance.transitions.back();
  for (int o = 0; o < optionCount(instance, layers - 1); ++o)
    togo.back().push_back(detail::effectiveDownTime(instance, down.timeAt(o, k)));
  for (int i = layers - 2; i >= 0; --i) {
    for (int from = 0; from < optionCount(instance, i); ++from) {
      Ticks best = kNever;
      for (int to = 0; to < optionCount(instance, i + 1); ++to)
        best = std::min(best,
                        stepInto(instance, i + 1, from, to).time + togo[size_t(i + 1)][size_t(to)]);
      togo[size_t(i)].push_back(best);
    }
  }
  std::vector<std::vector<Window>> windows(stages);
  std::vector<Ticks> arrival, next;
  const TransitionMatrix &wake = instance.transitions[0];
  for (int o = 0; o < optionCount(instance, 0); ++o)
    arrival.push_back(wake.timeAt(k, o) + instance.layers[0].options[size_t(o)].time);
  for (int i = 0; i < layers; ++i) {
    if (i > 0) {
      next.assign(size_t(optionCount(instance, i)), kNever);
      for (int from = 0; from < optionCount(instance, i - 1); ++from)
        for (int to = 0; to < optionCount(instance, i); ++to)
          next[size_t(to)] = std::min(next[size_t(to)],
                                      arrival[size_t(from)] + stepInto(instance, i, from, to).time);
      std::swap(arrival, next);
    }
    size_t offset = 0;
    for (int o = 0; o < optionCount(instance, i); ++o) {
      Window window;
      window.offset = offset;
      const Ticks latest = instance.deadline - togo[size_t(i)][size_t(o)];
      if (arrival[size_t(o)] <= latest) {
        window.lo = arrival[size_t(o)] / width;
        window.hi = latest / width;
        window.latest = latest;
      }
      offset += window.size();
      windows[size_t(i)].push_back(window);
    }
  }
  return windows;
}

size_t layerCells(const std::vector<Window> &layer) {
  return layer.empty() ? 0 : layer.back().offset + layer.back().size();
}

struct Best {
  double energy = kInfinity;
  Schedule schedule;
};

// What the tables of one idle option take: back-pointers of layers 1.., two value layers.
struct Footprint {
  double parent_bytes = 0.0;
  double value_bytes = 0.0;
  double total() const { return parent_bytes + value_bytes; }
};

Footprint footprintOf(const std::vector<std::vector<Window>> &windows, size_t parent_size) {
  Footprint footprint;
  double widest = 0.0, previous = 0.0;
  for (size_t i = 0; i < windows.size(); ++i) {
    const double cells = double(layerCells(windows[i]));
    if (i > 0) footprint.parent_bytes += cells * double(parent_size);
    widest = std::max(widest, cells + previous);
    previous = cells;
  }
  footprint.value_bytes = widest * double(sizeof(double) + sizeof(Ticks));
  return footprint;
}

// The DP for one idle option at a time. Parent is uint8_t or uint16_t (option counts).
template <class Parent>
class BucketTable {
 public:
  BucketTable(const Instance &instance, Ticks width, SolverStats &stats)
      : instance_(instance), width_(width), parents_(instance.layers.size()), stats_(stats) {}

  void run(int k, std::vector<std::vector<Window>> windows, Best &best) {
    k_ = k;
    power_ = instance_.idle[size_t(k)].power_pj_per_tick;
    windows_ = std::move(windows);
    seed();
    for (int i = 1; i < instance_.layerCount(); ++i) extend(i);
    complete(best);
  }

 private:
  void seed() {
    const std::vector<Window> &windows = windows_[0];
    energy_.assign(layerCells(windows), kInfinity);
    time_.assign(layerCells(windows), 0);
    const TransitionMatrix &wake = instance_.transitions[0];
    for (int o = 0; o < optionCount(instance_, 0); ++o) {
      const Window &window = windows[size_t(o)];
      const LayerOption &option = instance_.layers[0].options[size_t(o)];
      const Ticks time = wake.timeAt(k_, o) + option.time;
      if (time > window.latest) continue;
      const size_t cell = window.offset + size_t(time / width_ - window.lo);
      energy_[cell] = wake.energyAt(k_, o) + option.energyPj() - power_ * double(time);
      time_[cell] = time;
    }
    count();
  }

  void extend(int i) {
    const std::vector<Window> &sources = windows_[size_t(i - 1)], &targets = windows_[size_t(i)];
    next_energy_.assign(layerCells(targets), kInfinity);
    next_time_.assign(layerCells(targets), 0);
    std::vector<Parent> &parents = parents_[size_t(i)];
    parents.assign(layerCells(targets), Parent(0));
    parents.shrink_to_fit();
    const Ticks width = width_;
    for (int to = 0; to < int(targets.size()); ++to) {
      const Window &target = targets[size_t(to)];
      if (target.size() == 0) continue;
      double *target_energy = &next_energy_[target.offset];
      Ticks *target_time = &next_time_[target.offset];
      Parent *parent = &parents[target.offset];
      for (int from = 0; from < int(sources.size()); ++from) {
        const Window &source = sources[size_t(from)];
        if (source.size() == 0) continue;
        const LayerStep step = stepInto(instance_, i, from, to);
        const double reduced = step.energy - power_ * double(step.time);
        // T + step lands in bucket b + whole + (1 if the remainders carry).
        const Ticks whole = step.time / width, part = step.time % width;
        const double *energy = &energy_[source.offset];
        const Ticks *time = &time_[source.offset];
        const size_t cells = source.size();
        for (size_t c = 0; c < cells; ++c) {
          if (!(energy[c] < kInfinity)) continue;
          const Ticks arrival = time[c] + step.time;
          if (arrival > target.latest) break;  // times grow with the bucket
          const Ticks bucket = source.lo + Ticks(c);
          const Ticks into =
              bucket + whole + Ticks(time[c] - bucket * width + part >= width) - target.lo;
          const double value = energy[c] + reduced;
          if (value < target_energy[into] ||
              (value == target_energy[into] && arrival < target_time[into])) {
            target_energy[into] = value;
            target_time[into] = arrival;
            parent[into] = Parent(from);
          }
        }
      }
    }
    std::swap(energy_, next_energy_);
    std::swap(time_, next_time_);
    count();
  }

  void count() {
    const int64_t reached =
        std::count_if(energy_.begin(), energy_.end(), [](double v) { return v < kInfinity; });
    stats_.labels_created += reached;
    stats_.peak_labels = std::max(stats_.peak_labels, reached);
  }

  void complete(Best &best) {
    const int last = instance_.layerCount() - 1;
    const TransitionMatrix &sleep = instance_.transitions.back();
    const double base = power_ * double(instance_.period);
    for (int o = 0; o < optionCount(instance_, last); ++o) {
      const Window &window = windows_[size_t(last)][size_t(o)];
      const Ticks down = sleep.timeAt(o, k_);
      const double step = sleep.energyAt(o, k_) - power_ * double(down);
      for (size_t c = 0; c < window.size(); ++c) {
        const double reduced = energy_[window.offset + c];
        // Admission made every kept cell feasible: T_busy + excess of T_down <= D.
        if (reduced < kInfinity && base + reduced + step < best.energy) {
          best.energy = base + reduced + step;
          best.schedule = trace(o, time_[window.offset + c]);
        }
      }
    }
  }

  // The schedule whose partial schedule at the last layer is in `option` at exact time
  // `time`, by back-pointers: each parent's time is the child's less the step.
  Schedule trace(int option, Ticks time) const {
    const int layers = instance_.layerCount();
    Schedule schedule{k_, std::vector<int>(size_t(layers))};
    for (int i = layers - 1; i > 0; --i) {
      schedule.layer_options[size_t(i)] = option;
      const Window &window = windows_[size_t(i)][size_t(option)];
      const int from = parents_[size_t(i)][window.offset + size_t(time / width_ - window.lo)];
      time -= stepInto(instance_, i, from, option).time;
      option = from;
    }
    schedule.layer_options[0] = option;
    return schedule;
  }

  const Instance &instance_;
  const Ticks width_;
  int k_ = 0;
  double power_ = 0.0;
  std::vector<std::vector<Window>> windows_;  // [layer][option], for k_
  std::vector<double> energy_, next_energy_;  // reduced energy per cell, two layers
  std::vector<Ticks> time_, next_time_;       // exact busy time per cell, two layers
  std::vector<std::vector<Parent>> parents_;  // [layer][cell]: option of layer - 1
  SolverStats &stats_;
};

template <class Parent>
void runAll(const Instance &instance, Ticks width,
            std::vector<std::vector<std::vector<Window>>> &windows, SolverStats &stats,
            Best &best) {
  BucketTable<Parent> table(instance, width, stats);
  for (int k = 0; k < int(instance.idle.size()); ++k)
    table.run(k, std::move(windows[size_t(k)]), best);
}

std::string megabytes(double bytes) { return std::to_string(int64_t(bytes / 1e6 + 0.5)) + " MB"; }

}  // namespace

SolveResult solveDiscretized(const Instance &instance, Ticks bucket_ticks) {
  const auto start = std::chrono::steady_clock::now();
  SolveResult result;
  result.min_busy_time = minimumBusyTime(instance);
  if (bucket_ticks < 1) {
    result.message = "bucket width must be >= 1 tick";
    return result;
  }
  int most_options = 0;
  for (int i = 0; i < instance.layerCount(); ++i)
    most_options = std::max(most_options, optionCount(instance, i));
  const size_t parent_size = most_options <= 256 ? 1 : 2;
  if (most_options > 65536) {
    result.message = "discretized: more than 65536 options at a layer";
    return result;
  }

  std::vector<std::vector<std::vector<Window>>> windows;
  Footprint footprint;
  for (int k = 0; k < int(instance.idle.size()); ++k) {
    windows.push_back(windowsFor(instance, k, bucket_ticks));
    const Footprint of_k = footprintOf(windows.back(), parent_size);
    if (of_k.total() > footprint.total()) footprint = of_k;
  }
  const std::string tables = "back-pointers " + megabytes(footprint.parent_bytes) +
                             ", value tables " + megabytes(footprint.value_bytes);
  if (footprint.total() > kMaxBytes) {
    result.status = SolveStatus::TooLarge;
    result.message = "discretized: " + std::to_string(bucket_ticks) +
                     "-tick buckets need more than " + megabytes(kMaxBytes) + " (" + tables +
                     "); use wider buckets";
    return result;
  }

  Best best;
  if (parent_size == 1)
    runAll<uint8_t>(instance, bucket_ticks, windows, result.stats, best);
  else
    runAll<uint16_t>(instance, bucket_ticks, windows, result.stats, best);

  const std::string model = std::to_string(bucket_ticks) + "-tick buckets (" + tables + ")";
  if (best.energy < kInfinity) {
    // One-tick buckets keep one exact time per cell: the DP is then exact.
    result.status = bucket_ticks == 1 ? SolveStatus::Optimal : SolveStatus::Feasible;
    result.schedule = best.schedule;
    result.evaluation = evaluate(instance, best.schedule);
    result.message = (bucket_ticks == 1 ? "optimal: " : "feasible, not proven optimal: ") + model;
  } else {
    // Admission keeps every feasible instance feasible, so this is the instance itself.
    result.status = SolveStatus::Infeasible;
    result.message = detail::infeasibleMessage(instance, result.min_busy_time);
  }
  result.stats.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace pf::sched
