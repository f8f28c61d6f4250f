// Dynamic energy of a gate-level netlist from per-net toggle counts and liberty tables.
//
//   E = sum over nets n driven by a cell output pin p:
//         rise(n) * E_rise(p) + fall(n) * E_fall(p)            (output internal_power)
//     + sum over cell input pins q with internal_power:
//         rise(net q) * E_rise(q) + fall(net q) * E_fall(q)     (input internal_power)
//     + sum over all nets n: (rise(n) + fall(n)) * 1/2 * C_load(n) * V^2   (net switching)
//
// Tables are looked up at (input_slew_ns, C_load(n)), with C_load(n) = sum of the input pin
// capacitances on the net + wire_cap_base_pf + wire_cap_per_fanout_pf * fanout (+
// output_port_load_pf per output port bit). V = the library's nominal voltage. Liberty
// internal energy excludes the external load's charge, which is why the net term is added.
//
// Which arc an output toggle is charged to: the pin's internal_power groups are weighted by
// the toggle count of their related input's net in the same run (an output that toggles
// because its clock toggled is charged the clock arc), groups with the same related pin
// share that weight (their `when` conditions are not evaluated: an even split is right
// for conditions that partition the state). If no related net toggled, all groups weigh
// the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "characterize/energy/GateNetlist.hh"
#include "characterize/liberty/Liberty.hh"

namespace pf::energy {

struct EnergyOptions {
  double input_slew_ns = 0.1;        // one stated transition time for every lookup
  double wire_cap_base_pf = 0.0005;  // per net with at least one load
  double wire_cap_per_fanout_pf = 0.0005;
  double output_port_load_pf = 0.001;  // what an output port bit drives outside the block
};

struct NetLoad {
  double pin_cap_pf = 0;
  double wire_cap_pf = 0;
  int fanout = 0;  // cell input pins + output port bits
  double totalPf() const { return pin_cap_pf + wire_cap_pf; }
};

struct EnergyBreakdown {
  double output_internal_pj = 0;       // cell output pins' internal_power
  double input_internal_pj = 0;        // cell input pins' internal_power (clock pins, D pins)
  double cell_net_switching_pj = 0;    // 1/2 C V^2 on nets driven by cells
  double port_net_switching_pj = 0;    // 1/2 C V^2 on nets driven by input ports (incl. clock)
  double switched_capacitance_pf = 0;  // sum over toggles of C_load
  double toggles = 0;                  // net toggles (scaled like the energies)
  double totalPj() const {
    return output_internal_pj + input_internal_pj + cell_net_switching_pj + port_net_switching_pj;
  }
  EnergyBreakdown scaled(double factor) const;
};

class EnergyModel {
 public:
  // Throws pf::Error PF-5331 if a cell or pin of the netlist is not in the library.
  EnergyModel(const GateNetlist &netlist, const liberty::Library &library, EnergyOptions options);

  EnergyBreakdown energy(const std::vector<uint32_t> &rise,
                         const std::vector<uint32_t> &fall) const;
  const std::vector<NetLoad> &loads() const { return loads_; }
  double voltageV() const { return voltage_v_; }

 private:
  struct Arc {
    int related_net = -1;  // -1: not tied to a toggling input
    double share = 1;      // 1 / (groups with the same related pin)
    double rise_pj = 0;
    double fall_pj = 0;
  };
  struct Driver {
    int net = -1;
    std::vector<Arc> arcs;
  };
  struct InputPinEnergy {
    int net = -1;
    double rise_pj = 0;
    double fall_pj = 0;
  };
  void computeLoads(const GateNetlist &netlist, const liberty::Library &library);
  void computeCellEnergies(const GateNetlist &netlist, const liberty::Library &library);

  EnergyOptions options_;
  double voltage_v_ = 0;
  std::vector<NetLoad> loads_;
  std::vector<bool> port_driven_;
  std::vector<Driver> drivers_;
  std::vector<InputPinEnergy> input_pins_;
};

}  // namespace pf::energy
