// The done-when test of item 3: a tiny netlist with known toggles, priced by hand from
// the liberty tables, must agree with the engine to 1e-6 relative. The library and the
// netlist (non-stub names) are in EnergyTestNetlists.hh.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "characterize/energy/EnergyModel.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleSim.hh"
#include "core/Error.hh"
#include "tests/characterize/energy/EnergyTestNetlists.hh"

namespace pf::energy {
namespace {

using namespace testdata;

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
  addHandWorkload(stim);
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
