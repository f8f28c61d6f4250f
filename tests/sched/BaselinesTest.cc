// Baselines: on a hand-built three-point instance each policy picks what its definition
// says; on random operating-point instances no feasible baseline beats the optimum.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sched/Baselines.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

// Option index 2 * point + gated at every layer of pointInstance().
constexpr int pointOption(int point, bool gated) { return 2 * point + (gated ? 1 : 0); }

// Running options (q, g), q in 0.6 V div 4 / 0.8 V div 2 / 1.0 V div 1 (aggressive):
// time = base x divider, dynamic = C V^2, leakage = time x {0.2, 0.3, 0.5}[q], halved when
// gated. Switching point costs 3 ticks / 3 pJ, switching gating 1 tick / 0.5 pJ.
// Idle: k0 clocked-on 1.5 pJ/tick, k1 clock-gated 0.6, k2 power-gated 0.05, k3
// power-gated 0.1. Waking from power-gated costs 4 ticks / 8 pJ, going there 1 / 0.5;
// the clocked idles sit at 1.0 V, so reaching another point costs a switch.
//
// Layers a, b, c: base 10, 6, 8 ticks; C = 100, 60, 80. D = 60, P = 100.
Instance pointInstance() {
  Instance instance;
  instance.name = "points";
  instance.deadline = 60;
  instance.period = 100;
  instance.domain_names = {"aon", "pe", "buf"};
  instance.rail_voltages_v = {0.6, 0.8, 1.0};
  instance.operating_points = {{"0.6 V div 4", 4}, {"0.8 V div 2", 2}, {"1.0 V div 1", 1}};
  instance.aggressive_point = 2;
  for (int q = 0; q < 3; ++q)
    for (bool gated : {false, true})
      instance.states.push_back(
          {"run",
           {{DomainMode::On, 2},
            {DomainMode::On, q},
            gated ? DomainState{DomainMode::Retention, -1} : DomainState{DomainMode::On, q}},
           instance.operating_points[q].clock_divider,
           q,
           gated});
  const std::vector<DomainState> all_on = {
      {DomainMode::On, 2}, {DomainMode::On, 2}, {DomainMode::On, 2}};
  instance.states.push_back({"idle clocked", all_on, 1, -1, false});
  instance.states.push_back({"idle clock-gated", all_on, 0, -1, false});
  instance.states.push_back(
      {"idle power-gated",
       {{DomainMode::On, 2}, {DomainMode::Off, -1}, {DomainMode::Retention, -1}},
       0,
       -1,
       true});
  instance.idle = {{6, IdleKind::ClockedOn, 1.5},
                   {7, IdleKind::ClockGated, 0.6},
                   {8, IdleKind::PowerGated, 0.05},
                   {8, IdleKind::PowerGated, 0.1}};

  const Ticks divider[3] = {4, 2, 1};
  const double leak[3] = {0.2, 0.3, 0.5};
  const struct {
    const char *name;
    Ticks base;
    double capacitance;
  } layers[3] = {{"a", 10, 100.0}, {"b", 6, 60.0}, {"c", 8, 80.0}};
  for (const auto &layer : layers) {
    Stage stage{layer.name, {}};
    for (int q = 0; q < 3; ++q) {
      for (bool gated : {false, true}) {
        const Ticks time = layer.base * divider[q];
        const double volts = instance.rail_voltages_v[q];
        stage.options.push_back({pointOption(q, gated), time, layer.capacitance * volts * volts,
                                 double(time) * leak[q] * (gated ? 0.5 : 1.0)});
      }
    }
    instance.layers.push_back(stage);
  }

  // Transitions: from/to running option (q, g) or idle k.
  auto wake = [](int k, int q, bool gated, bool time) -> double {
    if (k >= 2) return time ? 4.0 : 8.0;
    return (q != 2 ? 3.0 : 0.0) + (gated ? (time ? 1.0 : 0.5) : 0.0) + (k == 1 && time ? 1.0 : 0.0);
  };
  auto matrix = [](int from, int to, auto cost) {
    TransitionMatrix m{from, to, {}, {}};
    for (int f = 0; f < from; ++f)
      for (int t = 0; t < to; ++t) {
        m.time.push_back(Ticks(cost(f, t, true)));
        m.energy_pj.push_back(cost(f, t, false));
      }
    return m;
  };
  instance.transitions.push_back(
      matrix(4, 6, [&](int k, int o, bool time) { return wake(k, o / 2, o % 2, time); }));
  for (int i = 1; i < 3; ++i)
    instance.transitions.push_back(matrix(6, 6, [](int from, int to, bool time) {
      return (from / 2 != to / 2 ? 3.0 : 0.0) + (from % 2 != to % 2 ? (time ? 1.0 : 0.5) : 0.0);
    }));
  instance.transitions.push_back(matrix(6, 4, [&](int o, int k, bool time) {
    if (k >= 2) return time ? 1.0 : 0.5;
    return wake(0, o / 2, o % 2, time);
  }));
  return instance;
}

