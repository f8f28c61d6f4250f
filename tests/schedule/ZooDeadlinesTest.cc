// solveExactAtDeadlines() on every zoo network with the real characterization: at the
// deadlines of the energy-versus-deadline curve (12 from the minimum latency to the
// period, as `powerflow schedule` spreads them) and at 1.1x and 1.2x the minimum latency,
// the same result as solveExact() at each, and the energy lower bound below it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sched/Schedule.hh"
#include "tests/schedule/ZooInstance.hh"

namespace pf {
namespace {

using test::zooInstance;

void checkDeadlinesOf(const std::string &net) {
  sched::Instance instance = zooInstance(net);
  const sched::Ticks min_busy = sched::minimumBusyTime(instance);
  std::vector<sched::Ticks> deadlines;
  for (int p = 0; p < 12; ++p)
    deadlines.push_back(min_busy + sched::Ticks(std::llround(double(p) / 11.0 *
                                                             double(instance.period - min_busy))));
  deadlines.push_back(sched::Ticks(1.1 * double(min_busy)));
  deadlines.push_back(sched::Ticks(1.2 * double(min_busy)));
  const std::vector<sched::SolveResult> results = sched::solveExactAtDeadlines(instance, deadlines);
  ASSERT_EQ(results.size(), deadlines.size());
  for (size_t i = 0; i < deadlines.size(); ++i) {
    const std::string what = net + " D " + std::to_string(deadlines[i]);
    instance.deadline = deadlines[i];
    const sched::SolveResult alone = sched::solveExact(instance, true);
    const sched::SolveResult &got = results[i];
    ASSERT_EQ(got.status, sched::SolveStatus::Optimal) << what << ": " << got.message;
    EXPECT_EQ(got.status, alone.status) << what;
    EXPECT_EQ(got.min_busy_time, alone.min_busy_time) << what;
    EXPECT_EQ(got.schedule.idle_option, alone.schedule.idle_option) << what;
    EXPECT_EQ(got.schedule.layer_options, alone.schedule.layer_options) << what;
    EXPECT_EQ(got.evaluation.total_pj, alone.evaluation.total_pj) << what;
    EXPECT_EQ(got.stats.labels_created, alone.stats.labels_created) << what;
    EXPECT_EQ(got.stats.labels_pruned, alone.stats.labels_pruned) << what;
    // To rounding: at the minimum latency the best price is large, and the dual's terms
    // (price x time) cancel to about 1e-11 of the energy.
    EXPECT_LE(sched::energyLowerBound(instance), got.evaluation.total_pj * (1 + 1e-9)) << what;
  }
}

class ZooDeadlines : public ::testing::TestWithParam<const char *> {};

TEST_P(ZooDeadlines, SolvingAtManyDeadlinesEqualsSolvingAtEach) { checkDeadlinesOf(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Zoo, ZooDeadlines,
                         ::testing::Values("mlperf_tiny_kws_dscnn", "mlperf_tiny_ic_resnet8",
                                           "mlperf_tiny_vww_mobilenetv1_025",
                                           "mlperf_tiny_ad_fc_autoencoder", "resnet18",
                                           "mobilenetv2_1.0_224", "resnet101"));

}  // namespace
}  // namespace pf
