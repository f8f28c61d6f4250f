// The ILP oracle against brute force on random small instances (feasible and
// infeasible, one and several idle options), plus a hand-priced instance, in each of its
// modes: cold (the formulation alone), warm with whole models, and warm with Lagrangian
// fixing and rising targets (what solveIlp() runs).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sched/Ilp.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

using test::handInstance;

enum class Mode { Cold, WarmWholeModels, WarmFixed };
const char *modeName(Mode mode) {
  return mode == Mode::Cold              ? "cold"
         : mode == Mode::WarmWholeModels ? "warm, whole"
                                         : "warm, fixed";
}
IlpOptions optionsFor(Mode mode, double time_limit_s) {
  IlpOptions options;
  options.time_limit_s = time_limit_s;
  options.warm_start = mode != Mode::Cold;
  options.fix_arcs = mode == Mode::WarmFixed;
  return options;
}

void expectHandOptima(Mode mode) {
  const IlpOptions options = optionsFor(mode, 10.0);
  const SolveResult loose = solveIlpWith(handInstance(20), options);
  ASSERT_EQ(loose.status, SolveStatus::Optimal);
  EXPECT_EQ(loose.schedule.layer_options, (std::vector<int>{0, 1}));
  EXPECT_DOUBLE_EQ(loose.evaluation.total_pj, 24.875);

  const SolveResult tight = solveIlpWith(handInstance(15), options);
  ASSERT_EQ(tight.status, SolveStatus::Optimal);
  EXPECT_EQ(tight.schedule.layer_options, (std::vector<int>{0, 0}));
  EXPECT_DOUBLE_EQ(tight.evaluation.total_pj, 29.875);

  const SolveResult infeasible = solveIlpWith(handInstance(9), options);
  EXPECT_EQ(infeasible.status, SolveStatus::Infeasible);
  EXPECT_EQ(infeasible.min_busy_time, 10);
  EXPECT_NE(infeasible.message.find("minimum busy time 10"), std::string::npos);
}

TEST(Ilp, HandInstanceCold) { expectHandOptima(Mode::Cold); }
TEST(Ilp, HandInstanceWarmWholeModels) { expectHandOptima(Mode::WarmWholeModels); }
TEST(Ilp, HandInstanceWarmFixed) { expectHandOptima(Mode::WarmFixed); }

// Cold: every per-idle MILP solved from scratch, so the formulation alone must be right;
// warm: with the heuristic's cutoffs, on whole models or fixed ones.
void expectMatchesBrute(Mode mode) {
  int infeasible = 0, several_idle = 0;
  for (uint64_t seed = 0; seed < 250; ++seed) {
    const Instance instance = test::randomInstance(seed);
    const SolveResult brute = solveBrute(instance, 7.0);
    ASSERT_NE(brute.status, SolveStatus::TooLarge);
    const SolveResult ilp = solveIlpWith(instance, optionsFor(mode, 60.0));
    several_idle += instance.idle.size() > 1;
    if (brute.status == SolveStatus::Infeasible) {
      ++infeasible;
      EXPECT_EQ(ilp.status, SolveStatus::Infeasible) << "seed " << seed << ": " << ilp.message;
      EXPECT_EQ(ilp.min_busy_time, brute.min_busy_time) << "seed " << seed;
      continue;
    }
    ASSERT_EQ(ilp.status, SolveStatus::Optimal) << "seed " << seed << ": " << ilp.message;
    EXPECT_TRUE(ilp.evaluation.feasible()) << "seed " << seed;
    const double best_pj = brute.evaluation.total_pj;
    EXPECT_NEAR(ilp.evaluation.total_pj, best_pj, 1e-7 * std::abs(best_pj)) << "seed " << seed;
  }
  EXPECT_GE(infeasible, 10);
  EXPECT_GE(several_idle, 100);
}

TEST(Ilp, ColdMatchesBruteOnRandomInstances) { expectMatchesBrute(Mode::Cold); }
TEST(Ilp, WarmWholeModelsMatchBruteOnRandomInstances) { expectMatchesBrute(Mode::WarmWholeModels); }
TEST(Ilp, WarmFixedMatchesBruteOnRandomInstances) { expectMatchesBrute(Mode::WarmFixed); }

// Operating-point instances have the gated/ungated near-ties that fixing must keep.
TEST(Ilp, WarmFixedMatchesBruteOnOperatingPointInstances) {
  for (uint64_t seed = 0; seed < 150; ++seed) {
    const Instance instance = test::randomOperatingPointInstance(seed);
    const SolveResult brute = solveBrute(instance, 7.0);
    if (brute.status == SolveStatus::TooLarge) continue;
    const SolveResult ilp = solveIlpWith(instance, optionsFor(Mode::WarmFixed, 60.0));
    ASSERT_EQ(ilp.status, brute.status) << "seed " << seed << ": " << ilp.message;
    if (brute.status != SolveStatus::Optimal) continue;
    const double best_pj = brute.evaluation.total_pj;
    EXPECT_NEAR(ilp.evaluation.total_pj, best_pj, 1e-7 * std::abs(best_pj)) << "seed " << seed;
  }
}

