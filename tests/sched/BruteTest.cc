// Every solver on a hand-priced instance, and the brute-force oracle's own contract.
#include <gtest/gtest.h>

#include <cmath>

#include "sched/Schedule.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

using test::handInstance;

struct Expected {
  Ticks deadline;
  std::vector<int> options;  // empty: infeasible
  double energy;
};

TEST(Solvers, HandInstanceOptimum) {
  const std::vector<Expected> cases = {{30, {1, 1}, 21.125}, {22, {1, 1}, 21.125},
                                       {21, {0, 1}, 24.875}, {16, {0, 1}, 24.875},
                                       {15, {0, 0}, 29.875}, {9, {}, 0.0}};
  for (const Expected &expected : cases) {
    const Instance instance = handInstance(expected.deadline);
    for (const SolveResult &result : {solveExact(instance, true), solveExact(instance, false),
                                      solveBrute(instance, 7.0), solveDiscretized(instance, 1)}) {
      EXPECT_EQ(result.min_busy_time, 10);
      if (expected.options.empty()) {
        EXPECT_EQ(result.status, SolveStatus::Infeasible) << "D " << expected.deadline;
        continue;
      }
      ASSERT_EQ(result.status, SolveStatus::Optimal) << "D " << expected.deadline;
      EXPECT_EQ(result.schedule.layer_options, expected.options) << "D " << expected.deadline;
      EXPECT_DOUBLE_EQ(result.evaluation.total_pj, expected.energy) << "D " << expected.deadline;
    }
  }
}

TEST(Solvers, PeriodOverrunIsInfeasible) {
  // D leaves room for the layers, but going to sleep overruns P whatever the schedule.
  Instance instance = handInstance(30);
  instance.transitions[2].time = {25, 25};
  const SolveResult exact = solveExact(instance, true);
  EXPECT_EQ(exact.status, SolveStatus::Infeasible);
  EXPECT_EQ(exact.min_busy_time, 10);
  EXPECT_EQ(solveExact(instance, false).status, SolveStatus::Infeasible);
  EXPECT_EQ(solveBrute(instance, 7.0).status, SolveStatus::Infeasible);
  EXPECT_EQ(solveDiscretized(instance, 1).status, SolveStatus::Infeasible);
  instance.transitions[2].time = {20, 25};  // only a0 b0 (busy 10) fits now
  EXPECT_EQ(solveExact(instance, true).schedule.layer_options, (std::vector<int>{0, 0}));
}

TEST(Brute, RefusesLargeSpaces) {
  test::RandomInstanceParams params;
  params.min_layers = params.max_layers = 12;
  params.min_options = params.max_options = 4;
  const SolveResult result = solveBrute(test::randomInstance(1, params), 7.0);
  EXPECT_EQ(result.status, SolveStatus::TooLarge);
  EXPECT_FALSE(result.message.empty());
}

TEST(Brute, TriesEverySchedule) {
  const Instance instance = test::randomInstance(11);
  const SolveResult result = solveBrute(instance, 7.0);
  EXPECT_DOUBLE_EQ(double(result.stats.nodes), std::pow(10.0, scheduleSpaceLog10(instance)));
}

TEST(Brute, BreaksTiesLexicographically) {
  // Two identical options everywhere: every schedule costs the same.
  Instance instance = handInstance(30);
  instance.layers[0].options[1] = instance.layers[0].options[0];
  instance.layers[1].options[1] = instance.layers[1].options[0];
  instance.transitions[0] = TransitionMatrix{1, 2, {1, 1}, {0.25, 0.25}};
  instance.transitions[1] = TransitionMatrix{2, 2, {0, 0, 0, 0}, {0.0, 0.0, 0.0, 0.0}};
  instance.transitions[2] = TransitionMatrix{2, 1, {1, 1}, {0.125, 0.125}};
  const SolveResult result = solveBrute(instance, 7.0);
  EXPECT_EQ(result.schedule.layer_options, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace pf::sched
