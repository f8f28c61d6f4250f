// The co-simulation run: the Verilated pf_system (SystemModel) with the behavioural power
// network, clock generator, period timer and external memory around it, for N periods of
// the scheduled network, with the checks of docs/sim.md:
//   - every layer's output bit-exact against the golden model in every period (in
//     external memory, or in place in the data buffer), a new random input per period;
//   - the power-aware monitors (Monitor rules below), each violation naming the period,
//     cycle, time, domain and rule;
//   - the deadline in every period;
//   - each layer's cycles against the profile's;
//   - energy integrated every cycle (EnergyMeter) against the schedule's prediction.
// Pure of I/O: plain structs in, a result out (the command writes the report).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Progress.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/io/ScheduleFile.hh"
#include "sim/cosim/EnergyMeter.hh"
#include "sim/cosim/SystemModel.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"

namespace pf::sim {

struct CoSimSetup {
  sched::ChipModel chip;  // design domain order
  ScheduleFile schedule;  // its layers are the profile's and the mapping's
  Mapping mapping;
  std::vector<int> switchable;  // design domain of each sequencer domain
  DomainUnits units;
  int read_latency_cycles = 2;  // the profile's
  int periods = 3;
  uint32_t seed = 1;  // network data of period p: seed + p
  int reset_cycles = 8;
  std::vector<double> profile_sparsity;  // per layer, the operand sparsity the schedule assumed
  bool account_energy = true;            // false: no energy accounting (benchmarks only)
  double switch_slowdown = 1.0;          // power-good delays x this (--switch-slowdown)
  // Per schedule layer: the ROM address where the generated program ends the layer's host
  // segment (gen::Program::host_end_address), -1 for an accelerator layer. The run does the
  // host's work (sim/NetData's runHostLayer) when the sequencer's pc leaves it.
  std::vector<int> host_end_address;
  // Terminal progress, none if null (core/Progress.hh): a line per period finished and, in
  // a long period, one about every 2 s of wall time naming the layer that runs. The run
  // loop looks at the clock only every kProgressCheckCycles cycles.
  ProgressSink *progress = nullptr;
};

inline constexpr uint64_t kProgressCheckCycles = 16384;  // a power of two
inline constexpr double kProgressIntervalSeconds = 2.0;

// Monitor rules (docs/sim.md, "Monitors").
inline constexpr const char *kRuleIsolation = "isolation-released-unpowered";
inline constexpr const char *kRuleActivity = "activity-in-unpowered-domain";
inline constexpr const char *kRuleNotReady = "layer-start-domain-not-ready";
inline constexpr const char *kRuleRailActive = "rail-change-while-active";
inline constexpr const char *kRuleFmax = "clock-above-fmax";
inline constexpr const char *kRuleSequencer = "sequencer-error";
inline constexpr const char *kRulePowerGoodTimeout = "power-good-timeout";
inline constexpr const char *kRulePowerGoodLost = "power-good-lost";
inline constexpr const char *kRuleDatapath = "datapath-error";
inline constexpr const char *kRuleOverrun = "period-overrun";
inline constexpr const char *kRuleDeadline = "deadline-missed";

struct Violation {
  int period = 0;
  uint64_t cycle = 0;
  double time_ns = 0.0;  // from the period's tick
  std::string domain;    // "" when the rule is not about one domain
  std::string rule;
  std::string detail;
  int64_t count = 1;  // occurrences of this rule and domain in the period
};

struct LayerMeasure {
  bool ran = false;          // a host layer: its segment ended and the host's work was done
  PhaseCycles cycles;        // measured, stalls on the memory included
  int64_t stall_cycles = 0;  // cycles the DMA waited for the memory's bandwidth
  int64_t descriptors = 0;
  double start_ns = 0.0, end_ns = 0.0;  // from the tick: first start, last done
  double clock_mhz = 0.0;
  double sparsity = 0.0;               // the real operands'
  std::vector<EnergySplit> by_domain;  // boundary into the layer included
  // Every design domain's supply while the layer ran (design order; empty: not seen): at
  // its first descriptor's start, or for a host segment when the segment ends.
  std::vector<sched::DomainState> domains;
  bool golden_ok = false;
  std::string golden_detail;  // why not
};

struct PeriodMeasure {
  std::vector<LayerMeasure> layers;
  std::vector<EnergySplit> idle;                 // after the last layer until the next tick
  std::vector<sched::DomainState> idle_domains;  // the supplies at the period's end (design order)
  bool idle_clock_stopped = false;               // the sequencer stopped the clock to sleep
  double busy_ns = -1.0;                         // tick to the last layer's end; -1: never ended
  bool deadline_met = false;
  int64_t transition_events = 0;
};

struct CoSimResult {
  std::vector<PeriodMeasure> periods;
  std::vector<Violation> violations;
  uint64_t cycles = 0;  // clock cycles simulated
  double simulated_ns = 0.0;
  double wall_seconds = 0.0;
};

CoSimResult runCoSim(const CoSimSetup &setup, SystemModel &model);

// Total of a per-domain split.
EnergySplit sumSplits(const std::vector<EnergySplit> &splits);

}  // namespace pf::sim
