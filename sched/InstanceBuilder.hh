// From physics to a scheduling instance: power states, per-layer costs and transition
// costs generated from a chip model (the characterization, resolved onto the design's
// rails) and a workload (the profile). Pure: plain structs in, sched::Instance out.
//
// States (docs/schedule.md, "States"):
//   - The always-on domain sits on a fixed rail. Every other domain is a PE group or a
//     buffer bank; all PE groups that are on share one rail, all banks that are on share
//     one rail (the operating point is (PE rail, buffer rail, clock divider)).
//   - The clock is base_mhz / divider; an operating point is offered at a layer only if
//     that clock is within the fmax of every domain the layer uses and of the always-on
//     domain, each at its rail.
//   - Per operating point two gating policies: nothing gated (every domain on), or
//     unused domains gated: unused PE groups off, unused banks off, or in retention when
//     they hold a tensor that is live across the layer (or on, if they cannot retain).
// Layer time at clock f (MHz) and external bandwidth B (bytes/ns), phases in sequence as
// in the RTL (workload/Profile.hh):
//   t = clock_cycles / f + sum over transfers: max(beats / f, bytes / B).
// A host segment takes its host time at every clock; its options are the operating points
// whose clock every domain that is on can take (all on, or every switchable domain gated:
// off, or retained where it holds a live tensor).
// Energy of a layer: per domain, dynamic energy per cycle class from the tables times
// the cycles of that class, plus leakage power times t (on, gated or retention).
// Transitions: per domain that changes (rail change, wake-up, retention exit, power-off)
// its own time and energy (a bank that can retain changes rail through retention, since
// the break-before-make switch-over would lose its array: priced as a retention exit); domains
// change in parallel, so the visible time is the longest change plus the clock switch time if the
// divider changes. Look-ahead: a domain the earlier layer does not use starts its change during
// that layer, so only the part of its latency longer than that layer is visible. The
// sequencer's own program at a boundary (a fixed part, an instruction per change made
// there, a retention detour's extra steps) adds its cycles at the slower of the two
// clocks. Every duration is rounded up to whole ticks (so the integer model is conservative).
// That is the default physics (power multiplexers, a divider clock); ChipModel::transitions
// may instead make a rail change a shared regulator's ramp and a clock change a PLL relock
// (TransitionPhysics below, docs/transitions.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sched/Instance.hh"
#include "sched/Schedule.hh"

namespace pf::sched {

enum class DomainClass : uint8_t { AlwaysOn, PeGroup, Buffer };

// Energy of a MAC cycle of one PE group at one operand sparsity, per rail.
struct MacEnergyPoint {
  double sparsity = 0.0;
  std::vector<double> energy_pj;  // per rail
};

// One power domain's physics; every vector is indexed by rail.
struct DomainPhysics {
  std::string name;
  DomainClass domain_class = DomainClass::PeGroup;
  std::vector<double> fmax_mhz;
  std::vector<double> leakage_nw;        // on
  std::vector<double> gated_leakage_nw;  // off behind its header switch
  bool can_retain = false;               // buffers with a retention mode
  double retention_leakage_nw = 0.0;
  std::vector<double> wake_up_time_ns;
  std::vector<double> wake_up_energy_pj;
  std::vector<std::vector<double>> rail_change_time_ns;  // [from rail][to rail]
  std::vector<std::vector<double>> rail_change_energy_pj;

