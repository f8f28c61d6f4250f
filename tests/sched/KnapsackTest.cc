// The layer-level baseline's multiple-choice knapsack (sched/Baselines.cc) against a plain
// reference: the Pareto DP over (time, cost) without bound pruning, each stage's
// candidates built label by label, item by item, stable-sorted by (time, cost) and swept
// for dominance. The baseline (bound pruning, deepening limits, runs merged instead of
// sorted) must pick the very same plan, ties included: instances with identical layers
// and integer costs have many plans of equal time and cost.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sched/Baselines.hh"
#include "tests/sched/RandomInstance.hh"

namespace pf::sched {
namespace {

struct Item {
  Ticks time;
  double cost;
  int index;
};

// The reference plan: one option per layer, total time <= capacity, least cost.
std::vector<int> referencePlan(const Instance &instance, double power, Ticks capacity) {
  std::vector<std::vector<Item>> fronts;
  for (const Stage &stage : instance.layers) {
    std::vector<Item> items;
    for (int o = 0; o < int(stage.options.size()); ++o) {
      const LayerOption &option = stage.options[size_t(o)];
      items.push_back({option.time, option.energyPj() - power * double(option.time), o});
    }
    std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
      if (a.time != b.time) return a.time < b.time;
      return a.cost != b.cost ? a.cost < b.cost : a.index < b.index;
    });
    std::vector<Item> front;
    for (const Item &item : items)
      if (front.empty() || item.cost < front.back().cost) front.push_back(item);
    fronts.push_back(front);
  }
  const size_t count = fronts.size();
  std::vector<Ticks> rest(count + 1, 0);
  for (size_t g = count; g > 0; --g) rest[g - 1] = rest[g] + fronts[g - 1][0].time;
  if (rest[0] > capacity) return {};
  struct Label {
    Ticks time;
    double cost;
    int parent, item;
  };
  std::vector<std::vector<Label>> labels{{{0, 0.0, -1, -1}}};
  for (size_t g = 0; g < count; ++g) {
    std::vector<Label> candidates;
    for (int l = 0; l < int(labels.back().size()); ++l)
      for (int j = 0; j < int(fronts[g].size()); ++j) {
        const Label &from = labels.back()[size_t(l)];
        const Ticks time = from.time + fronts[g][size_t(j)].time;
        if (time + rest[g + 1] <= capacity)
          candidates.push_back({time, from.cost + fronts[g][size_t(j)].cost, l, j});
      }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Label &a, const Label &b) {
      return a.time != b.time ? a.time < b.time : a.cost < b.cost;
    });
    std::vector<Label> next;
    for (const Label &label : candidates)
      if (next.empty() || label.cost < next.back().cost) next.push_back(label);
    labels.push_back(next);
  }
  std::vector<int> plan(count);
  int label = int(labels.back().size()) - 1;
  for (size_t g = count; g > 0; --g) {
    plan[g - 1] = fronts[g - 1][size_t(labels[g][size_t(label)].item)].index;
    label = labels[g][size_t(label)].parent;
  }
  return plan;
}

double lowestIdlePower(const Instance &instance) {
  double power = instance.idle[0].power_pj_per_tick;
  for (const IdleOption &idle : instance.idle) power = std::min(power, idle.power_pj_per_tick);
  return power;
}

