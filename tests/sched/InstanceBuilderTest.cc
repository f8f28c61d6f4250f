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

// On 20 schedules of the instance, the per-domain breakdown sums to what evaluate() says.
void expectBreakdownSumsToEvaluation(const ChipModel &chip, const Workload &workload,
                                     const Instance &instance) {
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

TEST(InstanceBuilder, BreakdownSumsToTheEvaluatedEnergy) {
  const ChipModel chip = syntheticChip();
  const Workload workload = syntheticWorkload(chip, 12, 3);
  const Instance instance = buildInstance(chip, workload, {10.0, 5e8, 4e8});
  expectBreakdownSumsToEvaluation(chip, workload, instance);
}

}  // namespace
}  // namespace pf::sched

// Transition physics (docs/transitions.md): a regulator's ramp and a PLL's relock replace
// the power multiplexer's rail change and the divider's switch at the boundaries where the
// model says, and nowhere else.
namespace pf::sched {
namespace {

// Two layers that use pe_grp0 and bank0, everything else on (the ungated options).
Workload twoLayers(const ChipModel &chip) {
  Workload workload = oneLayer(chip, 50'000, 8000);
  workload.layers.push_back(workload.layers[0]);
  workload.layers[1].name = "conv2";
  return workload;
}

// The ungated option of `stage` at (PE rail, buffer rail, divider).
int ungatedOption(const Instance &instance, int stage, int pe_rail, int buffer_rail, int divider) {
  const std::vector<LayerOption> &options = instance.layers[size_t(stage)].options;
  for (size_t o = 0; o < options.size(); ++o) {
    const PowerState &state = instance.states[options[o].state];
    if (!state.gates_unused && state.domains[1].rail == pe_rail &&
        state.domains[5].rail == buffer_rail && state.clock_divider == divider)
      return int(o);
  }
  ADD_FAILURE() << "no ungated option at pe rail " << pe_rail << ", buffer rail " << buffer_rail
                << ", /" << divider;
  return 0;
}

// Visible time (ns) and energy (pJ) of the boundary between the two layers.
struct Boundary {
  double visible_ns = 0.0;
  double energy_pj = 0.0;
  Ticks ticks = 0;
};

Boundary boundaryBetween(const ChipModel &chip, const Workload &workload, int from_option,
                         int to_option) {
  const Instance instance = buildInstance(chip, workload, options(1e8, 1e8));
  const PowerState &from = instance.states[instance.layers[0].options[size_t(from_option)].state];
  const PowerState &to = instance.states[instance.layers[1].options[size_t(to_option)].state];
  return {boundaryVisibleNs(chip, from, to, &workload.layers[0]),
          instance.transitions[1].energyAt(from_option, to_option),
          instance.transitions[1].timeAt(from_option, to_option)};
}

// Every domain's leakage at the higher of its two states, pJ per ns: what a stall costs.
double stallPjPerNs(const ChipModel &chip, const Instance &instance, int from_option,
                    int to_option) {
  const PowerState &from = instance.states[instance.layers[0].options[size_t(from_option)].state];
  const PowerState &to = instance.states[instance.layers[1].options[size_t(to_option)].state];
  double nw = 0.0;
  for (size_t d = 0; d < chip.domains.size(); ++d)
    nw += std::max(domainLeakageNw(chip.domains[d], from.domains[d], 2),
                   domainLeakageNw(chip.domains[d], to.domains[d], 2));
  return nw * 1e-6;
}

ChipModel withRegulator(double ramp_v_per_us) {
  ChipModel chip = syntheticChip();
  chip.transitions.rail_change = RailChange::Regulator;
  chip.transitions.regulator = {ramp_v_per_us, 2000.0, 4.7e6, 0.85};  // 2 us, 4.7 uF
  return chip;
}

TEST(TransitionPhysics, TheDefaultIsThePowerMultiplexerAndTheDivider) {
  EXPECT_TRUE(TransitionPhysics{}.isDefault());
  EXPECT_TRUE(syntheticChip().transitions.isDefault());
  // The PE rail 0.6 -> 1.1 V through the multiplexers: the characterized rail change
  // (200 ns + 40 pF x 0.5 V / 10 mA = 202 ns) and energy (40 pF x 1.1 V x 0.5 V per group),
  // no stall leakage.
  const ChipModel chip = syntheticChip();
  const Workload workload = twoLayers(chip);
  const Instance instance = buildInstance(chip, workload, options(1e8, 1e8));
  // At /2 (200 MHz), the fastest clock 0.6 V takes.
  const int a = ungatedOption(instance, 0, 0, 2, 2), b = ungatedOption(instance, 1, 2, 2, 2);
  const Boundary mux = boundaryBetween(chip, workload, a, b);
  EXPECT_NEAR(mux.energy_pj, 4 * 40.0 * 1.1 * 0.5, 1e-9);
  const double program_ns = mux.visible_ns - 202.0;  // the sequencer's own cycles at 200 MHz
  EXPECT_GT(program_ns, 0.0);
  EXPECT_LT(program_ns, 100.0);
}

TEST(TransitionPhysics, ARegulatorRampTakesSettlePlusSlewAndChargesItsCapacitance) {
  const ChipModel mux_chip = syntheticChip();
  const Workload workload = twoLayers(mux_chip);
  const Instance instance = buildInstance(mux_chip, workload, options(1e8, 1e8));
  const int low = ungatedOption(instance, 0, 0, 2, 2), high = ungatedOption(instance, 1, 2, 2, 2);
  const Boundary mux = boundaryBetween(mux_chip, workload, low, high);
  const double program_ns = mux.visible_ns - 202.0;
  for (double ramp_v_per_us : {0.05, 0.005}) {
    const ChipModel chip = withRegulator(ramp_v_per_us);
    // 0.6 -> 1.1 V: 2 us + 0.5 V / ramp, in place of the multiplexer's 202 ns.
    const double ramp_ns = 2000.0 + 0.5 / ramp_v_per_us * 1000.0;
    const Boundary up = boundaryBetween(chip, workload, low, high);
    EXPECT_NEAR(up.visible_ns, ramp_ns + program_ns, 1e-6) << ramp_v_per_us;
    EXPECT_EQ(up.ticks, Ticks(std::ceil((ramp_ns + program_ns) / 10.0 - 1e-9)));
    // Energy: the groups' own capacitance as before, 1/2 C (v1^2 - v0^2) / efficiency for
    // the output capacitance, and every domain's leakage while the chip waits.
    const double stall_pj = up.visible_ns * stallPjPerNs(chip, instance, low, high);
    EXPECT_NEAR(up.energy_pj, mux.energy_pj + 0.5 * 4.7e6 * (1.21 - 0.36) / 0.85 + stall_pj,
                1e-6 * up.energy_pj);
  }
  // A step down takes as long but charges no capacitance.
  const ChipModel chip = withRegulator(0.05);
  const Instance down_instance = buildInstance(chip, workload, options(1e8, 1e8));
  const int from_high = ungatedOption(down_instance, 0, 2, 2, 2);
  const int to_low = ungatedOption(down_instance, 1, 0, 2, 2);
  const Boundary down = boundaryBetween(chip, workload, from_high, to_low);
  EXPECT_NEAR(down.visible_ns, 12'000.0 + program_ns, 1e-6);
  EXPECT_NEAR(down.energy_pj,
              down.visible_ns * stallPjPerNs(chip, down_instance, from_high, to_low),
              1e-9 * down.energy_pj);
  // A boundary that keeps both supplies where they are costs what it always did.
  const int same = ungatedOption(down_instance, 1, 2, 2, 2);
  EXPECT_EQ(down_instance.transitions[1].timeAt(from_high, same),
            instance.transitions[1].timeAt(ungatedOption(instance, 0, 2, 2, 2),
                                           ungatedOption(instance, 1, 2, 2, 2)));
}

TEST(TransitionPhysics, AGatedSupplyIsParkedAtTheLowestRailAndRampsBeforeTheWake) {
  const ChipModel chip = withRegulator(0.05);
  const Workload workload = twoLayers(chip);
  const Instance instance = buildInstance(chip, workload, options(1e8, 1e8));
  // From the power-gated idle (every supply unloaded) into layer 0 with both supplies at
  // 1.1 V: each ramps 0.6 -> 1.1 V (12 us), then the domains wake, then the clock starts
  // (and the sequencer's program runs at the slowest clock, 18 cycles of 20 ns).
  int gated_idle = -1;
  for (size_t k = 0; k < instance.idle.size(); ++k)
    if (instance.idle[k].kind == IdleKind::PowerGated) gated_idle = int(k);
  ASSERT_GE(gated_idle, 0);
  const int first = ungatedOption(instance, 0, 2, 2, 1);
  const PowerState &idle = instance.states[instance.idle[size_t(gated_idle)].state];
  const PowerState &to = instance.states[instance.layers[0].options[size_t(first)].state];
  double wake_ns = 0.0;
  for (const DomainPhysics &domain : chip.domains)
    wake_ns = std::max(wake_ns, domain.wake_up_time_ns[2]);
  const double visible_ns = boundaryVisibleNs(chip, idle, to, nullptr);
  EXPECT_GE(visible_ns, 12'000.0 + wake_ns + chip.clock.switch_time_ns);
  EXPECT_LT(visible_ns, 12'000.0 + wake_ns + chip.clock.switch_time_ns + 400.0);
  // Its changes list the ramp in every woken domain's time.
  for (const DomainChange &change : boundaryChanges(chip, idle, to, nullptr)) {
    if (change.to.mode == DomainMode::On) {
      EXPECT_GE(change.time_ns, 12'000.0) << chip.domains[size_t(change.domain)].name;
    }
  }
}

TEST(TransitionPhysics, APllRelockReplacesTheDividerSwitch) {
  const ChipModel mux_chip = syntheticChip();
  const Workload workload = twoLayers(mux_chip);
  const Instance instance = buildInstance(mux_chip, workload, options(1e8, 1e8));
  const int fast = ungatedOption(instance, 0, 2, 2, 1), slow = ungatedOption(instance, 1, 2, 2, 2);
  const Boundary divider = boundaryBetween(mux_chip, workload, fast, slow);
  EXPECT_EQ(divider.energy_pj, 0.0);
  for (double relock_us : {20.0, 2000.0}) {
    ChipModel chip = syntheticChip();
    chip.transitions.pll = true;
    chip.clock.switch_time_ns = relock_us * 1000.0;
    const Boundary relock = boundaryBetween(chip, workload, fast, slow);
    EXPECT_NEAR(relock.visible_ns - divider.visible_ns, relock_us * 1000.0 - 50.0, 1e-6);
    EXPECT_NEAR(relock.energy_pj, relock.visible_ns * stallPjPerNs(chip, instance, fast, slow),
                1e-9 * relock.energy_pj);
  }
}

TEST(TransitionPhysics, BreakdownSumsToTheEvaluatedEnergyUnderEveryModel) {
  ChipModel chip = withRegulator(0.01);
  chip.transitions.pll = true;
  chip.clock.switch_time_ns = 50'000.0;
  const Workload workload = syntheticWorkload(chip, 12, 3);
  const Instance instance = buildInstance(chip, workload, {10.0, 5e8, 4e8});
  expectBreakdownSumsToEvaluation(chip, workload, instance);
}

}  // namespace
}  // namespace pf::sched
