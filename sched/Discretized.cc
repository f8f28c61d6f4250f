// Discretized DP: the published time-bucket formulation, kept to measure its gap to the
// exact solver. For each idle option k, a table over (option, bucket) holds the least
// reduced energy (e - p_k * t, sched/Instance.hh) of a partial schedule whose bucketed
// busy time is that bucket. Every duration is rounded up to whole buckets on its own,
// and D and P down, so a schedule feasible in buckets is feasible in ticks. Only time is
// bucketed: energies, idle included, are exact, so the gap to exact is the time the
// rounding gives away. Time and back-pointers O(sum_i |O_i| |O_i+1| * D / bucket).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "sched/Bounds.hh"

namespace pf::sched {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Back-pointers kept at most (4 bytes each): beyond, the bucket is too fine to be useful.
constexpr double kMaxCells = 64e6;

Ticks bucketsOf(Ticks time, Ticks width) { return (time + width - 1) / width; }

struct Best {
  double energy = kInfinity;
  Schedule schedule;
};

// The bucketed DP for one idle option at a time; tables are reused across options.
class BucketTable {
 public:
  BucketTable(const Instance &instance, Ticks width, SolverStats &stats)
      : instance_(instance),
        width_(width),
        buckets_(size_t(instance.deadline / width) + 1),
        parents_(instance.layers.size()),
        stats_(stats) {}

  void run(int k, Best &best) {
    k_ = k;
    power_ = instance_.idle[size_t(k)].power_pj_per_tick;
    seed();
    for (int i = 1; i < instance_.layerCount(); ++i) extend(i);
    complete(best);
  }

 private:
  size_t optionCount(int i) const { return instance_.layers[size_t(i)].options.size(); }

  void seed() {
    const TransitionMatrix &wake = instance_.transitions[0];
    current_.assign(optionCount(0) * buckets_, kInfinity);
    for (int o = 0; o < int(optionCount(0)); ++o) {
      const LayerOption &option = instance_.layers[0].options[size_t(o)];
      const Ticks time = wake.timeAt(k_, o) + option.time;
      const size_t bucket =
          size_t(bucketsOf(wake.timeAt(k_, o), width_) + bucketsOf(option.time, width_));
      if (bucket < buckets_)
        current_[size_t(o) * buckets_ + bucket] =
            wake.energyAt(k_, o) + option.energyPj() - power_ * double(time);
    }
    count();
  }

  void extend(int i) {
    const TransitionMatrix &matrix = instance_.transitions[size_t(i)];
    const size_t from_count = optionCount(i - 1), to_count = optionCount(i);
    next_.assign(to_count * buckets_, kInfinity);
    std::vector<int32_t> &parents = parents_[size_t(i)];
    parents.assign(to_count * buckets_, -1);
    for (size_t to = 0; to < to_count; ++to) {
      const LayerOption &option = instance_.layers[size_t(i)].options[to];
      for (size_t from = 0; from < from_count; ++from) {
        const Ticks time = matrix.timeAt(int(from), int(to)) + option.time;
        const size_t shift = size_t(bucketsOf(matrix.timeAt(int(from), int(to)), width_) +
                                    bucketsOf(option.time, width_));
        if (shift >= buckets_) continue;
        const double step =
            matrix.energyAt(int(from), int(to)) + option.energyPj() - power_ * double(time);
        const double *source = &current_[from * buckets_];
        double *target = &next_[to * buckets_ + shift];
        int32_t *parent = &parents[to * buckets_ + shift];
        for (size_t b = 0; b + shift < buckets_; ++b) {
          const double energy = source[b] + step;
          if (energy < target[b]) target[b] = energy, parent[b] = int32_t(from);
        }
      }
    }
    std::swap(current_, next_);
    count();
  }

  void count() {
    const int64_t reached =
        std::count_if(current_.begin(), current_.end(), [](double v) { return v < kInfinity; });
    stats_.labels_created += reached;
    stats_.peak_labels = std::max(stats_.peak_labels, reached);
  }

  void complete(Best &best) {
    const int last = instance_.layerCount() - 1;
    const TransitionMatrix &sleep = instance_.transitions.back();
    const Ticks period_buckets = instance_.period / width_;
    const double base = power_ * double(instance_.period);
    for (int o = 0; o < int(optionCount(last)); ++o) {
      const Ticks down = sleep.timeAt(o, k_);
      const double step = sleep.energyAt(o, k_) - power_ * double(down);
      for (size_t b = 0; b < buckets_; ++b) {
        const double reduced = current_[size_t(o) * buckets_ + b];
        if (!(reduced < kInfinity) || Ticks(b) + bucketsOf(down, width_) > period_buckets) continue;
        if (base + reduced + step < best.energy) {
          best.energy = base + reduced + step;
          best.schedule = trace(o, b);
        }
      }
    }
  }

  // The schedule ending at (last layer, option, bucket), by back-pointers.
  Schedule trace(int option, size_t bucket) const {
    const int layers = instance_.layerCount();
    Schedule schedule{k_, std::vector<int>(size_t(layers))};
    for (int i = layers - 1; i > 0; --i) {
      schedule.layer_options[size_t(i)] = option;
      const int from = parents_[size_t(i)][size_t(option) * buckets_ + bucket];
      bucket -= size_t(bucketsOf(instance_.transitions[size_t(i)].timeAt(from, option), width_) +
                       bucketsOf(instance_.layers[size_t(i)].options[size_t(option)].time, width_));
      option = from;
    }
    schedule.layer_options[0] = option;
    return schedule;
  }

  const Instance &instance_;
  const Ticks width_;
  const size_t buckets_;  // busy-time buckets 0 .. floor(D / width)
  int k_ = 0;
  double power_ = 0.0;
  std::vector<double> current_, next_;         // [option * buckets_ + bucket]
  std::vector<std::vector<int32_t>> parents_;  // per layer, same layout; -1 unreached
  SolverStats &stats_;
};

double cellCount(const Instance &instance, Ticks width) {
  double options = 0.0;
  for (const Stage &stage : instance.layers) options += double(stage.options.size());
  return options * (double(instance.deadline / width) + 1.0);
}

}  // namespace

SolveResult solveDiscretized(const Instance &instance, Ticks bucket_ticks) {
  const auto start = std::chrono::steady_clock::now();
  SolveResult result;
  result.min_busy_time = minimumBusyTime(instance);
  if (bucket_ticks < 1) {
    result.message = "bucket width must be >= 1 tick";
    return result;
  }
  if (cellCount(instance, bucket_ticks) > kMaxCells) {
    result.status = SolveStatus::TooLarge;
    result.message = "discretized: " + std::to_string(bucket_ticks) +
                     "-tick buckets need more than " + std::to_string(int64_t(kMaxCells)) +
                     " table cells; use wider buckets";
    return result;
  }
  Best best;
  BucketTable table(instance, bucket_ticks, result.stats);
  for (int k = 0; k < int(instance.idle.size()); ++k) table.run(k, best);

  const std::string model = "optimal for the model with durations rounded up to " +
                            std::to_string(bucket_ticks) + "-tick buckets";
  if (best.energy < kInfinity) {
    result.status = SolveStatus::Optimal;
    result.schedule = best.schedule;
    result.evaluation = evaluate(instance, best.schedule);
    result.message = model;
  } else {
    result.status = SolveStatus::Infeasible;
    result.message = instance.deadline < result.min_busy_time
                         ? detail::infeasibleMessage(instance, result.min_busy_time)
                         : "infeasible in the model with durations rounded up to " +
                               std::to_string(bucket_ticks) + "-tick buckets";
  }
  result.stats.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace pf::sched