std::vector<int> everywhere(int o) { return {o, o, o}; }

bool mentions(const BaselineResult &result, const std::string &text) {
  return result.note.find(text) != std::string::npos;
}

TEST(Baselines, HandInstanceIsValid) { EXPECT_TRUE(validateInstance(pointInstance()).empty()); }

TEST(Baselines, AggressiveRunsFastestAndIdlesClocked) {
  const BaselineResult result = runBaseline(pointInstance(), Baseline::Aggressive);
  ASSERT_TRUE(result.available) << result.note;
  EXPECT_EQ(result.schedule.layer_options, everywhere(pointOption(2, false)));
  EXPECT_EQ(result.schedule.idle_option, 0);
  EXPECT_EQ(result.evaluation.busy_time, 24);
  EXPECT_TRUE(result.feasible());
}

TEST(Baselines, RaceToIdleSleepsInLowestPowerGatedIdle) {
  const BaselineResult result = runBaseline(pointInstance(), Baseline::RaceToIdle);
  ASSERT_TRUE(result.available) << result.note;
  EXPECT_EQ(result.schedule.layer_options, everywhere(pointOption(2, false)));
  EXPECT_EQ(result.schedule.idle_option, 2);  // 0.05 < 0.1 pJ/tick
  EXPECT_EQ(result.evaluation.busy_time, 4 + 24);
}

TEST(Baselines, StaticPicksTheCheapestPointThatMeetsTheDeadline) {
  // 0.6 V: busy 4 + 96 > 60. 0.8 V: busy 52, 178.85 pJ. 1.0 V: busy 28, 264.05 pJ.
  const BaselineResult result = runBaseline(pointInstance(), Baseline::Static);
  ASSERT_TRUE(result.feasible()) << result.note;
  EXPECT_EQ(result.schedule.layer_options, everywhere(pointOption(1, false)));
  EXPECT_EQ(result.schedule.idle_option, 2);
  EXPECT_NEAR(result.evaluation.total_pj, 178.85, 1e-9);
  EXPECT_TRUE(mentions(result, "0.8 V div 2")) << result.note;
}

TEST(Baselines, StaticReportsTheFastestPointWhenNoneMeetsTheDeadline) {
  Instance instance = pointInstance();
  instance.deadline = 20;
  const BaselineResult result = runBaseline(instance, Baseline::Static);
  ASSERT_TRUE(result.available);
  EXPECT_FALSE(result.feasible());
  EXPECT_EQ(result.schedule.layer_options, everywhere(pointOption(2, false)));
  EXPECT_TRUE(mentions(result, "no single operating point meets D")) << result.note;
  EXPECT_TRUE(mentions(result, "breaks the deadline by 8 ticks")) << result.note;
}