  std::vector<MacEnergyPoint> mac_cycle;     // PE group, sorted by sparsity
  std::vector<double> clock_gated_cycle_pj;  // PE group with its clock enable low
  std::vector<double> active_cycle_pj;       // always-on: a cycle of a running layer
  std::vector<double> idle_cycle_pj;         // always-on: a waiting cycle; buffer: no access
  std::vector<double> read_pj;               // buffer, per word
  std::vector<double> write_pj;
};

struct ClockModel {
  double base_mhz = 0.0;
  std::vector<int> dividers;    // offered settings, each >= 1
  double switch_time_ns = 0.0;  // a divider change
  // While the datapath clock is stopped, the always-on domain keeps only its period
  // timer running, from a slow sleep clock (a 32.768 kHz RTC by default).
  double sleep_timer_mhz = 0.032768;
};

// How a switchable domain's supply changes voltage (docs/transitions.md).
//  - PowerMux (the default chip): R fixed rails, each domain behind its own multiplexer;
//    a rail change costs the domain's characterized rail_change_time_ns / _energy_pj.
//  - Regulator: no multiplexer; the PE groups share one regulator output and the buffer
//    banks another, each set to one of the R rail voltages. A change of that voltage is a
//    ramp of the output: settle_ns + |dV| / ramp, every domain on it waiting, and energy
//    1/2 C (v1^2 - v0^2) / efficiency for the output capacitance C on a step up (a step
//    down returns the charge to the load: none). An output with no domain on is parked at
//    the lowest rail (unloaded: it goes there at no cost), so a wake onto a higher rail
//    ramps from it first. A domain on both sides keeps its state through the ramp (a bank
//    needs no retention detour) and is charged its characterized rail-change energy
//    (its own capacitance; C v1 dV, an upper bound of the ramp's 1/2 C (v1^2 - v0^2)).
enum class RailChange : uint8_t { PowerMux, Regulator };

struct RegulatorPhysics {
  double ramp_v_per_us = 0.0;
  double settle_ns = 0.0;
  double capacitance_pf = 0.0;  // output (decoupling) capacitance of one supply
  double efficiency_ratio = 1.0;
};

struct TransitionPhysics {
  RailChange rail_change = RailChange::PowerMux;
  RegulatorPhysics regulator;  // rail_change == Regulator
  // The clock comes from a PLL that re-locks at every clock change (start from a stopped
  // clock included); ClockModel::switch_time_ns then holds the relock time.
  bool pll = false;

  // Today's chip. Otherwise a boundary also charges every domain's leakage over its
  // visible time (the chip stalls during a ramp or a relock); the default model does not,
  // its sub-microsecond waits are priced as they always were.
  bool isDefault() const { return rail_change == RailChange::PowerMux && !pll; }
};

struct ChipModel {
  std::vector<double> rail_voltages_v;  // ascending
  std::vector<DomainPhysics> domains;   // exactly one AlwaysOn
  int always_on_rail = -1;
  ClockModel clock;
  double ext_bandwidth_bytes_per_ns = 0.0;
  TransitionPhysics transitions;
};

// One layer's work, from the workload profile. Per-domain vectors are indexed like
// ChipModel::domains.
// An external-memory transfer phase: one beat per cycle at best, and no faster than the
// external bandwidth.
struct Transfer {
  int64_t beats = 0;
  int64_t bytes = 0;
};

struct LayerWork {
  std::string name;
  int64_t clock_cycles =
      0;  // cycles that scale with the clock alone (compute, control, DMA overhead)
  int64_t compute_cycles = 0;  // of clock_cycles, those the PE array computes in
  std::vector<Transfer> transfers;
  double mac_sparsity = 0.0;        // fraction of MAC cycles with a zero operand
  std::vector<bool> uses;           // must be on during the layer
  std::vector<bool> keeps_data;     // holds a tensor live across the layer: not off
  std::vector<int64_t> read_words;  // buffer accesses
  std::vector<int64_t> write_words;
  // A host segment (docs/host.md): the host processor runs an operator for this long while
  // the accelerator waits, whatever its clock; no accelerator work (cycles, transfers and
  // uses are zero). Its domains may be gated or slowed meanwhile; the always-on domain
  // counts idle cycles.
  double host_time_ns = 0.0;

