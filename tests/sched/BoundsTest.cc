// energyLowerBound() is the Lagrangian dual of the deadline maximised exactly, not just a
// valid bound: on small random instances it equals, to rounding, the dual's maximum
// computed from every schedule. For idle option k each schedule is a point (effective
// time T, energy E); the dual at price lambda is min (E + lambda (T - D)), and its
// maximum over lambda >= 0 is the lower convex hull of the points at T = D (the cheapest
// convex combination within D). The bound is the minimum of that over the k that have a
// schedule within D.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sched/Schedule.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

using test::RandomInstanceParams;

struct Point {
  Ticks time;  // effective: busy time plus the part of going to sleep beyond P - D
  double energy;
};

// Every schedule through each idle option, as points.
std::vector<std::vector<Point>> pointsByIdle(const Instance &instance) {
  std::vector<std::vector<Point>> points(instance.idle.size());
  Schedule schedule{0, std::vector<int>(size_t(instance.layerCount()), 0)};
  for (;;) {
    for (int k = 0; k < int(instance.idle.size()); ++k) {
      schedule.idle_option = k;
      const Evaluation evaluation = evaluate(instance, schedule);
      const Ticks excess =
          std::max<Ticks>(0, evaluation.down_time - (instance.period - instance.deadline));
      points[size_t(k)].push_back({evaluation.busy_time + excess, evaluation.total_pj});
    }
    int i = 0;  // odometer
    while (i < instance.layerCount() &&
           ++schedule.layer_options[size_t(i)] == int(instance.layers[size_t(i)].options.size()))
      schedule.layer_options[size_t(i++)] = 0;
    if (i == instance.layerCount()) break;
  }
  return points;
}

// The cheapest convex combination of `points` with time <= D; infinity when none is.
double hullAtDeadline(const std::vector<Point> &points, Ticks deadline) {
  double best = std::numeric_limits<double>::infinity();
  for (const Point &a : points) {
    if (a.time > deadline) continue;
    best = std::min(best, a.energy);
    for (const Point &b : points) {
      if (b.time <= deadline) continue;
      const double share = double(deadline - a.time) / double(b.time - a.time);  // of b
      best = std::min(best, a.energy + share * (b.energy - a.energy));
    }
  }
  return best;
}

bool close(double a, double b) {
  return std::abs(a - b) <= 1e-11 * std::max({1.0, std::abs(a), std::abs(b)});
}

TEST(LowerBound, IsTheMaximumOfTheLagrangianDual) {
  RandomInstanceParams many_idle;
  many_idle.min_idle = 2;
  many_idle.max_idle = 5;
  many_idle.max_transition_time = 15;  // going to sleep may overrun the slack
  RandomInstanceParams tight;
  tight.deadline_lo = -0.1;
  tight.deadline_hi = 0.4;
  int compared = 0, binding = 0;
  for (int set = 0; set < 4; ++set) {
    for (int seed = 0; seed < 150; ++seed) {
      const RandomInstanceParams params = set == 1   ? many_idle
                                          : set == 2 ? tight
                                                     : RandomInstanceParams{};
      const Instance instance = set == 3 ? test::randomOperatingPointInstance(uint64_t(seed))
                                         : test::randomInstance(uint64_t(seed), params);
      if (scheduleSpaceLog10(instance) > 4.0) continue;
      double dual = std::numeric_limits<double>::infinity(), cheapest = dual;
      for (const std::vector<Point> &points : pointsByIdle(instance)) {
        dual = std::min(dual, hullAtDeadline(points, instance.deadline));
        for (const Point &point : points) cheapest = std::min(cheapest, point.energy);
      }
      if (!std::isfinite(dual)) continue;  // no schedule within D: the dual is unbounded
      ++compared;
      binding += dual > cheapest + 1e-9 * std::abs(cheapest);
      EXPECT_TRUE(close(energyLowerBound(instance), dual))
          << "set " << set << " seed " << seed << ": " << energyLowerBound(instance) << " vs "
          << dual;
    }
  }
  EXPECT_GT(compared, 300);
  EXPECT_GT(binding, 100);  // the deadline binds: the maximum is at a positive price
}

}  // namespace
}  // namespace pf::sched