TEST(Baselines, LayerLevelIsBlindToTransitionsAndSaysSo) {
  // Gated options dominate (same time, less leakage). Costs e - 0.05 t, blind capacity
  // 60: a at 0.8 V (20) + b at 0.6 V (24) + c at 0.8 V (16) = 60 ticks, 141.6, the best;
  // with the wake-up (4) and two point switches (3 + 3) it is busy 70.
  const BaselineResult result = runBaseline(pointInstance(), Baseline::LayerLevelRaw);
  EXPECT_EQ(result.label, "layer-level-raw");
  ASSERT_TRUE(result.available);
  EXPECT_EQ(result.schedule.layer_options,
            (std::vector<int>{pointOption(1, true), pointOption(0, true), pointOption(1, true)}));
  EXPECT_EQ(result.schedule.idle_option, 2);
  EXPECT_EQ(result.evaluation.busy_time, 70);
  EXPECT_FALSE(result.feasible());
  EXPECT_TRUE(mentions(result, "breaks the deadline by 10 ticks")) << result.note;
}

TEST(Baselines, LayerLevelRepairedCutsItsBudgetByTheOvershootUntilItMeetsTheDeadline) {
  // The blind plan is 10 ticks late; at budget 50 the knapsack's best is 0.8 V gated
  // everywhere (48 ticks, no switch between layers): busy 52 with the wake-up, on time.
  const BaselineResult result = runBaseline(pointInstance(), Baseline::LayerLevel);
  ASSERT_TRUE(result.feasible()) << result.note;
  EXPECT_TRUE(result.repaired);
  EXPECT_EQ(result.budget, 50);
  EXPECT_EQ(result.schedule.layer_options, everywhere(pointOption(1, true)));
  EXPECT_EQ(result.evaluation.busy_time, 52);
  EXPECT_TRUE(mentions(result, "repaired: budget 50 ticks (D - 10) after 1 round")) << result.note;
}

TEST(Baselines, SuperBlockMergesUntilBlocksAmortiseTheSwitch) {
  // Switch time: worst transition out of the aggressive option = 3 + 1 = 4 ticks.
  // N = 4: threshold 16; a + b = 16 is not above it, a + b + c = 24 closes one block,
  // whose best choice under D is 0.8 V gated (48 ticks; 0.6 V needs 96).
  const Instance instance = pointInstance();
  const BaselineResult one = runBaseline(instance, Baseline::SuperBlock, {4});
  ASSERT_TRUE(one.feasible()) << one.note;
  EXPECT_EQ(one.schedule.layer_options, everywhere(pointOption(1, true)));
  EXPECT_TRUE(mentions(one, "1 block, switch time 4 ticks")) << one.note;

  // N = 2: threshold 8 gives blocks {a}, {b, c}; the best split is still 0.8 V gated.
  const BaselineResult two = runBaseline(instance, Baseline::SuperBlock, {2});
  ASSERT_TRUE(two.feasible()) << two.note;
  EXPECT_EQ(two.schedule.layer_options, everywhere(pointOption(1, true)));
  EXPECT_TRUE(mentions(two, "2 blocks")) << two.note;

  // N = 1: every layer is a block, so it makes layer-level's blind choice (raw) and its
  // repair (repaired).
  const BaselineResult three = runBaseline(instance, Baseline::SuperBlockRaw, {1});
  ASSERT_TRUE(three.available);
  EXPECT_TRUE(mentions(three, "3 blocks")) << three.note;
  EXPECT_EQ(three.schedule.layer_options,
            runBaseline(instance, Baseline::LayerLevelRaw).schedule.layer_options);
  EXPECT_TRUE(mentions(three, "breaks the deadline by 10 ticks")) << three.note;
  const BaselineResult repaired = runBaseline(instance, Baseline::SuperBlock, {1});
  EXPECT_TRUE(repaired.feasible()) << repaired.note;
  EXPECT_EQ(repaired.schedule.layer_options,
            runBaseline(instance, Baseline::LayerLevel).schedule.layer_options);
}

