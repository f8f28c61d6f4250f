// The ILP oracle against brute force on random small instances (feasible and
// infeasible, one and several idle options), plus a hand-priced instance.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sched/Ilp.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

using test::handInstance;

void expectHandOptima(bool warm_start) {
  const IlpOptions options{10.0, warm_start};
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

TEST(Ilp, HandInstanceCold) { expectHandOptima(false); }
TEST(Ilp, HandInstanceWarm) { expectHandOptima(true); }

// Cold: every per-idle MILP solved from scratch, so the formulation alone must be right;
// warm: as solveIlp() runs, with the heuristic's cutoffs.
void expectMatchesBrute(bool warm_start) {
  int infeasible = 0, several_idle = 0;
  for (uint64_t seed = 0; seed < 250; ++seed) {
    const Instance instance = test::randomInstance(seed);
    const SolveResult brute = solveBrute(instance, 7.0);
    ASSERT_NE(brute.status, SolveStatus::TooLarge);
    const SolveResult ilp = solveIlpWith(instance, {60.0, warm_start});
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

TEST(Ilp, ColdMatchesBruteOnRandomInstances) { expectMatchesBrute(false); }
TEST(Ilp, WarmMatchesBruteOnRandomInstances) { expectMatchesBrute(true); }

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
    for (bool warm_start : {false, true}) {
      const SolveResult ilp = solveIlpWith(instance, {60.0, warm_start});
      ASSERT_EQ(ilp.status, SolveStatus::Optimal) << "seed " << seed << ": " << ilp.message;
      const double best_pj = exact.evaluation.total_pj;
      EXPECT_NEAR(ilp.evaluation.total_pj, best_pj, 1e-7 * std::abs(best_pj))
          << "seed " << seed << (warm_start ? " warm" : " cold");
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
  const SolveResult result = solveIlp(test::randomInstance(3), 10.0);
  EXPECT_GE(result.stats.nodes, 0);
  EXPECT_GT(result.stats.wall_ms, 0.0);
}

}  // namespace
}  // namespace pf::sched
