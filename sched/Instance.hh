// The scheduling instance: what every solver in sched/ reads.
//
// Math model (docs/schedule.md has the long form)
// ----------------------------------------------
// A network of L layers runs once per period P and must finish within deadline D <= P.
// Layer i (0-based) may run in any of its options o in O_i; option o names a power state
// (rail and gating of every domain, clock divider) and costs integer time t_i(o) and
// energy e_i(o). Between consecutive stages the power state changes; the change costs
// time and energy that may depend on the boundary (look-ahead hides the latency of
// domains the earlier layer does not use, so the same pair of states can cost less time
// at one boundary than another).
//
// The period is cyclic. It starts in an idle option k in K (the state the chip sleeps
// in), wakes into layer 0, runs the layers, and goes back to sleep in k until the next
// period tick:
//
//   T_busy = tr_0(k, o_0).time + sum_i t_i(o_i) + sum_{i=1..L-1} tr_i(o_{i-1}, o_i).time
//   T_down = tr_L(o_{L-1}, k).time
//   E      = tr_0(k, o_0).energy + sum_i e_i(o_i) + sum_{i=1..L-1} tr_i(o_{i-1}, o_i).energy
//          + tr_L(o_{L-1}, k).energy + p_k * (P - T_busy - T_down)
//
//   minimise E  subject to  T_busy <= D  and  T_busy + T_down <= P.
//
// p_k is the idle power of option k (energy per time unit). Rail limits and data
// liveness are not constraints here: the instance builder only offers options that
// respect them (a bank holding a live tensor has no "off" option at that layer).
//
// Units: time in integer ticks of `tick_ns` nanoseconds (the builder rounds every
// duration up, so a schedule feasible here is feasible in real time); energy in
// picojoules as double.
//
// This header is plain data: no I/O, no parsing. The flow (flows/) builds instances from
// the characterization and the workload profile; tests and benches build synthetic ones
// (sched/Synthetic.hh).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pf::sched {

using Ticks = int64_t;

// How one power domain is supplied in a state.
enum class DomainMode : uint8_t {
  Off,        // header switch open: contents lost, ~no leakage
  Retention,  // SRAM banks only: contents kept at a retention bias, not accessible
  On,         // connected to rail `rail`
};
const char *domainModeName(DomainMode mode);

struct DomainState {
  DomainMode mode = DomainMode::Off;
  int rail = -1;  // index into Instance::rail_voltages_v when On, else -1

  bool operator==(const DomainState &other) const = default;
};

// A named operating point: what the DVFS baselines choose between (one rail per domain
// class and a clock divider). Several power states share an operating point and differ
// in which unused domains they gate.
struct OperatingPoint {
  std::string name;  // e.g. "pe 0.80 V, buf 0.80 V, div 2"
  int clock_divider = 1;
};

// A power state of the whole chip.
struct PowerState {
  std::string name;
  std::vector<DomainState> domains;  // one per Instance::domain_names
  int clock_divider = 0;             // >= 1 while running; 0 = clock stopped
  int operating_point = -1;          // index into Instance::operating_points, -1 for none
  bool gates_unused = false;         // domains the layer does not use are off/retained
};

// Energy of one layer at one option, split the way reports show it.
struct LayerOption {
  int state = -1;  // index into Instance::states
  Ticks time = 0;  // >= 1
  double dynamic_pj = 0.0;
  double leakage_pj = 0.0;

  double energyPj() const { return dynamic_pj + leakage_pj; }
};

struct Stage {
  std::string name;  // the layer's name in the network
  std::vector<LayerOption> options;
};

// Where the chip sleeps between the end of the last layer and the next period tick.
enum class IdleKind : uint8_t {
  ClockedOn,   // everything on, clock running (the aggressive baseline's idle)
  ClockGated,  // everything on, clock stopped
  PowerGated,  // switchable domains off or in retention
};
const char *idleKindName(IdleKind kind);

struct IdleOption {
  int state = -1;  // index into Instance::states
  IdleKind kind = IdleKind::PowerGated;
  double power_pj_per_tick = 0.0;
};

// Cost of changing state across one stage boundary, dense [from][to].
struct TransitionMatrix {
  int from_count = 0;
  int to_count = 0;
  std::vector<Ticks> time;        // from_count * to_count
  std::vector<double> energy_pj;  // from_count * to_count

  Ticks timeAt(int from, int to) const { return time[size_t(from) * to_count + to]; }
  double energyAt(int from, int to) const { return energy_pj[size_t(from) * to_count + to]; }
};

struct Instance {
  std::string name;
  double tick_ns = 1.0;
  Ticks deadline = 0;  // D
  Ticks period = 0;    // P >= D

  std::vector<std::string> domain_names;
  std::vector<double> rail_voltages_v;
  std::vector<OperatingPoint> operating_points;
  int aggressive_point = -1;  // highest rails, fastest clock (index into operating_points)
  std::vector<PowerState> states;

  std::vector<Stage> layers;     // L >= 1
  std::vector<IdleOption> idle;  // K >= 1
  // transitions[0]: idle option -> layer 0 option;
  // transitions[i], 1 <= i < L: layer i-1 option -> layer i option;
  // transitions[L]: layer L-1 option -> idle option.
  std::vector<TransitionMatrix> transitions;

  int layerCount() const { return int(layers.size()); }
};

// One reason an instance is malformed.
struct InstanceProblem {
  std::string where;  // e.g. "layers[3].options[2].time"
  std::string reason;
};

// Structural checks every solver relies on: sizes agree, indices in range, times >= 0
// (layer times >= 1), energies finite, D <= P. Empty means well-formed.
std::vector<InstanceProblem> validateInstance(const Instance &instance);

// log10 of the number of schedules: log10(K) + sum_i log10(|O_i|).
double scheduleSpaceLog10(const Instance &instance);

}  // namespace pf::sched
