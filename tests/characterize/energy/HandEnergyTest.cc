// The done-when test of item 3: a tiny netlist with known toggles, priced by hand from
// the liberty tables, must agree with the engine to 1e-6 relative.
//
// The library is built here with deliberately non-stub names (cells inv_a, nd2, dff_p;
// pins I, ZN, A1, A2, CLK) so nothing in the engine can rely on pdk_stub naming.
// Netlist: a -> inv_a -> n1 -> {nd2.A1, dff_p.D}; b -> nd2.A2; nd2 -> y; dff_p -> q.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "characterize/energy/EnergyModel.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleSim.hh"
#include "core/Error.hh"

namespace pf::energy {
namespace {

using liberty::Table;
using liberty::TableVariable;

constexpr double kSlew0 = 0.02, kSlew1 = 0.2;     // table index_1 (ns)
constexpr double kLoad0 = 0.001, kLoad1 = 0.011;  // table index_2 (pF)

Table table2d(double v00, double v01, double v10, double v11) {
  Table t;
  t.variable_1 = TableVariable::InputTransitionNs;
  t.variable_2 = TableVariable::OutputLoadPf;
  t.index_1 = {kSlew0, kSlew1};
  t.index_2 = {kLoad0, kLoad1};
  t.values = {v00, v01, v10, v11};
  return t;
}

Table table1d(double v0, double v1) {
  Table t;
  t.variable_1 = TableVariable::InputTransitionNs;
  t.index_1 = {kSlew0, kSlew1};
  t.values = {v0, v1};
  return t;
}

liberty::Pin inputPin(const std::string &name, double cap_pf) {
  liberty::Pin p;
  p.name = name;
  p.direction = liberty::PinDirection::Input;
  p.capacitance_pf = cap_pf;
  return p;
}

liberty::Pin outputPin(const std::string &name, const std::string &function) {
  liberty::Pin p;
  p.name = name;
  p.direction = liberty::PinDirection::Output;
  p.function = function;
  return p;
}

liberty::Library handLibrary() {
  liberty::Library lib;
  lib.name = "hand_lib";
  lib.nominal_voltage_v = 0.9;

  liberty::Cell inv;
  inv.name = "inv_a";
  inv.pins = {inputPin("I", 0.0010), outputPin("ZN", "I'")};
  inv.pins[1].internal_power.push_back(
      {"I", "", table2d(1.0e-3, 1.4e-3, 1.6e-3, 2.2e-3), table2d(0.8e-3, 1.1e-3, 1.3e-3, 1.9e-3)});

  liberty::Cell nand;
  nand.name = "nd2";
  nand.pins = {inputPin("A1", 0.0011), inputPin("A2", 0.0012), outputPin("ZN", "!(A1 A2)")};
  nand.pins[2].internal_power.push_back(
      {"A1", "", table2d(2.0e-3, 2.6e-3, 2.9e-3, 3.7e-3), table2d(1.7e-3, 2.1e-3, 2.4e-3, 3.1e-3)});
  nand.pins[2].internal_power.push_back(
      {"A2", "", table2d(2.2e-3, 2.9e-3, 3.3e-3, 4.1e-3), table2d(1.9e-3, 2.5e-3, 2.8e-3, 3.6e-3)});

  liberty::Cell dff;
  dff.name = "dff_p";
  dff.sequential = liberty::Sequential{false, "IQ", "IQN", "CLK", "D", "", ""};
  dff.pins = {inputPin("D", 0.0009), inputPin("CLK", 0.00105), outputPin("Q", "IQ")};
  dff.pins[0].internal_power.push_back({"", "", table1d(1.1e-3, 1.3e-3), table1d(1.2e-3, 1.5e-3)});
  dff.pins[1].is_clock = true;
  dff.pins[1].internal_power.push_back({"", "", table1d(1.8e-3, 1.8e-3), table1d(1.7e-3, 1.7e-3)});
  dff.pins[2].internal_power.push_back({"CLK", "", table2d(4.0e-3, 5.0e-3, 4.5e-3, 5.8e-3),
                                        table2d(3.5e-3, 4.6e-3, 4.1e-3, 5.2e-3)});
  lib.cells = {inv, nand, dff};
  return lib;
}

constexpr const char *kTinyBlif = R"(.model tiny
.inputs clk a b
.outputs y q
.names $false
.names $true
1
.subckt inv_a I=a ZN=n1
.subckt nd2 A1=n1 A2=b ZN=y
.subckt dff_p D=n1 CLK=clk Q=q
.end
)";

// Bilinear interpolation written out for the 2x2 grid of table2d.
double byHand(const Table &t, double slew, double load) {
  const double fs = (slew - kSlew0) / (kSlew1 - kSlew0);
  const double fl = (load - kLoad0) / (kLoad1 - kLoad0);
  const double low = t.values[0] + (t.values[1] - t.values[0]) * fl;
  const double high = t.values[2] + (t.values[3] - t.values[2]) * fl;
  return low + (high - low) * fs;
}
double byHand1d(const Table &t, double slew) {
  return t.values[0] + (t.values[1] - t.values[0]) * (slew - kSlew0) / (kSlew1 - kSlew0);
}

int netNamed(const GateNetlist &n, const std::string &name) {
  for (int i = 0; i < n.numNets(); ++i) {
    if (n.net_names[i] == name) return i;
  }
  ADD_FAILURE() << "no net " << name;
  return 0;
}

TEST(HandEnergy, TinyNetlistMatchesHandComputation) {
  const liberty::Library lib = handLibrary();
  const GateNetlist netlist = parseBlif(kTinyBlif, "tiny.blif");
  Stimulus stim(netlist, "clk");
  stim.beginPhase("warmup");  // b = 1, a = 0: n1 = 1, y = 0, then q = 1
  stim.set("b", 1);
  stim.settle();
  stim.clockCycle();
  stim.clockCycle();
  stim.beginPhase("counted");
  const int a_seq[5] = {1, 0, 1, 1, 0};
  const int b_seq[5] = {1, 1, 1, 0, 0};
  for (int c = 0; c < 5; ++c) {
    stim.set("a", a_seq[c]);
    stim.set("b", b_seq[c]);
    stim.clockCycle();
  }
  VerilatorToggleSim sim(netlist, lib, "clk", PF_ENERGY_WORK_DIR "/tiny");
  const std::vector<PhaseToggles> phases = sim.run(stim);
  ASSERT_EQ(phases.size(), 2u);
  const PhaseToggles &t = phases[1];
  EXPECT_EQ(t.clock_cycles, 5);

  // Toggles derived by hand, cycle by cycle (the flop samples n1 before the new `a`):
  //   c1: n1 fall, y rise        c2: q fall, n1 rise, y fall   c3: q rise, n1 fall, y rise
  //   c4: q fall, b fall         c5: n1 rise (y stays 1 since b = 0)
  const std::map<std::string, std::pair<int, int>> expected = {
      {"clk", {5, 5}}, {"a", {2, 2}}, {"b", {0, 1}}, {"n1", {2, 2}}, {"y", {2, 1}}, {"q", {1, 2}}};
  for (const auto &[name, rf] : expected) {
    const int net = netNamed(netlist, name);
    EXPECT_EQ(t.rise[net], static_cast<uint32_t>(rf.first)) << name;
    EXPECT_EQ(t.fall[net], static_cast<uint32_t>(rf.second)) << name;
  }

  EnergyOptions opt;
  opt.input_slew_ns = 0.08;
  opt.wire_cap_base_pf = 0.0004;
  opt.wire_cap_per_fanout_pf = 0.0003;
  opt.output_port_load_pf = 0.002;
  const EnergyModel model(netlist, lib, opt);
  const EnergyBreakdown e = model.energy(t.rise, t.fall);

  // Loads: pin capacitances + 0.0004 + 0.0003 per fanout (output ports count 0.002 + 1 fanout).
  const double c_a = 0.0010 + 0.0004 + 0.0003;
  const double c_b = 0.0012 + 0.0004 + 0.0003;
  const double c_n1 = 0.0011 + 0.0009 + 0.0004 + 2 * 0.0003;
  const double c_y = 0.002 + 0.0004 + 0.0003;
  const double c_q = 0.002 + 0.0004 + 0.0003;
  const double c_clk = 0.00105 + 0.0004 + 0.0003;
  const double s = 0.08;
  const liberty::Cell &inv = lib.cells[0], &nand = lib.cells[1], &dff = lib.cells[2];
  // inv_a: one arc (I); n1 rises 2, falls 2.
  const auto &inv_arc = inv.pins[1].internal_power[0];
  const double e_inv =
      2 * byHand(inv_arc.rise_energy_pj, s, c_n1) + 2 * byHand(inv_arc.fall_energy_pj, s, c_n1);
  // nd2: arcs weighted by their input's toggles: A1 (n1) 4, A2 (b) 1.
  const auto &a1 = nand.pins[2].internal_power[0], &a2 = nand.pins[2].internal_power[1];
  const double nand_rise =
      (4 * byHand(a1.rise_energy_pj, s, c_y) + 1 * byHand(a2.rise_energy_pj, s, c_y)) / 5;
  const double nand_fall =
      (4 * byHand(a1.fall_energy_pj, s, c_y) + 1 * byHand(a2.fall_energy_pj, s, c_y)) / 5;
  const double e_nand = 2 * nand_rise + 1 * nand_fall;
  // dff_p: Q arc from CLK (q rises 1, falls 2); D pin sees n1 (2 rises, 2 falls); CLK 5 + 5.
  const auto &q_arc = dff.pins[2].internal_power[0];
  const double e_dff_q =
      1 * byHand(q_arc.rise_energy_pj, s, c_q) + 2 * byHand(q_arc.fall_energy_pj, s, c_q);
  const auto &d_pin = dff.pins[0].internal_power[0], &ck_pin = dff.pins[1].internal_power[0];
  const double e_d = 2 * byHand1d(d_pin.rise_energy_pj, s) + 2 * byHand1d(d_pin.fall_energy_pj, s);
  const double e_ck =
      5 * byHand1d(ck_pin.rise_energy_pj, s) + 5 * byHand1d(ck_pin.fall_energy_pj, s);
  // 1/2 C V^2 per toggle.
  const double half_v2 = 0.5 * 0.9 * 0.9;
  const double e_cell_nets = half_v2 * (4 * c_n1 + 3 * c_y + 3 * c_q);
  const double e_port_nets = half_v2 * (4 * c_a + 1 * c_b + 10 * c_clk);
  const double total = e_inv + e_nand + e_dff_q + e_d + e_ck + e_cell_nets + e_port_nets;

  EXPECT_NEAR(e.output_internal_pj, e_inv + e_nand + e_dff_q, 1e-6 * total);
  EXPECT_NEAR(e.input_internal_pj, e_d + e_ck, 1e-6 * total);
  EXPECT_NEAR(e.cell_net_switching_pj, e_cell_nets, 1e-6 * total);
  EXPECT_NEAR(e.port_net_switching_pj, e_port_nets, 1e-6 * total);
  EXPECT_NEAR(e.totalPj() / total, 1.0, 1e-6);
  EXPECT_NEAR(e.switched_capacitance_pf, 4 * c_n1 + 3 * c_y + 3 * c_q + 4 * c_a + c_b + 10 * c_clk,
              1e-12);
  EXPECT_NEAR(model.loads()[netNamed(netlist, "n1")].totalPf(), c_n1, 1e-15);
}

TEST(HandEnergy, UnknownCellIsAnError) {
  const liberty::Library lib = handLibrary();
  const GateNetlist netlist =
      parseBlif(".model m\n.inputs a\n.outputs y\n.subckt INV_X1 A=a Y=y\n.end\n", "m.blif");
  EXPECT_THROW(EnergyModel(netlist, lib, EnergyOptions{}), Error);
}

}  // namespace
}  // namespace pf::energy