TEST(Baselines, AllBaselinesIncludeRawEntriesAndTheSuperBlockSweep) {
  std::vector<std::string> labels;
  for (const BaselineResult &result : runAllBaselines(pointInstance()))
    labels.push_back(result.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"aggressive", "race-to-idle", "static", "layer-level",
                                              "layer-level-raw", "super-block", "super-block-raw",
                                              "super-block-n1", "super-block-n2", "super-block-n8",
                                              "super-block-n16"}));
}

TEST(Baselines, MissingAggressiveOptionMakesAggressiveUnavailable) {
  Instance instance = pointInstance();
  instance.layers[1].options[pointOption(2, false)].state = pointOption(2, true);  // b: gated only
  for (Baseline kind : {Baseline::Aggressive, Baseline::RaceToIdle}) {
    const BaselineResult result = runBaseline(instance, kind);
    EXPECT_FALSE(result.available) << baselineName(kind);
    EXPECT_TRUE(mentions(result, "no option at the aggressive operating point for layer 1 (b)"))
        << result.note;
  }
  EXPECT_TRUE(runBaseline(instance, Baseline::Static).feasible());
}

TEST(Baselines, OptimumIsNoWorseThanAnyFeasibleBaseline) {
  const Instance instance = pointInstance();
  const SolveResult optimum = solveBrute(instance, 7.0);
  ASSERT_EQ(optimum.status, SolveStatus::Optimal);
  for (const BaselineResult &result : runAllBaselines(instance)) {
    SCOPED_TRACE(baselineName(result.kind));
    if (result.feasible()) {
      EXPECT_LE(optimum.evaluation.total_pj, result.evaluation.total_pj + 1e-9);
    }
  }
  // The layer-level baseline breaks D here; the optimum pays less than static's 178.85.
  EXPECT_LT(optimum.evaluation.total_pj, 178.85);
}

// The blind model layer-level optimises: sum of e - p t over the layers, sum of t <= D,
// with p the lowest idle power. Enumerated here to check the knapsack DP is exact.
double blindCost(const Instance &instance, const std::vector<int> &options, double power,
                 Ticks &time) {
  double cost = 0.0;
  time = 0;
  for (int i = 0; i < instance.layerCount(); ++i) {
    const LayerOption &option = instance.layers[i].options[options[i]];
    time += option.time;
    cost += option.energyPj() - power * double(option.time);
  }
  return cost;
}

TEST(Baselines, LayerLevelSolvesItsKnapsackExactly) {
  int checked = 0;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Instance instance = test::randomOperatingPointInstance(seed);
    double power = instance.idle[0].power_pj_per_tick;
    for (const IdleOption &idle : instance.idle) power = std::min(power, idle.power_pj_per_tick);
    std::vector<int> options(instance.layerCount(), 0);
    double best = 0.0;
    bool found = false;
    while (true) {
      Ticks time = 0;
      const double cost = blindCost(instance, options, power, time);
      if (time <= instance.deadline && (!found || cost < best)) best = cost, found = true;
      int i = 0;  // odometer
      while (i < instance.layerCount() && ++options[i] == int(instance.layers[i].options.size()))
        options[i++] = 0;
      if (i == instance.layerCount()) break;
    }
    if (!found) continue;
    ++checked;
    const BaselineResult result = runBaseline(instance, Baseline::LayerLevelRaw);
    Ticks time = 0;
    EXPECT_NEAR(blindCost(instance, result.schedule.layer_options, power, time), best, 1e-9);
    EXPECT_LE(time, instance.deadline);
  }
  EXPECT_GT(checked, 50);
}

