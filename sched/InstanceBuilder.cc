// Builds sched::Instance from ChipModel + Workload; the model is in the header comment.
// States are deduplicated by content (domain modes and divider), so two layers that
// gate the same domains share a PowerState.

#include "sched/InstanceBuilder.hh"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>

namespace pf::sched {

namespace {

// nW x ns = 1e-18 J = 1e-6 pJ.
constexpr double kPjPerNwNs = 1e-6;

int railCount(const ChipModel &chip) { return int(chip.rail_voltages_v.size()); }

double clockMhz(const ChipModel &chip, int divider) { return chip.clock.base_mhz / divider; }

// Cycles -> ns at f MHz.
double cyclesNs(double cycles, double f_mhz) { return cycles * 1000.0 / f_mhz; }

double layerTimeAtMhz(const ChipModel &chip, const LayerWork &layer, double f_mhz) {
  double time_ns = cyclesNs(double(layer.clock_cycles), f_mhz) + layer.host_time_ns;
  for (const Transfer &transfer : layer.transfers)
    time_ns += std::max(cyclesNs(double(transfer.beats), f_mhz),
                        double(transfer.bytes) / chip.ext_bandwidth_bytes_per_ns);
  return time_ns;
}

Ticks toTicks(double ns, double tick_ns) {
  // Round up, but do not let float noise (e.g. 2000.0000000001) add a tick.
  return Ticks(std::ceil(ns / tick_ns - 1e-9));
}

}  // namespace

double macCycleEnergyPj(const DomainPhysics &domain, int rail, double sparsity) {
  const std::vector<MacEnergyPoint> &points = domain.mac_cycle;
  if (points.empty()) return 0.0;
  if (sparsity <= points.front().sparsity) return points.front().energy_pj[rail];
  for (size_t p = 1; p < points.size(); ++p) {
    if (sparsity <= points[p].sparsity) {
      const MacEnergyPoint &lo = points[p - 1], &hi = points[p];
      const double weight = (sparsity - lo.sparsity) / (hi.sparsity - lo.sparsity);
      return lo.energy_pj[rail] + weight * (hi.energy_pj[rail] - lo.energy_pj[rail]);
    }
  }
  return points.back().energy_pj[rail];
}

double domainLeakageNw(const DomainPhysics &domain, const DomainState &state, int top_rail) {
  switch (state.mode) {
    case DomainMode::On:
      return domain.leakage_nw[state.rail];
    case DomainMode::Retention:
      return domain.retention_leakage_nw;
    case DomainMode::Off:
      return domain.gated_leakage_nw[top_rail];  // the highest rail sits across the switch
  }
  return 0.0;
}

namespace {

// Dynamic energy of one domain during a layer of `cycles` clock cycles, `waiting` of them
// spent waiting for the host.
double layerDynamicPj(const DomainPhysics &domain, const LayerWork &layer, size_t d,
                      const DomainState &state, double cycles, double waiting) {
  if (state.mode != DomainMode::On) return 0.0;
  const int rail = state.rail;
  switch (domain.domain_class) {
    case DomainClass::AlwaysOn:
      return (cycles - waiting) * domain.active_cycle_pj[rail] +
             waiting * domain.idle_cycle_pj[rail];
    case DomainClass::PeGroup: {
      const double computing = layer.uses[d] ? double(layer.compute_cycles) : 0.0;
      return computing * macCycleEnergyPj(domain, rail, layer.mac_sparsity) +
             std::max(0.0, cycles - computing) * domain.clock_gated_cycle_pj[rail];
    }
    case DomainClass::Buffer: {
      const double reads = double(layer.read_words[d]), writes = double(layer.write_words[d]);
      return reads * domain.read_pj[rail] + writes * domain.write_pj[rail] +
             std::max(0.0, cycles - reads - writes) * domain.idle_cycle_pj[rail];
    }
  }
  return 0.0;
}

struct OperatingPointSpec {
  int pe_rail = 0;
  int buffer_rail = 0;
  int divider = 1;
};

std::vector<OperatingPointSpec> operatingPointSpecs(const ChipModel &chip) {
  std::vector<OperatingPointSpec> specs;
  for (int pe = 0; pe < railCount(chip); ++pe)
    for (int buffer = 0; buffer < railCount(chip); ++buffer)
      for (int divider : chip.clock.dividers) specs.push_back({pe, buffer, divider});
  return specs;
}

std::string operatingPointName(const ChipModel &chip, const OperatingPointSpec &spec) {
  return fmt::format("pe {:.2f} V, buf {:.2f} V, /{} ({:.4g} MHz)",
                     chip.rail_voltages_v[spec.pe_rail], chip.rail_voltages_v[spec.buffer_rail],
                     spec.divider, clockMhz(chip, spec.divider));
}

int railFor(const DomainPhysics &domain, const OperatingPointSpec &spec, int always_on_rail) {
  switch (domain.domain_class) {
    case DomainClass::AlwaysOn:
      return always_on_rail;
    case DomainClass::PeGroup:
      return spec.pe_rail;
    case DomainClass::Buffer:
      return spec.buffer_rail;
  }
  return 0;
}

// Does the clock of `spec` meet the fmax of the always-on domain and of every used domain?
bool clockFits(const ChipModel &chip, const LayerWork &layer, const OperatingPointSpec &spec) {
  const double f_mhz = clockMhz(chip, spec.divider);
  for (size_t d = 0; d < chip.domains.size(); ++d) {
    const DomainPhysics &domain = chip.domains[d];
    if (domain.domain_class != DomainClass::AlwaysOn && !layer.uses[d]) continue;
    if (f_mhz > domain.fmax_mhz[railFor(domain, spec, chip.always_on_rail)]) return false;
  }
  return true;
}

// Does every domain that is on in `domains` take clock f?
bool onDomainsFit(const ChipModel &chip, const std::vector<DomainState> &domains, double f_mhz) {
  for (size_t d = 0; d < chip.domains.size(); ++d)
    if (domains[d].mode == DomainMode::On && f_mhz > chip.domains[d].fmax_mhz[domains[d].rail])
      return false;
  return true;
}

std::vector<DomainState> layerDomains(const ChipModel &chip, const LayerWork &layer,
                                      const OperatingPointSpec &spec, bool gate_unused) {
  std::vector<DomainState> domains;
  for (size_t d = 0; d < chip.domains.size(); ++d) {
    const DomainPhysics &domain = chip.domains[d];
    const DomainState on{DomainMode::On, railFor(domain, spec, chip.always_on_rail)};
    const bool gateable =
        gate_unused && domain.domain_class != DomainClass::AlwaysOn && !layer.uses[d];
    if (!gateable)
      domains.push_back(on);
    else if (!layer.keeps_data[d])
      domains.push_back({DomainMode::Off, -1});
    else
      domains.push_back(domain.can_retain ? DomainState{DomainMode::Retention, -1} : on);
  }
  return domains;
}

std::string gatedSuffix(const ChipModel &chip, const std::vector<DomainState> &domains) {
  std::string off, retained;
  for (size_t d = 0; d < domains.size(); ++d) {
    std::string &list = domains[d].mode == DomainMode::Off ? off : retained;
    if (domains[d].mode == DomainMode::On) continue;
    list += (list.empty() ? "" : ",") + chip.domains[d].name;
  }
  std::string suffix;
  if (!off.empty()) suffix += "; off " + off;
  if (!retained.empty()) suffix += "; retained " + retained;
  return suffix;
}

// Interns PowerStates by content.
class StateTable {
 public:
  explicit StateTable(std::vector<PowerState> &states) : states_(states) {}

