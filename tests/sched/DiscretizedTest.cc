// The time-bucket DP: feasible in ticks whatever the bucket, never better than exact,
// and exact with one-tick buckets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sched/Schedule.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

TEST(Discretized, OneTickBucketsAreExact) {
  test::RandomInstanceParams params;
  params.max_layers = 8;
  params.max_idle = 4;
  for (int seed = 0; seed < 300; ++seed) {
    const Instance instance = test::randomInstance(uint64_t(seed), params);
    const SolveResult exact = solveExact(instance, true);
    const SolveResult discretized = solveDiscretized(instance, 1);
    ASSERT_EQ(discretized.status, exact.status) << "seed " << seed << ": " << discretized.message;
    EXPECT_EQ(discretized.min_busy_time, exact.min_busy_time);
    if (exact.status != SolveStatus::Optimal) continue;
    const double a = exact.evaluation.total_pj, b = discretized.evaluation.total_pj;
    EXPECT_NEAR(a, b, 1e-9 * std::max(1.0, std::abs(a))) << "seed " << seed;
  }
}

TEST(Discretized, CoarseBucketsStayFeasibleAndNeverBeatExact) {
  test::RandomInstanceParams params;
  params.max_layers = 8;
  params.max_idle = 4;
  int gaps = 0;
  for (int seed = 0; seed < 200; ++seed) {
    const Instance instance = test::randomInstance(uint64_t(seed), params);
    const SolveResult exact = solveExact(instance, true);
    for (Ticks bucket : {2, 3, 5, 8, 40}) {
      const SolveResult result = solveDiscretized(instance, bucket);
      const std::string where =
          "seed " + std::to_string(seed) + " bucket " + std::to_string(bucket);
      if (exact.status == SolveStatus::Infeasible) {
        EXPECT_EQ(result.status, SolveStatus::Infeasible) << where;
        continue;
      }
      if (result.status == SolveStatus::Infeasible) continue;  // rounding gave the slack away
      ASSERT_EQ(result.status, SolveStatus::Optimal) << where;
      const Evaluation evaluation = evaluate(instance, result.schedule);
      EXPECT_TRUE(evaluation.feasible()) << where;
      EXPECT_EQ(evaluation.total_pj, result.evaluation.total_pj) << where;
      const double floor = exact.evaluation.total_pj;
      EXPECT_GE(result.evaluation.total_pj, floor - 1e-9 * std::max(1.0, std::abs(floor))) << where;
      gaps += result.evaluation.total_pj > floor * (1 + 1e-9) + 1e-9;
    }
  }
  EXPECT_GT(gaps, 0);  // coarse buckets do lose something somewhere
}

TEST(Discretized, RefusesBadBuckets) {
  const Instance instance = test::randomInstance(5);
  EXPECT_EQ(solveDiscretized(instance, 0).status, SolveStatus::Failed);
}

}  // namespace
}  // namespace pf::sched
