// The time-bucket DP: feasible in ticks whatever the bucket, never infeasible where exact
// is feasible, never better than exact, exact with one-tick buckets and with a deadline
// no schedule can miss, and its gap to exact shrinks with the bucket.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "sched/Schedule.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

bool sameEnergyPj(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a));
}

// What every discretized result must satisfy against exact's: the same outcome where
// exact finds none, otherwise a schedule feasible in ticks, priced by evaluate(), never
// cheaper than the optimum. Returns the relative gap (0 when infeasible).
double checkAgainstExact(const Instance &instance, const SolveResult &exact,
                         const SolveResult &result, const std::string &where) {
  EXPECT_EQ(result.min_busy_time, exact.min_busy_time) << where;
  if (exact.status == SolveStatus::Infeasible) {
    EXPECT_EQ(result.status, SolveStatus::Infeasible) << where;
    return 0.0;
  }
  EXPECT_EQ(exact.status, SolveStatus::Optimal) << where;
  // Never infeasible where exact is feasible, whatever the bucket.
  EXPECT_TRUE(result.status == SolveStatus::Optimal || result.status == SolveStatus::Feasible)
      << where << ": " << solveStatusName(result.status) << ", " << result.message;
  if (result.status != SolveStatus::Optimal && result.status != SolveStatus::Feasible) return 0.0;
  const Evaluation evaluation = evaluate(instance, result.schedule);
  EXPECT_TRUE(evaluation.feasible()) << where;
  EXPECT_LE(evaluation.busy_time, instance.deadline) << where;
  EXPECT_LE(evaluation.busy_time + evaluation.down_time, instance.period) << where;
  EXPECT_EQ(evaluation.total_pj, result.evaluation.total_pj) << where;
  const double optimum = exact.evaluation.total_pj;
  EXPECT_GE(result.evaluation.total_pj, optimum - 1e-9 * std::max(1.0, std::abs(optimum))) << where;
  return (result.evaluation.total_pj - optimum) / std::max(1.0, std::abs(optimum));
}

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
    EXPECT_TRUE(sameEnergyPj(exact.evaluation.total_pj, discretized.evaluation.total_pj))
        << "seed " << seed;
  }
}

// Coarse buckets, up to one bucket wider than the deadline: still feasible wherever exact
// is (the running total is bucketed, and a partial schedule is kept only if it can still
// finish in time), feasible in ticks, never better than exact, not proven optimal.
TEST(Discretized, CoarseBucketsAreNeverInfeasibleWhereExactIsFeasible) {
  test::RandomInstanceParams params;
  params.max_layers = 8;
  params.max_idle = 4;
  params.deadline_lo = -0.05;  // many tight deadlines, some infeasible
  params.deadline_hi = 0.4;
  int gaps = 0, feasible = 0;
  for (int seed = 0; seed < 300; ++seed) {
    const Instance instance = seed % 2 == 0
                                  ? test::randomInstance(uint64_t(seed), params)
                                  : test::randomOperatingPointInstance(uint64_t(seed), params);
    const SolveResult exact = solveExact(instance, true);
    feasible += exact.status == SolveStatus::Optimal;
    for (Ticks bucket :
         {Ticks(2), Ticks(3), Ticks(5), Ticks(8), Ticks(40), instance.deadline + 1}) {
      const SolveResult result = solveDiscretized(instance, std::max<Ticks>(1, bucket));
      const std::string where =
          "seed " + std::to_string(seed) + " bucket " + std::to_string(bucket);
      const double gap = checkAgainstExact(instance, exact, result, where);
      if (result.status == SolveStatus::Feasible || result.status == SolveStatus::Optimal) {
        EXPECT_EQ(result.status, SolveStatus::Feasible) << where;  // no proof above 1 tick
      }
      gaps += gap > 1e-9;
    }
  }
  EXPECT_GT(feasible, 150);
  EXPECT_GT(gaps, 0);  // coarse buckets do lose something somewhere
}

