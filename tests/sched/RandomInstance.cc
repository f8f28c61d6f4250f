#include "tests/sched/RandomInstance.hh"

#include <algorithm>
#include <random>

namespace pf::sched::test {

namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(engine_); }
  double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(engine_); }

 private:
  std::mt19937_64 engine_;
};

TransitionMatrix randomMatrix(Rng &rng, int from, int to, const RandomInstanceParams &params) {
  TransitionMatrix matrix;
  matrix.from_count = from;
  matrix.to_count = to;
  for (int e = 0; e < from * to; ++e) {
    matrix.time.push_back(rng.uniform(0, params.max_transition_time));
    matrix.energy_pj.push_back(rng.real(0.0, 30.0));
  }
  return matrix;
}

// Crude bounds on T_busy (sum of extremes) to place the deadline in an interesting range.
void placeDeadline(Instance &instance, Rng &rng, const RandomInstanceParams &params) {
  Ticks lo = 0, hi = 0;
  for (const Stage &stage : instance.layers) {
    Ticks fastest = stage.options[0].time, slowest = stage.options[0].time;
    for (const LayerOption &option : stage.options) {
      fastest = std::min(fastest, option.time);
      slowest = std::max(slowest, option.time);
    }
    lo += fastest;
    hi += slowest + params.max_transition_time;
  }
  hi += params.max_transition_time;
  const double fraction = rng.real(params.deadline_lo, params.deadline_hi);
  instance.deadline = std::max<Ticks>(0, lo + Ticks(fraction * double(hi - lo)));
  instance.period = instance.deadline + rng.uniform(0, 2 * params.max_transition_time + 10);
}

}  // namespace

Instance randomInstance(uint64_t seed, const RandomInstanceParams &params) {
  Rng rng(seed);
  Instance instance;
  instance.name = "random-" + std::to_string(seed);
  instance.tick_ns = 10.0;
  instance.domain_names = {"aon", "pe", "buf"};
  instance.rail_voltages_v = {0.6, 0.9};
  instance.operating_points = {{"slow", 2}, {"fast", 1}};
  instance.aggressive_point = 1;
  // A handful of states; options refer to them at random (the solvers never look inside).
  for (int s = 0; s < 4; ++s) {
    PowerState state;
    state.name = "s" + std::to_string(s);
    state.domains = {{DomainMode::On, 0}, {DomainMode::On, s % 2}, {s == 3 ? DomainMode::Off : DomainMode::On, s == 3 ? -1 : 0}};
    state.clock_divider = 1 + s % 2;
    state.operating_point = s % 2;
    instance.states.push_back(state);
  }
  const int layers = int(rng.uniform(params.min_layers, params.max_layers));
  for (int i = 0; i < layers; ++i) {
    Stage stage;
    stage.name = "layer" + std::to_string(i);
    const int options = int(rng.uniform(params.min_options, params.max_options));
    for (int o = 0; o < options; ++o)
      stage.options.push_back({int(rng.uniform(0, 3)), rng.uniform(1, params.max_layer_time),
                               rng.real(0.0, 100.0), rng.real(0.0, 40.0)});
    instance.layers.push_back(stage);
  }
  const int idle = int(rng.uniform(params.min_idle, params.max_idle));
  for (int k = 0; k < idle; ++k)
    instance.idle.push_back({int(rng.uniform(0, 3)), IdleKind(k % 3), rng.real(0.0, 8.0)});

  instance.transitions.push_back(randomMatrix(rng, idle, int(instance.layers[0].options.size()), params));
  for (int i = 1; i < layers; ++i)
    instance.transitions.push_back(randomMatrix(rng, int(instance.layers[i - 1].options.size()),
                                                int(instance.layers[i].options.size()), params));
  instance.transitions.push_back(randomMatrix(rng, int(instance.layers.back().options.size()), idle, params));
  placeDeadline(instance, rng, params);
  return instance;
}

}  // namespace pf::sched::test
