#include "characterize/energy/EnergyModel.hh"

#include <fmt/format.h>

#include <map>

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
        5331, {library.source_file}, instance.name,
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

}  // namespace

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

void EnergyModel::computeCellEnergies(const GateNetlist &netlist, const liberty::Library &library) {
  const double slew = options_.input_slew_ns;
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
          arc.rise_pj = lookupOrZero(group.rise_energy_pj, slew, load);
          arc.fall_pj = lookupOrZero(group.fall_energy_pj, slew, load);
          driver.arcs.push_back(arc);
        }
        drivers_.push_back(std::move(driver));
      } else if (isLoadPin(pin)) {
        // Input pin energy (clock and data pins of flops): mean over its groups.
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