  bool isHostSegment() const { return host_time_ns > 0.0; }
};

struct Workload {
  std::string name;
  std::vector<LayerWork> layers;
};

struct BuildOptions {
  double tick_ns = 10.0;
  double period_ns = 0.0;
  double deadline_ns = 0.0;
};

// One reason the inputs cannot make an instance (a named field and why).
struct BuildProblem {
  std::string field;
  std::string reason;
};

// Everything wrong with the chip model, workload and options (sizes, ranges, a layer
// with no clock within its domains' fmax). Empty means buildInstance() will succeed.
std::vector<BuildProblem> checkBuildInputs(const ChipModel &chip, const Workload &workload,
                                           const BuildOptions &options);

// The instance for `workload` on `chip`; the inputs must pass checkBuildInputs().
Instance buildInstance(const ChipModel &chip, const Workload &workload,
                       const BuildOptions &options);

// One domain changing state across a stage boundary, for reports and code generation
// (the same physics the transition matrices are priced with).
struct DomainChange {
  int domain = -1;  // index into ChipModel::domains
  DomainState from;
  DomainState to;
  double time_ns = 0.0;    // its own latency (a power-down costs none: isolation only)
  double energy_pj = 0.0;  // wake-up, retention exit or rail change
  bool lookahead = false;  // the earlier layer does not use the domain: the change may
                           // start during that layer (only latency beyond it is visible)
};

// The domains whose state differs between `from` and `to`, in domain order.
// `from_layer` is the layer that runs in `from` (null when `from` is an idle state).
// Under a regulator, a domain on a ramping supply has the ramp in its time and its share
// of the ramp's energy in its energy. Outside the default physics the boundary's energy
// also holds every domain's leakage over the visible time, which is in no change.
std::vector<DomainChange> boundaryChanges(const ChipModel &chip, const PowerState &from,
                                          const PowerState &to, const LayerWork *from_layer);

// Visible time of the boundary in ns, before rounding up to ticks: the longest change
// (a look-ahead change less the earlier layer's time in `from`), plus the clock switch
// time when the divider changes. toTicks() of it is the transition matrix's time.
double boundaryVisibleNs(const ChipModel &chip, const PowerState &from, const PowerState &to,
                         const LayerWork *from_layer);

// Time of `layer` at `clock_divider` (>= 1), ns: the layer-time model above.
double layerTimeNs(const ChipModel &chip, const LayerWork &layer, int clock_divider);

// Energy of one domain over a span, split dynamic / leakage (pJ).
struct DomainEnergy {
  double dynamic_pj = 0.0;
  double leakage_pj = 0.0;
};

// The prices the instance is built from, one domain at a time: the same code prices a
// schedule here and measures a co-simulated run (sim/), so the two cannot drift apart.
// Energy of a MAC cycle of a PE group at `sparsity`: linear between the characterized
// points, clamped at the ends.
double macCycleEnergyPj(const DomainPhysics &domain, int rail, double sparsity);
// Leakage of a domain in `state` (off: behind its switch, across the highest rail).
double domainLeakageNw(const DomainPhysics &domain, const DomainState &state, int top_rail);
// Latency (ns) and energy (pJ) of one domain changing state: a rail change, a wake-up or a
// retention exit (charged like a wake-up); a power-down or retention entry costs neither
// (isolation only). The power-multiplexer physics (the default): under a regulator a rail
// change is its supply's ramp, which boundaryChanges() prices.
struct ChangeCost {
  double time_ns = 0.0;
  double energy_pj = 0.0;
};
ChangeCost domainChangeCost(const DomainPhysics &domain, const DomainState &from,
                            const DomainState &to);
// Idle power of each domain in a chip state, pJ/ns: clocked energy as dynamic (with the
// clock stopped, the always-on domain's period timer at the sleep clock), leakage.
std::vector<DomainEnergy> idlePowerPjPerNs(const ChipModel &chip, const PowerState &state);

// Per-domain energy of one layer option, for reports (dynamic and leakage, pJ).
std::vector<DomainEnergy> layerDomainEnergy(const ChipModel &chip, const LayerWork &layer,
                                            const PowerState &state);

// A schedule's energy by domain, for the schedule file. Sums to evaluate()'s total.
struct DomainEnergySplit {
  double dynamic_pj = 0.0;
  double leakage_pj = 0.0;
  double transition_pj = 0.0;  // changes of this domain's state

  double totalPj() const { return dynamic_pj + leakage_pj + transition_pj; }
};
struct ScheduleBreakdown {
  // [layer][domain]; the transition is the boundary into the layer.
  std::vector<std::vector<DomainEnergySplit>> layers;
  // [domain]: the transition from the last layer into idle, and the idle dwell (clocked
  // energy as dynamic, leakage as leakage).
  std::vector<DomainEnergySplit> idle;
};
// `instance` must have been built from `chip` and `workload`.
ScheduleBreakdown scheduleBreakdown(const ChipModel &chip, const Workload &workload,
                                    const Instance &instance, const Schedule &schedule);

}  // namespace pf::sched
