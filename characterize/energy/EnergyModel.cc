#include "characterize/energy/EnergyModel.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "core/Error.hh"

namespace pf::energy {

namespace {

const liberty::Cell &cellOf(const liberty::Library &library, const NetlistCell &instance) {
  const liberty::Cell *cell = library.findCell(instance.type);
  if (!cell)
    throw Error(5331, {library.source_file}, instance.name,
                fmt::format("cell type '{}' is not in liberty {}", instance.type, library.name));
  return *cell;
}

const liberty::Pin &pinOf(const liberty::Library &library, const liberty::Cell &cell,
                          const NetlistCell &instance, const std::string &pin_name) {
  const liberty::Pin *pin = cell.findPin(pin_name);
  if (!pin)
    throw Error(
        5335, {library.source_file}, instance.name,
        fmt::format("cell '{}' of liberty {} has no pin '{}'", cell.name, library.name, pin_name));
  return *pin;
}

bool isLoadPin(const liberty::Pin &pin) {
  return pin.direction == liberty::PinDirection::Input ||
         pin.direction == liberty::PinDirection::Inout;
}

double lookupOrZero(const liberty::Table &table, double slew_ns, double load_pf) {
  return table.empty() ? 0.0 : table.lookup(slew_ns, load_pf);
}

// Timing checks (setup, hold, recovery, ...) constrain an input; they do not drive an output.
bool isConstraintArc(const std::string &timing_type) {
  static const char *const kChecks[] = {"setup",
                                        "hold",
                                        "recovery",
                                        "removal",
                                        "skew",
                                        "non_seq",
                                        "nochange",
                                        "min_pulse_width",
                                        "minimum_period",
                                        "max_clock_tree_path",
                                        "min_clock_tree_path"};
  for (const char *check : kChecks)
    if (timing_type.rfind(check, 0) == 0) return true;
  return false;
}

bool hasTransition(const liberty::TimingArc &arc) {
  return !arc.rise_transition_ns.empty() || !arc.fall_transition_ns.empty();
}

// The arcs an output's transition is taken from: the pin's delay arcs with a transition
// table; for a sequential cell only those launched by its clock (edge arcs, or arcs from a
// `clock : true` pin) when it has any, so a flop's Q follows its clock and not the
// asynchronous clear that rarely fires.
std::vector<const liberty::TimingArc *> slewArcs(const liberty::Cell &cell,
                                                 const liberty::Pin &pin) {
  std::vector<const liberty::TimingArc *> arcs;
  for (const liberty::TimingArc &arc : pin.timing)
    if (hasTransition(arc) && !isConstraintArc(arc.timing_type)) arcs.push_back(&arc);
  if (!cell.sequential) return arcs;
  std::vector<const liberty::TimingArc *> clocked;
  for (const liberty::TimingArc *arc : arcs) {
    const liberty::Pin *related = cell.findPin(arc->related_pin);
    if (arc->timing_type == "rising_edge" || arc->timing_type == "falling_edge" ||
        (related && related->is_clock))
      clocked.push_back(arc);
  }
  return clocked.empty() ? arcs : clocked;
}

// The output transition of one arc: the mean of its rise and fall transition tables (the
// one it has, if only one) at the input slew and the load.
double arcTransitionNs(const liberty::TimingArc &arc, double input_slew_ns, double load_pf) {
  double sum = 0;
  int count = 0;
  for (const liberty::Table *table : {&arc.rise_transition_ns, &arc.fall_transition_ns}) {
    if (table->empty()) continue;
    sum += table->lookup(input_slew_ns, load_pf);
    ++count;
  }
  return count == 0 ? 0.0 : sum / count;
}

}  // namespace

const char *slewModelName(SlewModel model) {
  switch (model) {
    case SlewModel::Constant:
      return "constant";
    case SlewModel::Propagated:
      return "propagated";
  }
  return "?";
}

EnergyBreakdown EnergyBreakdown::scaled(double factor) const {
  EnergyBreakdown e = *this;
  e.output_internal_pj *= factor;
  e.input_internal_pj *= factor;
  e.cell_net_switching_pj *= factor;
  e.port_net_switching_pj *= factor;
  e.switched_capacitance_pf *= factor;
  e.toggles *= factor;
  return e;
}

EnergyModel::EnergyModel(const GateNetlist &netlist, const liberty::Library &library,
                         EnergyOptions options)
    : options_(options), voltage_v_(library.nominal_voltage_v) {
  if (voltage_v_ <= 0)
    throw Error(5332, {library.source_file}, "nom_voltage",
                fmt::format("liberty {} has no positive nominal voltage", library.name));
  computeLoads(netlist, library);
  computeSlews(netlist, library);
  computeCellEnergies(netlist, library);
}

void EnergyModel::computeLoads(const GateNetlist &netlist, const liberty::Library &library) {
  loads_.assign(netlist.numNets(), NetLoad{});
  port_driven_.assign(netlist.numNets(), false);
  for (const NetlistCell &instance : netlist.cells) {
    const liberty::Cell &cell = cellOf(library, instance);
    for (const auto &[pin_name, net] : instance.pins) {
      const liberty::Pin &pin = pinOf(library, cell, instance, pin_name);
      if (net < 0 || !isLoadPin(pin)) continue;
      loads_[net].pin_cap_pf += pin.capacitance_pf;
      ++loads_[net].fanout;
    }
  }
  for (const NetlistPort &port : netlist.ports) {
    for (int net : port.nets) {
      if (net < 0) continue;
      if (port.is_input) {
        port_driven_[net] = true;
      } else {
        loads_[net].pin_cap_pf += options_.output_port_load_pf;
        ++loads_[net].fanout;
      }
    }
  }
  for (NetLoad &load : loads_) {
    if (load.fanout > 0)
      load.wire_cap_pf = options_.wire_cap_base_pf + options_.wire_cap_per_fanout_pf * load.fanout;
  }
}

double EnergyModel::slewOf(int net) const {
  return net < 0 ? options_.input_slew_ns : slews_ns_[static_cast<size_t>(net)];
}

// Propagated slews (EnergyModel.hh; docs/characterize-energy.md "Slew"): a depth-first walk
// from every net through its driver's arcs to their input nets, so a net's slew is computed
// after the slews it depends on (topological order). A net met again while it is still on
// the walk closes a loop; the arc that met it reads it at the port slew.
void EnergyModel::computeSlews(const GateNetlist &netlist, const liberty::Library &library) {
  const size_t nets = static_cast<size_t>(netlist.numNets());
  const double port_slew = options_.input_slew_ns;
  slews_ns_.assign(nets, port_slew);
  slew_stats_ = SlewStats{};
  if (options_.slew_model == SlewModel::Constant) {
    slew_stats_.min_ns = slew_stats_.mean_ns = slew_stats_.max_ns = port_slew;
    return;
  }
  struct SlewArc {
    int related_net;
    const liberty::TimingArc *arc;
  };
  // Per net: -1 undriven, -2 driven by a port, -3 by a cell output without a usable arc,
  // else the index of its arcs in `arcs_of`.
  constexpr int kUndriven = -1, kPort = -2, kNoTable = -3;
  std::vector<int> driver(nets, kUndriven);
  std::vector<std::vector<SlewArc>> arcs_of;
  for (size_t n = 0; n < nets; ++n)
    if (port_driven_[n]) driver[n] = kPort;
  for (const NetlistCell &instance : netlist.cells) {
    const liberty::Cell &cell = cellOf(library, instance);
    for (const auto &[pin_name, net] : instance.pins) {
      const liberty::Pin &pin = pinOf(library, cell, instance, pin_name);
      if (net < 0 || pin.direction != liberty::PinDirection::Output) continue;
      if (driver[static_cast<size_t>(net)] != kUndriven) continue;  // first driver wins
      std::vector<SlewArc> arcs;
      for (const liberty::TimingArc *arc : slewArcs(cell, pin)) {
        for (const auto &[related_pin, related_net] : instance.pins) {
          // An input tied to a constant never switches: its arc launches nothing.
          if (related_pin == arc->related_pin && related_net >= 0) {
            arcs.push_back({related_net, arc});
            break;
          }
        }
      }
      if (arcs.empty()) {
        driver[static_cast<size_t>(net)] = kNoTable;
      } else {
        driver[static_cast<size_t>(net)] = static_cast<int>(arcs_of.size());
        arcs_of.push_back(std::move(arcs));
      }
    }
  }

  enum : uint8_t { kNew, kOnWalk, kDone };
  std::vector<uint8_t> state(nets, kNew);
  for (size_t n = 0; n < nets; ++n) {
    if (driver[n] >= 0) continue;
    state[n] = kDone;
    if (driver[n] == kPort)
      ++slew_stats_.port_nets;
    else if (driver[n] == kNoTable)
      ++slew_stats_.no_table_nets;
    else
      ++slew_stats_.undriven_nets;
  }
  double sum = 0;
  slew_stats_.min_ns = 0;
  slew_stats_.max_ns = 0;
  std::vector<std::pair<int, size_t>> walk;  // (net, next arc to visit)
  for (size_t root = 0; root < nets; ++root) {
    if (state[root] != kNew) continue;
    state[root] = kOnWalk;
    walk.emplace_back(static_cast<int>(root), 0);
    while (!walk.empty()) {
      const int net = walk.back().first;
      const std::vector<SlewArc> &arcs = arcs_of[static_cast<size_t>(driver[net])];
      const size_t next = walk.back().second;
      if (next < arcs.size()) {
        ++walk.back().second;
        const int input = arcs[next].related_net;
        if (state[input] == kNew) {
          state[input] = kOnWalk;
          walk.emplace_back(input, 0);
        }
        continue;
      }
      const double load = loads_[static_cast<size_t>(net)].totalPf();
      double total = 0;
      for (const SlewArc &arc : arcs) {
        double input_slew = port_slew;
        if (state[arc.related_net] == kDone)
          input_slew = slews_ns_[static_cast<size_t>(arc.related_net)];
        else
          ++slew_stats_.loop_breaks;  // still on the walk: this arc closes a loop
        total += arcTransitionNs(*arc.arc, input_slew, load);
      }
      // Linear extrapolation below a table's grid could go negative; a slew cannot.
      const double slew = std::max(0.0, total / static_cast<double>(arcs.size()));
      slews_ns_[static_cast<size_t>(net)] = slew;
      state[net] = kDone;
      walk.pop_back();
      if (slew_stats_.table_nets == 0 || slew < slew_stats_.min_ns) slew_stats_.min_ns = slew;
      if (slew_stats_.table_nets == 0 || slew > slew_stats_.max_ns) slew_stats_.max_ns = slew;
      ++slew_stats_.table_nets;
      sum += slew;
    }
  }
  if (slew_stats_.table_nets > 0) slew_stats_.mean_ns = sum / slew_stats_.table_nets;
}

void EnergyModel::computeCellEnergies(const GateNetlist &netlist, const liberty::Library &library) {
  for (const NetlistCell &instance : netlist.cells) {
    const liberty::Cell &cell = cellOf(library, instance);
    std::map<std::string, int> net_of_pin;
    double first_output_load_pf = 0;
    bool have_output = false;
    for (const auto &[pin_name, net] : instance.pins) {
      net_of_pin[pin_name] = net;
      const liberty::Pin &pin = pinOf(library, cell, instance, pin_name);
      if (!have_output && net >= 0 && pin.direction == liberty::PinDirection::Output) {
        first_output_load_pf = loads_[net].totalPf();
        have_output = true;
      }
    }
    for (const auto &[pin_name, net] : instance.pins) {
      const liberty::Pin &pin = pinOf(library, cell, instance, pin_name);
      if (net < 0 || pin.internal_power.empty()) continue;
      if (pin.direction == liberty::PinDirection::Output) {
        Driver driver{net, {}};
        std::map<std::string, int> groups_per_related;
        for (const liberty::InternalPower &group : pin.internal_power)
          ++groups_per_related[group.related_pin];
        const double load = loads_[net].totalPf();
        for (const liberty::InternalPower &group : pin.internal_power) {
          const auto it = net_of_pin.find(group.related_pin);
          Arc arc;
          arc.related_net = it == net_of_pin.end() ? -1 : it->second;
          arc.share = 1.0 / groups_per_related[group.related_pin];
          // At the slew of the input whose switching the group prices (port slew if none).
          const double slew = slewOf(arc.related_net);
          arc.rise_pj = lookupOrZero(group.rise_energy_pj, slew, load);
          arc.fall_pj = lookupOrZero(group.fall_energy_pj, slew, load);
          driver.arcs.push_back(arc);
        }
        drivers_.push_back(std::move(driver));
      } else if (isLoadPin(pin)) {
        // Input pin energy (clock and data pins of flops): mean over its groups, at the
        // slew of the pin's own net.
        const double slew = slewOf(net);
        InputPinEnergy energy{net, 0, 0};
        for (const liberty::InternalPower &group : pin.internal_power) {
          energy.rise_pj += lookupOrZero(group.rise_energy_pj, slew, first_output_load_pf);
          energy.fall_pj += lookupOrZero(group.fall_energy_pj, slew, first_output_load_pf);
        }
        energy.rise_pj /= static_cast<double>(pin.internal_power.size());
        energy.fall_pj /= static_cast<double>(pin.internal_power.size());
        input_pins_.push_back(energy);
      }
    }
  }
}

EnergyBreakdown EnergyModel::energy(const std::vector<uint32_t> &rise,
                                    const std::vector<uint32_t> &fall) const {
  if (rise.size() != loads_.size() || fall.size() != loads_.size())
    throw Error(5333, {}, "toggles", "toggle counts are for another netlist");
  EnergyBreakdown e;
  auto toggles = [&](int net) {
    return net < 0 ? 0.0 : static_cast<double>(rise[net]) + fall[net];
  };
  for (const Driver &driver : drivers_) {
    double weight_sum = 0;
    for (const Arc &arc : driver.arcs) weight_sum += arc.share * toggles(arc.related_net);
    const bool uniform = weight_sum == 0;
    double rise_pj = 0, fall_pj = 0, norm = 0;
    for (const Arc &arc : driver.arcs) {
      const double w = uniform ? 1.0 : arc.share * toggles(arc.related_net);
      rise_pj += w * arc.rise_pj;
      fall_pj += w * arc.fall_pj;
      norm += w;
    }
    e.output_internal_pj += (rise[driver.net] * rise_pj + fall[driver.net] * fall_pj) / norm;
  }
  for (const InputPinEnergy &pin : input_pins_)
    e.input_internal_pj += rise[pin.net] * pin.rise_pj + fall[pin.net] * pin.fall_pj;
  const double half_v2 = 0.5 * voltage_v_ * voltage_v_;
  for (size_t n = 0; n < loads_.size(); ++n) {
    const double t = toggles(static_cast<int>(n));
    if (t == 0) continue;
    e.toggles += t;
    e.switched_capacitance_pf += t * loads_[n].totalPf();
    (port_driven_[n] ? e.port_net_switching_pj : e.cell_net_switching_pj) +=
        t * half_v2 * loads_[n].totalPf();
  }
  return e;
}

}  // namespace pf::energy