TEST(Baselines, RandomInstancesNeverBeatTheOptimum) {
  int feasible = 0, broken = 0, unavailable = 0;
  for (uint64_t seed = 0; seed < 150; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Instance instance = test::randomOperatingPointInstance(seed);
    ASSERT_TRUE(validateInstance(instance).empty());
    const SolveResult optimum = solveBrute(instance, 7.0);
    ASSERT_NE(optimum.status, SolveStatus::TooLarge);
    for (const BaselineResult &result : runAllBaselines(instance)) {
      SCOPED_TRACE(baselineName(result.kind));
      if (!result.available) {
        ++unavailable;
        EXPECT_FALSE(result.note.empty());
        continue;
      }
      EXPECT_EQ(evaluate(instance, result.schedule).total_pj, result.evaluation.total_pj);
      if (!result.feasible()) {
        ++broken;
        EXPECT_TRUE(mentions(result, "breaks the deadline") ||
                    mentions(result, "overruns the period"))
            << result.note;
        continue;
      }
      ++feasible;
      ASSERT_EQ(optimum.status, SolveStatus::Optimal);
      const double best = optimum.evaluation.total_pj;
      EXPECT_LE(best, result.evaluation.total_pj + 1e-9 * std::abs(best));
    }
  }
  EXPECT_GT(feasible, 100);
  EXPECT_GT(broken, 10);
  EXPECT_GT(unavailable, 0);
}

// The repair's promise: wherever the raw plan breaks the deadline (or the period), the
// repaired plan meets both, unless even the aggressive point everywhere (no switch between layers)
// with the method's idle state (the lowest-power one, whose wake-up may be too slow for a tight D)
// breaks it; and it never beats the optimum. The random instances are adversarial (D of a
// few ticks, switches of up to 6), so both outcomes occur.
TEST(Baselines, RepairedPlansMeetTheDeadlineWhereverTheRawOnesBreakIt) {
  int repaired = 0, beyond_repair = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Instance instance = test::randomOperatingPointInstance(seed);
    const SolveResult optimum = solveBrute(instance, 7.0);
    if (optimum.status != SolveStatus::Optimal) continue;
    const BaselineResult aggressive = runBaseline(instance, Baseline::RaceToIdle);
    for (auto [raw_kind, kind] : {std::pair{Baseline::LayerLevelRaw, Baseline::LayerLevel},
                                  std::pair{Baseline::SuperBlockRaw, Baseline::SuperBlock}}) {
      const BaselineResult raw = runBaseline(instance, raw_kind);
      if (!raw.available || raw.feasible()) continue;
      const BaselineResult result = runBaseline(instance, kind);
      ASSERT_TRUE(result.available) << result.note;
      if (result.feasible()) {
        EXPECT_LE(optimum.evaluation.total_pj,
                  result.evaluation.total_pj + 1e-9 * std::abs(optimum.evaluation.total_pj));
        repaired += result.repaired;
        continue;
      }
      ++beyond_repair;
      EXPECT_TRUE(mentions(result, "no budget gives a plan that meets D") ||
                  mentions(result, "the layer times alone exceed D"))
          << result.note;
      // Then the aggressive point everywhere breaks D too (with the lowest-power power-
      // gated idle of race-to-idle, or none is available).
      const double aggressive_idle_power =
          aggressive.available
              ? instance.idle[size_t(aggressive.schedule.idle_option)].power_pj_per_tick
              : -1.0;
      if (aggressive_idle_power ==
          instance.idle[size_t(result.schedule.idle_option)].power_pj_per_tick) {
        EXPECT_FALSE(aggressive.feasible()) << result.note;
      }
    }
  }
  EXPECT_GT(repaired, 20);
  EXPECT_GT(beyond_repair, 0);
}

// Beyond brute force: 30-layer instances against the exact solver.
TEST(Baselines, LargerInstancesNeverBeatTheExactOptimum) {
  test::RandomInstanceParams params;
  params.min_layers = params.max_layers = 30;
  params.deadline_lo = 0.1;
  int compared = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Instance instance = test::randomOperatingPointInstance(seed, params);
    const SolveResult optimum = solveExact(instance, true);
    if (optimum.status != SolveStatus::Optimal) continue;
    for (const BaselineResult &result : runAllBaselines(instance)) {
      if (!result.feasible()) continue;
      ++compared;
      const double best = optimum.evaluation.total_pj;
      EXPECT_LE(best, result.evaluation.total_pj + 1e-9 * std::abs(best))
          << baselineName(result.kind);
    }
  }
  EXPECT_GT(compared, 10);
}

}  // namespace
}  // namespace pf::sched
