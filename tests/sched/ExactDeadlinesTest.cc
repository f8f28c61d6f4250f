// solveExactAtDeadlines(): at every deadline the same result as solveExact() on the
// instance with that deadline (status, schedule, evaluation, message and the label counts,
// so the same search ran), whatever the order of the deadlines, with deadlines below the
// minimum busy time and deadlines whose slack P - D is smaller than a transition into
// sleep (the graphs' end arcs change, and the kept tables must be dropped).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "sched/Schedule.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

using test::RandomInstanceParams;

void expectSameResult(const SolveResult &got, const SolveResult &want, const std::string &where) {
  EXPECT_EQ(got.status, want.status) << where;
  EXPECT_EQ(got.min_busy_time, want.min_busy_time) << where;
  EXPECT_EQ(got.message, want.message) << where;
  EXPECT_EQ(got.schedule.idle_option, want.schedule.idle_option) << where;
  EXPECT_EQ(got.schedule.layer_options, want.schedule.layer_options) << where;
  EXPECT_EQ(got.evaluation.total_pj, want.evaluation.total_pj) << where;
  EXPECT_EQ(got.evaluation.busy_time, want.evaluation.busy_time) << where;
  EXPECT_EQ(got.evaluation.down_time, want.evaluation.down_time) << where;
  EXPECT_EQ(got.stats.labels_created, want.stats.labels_created) << where;
  EXPECT_EQ(got.stats.labels_dominated, want.stats.labels_dominated) << where;
  EXPECT_EQ(got.stats.labels_pruned, want.stats.labels_pruned) << where;
  EXPECT_EQ(got.stats.peak_labels, want.stats.peak_labels) << where;
}

// `count` deadlines from just below the minimum busy time up to P, evenly spread as the
// energy-versus-deadline curve spreads them, then in the order `order` asks for.
std::vector<Ticks> sweep(const Instance &instance, int count, int order, uint64_t seed) {
  const Ticks min_busy = minimumBusyTime(instance);
  const Ticks lo = std::max<Ticks>(0, min_busy - 1);
  std::vector<Ticks> deadlines;
  for (int p = 0; p < count; ++p)
    deadlines.push_back(lo + (instance.period - lo) * p / std::max(1, count - 1));
  deadlines.push_back(std::min(instance.period, min_busy));  // a repeat or the minimum
  if (order == 1) std::reverse(deadlines.begin(), deadlines.end());
  if (order == 2) std::shuffle(deadlines.begin(), deadlines.end(), std::mt19937_64(seed));
  std::erase_if(deadlines, [&](Ticks deadline) { return deadline > instance.period; });
  return deadlines;
}

void checkAgainstSolveExact(Instance instance, const std::vector<Ticks> &deadlines,
                            const std::string &where) {
  const std::vector<SolveResult> results = solveExactAtDeadlines(instance, deadlines);
  ASSERT_EQ(results.size(), deadlines.size()) << where;
  for (size_t i = 0; i < deadlines.size(); ++i) {
    instance.deadline = deadlines[i];
    expectSameResult(results[i], solveExact(instance, true),
                     where + " D " + std::to_string(deadlines[i]));
  }
}

struct ParamSet {
  const char *name;
  RandomInstanceParams params;
  bool operating_points;
  int seeds;
};

std::vector<ParamSet> paramSets() {
  RandomInstanceParams deep;
  deep.min_layers = 8;
  deep.max_layers = 20;
  deep.min_options = 3;
  deep.max_options = 8;
  deep.max_idle = 4;
  RandomInstanceParams sleepy;  // transitions into sleep longer than most slacks
  sleepy.min_idle = 2;
  sleepy.max_idle = 5;
  sleepy.max_transition_time = 15;
  RandomInstanceParams ties;
  ties.max_layer_time = 2;
  ties.max_transition_time = 1;
  ties.min_layers = 4;
  ties.max_layers = 10;
  RandomInstanceParams long_points;
  long_points.min_layers = 20;
  long_points.max_layers = 40;
  return {{"default", {}, false, 120},    {"deep", deep, false, 40},
          {"sleepy", sleepy, false, 120}, {"ties", ties, false, 80},
          {"points", {}, true, 120},      {"long-points", long_points, true, 20}};
}

TEST(ExactAtDeadlines, EqualsSolveExactAtEveryDeadline) {
  int solved = 0;
  for (const ParamSet &set : paramSets()) {
    for (int seed = 0; seed < set.seeds; ++seed) {
      const Instance instance = set.operating_points
                                    ? test::randomOperatingPointInstance(uint64_t(seed), set.params)
                                    : test::randomInstance(uint64_t(seed), set.params);
      const std::string where = std::string(set.name) + " seed " + std::to_string(seed);
      const std::vector<Ticks> deadlines = sweep(instance, 12, seed % 3, uint64_t(seed));
      checkAgainstSolveExact(instance, deadlines, where);
      solved += int(deadlines.size());
    }
  }
  EXPECT_GT(solved, 5000);
}

TEST(ExactAtDeadlines, EveryDeadlineOfASmallInstance) {
  // Each deadline from below the minimum busy time to P: every change of the end arcs.
  RandomInstanceParams params;
  params.max_layers = 6;
  params.min_idle = 2;
  params.max_idle = 4;
  params.max_transition_time = 12;
  for (int seed = 0; seed < 25; ++seed) {
    const Instance instance = test::randomInstance(uint64_t(seed), params);
    std::vector<Ticks> deadlines;
    for (Ticks deadline = std::max<Ticks>(0, minimumBusyTime(instance) - 2);
         deadline <= instance.period; ++deadline)
      deadlines.push_back(deadline);
    checkAgainstSolveExact(instance, deadlines, "seed " + std::to_string(seed));
  }
}

TEST(ExactAtDeadlines, NoDeadlinesNoResults) {
  EXPECT_TRUE(solveExactAtDeadlines(test::handInstance(), {}).empty());
}

TEST(ExactAtDeadlines, HandInstance) {
  // (busy, down, E): a0 b0 (10, 1, 29.875), a0 b1 (16, 1, 24.875), a1 b0 (16, 1, 26.125),
  // a1 b1 (22, 1, 21.125); P = 30.
  const std::vector<SolveResult> results =
      solveExactAtDeadlines(test::handInstance(), {9, 10, 16, 21, 22, 30});
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].status, SolveStatus::Infeasible);
  EXPECT_EQ(results[0].min_busy_time, 10);
  const double expected[] = {29.875, 24.875, 24.875, 21.125, 21.125};
  for (int i = 1; i < 6; ++i) {
    ASSERT_EQ(results[size_t(i)].status, SolveStatus::Optimal) << i;
    EXPECT_DOUBLE_EQ(results[size_t(i)].evaluation.total_pj, expected[i - 1]) << i;
  }
}

}  // namespace
}  // namespace pf::sched
