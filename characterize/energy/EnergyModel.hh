// Dynamic energy of a gate-level netlist from per-net toggle counts and liberty tables.
//
//   E = sum over nets n driven by a cell output pin p:
//         rise(n) * E_rise(p) + fall(n) * E_fall(p)            (output internal_power)
//     + sum over cell input pins q with internal_power:
//         rise(net q) * E_rise(q) + fall(net q) * E_fall(q)     (input internal_power)
//     + sum over all nets n: (rise(n) + fall(n)) * 1/2 * C_load(n) * V^2   (net switching)
//
// Tables are looked up at (slew, C_load(n)), with C_load(n) = sum of the input pin
// capacitances on the net + wire_cap_base_pf + wire_cap_per_fanout_pf * fanout (+
// output_port_load_pf per output port bit). V = the library's nominal voltage. Liberty
// internal energy excludes the external load's charge, which is why the net term is added.
//
// Slew (SlewModel, docs/characterize-energy.md "Slew"): an output pin's group is looked up
// at the slew of its related input pin's net, an input pin's group at its own net's slew.
// Propagated (the default): a net driven by an input port (the clock included) has the
// stated port slew `input_slew_ns`; a net driven by a cell output has that output's
// transition, the mean over the arcs used and over rise/fall of the liberty
// rise_transition/fall_transition tables looked up at (slew of the arc's related input
// net, C_load(n)), computed in topological order. Sequential cells use their clock arcs
// (a flop's Q from its clock net's slew). A combinational loop is broken at the net that
// closes it, which is read at the port slew. Constant: every lookup at `input_slew_ns`
// (the model before slews were propagated).
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

// Where table lookups take their input slew from.
enum class SlewModel {
  Constant,    // every lookup at input_slew_ns
  Propagated,  // per net: ports at input_slew_ns, cell outputs from their transition tables
};
const char *slewModelName(SlewModel model);  // "constant", "propagated"

struct EnergyOptions {
  // The transition time at the netlist's input ports, the clock included: a stated default,
  // not a measurement (the block's real drivers are outside it). With SlewModel::Constant it
  // is the slew of every lookup.
  double input_slew_ns = 0.1;
  SlewModel slew_model = SlewModel::Propagated;
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

// How the slews of a model's nets were found: under Propagated every net is counted once;
// under Constant the counts are 0 and min = mean = max = input_slew_ns.
struct SlewStats {
  int port_nets = 0;      // driven by an input port: the port slew
  int table_nets = 0;     // driven by a cell output with transition tables
  int no_table_nets = 0;  // driven by a cell output with no usable arc (no transition
                          // table, or every related input tied off): port slew
  int undriven_nets = 0;  // no driver (constants, dangling): port slew, never toggle
  int loop_breaks = 0;    // arcs whose input net closed a loop, read at the port slew
  double min_ns = 0, mean_ns = 0, max_ns = 0;  // over the nets driven by cells with tables
};

class EnergyModel {
 public:
  // Throws pf::Error PF-5331 (PF-5335) if a cell (pin) of the netlist is not in the library.
  EnergyModel(const GateNetlist &netlist, const liberty::Library &library, EnergyOptions options);

  EnergyBreakdown energy(const std::vector<uint32_t> &rise,
                         const std::vector<uint32_t> &fall) const;
  const std::vector<NetLoad> &loads() const { return loads_; }
  // The slew every net is read at (ns, index = net id), and how it was found.
  const std::vector<double> &slews() const { return slews_ns_; }
  const SlewStats &slewStats() const { return slew_stats_; }
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
  void computeSlews(const GateNetlist &netlist, const liberty::Library &library);
  void computeCellEnergies(const GateNetlist &netlist, const liberty::Library &library);
  double slewOf(int net) const;

  EnergyOptions options_;
  double voltage_v_ = 0;
  std::vector<NetLoad> loads_;
  std::vector<bool> port_driven_;
  std::vector<double> slews_ns_;
  SlewStats slew_stats_;
  std::vector<Driver> drivers_;
  std::vector<InputPinEnergy> input_pins_;
};

}  // namespace pf::energy