  int intern(PowerState state) {
    std::vector<int> key;
    for (const DomainState &domain : state.domains)
      key.insert(key.end(), {int(domain.mode), domain.rail});
    key.push_back(state.clock_divider);
    key.push_back(state.operating_point);
    const auto [it, inserted] = index_.try_emplace(key, int(states_.size()));
    if (inserted) states_.push_back(std::move(state));
    return it->second;
  }

 private:
  std::vector<PowerState> &states_;
  std::map<std::vector<int>, int> index_;
};

// Time (ns) and energy (pJ) of one domain changing from `from` to `to`.
std::pair<double, double> domainChange(const DomainPhysics &domain, const DomainState &from,
                                       const DomainState &to) {
  if (from == to || to.mode != DomainMode::On) return {0.0, 0.0};  // power-down: isolation only
  // A bank that can retain changes rail through retention (its switch opens during the
  // change, which would lose the array): priced as the retention exit onto the new rail.
  if (from.mode == DomainMode::On && !domain.can_retain)
    return {domain.rail_change_time_ns[from.rail][to.rail],
            domain.rail_change_energy_pj[from.rail][to.rail]};
  // Off -> on, or retention exit (periphery wakes; charged like a wake-up: conservative).
  return {domain.wake_up_time_ns[to.rail], domain.wake_up_energy_pj[to.rail]};
}

struct StageView {
  const LayerWork *layer = nullptr;  // null for the idle stage
  std::vector<int> states;           // per option
  std::vector<double> time_ns;       // per option (layers only)
};

struct BoundaryCost {
  double visible_ns = 0.0;
  double energy_pj = 0.0;
};

// One boundary from `source`, the state `from_layer` runs in for `from_time_ns` (no
// layer: an idle state), to `target`. Domains change in parallel.
// The sequencer runs a boundary as a program (gen/Compiler, docs/microcode.md): a fixed
// part (leaving SYNC or SLEEP, SETTLE, DIV, NEED, DESC, RUN), one instruction per domain
// change made at the boundary, and for a bank changing rail through retention its RET,
// the two edges into retention and another SETTLE; all at the slower of the two clocks
// (the slowest setting when the clock was stopped). Measured in co-simulation (docs/sim.md).
constexpr int kBoundaryProgramCycles = 8;
constexpr int kRetentionDetourCycles = 4;

bool viaRetention(const DomainPhysics &domain, const DomainState &from, const DomainState &to) {
  return domain.can_retain && from.mode == DomainMode::On && to.mode == DomainMode::On &&
         from.rail != to.rail;
}

double programCycleNs(const ChipModel &chip, const PowerState &source, const PowerState &target) {
  const int slowest = *std::max_element(chip.clock.dividers.begin(), chip.clock.dividers.end());
  auto running = [&](int divider) { return divider > 0 ? divider : slowest; };
  const int divider = std::max(running(source.clock_divider), running(target.clock_divider));
  return 1000.0 * divider / chip.clock.base_mhz;
}

// Regulator model (docs/transitions.md): the regulator output a domain sits on, -1 for
// the always-on domain's fixed rail.
constexpr int kSupplies = 2;

int supplyOf(const DomainPhysics &domain) {
  switch (domain.domain_class) {
    case DomainClass::PeGroup:
      return 0;
    case DomainClass::Buffer:
      return 1;
    case DomainClass::AlwaysOn:
      break;
  }
  return -1;
}

// The rail of a supply in `state`: that of its domains that are on (the states built here
// put them all on one rail), else -1 (unloaded: parked at the lowest rail).
int supplyRail(const ChipModel &chip, const PowerState &state, int supply) {
  for (size_t d = 0; d < chip.domains.size(); ++d)
    if (supplyOf(chip.domains[d]) == supply && state.domains[d].mode == DomainMode::On)
      return state.domains[d].rail;
  return -1;
}

// One supply's ramp across a boundary.
struct SupplyRamp {
  double time_ns = 0.0;
  double energy_pj = 0.0;
  int sharing = 0;         // domains on it after the boundary (they share its energy)
  bool may_start = false;  // no domain on it runs in the earlier layer: look-ahead
};

std::array<SupplyRamp, kSupplies> supplyRamps(const ChipModel &chip, const PowerState &source,
                                              const PowerState &target,
                                              const LayerWork *from_layer) {
  std::array<SupplyRamp, kSupplies> ramps{};
  const RegulatorPhysics &regulator = chip.transitions.regulator;
  for (int supply = 0; supply < kSupplies; ++supply) {
    const int to = supplyRail(chip, target, supply);
    if (to < 0) continue;  // unloaded after: it parks at no cost
    const int from = std::max(0, supplyRail(chip, source, supply));
    if (from == to) continue;
    const double v0 = chip.rail_voltages_v[from], v1 = chip.rail_voltages_v[to];
    SupplyRamp &ramp = ramps[supply];
    ramp.time_ns = regulator.settle_ns + std::abs(v1 - v0) / regulator.ramp_v_per_us * 1000.0;
    ramp.energy_pj = 0.5 * regulator.capacitance_pf * std::max(0.0, v1 * v1 - v0 * v0) /
                     regulator.efficiency_ratio;
    ramp.may_start = from_layer != nullptr;
    for (size_t d = 0; d < chip.domains.size(); ++d) {
      if (supplyOf(chip.domains[d]) != supply) continue;
      if (from_layer && from_layer->uses[d]) ramp.may_start = false;
      ramp.sharing += target.domains[d].mode == DomainMode::On;
    }
  }
  return ramps;
}

// A domain's own part of a change under the regulator model: a wake-up or retention exit
// onto the supply, or for a domain on both sides only its capacitance (the ramp itself
// is the supply's).
std::pair<double, double> regulatorDomainChange(const DomainPhysics &domain,
                                                const DomainState &from, const DomainState &to) {
  if (from == to || to.mode != DomainMode::On) return {0.0, 0.0};
  if (from.mode == DomainMode::On) return {0.0, domain.rail_change_energy_pj[from.rail][to.rail]};
  return {domain.wake_up_time_ns[to.rail], domain.wake_up_energy_pj[to.rail]};
}

// A domain's change under the regulator model, its supply's ramp included.
struct RegulatedChange {
  double ramp_ns = 0.0;    // its supply's ramp, which it waits for (0: none)
  double own_ns = 0.0;     // then its wake-up or retention exit
  double energy_pj = 0.0;  // its change and its share of the ramp's energy
  bool ramp_may_start = false;
};

RegulatedChange regulatedChange(const ChipModel &chip,
                                const std::array<SupplyRamp, kSupplies> &ramps, size_t d,
                                const PowerState &source, const PowerState &target) {
  const auto [own_ns, change_pj] =
      regulatorDomainChange(chip.domains[d], source.domains[d], target.domains[d]);
  RegulatedChange change{0.0, own_ns, change_pj, false};
  const int supply = supplyOf(chip.domains[d]);
  if (supply >= 0 && target.domains[d].mode == DomainMode::On && ramps[supply].time_ns > 0.0) {
    const SupplyRamp &ramp = ramps[supply];
    change.ramp_ns = ramp.time_ns;
    change.energy_pj += ramp.energy_pj / ramp.sharing;
    change.ramp_may_start = ramp.may_start;
  }
  return change;
}

// One boundary from `source`, the state `from_layer` runs in for `from_time_ns` (no
// layer: an idle state), to `target`. Domains change in parallel. `charge(d, pj)` receives
// every domain's energy: its change (with its share of a supply ramp) and, outside the
// default physics, its leakage over the visible time. Returns the visible time (ns).
template <class Charge>
double visitBoundary(const ChipModel &chip, const PowerState &source, const PowerState &target,
                     const LayerWork *from_layer, double from_time_ns, Charge &&charge) {
  const bool regulator = chip.transitions.rail_change == RailChange::Regulator;
  std::array<SupplyRamp, kSupplies> ramps{};
  if (regulator) ramps = supplyRamps(chip, source, target, from_layer);
  double visible_ns = 0.0;
  int program_cycles = kBoundaryProgramCycles;
  for (size_t d = 0; d < chip.domains.size(); ++d) {
    const DomainPhysics &domain = chip.domains[d];
    const bool hidden = from_layer && !from_layer->uses[d];  // look-ahead
    if (!regulator) {
      const auto [time_ns, change_pj] = domainChange(domain, source.domains[d], target.domains[d]);
      visible_ns = std::max(visible_ns, hidden ? std::max(0.0, time_ns - from_time_ns) : time_ns);
      charge(d, change_pj);
    } else {
      // The supply ramps first, then the domain wakes on it. A domain the earlier layer does
      // not use starts early: all of it when its supply may start too, else only its wake.
      const RegulatedChange change = regulatedChange(chip, ramps, d, source, target);
      double visible = change.ramp_ns + change.own_ns;
      if (hidden)
        visible = change.ramp_ns == 0.0 || change.ramp_may_start
                      ? std::max(0.0, change.ramp_ns + change.own_ns - from_time_ns)
                      : change.ramp_ns + std::max(0.0, change.own_ns - from_time_ns);
      visible_ns = std::max(visible_ns, visible);
      charge(d, change.energy_pj);
    }
    if (source.domains[d] == target.domains[d] || hidden) continue;
    program_cycles += 1;
    if (!regulator && viaRetention(domain, source.domains[d], target.domains[d]))
      program_cycles += kRetentionDetourCycles;
  }
  if (source.clock_divider != target.clock_divider) visible_ns += chip.clock.switch_time_ns;
  visible_ns += program_cycles * programCycleNs(chip, source, target);
  if (!chip.transitions.isDefault()) {
    // The chip stalls for the visible time: each domain leaks, at the higher of its two
    // states' leakages (the datapath clock waits; the sequencer's cycles are not counted).
    const int top_rail = int(chip.rail_voltages_v.size()) - 1;
    for (size_t d = 0; d < chip.domains.size(); ++d)
      charge(d, visible_ns * kPjPerNwNs *
                    std::max(domainLeakageNw(chip.domains[d], source.domains[d], top_rail),
                             domainLeakageNw(chip.domains[d], target.domains[d], top_rail)));
  }
  return visible_ns;
}

BoundaryCost boundaryCost(const ChipModel &chip, const PowerState &source, const PowerState &target,
                          const LayerWork *from_layer, double from_time_ns) {
  BoundaryCost cost;
  cost.visible_ns = visitBoundary(chip, source, target, from_layer, from_time_ns,
                                  [&cost](size_t, double pj) { cost.energy_pj += pj; });
  return cost;
}

// Each domain's energy at a boundary (change, supply-ramp share, stall leakage).
std::vector<double> boundaryDomainEnergies(const ChipModel &chip, const PowerState &source,
                                           const PowerState &target, const LayerWork *from_layer) {
  std::vector<double> energies(chip.domains.size(), 0.0);
  const double from_time_ns =
      from_layer ? layerTimeAtMhz(chip, *from_layer, clockMhz(chip, source.clock_divider)) : 0.0;
  visitBoundary(chip, source, target, from_layer, from_time_ns,
                [&energies](size_t d, double pj) { energies[d] += pj; });
  return energies;
}

TransitionMatrix transitionMatrix(const ChipModel &chip, const std::vector<PowerState> &states,
                                  const StageView &from, const StageView &to, double tick_ns) {
  TransitionMatrix matrix;
  matrix.from_count = int(from.states.size());
  matrix.to_count = int(to.states.size());
  for (int a = 0; a < matrix.from_count; ++a) {
    const PowerState &source = states[from.states[a]];
    const double from_time_ns = from.layer ? from.time_ns[a] : 0.0;
    for (int b = 0; b < matrix.to_count; ++b) {
      const BoundaryCost cost =
          boundaryCost(chip, source, states[to.states[b]], from.layer, from_time_ns);
      matrix.time.push_back(toTicks(cost.visible_ns, tick_ns));
      matrix.energy_pj.push_back(cost.energy_pj);
    }
  }
  return matrix;
}

int topRail(const ChipModel &chip) { return railCount(chip) - 1; }

}  // namespace

// Idle power of each domain in a chip state, pJ/ns: clocked energy as dynamic, leakage.
std::vector<DomainEnergy> idlePowerPjPerNs(const ChipModel &chip, const PowerState &state) {
  const double timer_mhz = chip.clock.sleep_timer_mhz;
  const bool clock_runs = state.clock_divider > 0;
  const double f_mhz = clock_runs ? clockMhz(chip, state.clock_divider) : 0.0;
  std::vector<DomainEnergy> power;
  for (size_t d = 0; d < chip.domains.size(); ++d) {
    const DomainPhysics &domain = chip.domains[d];
    const DomainState &domain_state = state.domains[d];
    DomainEnergy entry{0.0, domainLeakageNw(domain, domain_state, topRail(chip)) * kPjPerNwNs};
    if (domain_state.mode == DomainMode::On) {
      // The always-on domain keeps the period timer running even with the datapath clock
      // off; charging the whole domain's idle-cycle energy per timer tick is conservative.
      const bool timer = domain.domain_class == DomainClass::AlwaysOn;
      const double cycles_per_ns = (clock_runs ? f_mhz : (timer ? timer_mhz : 0.0)) / 1000.0;
      const std::vector<double> &per_cycle = domain.domain_class == DomainClass::PeGroup
                                                 ? domain.clock_gated_cycle_pj
                                                 : domain.idle_cycle_pj;
      entry.dynamic_pj = cycles_per_ns * per_cycle[domain_state.rail];
    }
    power.push_back(entry);
  }
  return power;
}

namespace {

struct IdleSpec {
  IdleKind kind;
  std::string name;
  std::vector<DomainState> domains;
  int divider;
};

std::vector<IdleSpec> idleSpecs(const ChipModel &chip) {
  const int fastest = *std::min_element(chip.clock.dividers.begin(), chip.clock.dividers.end());
  std::vector<DomainState> all_on_top, all_on_low, gated;
  for (const DomainPhysics &domain : chip.domains) {
    const bool aon = domain.domain_class == DomainClass::AlwaysOn;
    all_on_top.push_back({DomainMode::On, aon ? chip.always_on_rail : topRail(chip)});
    all_on_low.push_back({DomainMode::On, aon ? chip.always_on_rail : 0});
    gated.push_back(aon ? DomainState{DomainMode::On, chip.always_on_rail}
                        : DomainState{DomainMode::Off, -1});
  }
  return {{IdleKind::ClockedOn, "idle: all on, clock running", all_on_top, fastest},
          {IdleKind::ClockGated, "idle: all on at the lowest rail, clock stopped", all_on_low, 0},
          {IdleKind::PowerGated, "idle: all switchable domains off", gated, 0}};
}

void addIdleOptions(const ChipModel &chip, const BuildOptions &options, StateTable &table,
                    Instance &instance, StageView &view) {
  for (const IdleSpec &spec : idleSpecs(chip)) {
    const PowerState power_state{spec.name, spec.domains, spec.divider, -1,
                                 spec.kind == IdleKind::PowerGated};
    double power = 0.0;
    for (const DomainEnergy &domain : idlePowerPjPerNs(chip, power_state))
      power += domain.dynamic_pj + domain.leakage_pj;
    const int state = table.intern(power_state);
    instance.idle.push_back({state, spec.kind, power * options.tick_ns});
    view.states.push_back(state);
  }
}

void addOperatingPoints(const ChipModel &chip, const std::vector<OperatingPointSpec> &specs,
                        Instance &instance) {
  const int fastest = *std::min_element(chip.clock.dividers.begin(), chip.clock.dividers.end());
  for (size_t p = 0; p < specs.size(); ++p) {
    instance.operating_points.push_back({operatingPointName(chip, specs[p]), specs[p].divider});
    if (specs[p].pe_rail == topRail(chip) && specs[p].buffer_rail == topRail(chip) &&
        specs[p].divider == fastest)
      instance.aggressive_point = int(p);
  }
}

Stage layerStage(const ChipModel &chip, const LayerWork &layer,
                 const std::vector<OperatingPointSpec> &specs, const BuildOptions &options,
                 StateTable &table, const Instance &instance, StageView &view) {
  Stage stage;
  stage.name = layer.name;
  for (size_t p = 0; p < specs.size(); ++p) {
    if (!clockFits(chip, layer, specs[p])) continue;
    const double f_mhz = clockMhz(chip, specs[p].divider);
    const double time_ns = layerTimeAtMhz(chip, layer, f_mhz);
    std::vector<DomainState> previous;
    for (bool gate_unused : {false, true}) {
      std::vector<DomainState> domains = layerDomains(chip, layer, specs[p], gate_unused);
      if (gate_unused && domains == previous) continue;  // nothing to gate at this layer
      previous = domains;
      // A host segment uses no domain, so its fmax check is on every domain left on (the
      // sequencer refuses a clock above any powered domain's fmax). Its gated states repeat
      // across operating points; they stay one per point, as at a layer, so that the
      // baselines find "point q, gated" at every stage.
      if (layer.isHostSegment() && !onDomainsFit(chip, domains, f_mhz)) continue;
      const std::string name = instance.operating_points[p].name + gatedSuffix(chip, domains);
      PowerState state{name, domains, specs[p].divider, int(p), gate_unused};
      double dynamic_pj = 0.0, leakage_pj = 0.0;
      for (const DomainEnergy &energy : layerDomainEnergy(chip, layer, state)) {
        dynamic_pj += energy.dynamic_pj;
        leakage_pj += energy.leakage_pj;
      }
      stage.options.push_back({table.intern(std::move(state)), toTicks(time_ns, options.tick_ns),
                               dynamic_pj, leakage_pj});
      view.states.push_back(stage.options.back().state);
      view.time_ns.push_back(time_ns);
    }
  }
  return stage;
}

void checkChip(const ChipModel &chip, std::vector<BuildProblem> &problems) {
  const size_t rails = chip.rail_voltages_v.size();
  if (rails == 0) problems.push_back({"rails", "at least one rail expected"});
  if (!std::is_sorted(chip.rail_voltages_v.begin(), chip.rail_voltages_v.end()))
    problems.push_back({"rails", "voltages must be ascending"});
  if (chip.always_on_rail < 0 || size_t(chip.always_on_rail) >= rails)
    problems.push_back({"always_on_rail", "not one of the rails"});
  if (!(chip.clock.base_mhz > 0)) problems.push_back({"clock.base_mhz", "must be > 0"});
  if (chip.clock.dividers.empty())
    problems.push_back({"clock.dividers", "at least one divider expected"});
  for (int divider : chip.clock.dividers)
    if (divider < 1) problems.push_back({"clock.dividers", "every divider must be >= 1"});
  if (!(chip.ext_bandwidth_bytes_per_ns > 0))
    problems.push_back({"memory.bandwidth", "must be > 0"});
  if (!(chip.clock.switch_time_ns >= 0))
    problems.push_back({"clock.switch_time_ns", "must be >= 0"});
  if (chip.transitions.rail_change == RailChange::Regulator) {
    const RegulatorPhysics &regulator = chip.transitions.regulator;
    if (!(regulator.ramp_v_per_us > 0))
      problems.push_back({"transitions.regulator.ramp_v_per_us", "must be > 0"});
    if (!(regulator.settle_ns >= 0 && regulator.capacitance_pf >= 0))
      problems.push_back({"transitions.regulator", "settle time and capacitance must be >= 0"});
    if (!(regulator.efficiency_ratio > 0 && regulator.efficiency_ratio <= 1))
      problems.push_back({"transitions.regulator.efficiency_ratio", "must be in (0, 1]"});
  }
  int always_on = 0;
  for (const DomainPhysics &domain : chip.domains) {
    always_on += domain.domain_class == DomainClass::AlwaysOn;
    const bool sized =
        domain.fmax_mhz.size() == rails && domain.leakage_nw.size() == rails &&
        domain.gated_leakage_nw.size() == rails && domain.wake_up_time_ns.size() == rails &&
        domain.wake_up_energy_pj.size() == rails && domain.rail_change_time_ns.size() == rails &&
        domain.rail_change_energy_pj.size() == rails;
    if (!sized) problems.push_back({"domains." + domain.name, "one value per rail expected"});
  }
  if (always_on != 1) problems.push_back({"domains", "exactly one always-on domain expected"});
}

void checkWorkload(const ChipModel &chip, const Workload &workload,
                   std::vector<BuildProblem> &problems) {
  if (workload.layers.empty()) problems.push_back({"layers", "at least one layer expected"});
  const size_t domains = chip.domains.size();
  for (const LayerWork &layer : workload.layers) {
    const std::string field = "layers." + layer.name;
    if (layer.uses.size() != domains || layer.keeps_data.size() != domains ||
        layer.read_words.size() != domains || layer.write_words.size() != domains) {
      problems.push_back({field, "one entry per domain expected"});
      continue;
    }
    int64_t beats = 0;
    bool negative = layer.clock_cycles < 0 || layer.compute_cycles < 0 ||
                    layer.compute_cycles > layer.clock_cycles;
    for (const Transfer &transfer : layer.transfers) {
      negative = negative || transfer.beats < 0 || transfer.bytes < 0;
      beats += transfer.beats;
    }
    if (negative)
      problems.push_back(
          {field, "cycle and byte counts must be >= 0 (compute within clock cycles)"});
    if (layer.isHostSegment() && (layer.clock_cycles != 0 || beats != 0))
      problems.push_back({field, "a host segment has no accelerator cycles or transfers"});
    if (!(layer.host_time_ns >= 0.0 && std::isfinite(layer.host_time_ns)))
      problems.push_back({field, "host time must be finite and >= 0"});
    if (layer.clock_cycles + beats <= 0 && !layer.isHostSegment())
      problems.push_back({field, "takes no cycles"});
    bool any_clock = false;
    for (const OperatingPointSpec &spec : operatingPointSpecs(chip))
      any_clock = any_clock || clockFits(chip, layer, spec);
    if (!any_clock)
      problems.push_back(
          {field, "no rail and clock divider meets the fmax of the domains it uses"});
  }
}

}  // namespace

ChangeCost domainChangeCost(const DomainPhysics &domain, const DomainState &from,
                            const DomainState &to) {
  const auto [time_ns, energy_pj] = domainChange(domain, from, to);
  return {time_ns, energy_pj};
}

std::vector<BuildProblem> checkBuildInputs(const ChipModel &chip, const Workload &workload,
                                           const BuildOptions &options) {
  std::vector<BuildProblem> problems;
  if (!(options.tick_ns > 0)) problems.push_back({"tick_ns", "must be > 0"});
  if (!(options.period_ns > 0)) problems.push_back({"period", "must be > 0"});
  if (options.deadline_ns < 0) problems.push_back({"deadline", "must be >= 0"});
  if (options.deadline_ns > options.period_ns)
    problems.push_back({"deadline", "exceeds the period"});
  checkChip(chip, problems);
  if (problems.empty()) checkWorkload(chip, workload, problems);
  return problems;
}

double layerTimeNs(const ChipModel &chip, const LayerWork &layer, int clock_divider) {
  return layerTimeAtMhz(chip, layer, clockMhz(chip, clock_divider));
}

std::vector<DomainChange> boundaryChanges(const ChipModel &chip, const PowerState &from,
                                          const PowerState &to, const LayerWork *from_layer) {
  std::vector<DomainChange> changes;
  const bool regulator = chip.transitions.rail_change == RailChange::Regulator;
  std::array<SupplyRamp, kSupplies> ramps{};
  if (regulator) ramps = supplyRamps(chip, from, to, from_layer);
  for (size_t d = 0; d < chip.domains.size(); ++d) {
    if (from.domains[d] == to.domains[d]) continue;
    auto [time_ns, energy_pj] = domainChange(chip.domains[d], from.domains[d], to.domains[d]);
    if (regulator) {
      const RegulatedChange change = regulatedChange(chip, ramps, d, from, to);
      time_ns = change.ramp_ns + change.own_ns;
      energy_pj = change.energy_pj;
    }
    changes.push_back({int(d), from.domains[d], to.domains[d], time_ns, energy_pj,
                       from_layer && !from_layer->uses[d]});
  }
  return changes;
}

double boundaryVisibleNs(const ChipModel &chip, const PowerState &from, const PowerState &to,
                         const LayerWork *from_layer) {
  const double from_time_ns = from_layer ? layerTimeNs(chip, *from_layer, from.clock_divider) : 0.0;
  return boundaryCost(chip, from, to, from_layer, from_time_ns).visible_ns;
}

std::vector<DomainEnergy> layerDomainEnergy(const ChipModel &chip, const LayerWork &layer,
                                            const PowerState &state) {
  const double f_mhz = clockMhz(chip, state.clock_divider);
  const double time_ns = layerTimeAtMhz(chip, layer, f_mhz);
  const double cycles = time_ns * f_mhz / 1000.0;  // clock cycles elapsed, stalls included
  const double waiting = layer.host_time_ns * f_mhz / 1000.0;
  std::vector<DomainEnergy> energies;
  for (size_t d = 0; d < chip.domains.size(); ++d) {
    const DomainPhysics &domain = chip.domains[d];
    energies.push_back(
        {layerDynamicPj(domain, layer, d, state.domains[d], cycles, waiting),
         domainLeakageNw(domain, state.domains[d], topRail(chip)) * time_ns * kPjPerNwNs});
  }
  return energies;
}

Instance buildInstance(const ChipModel &chip, const Workload &workload,
                       const BuildOptions &options) {
  Instance instance;
  instance.name = workload.name;
  instance.tick_ns = options.tick_ns;
  // Limits round down and durations round up, so a schedule that meets the limits in
  // ticks meets them in nanoseconds.
  instance.deadline = Ticks(std::floor(options.deadline_ns / options.tick_ns + 1e-9));
  instance.period = Ticks(std::floor(options.period_ns / options.tick_ns + 1e-9));
  instance.rail_voltages_v = chip.rail_voltages_v;
  for (const DomainPhysics &domain : chip.domains) instance.domain_names.push_back(domain.name);

  const std::vector<OperatingPointSpec> specs = operatingPointSpecs(chip);
  addOperatingPoints(chip, specs, instance);
  StateTable table(instance.states);

  StageView idle_view;
  addIdleOptions(chip, options, table, instance, idle_view);
  std::vector<StageView> views;
  for (const LayerWork &layer : workload.layers) {
    StageView view;
    view.layer = &layer;
    instance.layers.push_back(layerStage(chip, layer, specs, options, table, instance, view));
    views.push_back(std::move(view));
  }
  instance.transitions.push_back(
      transitionMatrix(chip, instance.states, idle_view, views.front(), options.tick_ns));
  for (size_t i = 1; i < views.size(); ++i)
    instance.transitions.push_back(
        transitionMatrix(chip, instance.states, views[i - 1], views[i], options.tick_ns));
  instance.transitions.push_back(
      transitionMatrix(chip, instance.states, views.back(), idle_view, options.tick_ns));
  return instance;
}

ScheduleBreakdown scheduleBreakdown(const ChipModel &chip, const Workload &workload,
                                    const Instance &instance, const Schedule &schedule) {
  ScheduleBreakdown breakdown;
  const IdleOption &idle = instance.idle[schedule.idle_option];
  int previous_state = idle.state;
  for (size_t i = 0; i < workload.layers.size(); ++i) {
    const LayerOption &option = instance.layers[i].options[schedule.layer_options[i]];
    const PowerState &state = instance.states[option.state];
    std::vector<DomainEnergySplit> domains;
    const std::vector<DomainEnergy> energies = layerDomainEnergy(chip, workload.layers[i], state);
    const std::vector<double> changes = boundaryDomainEnergies(
        chip, instance.states[previous_state], state, i == 0 ? nullptr : &workload.layers[i - 1]);
    for (size_t d = 0; d < chip.domains.size(); ++d)
      domains.push_back({energies[d].dynamic_pj, energies[d].leakage_pj, changes[d]});
    breakdown.layers.push_back(std::move(domains));
    previous_state = option.state;
  }
  const Evaluation evaluation = evaluate(instance, schedule);
  const PowerState &idle_state = instance.states[idle.state];
  const std::vector<DomainEnergy> power = idlePowerPjPerNs(chip, idle_state);
  const double idle_ns = double(evaluation.idle_time) * instance.tick_ns;
  const std::vector<double> changes = boundaryDomainEnergies(chip, instance.states[previous_state],
                                                             idle_state, &workload.layers.back());
  for (size_t d = 0; d < chip.domains.size(); ++d)
    breakdown.idle.push_back(
        {power[d].dynamic_pj * idle_ns, power[d].leakage_pj * idle_ns, changes[d]});
  return breakdown;
}

}  // namespace pf::sched
