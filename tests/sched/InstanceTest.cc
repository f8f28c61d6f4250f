#include <gtest/gtest.h>

#include <cmath>

#include "sched/Schedule.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

using test::handInstance;

TEST(Instance, HandInstanceIsValid) { EXPECT_TRUE(validateInstance(handInstance()).empty()); }

TEST(Instance, EvaluatePricesEveryTerm) {
  const Instance instance = handInstance();
  // idle -> a[1] (t 2, e 0.5), a[1] (t 8, e 9), a[1] -> b[0] (t 2, e 2), b[0] (t 4, e 8),
  // b[0] -> idle (t 1, e 0.125); idle time 30 - 16 - 1 = 13 at 0.5 pJ/tick.
  const Evaluation evaluation = evaluate(instance, {0, {1, 0}});
  EXPECT_EQ(evaluation.busy_time, 16);
  EXPECT_EQ(evaluation.down_time, 1);
  EXPECT_EQ(evaluation.idle_time, 13);
  EXPECT_DOUBLE_EQ(evaluation.layer_dynamic_pj, 13.0);
  EXPECT_DOUBLE_EQ(evaluation.layer_leakage_pj, 4.0);
  EXPECT_DOUBLE_EQ(evaluation.transition_pj, 2.625);
  EXPECT_DOUBLE_EQ(evaluation.idle_pj, 6.5);
  EXPECT_DOUBLE_EQ(evaluation.total_pj, 26.125);
  EXPECT_TRUE(evaluation.feasible());
}

TEST(Instance, EvaluateFlagsDeadlineMiss) {
  const Evaluation evaluation = evaluate(handInstance(), {0, {1, 1}});  // 2+8+3+9 = 22 > 20
  EXPECT_EQ(evaluation.busy_time, 22);
  EXPECT_FALSE(evaluation.meets_deadline);
  EXPECT_TRUE(evaluation.fits_period);
}

TEST(Instance, EvaluateRejectsOutOfRangeSchedule) {
  EXPECT_THROW(evaluate(handInstance(), {0, {2, 0}}), std::out_of_range);
  EXPECT_THROW(evaluate(handInstance(), {1, {0, 0}}), std::out_of_range);
  EXPECT_THROW(evaluate(handInstance(), {0, {0}}), std::out_of_range);
}

TEST(Instance, ValidateNamesTheBadField) {
  Instance instance = handInstance();
  instance.layers[1].options[0].time = 0;
  instance.transitions[1].time.pop_back();
  instance.deadline = 40;
  const std::vector<InstanceProblem> problems = validateInstance(instance);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].where, "deadline");
  EXPECT_EQ(problems[1].where, "layers[1].options[0].time");
  EXPECT_EQ(problems[2].where, "transitions[1]");
}

TEST(Instance, RandomInstancesAreValid) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const Instance instance = test::randomInstance(seed);
    EXPECT_TRUE(validateInstance(instance).empty()) << "seed " << seed;
  }
}

TEST(Instance, ScheduleSpaceCountsEveryChoice) {
  EXPECT_DOUBLE_EQ(scheduleSpaceLog10(handInstance()), std::log10(4.0));
}

}  // namespace
}  // namespace pf::sched