// Per-duration rounding (the former rule) made this infeasible at any bucket over 7
// ticks: two layers and two transitions each rounded up to a bucket exceed D = 15. The
// running total loses nothing: every width finds the only feasible schedule.
TEST(Discretized, RoundingTheRunningTotalKeepsTheOnlyFeasibleSchedule) {
  const Instance instance = test::handInstance(15);  // only a0 b0 (busy 10) meets D
  for (Ticks bucket = 1; bucket <= 40; ++bucket) {
    const SolveResult result = solveDiscretized(instance, bucket);
    ASSERT_TRUE(result.status == SolveStatus::Optimal || result.status == SolveStatus::Feasible)
        << "bucket " << bucket << ": " << result.message;
    EXPECT_EQ(result.schedule.layer_options, (std::vector<int>{0, 0})) << "bucket " << bucket;
    EXPECT_DOUBLE_EQ(result.evaluation.total_pj, 29.875) << "bucket " << bucket;
  }
}

// When the deadline binds no schedule, a cell's cheapest partial schedule is never worse
// to continue than any other in its bucket: every width is exact.
TEST(Discretized, AnyWidthIsExactWhenNoScheduleCanMissTheDeadline) {
  test::RandomInstanceParams params;
  params.max_layers = 6;
  for (int seed = 0; seed < 100; ++seed) {
    Instance instance = test::randomInstance(uint64_t(seed), params);
    instance.deadline = instance.period = 400;  // above any busy plus down time here
    const SolveResult exact = solveExact(instance, true);
    ASSERT_EQ(exact.status, SolveStatus::Optimal) << "seed " << seed;
    for (Ticks bucket : {3, 17, 64, 401}) {
      const SolveResult result = solveDiscretized(instance, bucket);
      const std::string where =
          "seed " + std::to_string(seed) + " bucket " + std::to_string(bucket);
      checkAgainstExact(instance, exact, result, where);
      EXPECT_TRUE(sameEnergyPj(result.evaluation.total_pj, exact.evaluation.total_pj)) << where;
    }
  }
}

// The gap to exact shrinks as the buckets narrow: summed over instances (one instance may
// lose more at a finer width: which partial schedule a cell keeps changes), and nothing
// at one tick.
TEST(Discretized, GapShrinksWithTheBucket) {
  test::RandomInstanceParams params;
  params.min_layers = 6;
  params.max_layers = 10;
  params.deadline_lo = 0.0;
  params.deadline_hi = 0.3;
  const std::vector<Ticks> buckets = {32, 8, 2, 1};
  std::vector<double> total(buckets.size(), 0.0);
  for (int seed = 0; seed < 150; ++seed) {
    const Instance instance = test::randomOperatingPointInstance(uint64_t(seed), params);
    const SolveResult exact = solveExact(instance, true);
    for (size_t b = 0; b < buckets.size(); ++b) {
      const std::string where =
          "seed " + std::to_string(seed) + " bucket " + std::to_string(buckets[b]);
      total[b] += checkAgainstExact(instance, exact, solveDiscretized(instance, buckets[b]), where);
    }
  }
  EXPECT_GT(total[0], 0.0);
  for (size_t b = 1; b < buckets.size(); ++b)
    EXPECT_LE(total[b], total[b - 1]) << "bucket " << buckets[b] << " vs " << buckets[b - 1];
  EXPECT_NEAR(total.back(), 0.0, 1e-9);
}

TEST(Discretized, RefusesBadBucketsAndHugeTables) {
  const Instance instance = test::randomInstance(5);
  EXPECT_EQ(solveDiscretized(instance, 0).status, SolveStatus::Failed);
  Instance huge = test::handInstance(30);
  huge.deadline = huge.period = Ticks(1) << 40;  // 10^12 one-tick buckets
  const SolveResult refused = solveDiscretized(huge, 1);
  EXPECT_EQ(refused.status, SolveStatus::TooLarge);
  EXPECT_NE(refused.message.find("back-pointers"), std::string::npos) << refused.message;
  EXPECT_EQ(solveDiscretized(huge, Ticks(1) << 30).status, SolveStatus::Feasible);
}

}  // namespace
}  // namespace pf::sched
