#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "sched/InstanceBuilder.hh"
#include "sched/Schedule.hh"
#include "sched/Synthetic.hh"

namespace pf::sched {
namespace {

BuildOptions options(double deadline_ns, double period_ns) {
  return {10.0, period_ns, deadline_ns};
}

// A one-layer workload that uses PE group 0 and bank 0 on the synthetic chip.
Workload oneLayer(const ChipModel &chip, int64_t compute_cycles, int64_t load_bytes) {
  LayerWork layer;
  layer.name = "conv";
  layer.compute_cycles = compute_cycles;
  layer.clock_cycles = compute_cycles + 20;
  layer.transfers = {{load_bytes / 8, load_bytes}};
  const size_t domains = chip.domains.size();
  layer.uses.assign(domains, false);
  layer.keeps_data.assign(domains, false);
  layer.read_words.assign(domains, 0);
  layer.write_words.assign(domains, 0);
  layer.uses[1] = true;  // pe_grp0
  layer.uses[5] = true;  // bank0
  layer.read_words[5] = compute_cycles / 4;
  return {"one", {layer}};
}

TEST(InstanceBuilder, SyntheticBenchInstanceIsLargeAndValid) {
  const ChipModel chip = syntheticChip();
  const Workload workload = syntheticWorkload(chip, 140, 7);
  ASSERT_TRUE(checkBuildInputs(chip, workload, options(1e9, 2e9)).empty());
  const Instance instance = buildInstance(chip, workload, options(1e9, 2e9));
  EXPECT_TRUE(validateInstance(instance).empty());
  size_t fewest = SIZE_MAX;
  for (const Stage &stage : instance.layers) fewest = std::min(fewest, stage.options.size());
  EXPECT_GE(fewest, 40u);
  EXPECT_GT(scheduleSpaceLog10(instance), 160.0);
  EXPECT_GE(instance.aggressive_point, 0);
}

TEST(InstanceBuilder, ComputeBoundTimeScalesWithTheClockMemoryBoundDoesNot) {
  const ChipModel chip = syntheticChip();
  for (const auto &[load_bytes, compute_bound] :
       {std::pair<int64_t, bool>{800, true}, {4'000'000, false}}) {
    const Instance instance =
        buildInstance(chip, oneLayer(chip, 100'000, load_bytes), options(1e8, 1e8));
    Ticks fast = INT64_MAX, slow = 0;
    for (const LayerOption &option : instance.layers[0].options) {
      const int divider = instance.states[option.state].clock_divider;
      if (divider == 1) fast = std::min(fast, option.time);
      if (divider == 2) slow = std::max(slow, option.time);
    }
    // 400 MHz: 100020 cycles = 250.05 us; memory-bound: 4 MB at 0.4 B/ns = 10 ms either way.
    if (compute_bound)
      EXPECT_NEAR(double(slow) / double(fast), 2.0, 0.01);
    else
      EXPECT_NEAR(double(slow) / double(fast), 1.0, 0.05);
  }
}

TEST(InstanceBuilder, OptionEnergyIsTheSumOfItsDomains) {
  const ChipModel chip = syntheticChip();
  const Workload workload = oneLayer(chip, 50'000, 8000);
  const Instance instance = buildInstance(chip, workload, options(1e8, 1e8));
  for (const LayerOption &option : instance.layers[0].options) {
    const PowerState &state = instance.states[option.state];
    double dynamic = 0, leakage = 0;
    for (const DomainEnergy &energy : layerDomainEnergy(chip, workload.layers[0], state)) {
      dynamic += energy.dynamic_pj;
      leakage += energy.leakage_pj;
    }
    EXPECT_DOUBLE_EQ(option.dynamic_pj, dynamic);
    EXPECT_DOUBLE_EQ(option.leakage_pj, leakage);
    // Hand check of the PE group's MAC energy: 50000 cycles at sparsity 0, V^2 law.
    const std::vector<DomainEnergy> domains = layerDomainEnergy(chip, workload.layers[0], state);
    const double v = instance.rail_voltages_v[state.domains[1].rail];
    const double f_mhz = 400.0 / state.clock_divider;
    // Clock cycles, then the load phase: 1000 beats or 8000 B at 0.4 B/ns.
    const double cycles = 50'020.0 + std::max(1000.0, 8000.0 / 0.4 * f_mhz / 1000.0);
    const double expected =
        50'000 * 6.0 * v * v / (1.1 * 1.1) + (cycles - 50'000) * 0.15 * v * v / (1.1 * 1.1);
    EXPECT_NEAR(domains[1].dynamic_pj, expected, 1e-6 * expected) << state.name << " f " << f_mhz;
  }
}

TEST(InstanceBuilder, GatingOptionTurnsUnusedDomainsOff) {
  const ChipModel chip = syntheticChip();
  const Instance instance = buildInstance(chip, oneLayer(chip, 50'000, 8000), options(1e8, 1e8));
  int gated = 0;
  for (const LayerOption &option : instance.layers[0].options) {
    const PowerState &state = instance.states[option.state];
    if (!state.gates_unused) continue;
    ++gated;
    EXPECT_EQ(state.domains[2].mode, DomainMode::Off);  // pe_grp1 unused
    EXPECT_EQ(state.domains[1].mode, DomainMode::On);   // pe_grp0 used
    EXPECT_EQ(state.domains[0].mode, DomainMode::On);   // always on
  }
  EXPECT_GT(gated, 0);
}

TEST(InstanceBuilder, LookAheadHidesWakeUpOfADomainTheEarlierLayerDoesNotUse) {
  const ChipModel chip = syntheticChip();
  Workload workload = oneLayer(chip, 50'000, 8000);
  workload.layers.push_back(workload.layers[0]);
  workload.layers[1].name = "conv2";
  workload.layers[1].uses[2] = true;  // layer 2 also needs pe_grp1, which layer 1 may gate
  const Instance instance = buildInstance(chip, workload, options(1e8, 1e8));
  // From layer 1 gated (pe_grp1 off) to layer 2 at the same operating point: pe_grp1's
  // wake-up (~ 24 ns) hides under layer 1 (>= 125 us), so the boundary costs no more time
  // than the same boundary from layer 1 ungated (only the sequencer's own program), but
  // the wake-up energy.
  const Stage &first = instance.layers[0], &second = instance.layers[1];
  auto ungatedOption = [&](int point) {
    for (int a = 0; a < int(first.options.size()); ++a) {
      const PowerState &state = instance.states[first.options[a].state];
      if (state.operating_point == point && !state.gates_unused) return a;
    }
    return -1;
  };
  bool checked = false;
  for (int a = 0; a < int(first.options.size()); ++a) {
    const PowerState &from = instance.states[first.options[a].state];
    if (!from.gates_unused) continue;
    const int ungated = ungatedOption(from.operating_point);
    ASSERT_GE(ungated, 0);
    for (int b = 0; b < int(second.options.size()); ++b) {
      const PowerState &to = instance.states[second.options[b].state];
      if (to.operating_point != from.operating_point || to.gates_unused) continue;
      EXPECT_EQ(instance.transitions[1].timeAt(a, b), instance.transitions[1].timeAt(ungated, b));
      EXPECT_GT(instance.transitions[1].timeAt(a, b), 0);  // the program's cycles
      EXPECT_GT(instance.transitions[1].energyAt(a, b), 0.0);
      EXPECT_EQ(instance.transitions[1].energyAt(ungated, b), 0.0);
      checked = true;
    }
  }
  EXPECT_TRUE(checked);
}

TEST(InstanceBuilder, RefusesALayerNoClockCanRun) {
  SyntheticChipParams params;
  params.base_mhz = 5000.0;  // every divider is above every fmax
  params.dividers = {1, 2};
  const ChipModel chip = syntheticChip(params);
  const std::vector<BuildProblem> problems =
      checkBuildInputs(chip, oneLayer(chip, 1000, 80), options(1e6, 1e6));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "layers.conv");
}

TEST(InstanceBuilder, RefusesDeadlineAbovePeriod) {
  const ChipModel chip = syntheticChip();
  const std::vector<BuildProblem> problems =
      checkBuildInputs(chip, oneLayer(chip, 1000, 80), options(2e6, 1e6));
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].field, "deadline");
}

}  // namespace
}  // namespace pf::sched

namespace pf::sched {
namespace {

// conv, a host segment of `host_ns`, conv: the host segment uses no domain; bank 0 holds
// a tensor across it.
Workload withHostSegment(const ChipModel &chip, double host_ns) {
  Workload workload = oneLayer(chip, 50'000, 8000);
  LayerWork host;
  host.name = "softmax";
  host.host_time_ns = host_ns;
  host.transfers = {{0, 0}};
  const size_t domains = chip.domains.size();
  host.uses.assign(domains, false);
  host.keeps_data.assign(domains, false);
  host.keeps_data[5] = true;
  host.read_words.assign(domains, 0);
  host.write_words.assign(domains, 0);
  workload.layers.push_back(host);
  workload.layers.push_back(workload.layers[0]);
  workload.layers[2].name = "conv2";
  return workload;
}

TEST(HostSegment, TakesItsHostTimeAtEveryClockAndMayGateEveryDomain) {
  const ChipModel chip = syntheticChip();
  const Workload workload = withHostSegment(chip, 100'000.0);
  ASSERT_TRUE(checkBuildInputs(chip, workload, options(1e8, 1e8)).empty());
  const Instance instance = buildInstance(chip, workload, options(1e8, 1e8));
  ASSERT_TRUE(validateInstance(instance).empty());
  bool all_gated = false;
  std::set<int> dividers;
  for (const LayerOption &option : instance.layers[1].options) {
    const PowerState &state = instance.states[option.state];
    EXPECT_EQ(option.time, 10'000) << state.name;  // 100 us in 10 ns ticks, whatever the clock
    dividers.insert(state.clock_divider);
    bool gated = true;
    for (size_t d = 1; d < chip.domains.size(); ++d) {
      const DomainState &domain = state.domains[d];
      if (domain.mode == DomainMode::On) {
        EXPECT_LE(400.0 / state.clock_divider, chip.domains[d].fmax_mhz[domain.rail] + 1e-9)
            << state.name << ": a domain left on above its fmax";
      }
      gated = gated && domain.mode == (d == 5 ? DomainMode::Retention : DomainMode::Off);
    }
    all_gated = all_gated || gated;
  }
  EXPECT_TRUE(all_gated) << "no option gates every domain during the host segment";
  EXPECT_GT(dividers.size(), 1u) << "no option slows the clock during the host segment";
}

TEST(HostSegment, GatingAndSlowingDuringItSaveEnergyOverBusyAcceleratorTime) {
  const ChipModel chip = syntheticChip();
  const Workload workload = withHostSegment(chip, 200'000.0);
  // The same wait as if it were accelerator time: every domain stays on (a layer that uses
  // them all), at the fastest clock like the layers around it.
  Workload busy = workload;
  busy.layers[1].uses.assign(chip.domains.size(), true);
  const BuildOptions limits = options(2e6, 4e6);
  const Instance with_host = buildInstance(chip, workload, limits);
  const Instance as_busy = buildInstance(chip, busy, limits);
  const SolveResult planned = solveExact(with_host, true);
  const SolveResult blind = solveExact(as_busy, true);
  ASSERT_EQ(planned.status, SolveStatus::Optimal) << planned.message;
  ASSERT_EQ(blind.status, SolveStatus::Optimal) << blind.message;
  EXPECT_LT(planned.evaluation.total_pj, blind.evaluation.total_pj);
  // The host segment itself (its wait and its boundaries in and out) costs far less.
  auto segmentPj = [](const Instance &instance, const Schedule &schedule) {
    const int from = schedule.layer_options[0], at = schedule.layer_options[1],
              to = schedule.layer_options[2];
    return instance.layers[1].options[size_t(at)].energyPj() +
           instance.transitions[1].energyAt(from, at) + instance.transitions[2].energyAt(at, to);
  };
  EXPECT_LT(segmentPj(with_host, planned.schedule), 0.5 * segmentPj(as_busy, blind.schedule));
  const PowerState &during =
      with_host.states[with_host.layers[1].options[planned.schedule.layer_options[1]].state];
  EXPECT_EQ(during.domains[1].mode, DomainMode::Off) << during.name;        // the PE group is gated
  EXPECT_EQ(during.domains[5].mode, DomainMode::Retention) << during.name;  // its data kept
}

TEST(InstanceBuilder, BreakdownSumsToTheEvaluatedEnergy) {
  const ChipModel chip = syntheticChip();
  const Workload workload = syntheticWorkload(chip, 12, 3);
  const Instance instance = buildInstance(chip, workload, {10.0, 5e8, 4e8});
  for (int trial = 0; trial < 20; ++trial) {
    Schedule schedule;
    schedule.idle_option = trial % int(instance.idle.size());
    for (size_t i = 0; i < instance.layers.size(); ++i)
      schedule.layer_options.push_back(
          int((trial * 7 + i * 3) % instance.layers[i].options.size()));
    const ScheduleBreakdown breakdown = scheduleBreakdown(chip, workload, instance, schedule);
    double total = 0.0;
    for (const auto &layer : breakdown.layers)
      for (const DomainEnergySplit &split : layer)
        total += split.dynamic_pj + split.leakage_pj + split.transition_pj;
    for (const DomainEnergySplit &split : breakdown.idle)
      total += split.dynamic_pj + split.leakage_pj + split.transition_pj;
    const double expected = evaluate(instance, schedule).total_pj;
    EXPECT_NEAR(total, expected, 1e-9 * std::abs(expected)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace pf::sched
