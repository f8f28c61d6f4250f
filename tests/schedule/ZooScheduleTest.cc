// The solver properties on every zoo network on the default design, with the
// real characterization (the table characterize.default_design leaves as a ctest
// fixture) and profiles from the mapper: at three deadlines exact equals the CBC ILP
// (zero gap) to 1e-7 relative, exact never exceeds a feasible baseline, and energy does
// not rise as the deadline grows.
//
// The ILP runs given exact's schedule as a MIP start (IlpOptions::start), where CBC must
// prove that no cheaper schedule exists or find one, which fails the test; and on its own
// (solveIlp(), as `powerflow schedule --solver ilp` runs it), on every network but
// ResNet-18, whose middle deadline takes CBC ~35 s from scratch (~25 s seeded, the proof
// that counts; measured 2026-12-05 on one core), and MobileNetV2, whose tight deadline
// takes CBC 300-590 s from scratch on the current characterization at 240 MHz (60-73 s seeded;
// measured 2026-12-06 on 2 cores shared with a build): the suite's CPU budget
// (docs/notes.md).
#include <gtest/gtest.h>

#include <cmath>

#include "sched/Baselines.hh"
#include "sched/Ilp.hh"
#include "tests/schedule/ZooInstance.hh"

namespace pf {
namespace {

using test::zooInstance;

// Tight, middle and loose deadlines: 1.1x, 1.5x and 2x the minimum latency. (CBC's
// branch and bound time varies wildly with the deadline on these knapsack-like
// instances: KWS at 1.3x takes 462k nodes and ~10 min; docs/notes.md.)
std::vector<sched::Ticks> deadlines(const sched::Instance &instance) {
  const double min_busy = double(sched::minimumBusyTime(instance));
  return {sched::Ticks(1.1 * min_busy), sched::Ticks(1.5 * min_busy), sched::Ticks(2 * min_busy)};
}

void expectIlpOptimum(const sched::SolveResult &ilp, double optimum, const std::string &what) {
  ASSERT_EQ(ilp.status, sched::SolveStatus::Optimal) << what << ": " << ilp.message;
  EXPECT_NEAR(ilp.evaluation.total_pj, optimum, 1e-7 * optimum) << what;
}

enum class IlpRuns { SeededAndFromScratch, SeededOnly };

void checkNetwork(const std::string &net, IlpRuns ilp_runs = IlpRuns::SeededAndFromScratch) {
  sched::Instance instance = zooInstance(net);
  double previous = INFINITY;
  for (sched::Ticks deadline : deadlines(instance)) {
    instance.deadline = deadline;
    const sched::SolveResult exact = sched::solveExact(instance, true);
    ASSERT_EQ(exact.status, sched::SolveStatus::Optimal)
        << net << " D " << deadline << ": " << exact.message;
    const double optimum = exact.evaluation.total_pj;
    EXPECT_LE(optimum, previous * (1 + 1e-12)) << net << ": energy rose with the deadline";
    previous = optimum;
    for (const sched::BaselineResult &baseline : sched::runAllBaselines(instance)) {
      if (!baseline.feasible()) continue;
      EXPECT_LE(optimum, baseline.evaluation.total_pj * (1 + 1e-12))
          << net << " D " << deadline << ": beaten by " << sched::baselineName(baseline.kind);
    }
    const std::string what = net + " D " + std::to_string(deadline);
    sched::IlpOptions seeded;
    seeded.time_limit_s = 300.0;
    seeded.start = exact.schedule;
    expectIlpOptimum(sched::solveIlpWith(instance, seeded), optimum, what + " (seeded)");
    if (ilp_runs == IlpRuns::SeededAndFromScratch)
      expectIlpOptimum(sched::solveIlp(instance, 300.0), optimum, what);
  }
}

class ZooSchedule : public ::testing::TestWithParam<const char *> {};

TEST_P(ZooSchedule, ExactMatchesIlpAndBeatsBaselines) {
  const std::string net = GetParam();
  const bool seeded_only = net == "resnet18" || net == "mobilenetv2_1.0_224";
  checkNetwork(net, seeded_only ? IlpRuns::SeededOnly : IlpRuns::SeededAndFromScratch);
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooSchedule,
                         ::testing::Values("mlperf_tiny_kws_dscnn", "mlperf_tiny_ic_resnet8",
                                           "mlperf_tiny_vww_mobilenetv1_025",
                                           "mlperf_tiny_ad_fc_autoencoder", "resnet18",
                                           "mobilenetv2_1.0_224"));

TEST(ZooScheduleLarge, ResNet101ExactMatchesIlpAndBeatsBaselines) { checkNetwork("resnet101"); }

// The baselines a reviewer accepts (issue 14): at 1.05x, 1.2x, 1.5x and 2x the minimum
// latency, the repaired layer-level and super-block meet the deadline and never beat the
// exact optimum; a raw plan that breaks the deadline says by how much.
void checkRepairedBaselines(const std::string &net) {
  sched::Instance instance = zooInstance(net);
  const double min_busy = double(sched::minimumBusyTime(instance));
  for (double factor : {1.05, 1.2, 1.5, 2.0}) {
    instance.deadline = sched::Ticks(factor * min_busy);
    const std::string what = net + " at " + std::to_string(factor) + "x";
    const sched::SolveResult exact = sched::solveExact(instance, true);
    ASSERT_EQ(exact.status, sched::SolveStatus::Optimal) << what;
    const double optimum = exact.evaluation.total_pj;
    int checked = 0;
    for (const sched::BaselineResult &result : sched::runAllBaselines(instance)) {
      const bool raw = result.kind == sched::Baseline::LayerLevelRaw ||
                       result.kind == sched::Baseline::SuperBlockRaw;
      const bool repaired =
          result.kind == sched::Baseline::LayerLevel || result.kind == sched::Baseline::SuperBlock;
      if (raw && !result.feasible()) {
        EXPECT_NE(result.note.find("breaks the deadline by"), std::string::npos)
            << what << " " << result.label << ": " << result.note;
      }
      if (!repaired) continue;
      ++checked;
      ASSERT_TRUE(result.available) << what << " " << result.label << ": " << result.note;
      EXPECT_TRUE(result.feasible()) << what << " " << result.label << ": " << result.note;
      EXPECT_LE(optimum, result.evaluation.total_pj * (1 + 1e-12)) << what << " " << result.label;
    }
    EXPECT_EQ(checked, 6) << what;  // layer-level, super-block and its 4 other N
  }
}

class ZooRepaired : public ::testing::TestWithParam<const char *> {};

TEST_P(ZooRepaired, RepairedBaselinesMeetTheDeadlineAndNeverBeatExact) {
  checkRepairedBaselines(GetParam());
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooRepaired,
                         ::testing::Values("mlperf_tiny_kws_dscnn", "mlperf_tiny_ic_resnet8",
                                           "mlperf_tiny_vww_mobilenetv1_025",
                                           "mlperf_tiny_ad_fc_autoencoder", "resnet18",
                                           "mobilenetv2_1.0_224", "resnet101"));

TEST(ZooScheduleSpace, ResNet101ExceedsTenToThe160) {
  const sched::Instance instance = zooInstance("resnet101");
  EXPECT_GE(instance.layerCount(), 100);
  EXPECT_GT(sched::scheduleSpaceLog10(instance), 160.0);
}

}  // namespace
}  // namespace pf