// A start schedule only helps CBC: a suboptimal one is beaten, an infeasible one is
// ignored, the optimum is confirmed.
TEST(Ilp, StartScheduleCannotChangeTheAnswer) {
  for (uint64_t seed = 0; seed < 60; ++seed) {
    const Instance instance = test::randomInstance(seed);
    const SolveResult brute = solveBrute(instance, 7.0);
    if (brute.status != SolveStatus::Optimal) continue;
    std::vector<Schedule> starts{brute.schedule};
    Schedule other = brute.schedule;  // another schedule, feasible or not
    for (size_t i = 0; i < other.layer_options.size(); ++i)
      other.layer_options[i] =
          int((size_t(other.layer_options[i]) + 1) % instance.layers[i].options.size());
    starts.push_back(other);
    for (const Schedule &start : starts) {
      IlpOptions options = optionsFor(Mode::WarmFixed, 60.0);
      options.start = start;
      const SolveResult ilp = solveIlpWith(instance, options);
      ASSERT_EQ(ilp.status, SolveStatus::Optimal) << "seed " << seed << ": " << ilp.message;
      const double best_pj = brute.evaluation.total_pj;
      EXPECT_NEAR(ilp.evaluation.total_pj, best_pj, 1e-7 * std::abs(best_pj)) << "seed " << seed;
    }
  }
}

// Repeated blocks, the case the group counts are for: the layers of a random instance
// copied several times over (transitions between copies included), in every mode.
Instance repeated(const Instance &block, int copies) {
  Instance instance = block;
  const int layers = block.layerCount();
  instance.layers.clear();
  instance.transitions.assign(1, block.transitions.front());
  for (int copy = 0; copy < copies; ++copy) {
    for (int i = 0; i < layers; ++i) {
      instance.layers.push_back(block.layers[size_t(i)]);
      if (copy == 0 && i == 0) continue;
      if (i > 0) {
        instance.transitions.push_back(block.transitions[size_t(i)]);
        continue;
      }
      // Last layer of a copy into the first of the next: price it like waking up from
      // the first idle option, one row per option of the last layer.
      const TransitionMatrix &wake = block.transitions.front();
      TransitionMatrix bridge;
      bridge.from_count = int(block.layers.back().options.size());
      bridge.to_count = wake.to_count;
      for (int from = 0; from < bridge.from_count; ++from)
        for (int to = 0; to < bridge.to_count; ++to) {
          bridge.time.push_back(wake.timeAt(0, to) + from % 2);
          bridge.energy_pj.push_back(wake.energyAt(0, to) + 0.5 * from);
        }
      instance.transitions.push_back(bridge);
    }
  }
  instance.transitions.push_back(block.transitions.back());
  const Ticks min_busy = minimumBusyTime(instance);  // a deadline 1.3x that, a roomy period
  instance.deadline = min_busy + 3 * min_busy / 10;
  instance.period = 3 * min_busy;
  return instance;
}

TEST(Ilp, RepeatedBlocksMatchExact) {
  test::RandomInstanceParams params;
  params.min_layers = params.max_layers = 3;
  params.min_options = params.max_options = 4;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    const Instance instance = repeated(test::randomInstance(seed, params), 6);
    ASSERT_TRUE(validateInstance(instance).empty()) << "seed " << seed;
    const SolveResult exact = solveExact(instance, true);
    ASSERT_EQ(exact.status, SolveStatus::Optimal) << "seed " << seed;
    for (Mode mode : {Mode::Cold, Mode::WarmWholeModels, Mode::WarmFixed}) {
      const SolveResult ilp = solveIlpWith(instance, optionsFor(mode, 60.0));
      ASSERT_EQ(ilp.status, SolveStatus::Optimal) << "seed " << seed << " " << modeName(mode);
      const double best_pj = exact.evaluation.total_pj;
      EXPECT_NEAR(ilp.evaluation.total_pj, best_pj, 1e-7 * std::abs(best_pj))
          << "seed " << seed << " " << modeName(mode);
    }
  }
}

// Larger than brute force can enumerate: the exact solver is the reference.
TEST(Ilp, MatchesExactOnMediumInstances) {
  test::RandomInstanceParams params;
  params.min_layers = params.max_layers = 20;
  params.min_options = params.max_options = 8;
  params.min_idle = params.max_idle = 3;
  params.deadline_lo = 0.1;
  params.deadline_hi = 0.6;
  for (uint64_t seed = 0; seed < 3; ++seed) {
    const Instance instance = test::randomInstance(seed, params);
    const SolveResult exact = solveExact(instance, true);
    ASSERT_EQ(exact.status, SolveStatus::Optimal) << "seed " << seed;
    for (Mode mode : {Mode::Cold, Mode::WarmWholeModels, Mode::WarmFixed}) {
      const SolveResult ilp = solveIlpWith(instance, optionsFor(mode, 60.0));
      ASSERT_EQ(ilp.status, SolveStatus::Optimal) << "seed " << seed << ": " << ilp.message;
      const double best_pj = exact.evaluation.total_pj;
      EXPECT_NEAR(ilp.evaluation.total_pj, best_pj, 1e-7 * std::abs(best_pj))
          << "seed " << seed << " " << modeName(mode);
    }
  }
}

TEST(Ilp, PrintsNothing) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  for (uint64_t seed = 0; seed < 20; ++seed) solveIlp(test::randomInstance(seed), 10.0);
  solveIlp(handInstance(9), 10.0);   // infeasible
  solveIlp(handInstance(20), 1e-9);  // time limit
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(Ilp, RecordsStats) {
  const Instance instance = test::randomInstance(3);
  const SolveResult result = solveIlp(instance, 10.0);
  EXPECT_GE(result.stats.nodes, 0);
  EXPECT_GT(result.stats.wall_ms, 0.0);
  // Every arc of every idle option's model is either handed to CBC or fixed.
  int64_t arcs = 0;
  for (size_t b = 0; b < instance.transitions.size(); ++b) {
    const TransitionMatrix &matrix = instance.transitions[b];
    const bool first = b == 0, last = b + 1 == instance.transitions.size();
    arcs += int64_t(first ? 1 : matrix.from_count) * (last ? 1 : matrix.to_count);
  }
  EXPECT_EQ(result.stats.columns + result.stats.columns_fixed,
            arcs * int64_t(instance.idle.size()));
}

}  // namespace
}  // namespace pf::sched
