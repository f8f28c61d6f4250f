#include "tests/sched/RandomInstance.hh"

#include <algorithm>
#include <random>

namespace pf::sched::test {

namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(engine_);
  }
  double real(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(engine_);
  }

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
    state.domains = {{DomainMode::On, 0},
                     {DomainMode::On, s % 2},
                     {s == 3 ? DomainMode::Off : DomainMode::On, s == 3 ? -1 : 0}};
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

  instance.transitions.push_back(
      randomMatrix(rng, idle, int(instance.layers[0].options.size()), params));
  for (int i = 1; i < layers; ++i)
    instance.transitions.push_back(randomMatrix(rng, int(instance.layers[i - 1].options.size()),
                                                int(instance.layers[i].options.size()), params));
  instance.transitions.push_back(
      randomMatrix(rng, int(instance.layers.back().options.size()), idle, params));
  placeDeadline(instance, rng, params);
  return instance;
}

namespace {

// The running states of randomOperatingPointInstance(): index 2 * point + gated.
void addOperatingPointStates(Instance &instance) {
  instance.domain_names = {"aon", "pe", "buf"};
  instance.rail_voltages_v = {0.6, 0.8, 1.0};
  instance.operating_points = {{"slow", 4}, {"mid", 2}, {"fast", 1}};
  instance.aggressive_point = 2;
  for (int point = 0; point < 3; ++point) {
    for (bool gated : {false, true}) {
      PowerState state;
      state.name = instance.operating_points[point].name + (gated ? " gated" : "");
      state.domains = {
          {DomainMode::On, 2},
          {DomainMode::On, point},
          gated ? DomainState{DomainMode::Retention, -1} : DomainState{DomainMode::On, point}};
      state.clock_divider = instance.operating_points[point].clock_divider;
      state.operating_point = point;
      state.gates_unused = gated;
      instance.states.push_back(state);
    }
  }
  // Idle states, one per IdleKind in enum order: indices 6, 7, 8.
  const std::vector<DomainState> all_on(3, {DomainMode::On, 2});
  const std::vector<DomainState> gated = {
      {DomainMode::On, 2}, {DomainMode::Off, -1}, {DomainMode::Retention, -1}};
  instance.states.push_back({"idle clocked", all_on, 1, -1, false});
  instance.states.push_back({"idle clock-gated", all_on, 0, -1, false});
  instance.states.push_back({"idle power-gated", gated, 0, -1, true});
}

Stage operatingPointStage(Rng &rng, const Instance &instance, int layer,
                          const RandomInstanceParams &params) {
  static constexpr double kLeakPerTick[3] = {0.2, 0.3, 0.5};
  Stage stage;
  stage.name = "layer" + std::to_string(layer);
  const double base = rng.real(1.0, std::max(1.0, double(params.max_layer_time) / 4.0));
  const double capacitance = rng.real(10.0, 100.0);
  for (int state = 0; state < 6; ++state) {
    // Gating is refused now and then (a live tensor in a bank), the aggressive point rarely.
    const bool gated = state % 2 == 1;
    if (gated ? rng.uniform(0, 3) == 0 : state == 4 && rng.uniform(0, 29) == 0) continue;
    const int point = state / 2;
    const double volts = instance.rail_voltages_v[point];
    const Ticks time = std::max<Ticks>(
        1, Ticks(base * instance.operating_points[point].clock_divider * rng.real(0.8, 1.2)));
    const double leakage = double(time) * kLeakPerTick[point] * (gated ? 0.5 : 1.0);
    stage.options.push_back(
        {state, time, capacitance * volts * volts * rng.real(0.9, 1.1), leakage});
  }
  return stage;
}

}  // namespace

Instance randomOperatingPointInstance(uint64_t seed, const RandomInstanceParams &params) {
  Rng rng(seed);
  Instance instance;
  instance.name = "random-op-" + std::to_string(seed);
  instance.tick_ns = 10.0;
  addOperatingPointStates(instance);
  const int layers = int(rng.uniform(params.min_layers, params.max_layers));
  for (int i = 0; i < layers; ++i)
    instance.layers.push_back(operatingPointStage(rng, instance, i, params));
  const int idle = int(rng.uniform(params.min_idle, params.max_idle));
  static constexpr double kIdlePower[3][2] = {{2.0, 4.0}, {0.5, 1.5}, {0.01, 0.3}};
  for (int k = 0; k < idle; ++k) {
    const int kind = int(rng.uniform(0, 2));
    instance.idle.push_back(
        {6 + kind, IdleKind(kind), rng.real(kIdlePower[kind][0], kIdlePower[kind][1])});
  }
  instance.transitions.push_back(
      randomMatrix(rng, idle, int(instance.layers[0].options.size()), params));
  for (int i = 1; i < layers; ++i)
    instance.transitions.push_back(randomMatrix(rng, int(instance.layers[i - 1].options.size()),
                                                int(instance.layers[i].options.size()), params));
  instance.transitions.push_back(
      randomMatrix(rng, int(instance.layers.back().options.size()), idle, params));
  placeDeadline(instance, rng, params);
  return instance;
}

Instance handInstance(Ticks deadline) {
  auto matrix = [](int from, int to, std::vector<Ticks> time, std::vector<double> energy) {
    return TransitionMatrix{from, to, std::move(time), std::move(energy)};
  };
  Instance instance;
  instance.tick_ns = 1.0;
  instance.deadline = deadline;
  instance.period = 30;
  instance.domain_names = {"pe"};
  instance.rail_voltages_v = {0.8};
  instance.states = {{"on", {{DomainMode::On, 0}}, 1, -1, false},
                     {"off", {{DomainMode::Off, -1}}, 0, -1, true}};
  instance.layers = {{"a", {{0, 5, 10.0, 2.0}, {0, 8, 6.0, 3.0}}},
                     {"b", {{0, 4, 7.0, 1.0}, {0, 9, 3.0, 2.0}}}};
  instance.idle = {{1, IdleKind::PowerGated, 0.5}};
  instance.transitions = {matrix(1, 2, {1, 2}, {0.25, 0.5}),
                          matrix(2, 2, {0, 1, 2, 3}, {0.0, 1.0, 2.0, 3.0}),
                          matrix(2, 1, {1, 1}, {0.125, 0.125})};
  return instance;
}

}  // namespace pf::sched::test