// Every layer a copy of the first, energies and idle powers on a coarse binary grid: sums
// of costs are exact, so plans that swap choices between layers tie exactly.
Instance tiedInstance(uint64_t seed, int layers) {
  test::RandomInstanceParams params;
  params.min_layers = params.max_layers = layers;
  Instance instance = test::randomOperatingPointInstance(seed, params);
  for (LayerOption &option : instance.layers[0].options) {
    option.dynamic_pj = std::round(option.dynamic_pj);
    option.leakage_pj = std::round(option.leakage_pj * 4.0) / 4.0;
  }
  for (IdleOption &idle : instance.idle)
    idle.power_pj_per_tick = std::round(idle.power_pj_per_tick * 8.0) / 8.0;
  const TransitionMatrix &wake = instance.transitions[0];  // idle x layer 0
  TransitionMatrix inner, down;
  inner.from_count = inner.to_count = wake.to_count;
  down.from_count = wake.to_count;
  down.to_count = wake.from_count;
  for (int from = 0; from < wake.to_count; ++from) {
    for (int to = 0; to < wake.to_count; ++to) {
      inner.time.push_back(from == to ? 0 : 1 + (from + to) % 3);
      inner.energy_pj.push_back(from == to ? 0.0 : double(1 + (from * to) % 5));
    }
    for (int k = 0; k < wake.from_count; ++k) {
      down.time.push_back(wake.timeAt(k, from));
      down.energy_pj.push_back(wake.energyAt(k, from));
    }
  }
  for (int i = 1; i < layers; ++i) {
    instance.layers[size_t(i)].options = instance.layers[0].options;
    instance.transitions[size_t(i)] = inner;
  }
  instance.transitions.back() = down;
  return instance;
}

void expectReferencePlan(const Instance &instance, const std::string &where, int &checked) {
  const std::vector<int> reference =
      referencePlan(instance, lowestIdlePower(instance), instance.deadline);
  const BaselineResult raw = runBaseline(instance, Baseline::LayerLevelRaw);
  ASSERT_TRUE(raw.available) << where;
  if (reference.empty()) {  // even the fastest options exceed D
    EXPECT_NE(raw.note.find("the layer times alone exceed D"), std::string::npos) << where;
    return;
  }
  ++checked;
  EXPECT_EQ(raw.schedule.layer_options, reference) << where;
  EXPECT_EQ(raw.budget, instance.deadline) << where;
}

TEST(Knapsack, PicksTheReferencePlanOnLongInstances) {
  test::RandomInstanceParams params;
  params.min_layers = 10;
  params.max_layers = 40;
  params.deadline_lo = 0.0;
  params.deadline_hi = 0.8;
  int checked = 0;
  for (uint64_t seed = 0; seed < 60; ++seed)
    expectReferencePlan(test::randomOperatingPointInstance(seed, params),
                        "seed " + std::to_string(seed), checked);
  EXPECT_GT(checked, 40);
}

TEST(Knapsack, PicksTheReferencePlanAmongTies) {
  int checked = 0;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    const Instance instance = tiedInstance(seed, 8 + int(seed % 20));
    ASSERT_TRUE(validateInstance(instance).empty()) << seed;
    expectReferencePlan(instance, "seed " + std::to_string(seed), checked);
  }
  EXPECT_GT(checked, 40);
}

TEST(Knapsack, RawAndRepairedShareThePlanAtTheDeadline) {
  // runAllBaselines() solves each knapsack once per budget: its raw entries are the
  // plans runBaseline() makes on its own, and so are the repaired ones.
  test::RandomInstanceParams params;
  params.min_layers = 10;
  params.max_layers = 30;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    const Instance instance =
        seed % 2 ? tiedInstance(seed, 12) : test::randomOperatingPointInstance(seed, params);
    const std::vector<BaselineResult> all = runAllBaselines(instance);
    for (Baseline kind : {Baseline::LayerLevel, Baseline::LayerLevelRaw, Baseline::SuperBlock,
                          Baseline::SuperBlockRaw}) {
      const auto listed = std::find_if(all.begin(), all.end(), [&](const BaselineResult &result) {
        return result.kind == kind && result.label == baselineName(kind);
      });
      ASSERT_NE(listed, all.end());
      const BaselineResult alone = runBaseline(instance, kind);
      EXPECT_EQ(listed->available, alone.available) << seed << " " << baselineName(kind);
      EXPECT_EQ(listed->schedule.layer_options, alone.schedule.layer_options)
          << seed << " " << baselineName(kind);
      EXPECT_EQ(listed->budget, alone.budget) << seed << " " << baselineName(kind);
      EXPECT_EQ(listed->note, alone.note) << seed << " " << baselineName(kind);
    }
  }
}

}  // namespace
}  // namespace pf::sched
