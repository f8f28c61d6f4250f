// The exact solver against the brute-force oracle on random instances, plus the
// properties that must hold whatever the instance: pruning never changes the optimum,
// a looser deadline never costs more, and the bounds bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "sched/Schedule.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

using test::RandomInstanceParams;

bool sameEnergy(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

// A returned schedule must be feasible and priced exactly as evaluate() prices it.
void expectConsistent(const Instance &instance, const SolveResult &result,
                      const std::string &where) {
  if (result.status != SolveStatus::Optimal) return;
  const Evaluation evaluation = evaluate(instance, result.schedule);
  EXPECT_TRUE(evaluation.feasible()) << where;
  EXPECT_EQ(evaluation.total_pj, result.evaluation.total_pj) << where;
}

void expectSameOutcome(const SolveResult &a, const SolveResult &b, const std::string &where) {
  ASSERT_TRUE(a.status == SolveStatus::Optimal || a.status == SolveStatus::Infeasible)
      << where << a.message;
  EXPECT_EQ(a.status, b.status) << where;
  EXPECT_EQ(a.min_busy_time, b.min_busy_time) << where;
  if (a.status == SolveStatus::Optimal && b.status == SolveStatus::Optimal) {
    EXPECT_TRUE(sameEnergy(a.evaluation.total_pj, b.evaluation.total_pj))
        << where << ": " << a.evaluation.total_pj << " vs " << b.evaluation.total_pj;
  }
}

struct ParamSet {
  const char *name;
  RandomInstanceParams params;
  int seeds;
};

RandomInstanceParams tightDeadlines() {
  RandomInstanceParams params;
  params.deadline_lo = -0.2;
  params.deadline_hi = 0.3;
  return params;
}

RandomInstanceParams zeroTimeTransitions() {
  RandomInstanceParams params;
  params.max_transition_time = 0;
  return params;
}

RandomInstanceParams manyIdleOptions() {
  RandomInstanceParams params;
  params.min_idle = 2;
  params.max_idle = 5;
  params.max_transition_time = 15;  // sleeping may overrun P
  return params;
}

RandomInstanceParams deepNetworks() {
  RandomInstanceParams params;
  params.min_layers = 7;
  params.max_layers = 10;
  params.min_options = 2;
  params.max_options = 3;
  return params;
}

RandomInstanceParams manyTies() {
  RandomInstanceParams params;
  params.max_layer_time = 2;
  params.max_transition_time = 1;
  return params;
}

std::vector<ParamSet> oracleSets() {
  return {{"default", {}, 900},
          {"tight", tightDeadlines(), 400},
          {"zero-transitions", zeroTimeTransitions(), 300},
          {"idle", manyIdleOptions(), 300},
          {"deep", deepNetworks(), 250},
          {"ties", manyTies(), 300}};
}

TEST(Exact, MatchesBruteForceOnRandomInstances) {
  int compared = 0, infeasible = 0;
  for (const ParamSet &set : oracleSets()) {
    for (int seed = 0; seed < set.seeds; ++seed) {
      const Instance instance = test::randomInstance(uint64_t(seed), set.params);
      const std::string where = std::string(set.name) + " seed " + std::to_string(seed);
      const SolveResult brute = solveBrute(instance, 6.0);
      ASSERT_NE(brute.status, SolveStatus::TooLarge) << where;
      for (bool prune : {true, false}) {
        const SolveResult exact = solveExact(instance, prune);
        expectSameOutcome(exact, brute, where + (prune ? " pruned" : " unpruned"));
        expectConsistent(instance, exact, where);
      }
      ++compared;
      infeasible += brute.status == SolveStatus::Infeasible;
    }
  }
  EXPECT_GE(compared, 2000);
  // The sets must exercise both outcomes, or the comparison proves little.
  EXPECT_GT(infeasible, 50);
  EXPECT_LT(infeasible, compared / 2);
}

TEST(Exact, PruningKeepsTheOptimumOnLargerInstances) {
  RandomInstanceParams params;
  params.min_layers = 10;
  params.max_layers = 30;
  params.min_options = 3;
  params.max_options = 10;
  params.min_idle = 1;
  params.max_idle = 4;
  params.deadline_lo = 0.0;
  params.deadline_hi = 0.6;
  int64_t pruned_labels = 0, unpruned_labels = 0;
  for (int seed = 0; seed < 60; ++seed) {
    const Instance instance = test::randomInstance(uint64_t(seed), params);
    const std::string where = "seed " + std::to_string(seed);
    const SolveResult pruned = solveExact(instance, true);
    const SolveResult unpruned = solveExact(instance, false);
    expectSameOutcome(pruned, unpruned, where);
    expectConsistent(instance, pruned, where);
    pruned_labels += pruned.stats.labels_created;
    unpruned_labels += unpruned.stats.labels_created;
  }
  EXPECT_LT(pruned_labels, unpruned_labels);
}

TEST(Exact, MatchesBruteForceOnOperatingPointInstances) {
  // The structured generator: few distinct times per layer, gated variants of each point.
  RandomInstanceParams params;
  params.max_layers = 7;
  params.max_idle = 3;
  for (int seed = 0; seed < 400; ++seed) {
    const Instance instance = test::randomOperatingPointInstance(uint64_t(seed), params);
    const std::string where = "seed " + std::to_string(seed);
    const SolveResult brute = solveBrute(instance, 6.0);
    ASSERT_NE(brute.status, SolveStatus::TooLarge) << where;
    for (bool prune : {true, false}) {
      const SolveResult exact = solveExact(instance, prune);
      expectSameOutcome(exact, brute, where + (prune ? " pruned" : " unpruned"));
      expectConsistent(instance, exact, where);
    }
  }
}

TEST(Exact, PruningKeepsTheOptimumOnLongOperatingPointInstances) {
  RandomInstanceParams params;
  params.min_layers = 20;
  params.max_layers = 40;
  params.max_idle = 3;
  params.deadline_lo = 0.0;
  params.deadline_hi = 0.4;
  for (int seed = 0; seed < 30; ++seed) {
    const Instance instance = test::randomOperatingPointInstance(uint64_t(seed), params);
    const std::string where = "seed " + std::to_string(seed);
    expectSameOutcome(solveExact(instance, true), solveExact(instance, false), where);
  }
}

TEST(Exact, IsDeterministic) {
  RandomInstanceParams params;
  params.min_layers = params.max_layers = 25;
  params.min_options = params.max_options = 6;
  params.deadline_lo = 0.1;
  params.deadline_hi = 0.3;
  for (int seed = 0; seed < 10; ++seed) {
    const Instance instance = test::randomInstance(uint64_t(seed), params);
    for (bool prune : {true, false}) {
      const SolveResult first = solveExact(instance, prune), second = solveExact(instance, prune);
      EXPECT_EQ(first.schedule.idle_option, second.schedule.idle_option) << "seed " << seed;
      EXPECT_EQ(first.schedule.layer_options, second.schedule.layer_options) << "seed " << seed;
      EXPECT_EQ(first.stats.labels_created, second.stats.labels_created) << "seed " << seed;
    }
  }
}

TEST(Exact, EnergyNeverRisesAsTheDeadlineLoosens) {
  RandomInstanceParams params;
  params.max_layers = 7;
  params.max_idle = 4;
  for (int seed = 0; seed < 40; ++seed) {
    Instance instance = test::randomInstance(uint64_t(seed), params);
    const Ticks min_busy = minimumBusyTime(instance);
    bool feasible = false;
    double previous = 0.0;
    for (Ticks deadline = min_busy; deadline <= instance.period; ++deadline) {
      instance.deadline = deadline;
      const SolveResult result = solveExact(instance, true);
      const std::string where = "seed " + std::to_string(seed) + " D " + std::to_string(deadline);
      if (result.status == SolveStatus::Infeasible) {
        EXPECT_FALSE(feasible) << where << ": feasible at a tighter deadline";
        continue;
      }
      ASSERT_EQ(result.status, SolveStatus::Optimal) << where;
      if (feasible) {
        EXPECT_LE(result.evaluation.total_pj, previous + 1e-9 * std::abs(previous)) << where;
      }
      feasible = true;
      previous = result.evaluation.total_pj;
    }
  }
}

TEST(Exact, EnergyIsAtLeastTheLowerBound) {
  for (int seed = 0; seed < 300; ++seed) {
    const Instance instance = test::randomInstance(uint64_t(seed), manyIdleOptions());
    const SolveResult result = solveExact(instance, true);
    if (result.status != SolveStatus::Optimal) continue;
    const double bound = energyLowerBound(instance);
    EXPECT_LE(bound, result.evaluation.total_pj + 1e-9 * std::abs(bound)) << "seed " << seed;
  }
}

TEST(Exact, LowerBoundIsTheOptimumWithoutLimits) {
  // With D = P = the longest possible period nothing binds, so the bound is attained.
  for (int seed = 0; seed < 100; ++seed) {
    Instance instance = test::randomInstance(uint64_t(seed));
    instance.period = instance.deadline = 10000;
    const SolveResult result = solveBrute(instance, 6.0);
    ASSERT_EQ(result.status, SolveStatus::Optimal);
    EXPECT_TRUE(sameEnergy(energyLowerBound(instance), result.evaluation.total_pj))
        << "seed " << seed;
  }
}

TEST(Exact, MinimumBusyTimeIsBruteForceMinimum) {
  for (const ParamSet &set : oracleSets()) {
    for (int seed = 0; seed < 60; ++seed) {
      const Instance instance = test::randomInstance(uint64_t(seed), set.params);
      EXPECT_EQ(minimumBusyTime(instance), solveBrute(instance, 6.0).min_busy_time)
          << set.name << " seed " << seed;
    }
  }
}

TEST(Exact, DeadlineBelowMinimumBusyTimeIsInfeasible) {
  for (int seed = 0; seed < 100; ++seed) {
    Instance instance = test::randomInstance(uint64_t(seed));
    const Ticks min_busy = minimumBusyTime(instance);
    instance.deadline = min_busy - 1;
    instance.period = std::max(instance.period, instance.deadline);
    for (bool prune : {true, false}) {
      const SolveResult result = solveExact(instance, prune);
      EXPECT_EQ(result.status, SolveStatus::Infeasible) << "seed " << seed;
      EXPECT_EQ(result.min_busy_time, min_busy) << "seed " << seed;
      EXPECT_NE(result.message.find(std::to_string(min_busy)), std::string::npos) << result.message;
    }
  }
}

TEST(Exact, SolveDispatchesToEverySolver) {
  const Instance instance = test::randomInstance(7);
  SolveOptions options;
  const SolveResult exact = solve(instance, options);
  for (SolverKind kind : {SolverKind::Brute, SolverKind::Discretized}) {
    options.kind = kind;
    expectSameOutcome(solve(instance, options), exact, solverKindName(kind));
  }
}

TEST(Exact, StatsCountTheLabels) {
  RandomInstanceParams params;
  params.min_layers = params.max_layers = 20;
  params.min_options = params.max_options = 8;
  params.deadline_lo = 0.3;
  params.deadline_hi = 0.6;
  const Instance instance = test::randomInstance(3, params);
  const SolveResult unpruned = solveExact(instance, false);
  ASSERT_EQ(unpruned.status, SolveStatus::Optimal);
  EXPECT_GT(unpruned.stats.labels_created, 0);
  EXPECT_GT(unpruned.stats.labels_dominated, 0);
  EXPECT_GT(unpruned.stats.peak_labels, 0);
  EXPECT_LE(unpruned.stats.labels_dominated + unpruned.stats.labels_pruned,
            unpruned.stats.labels_created);
  EXPECT_GE(unpruned.stats.wall_ms, 0.0);
}

}  // namespace
}  // namespace pf::sched
