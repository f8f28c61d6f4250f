// Slew-aware energy (issue 15, item 4): the per-net slews of SlewModel::Propagated and the
// internal energy read at them, against hand computation on a library written for the
// test, and the direction of the change on the stub library.
//
// tests/characterize/energy/data/slewlab.lib has tables linear in slew s and load C
// (f = a + b*s + c*C on a 2x2 grid, so interpolation gives f exactly); the coefficients are
// written above each cell there and again here. No simulation: toggle counts are set by
// hand, one net at a time, so each figure isolates one cell's lookup.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "characterize/energy/EnergyModel.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleCounts.hh"
#include "characterize/liberty/Liberty.hh"
#include "core/Error.hh"

namespace pf::energy {
namespace {

const std::string kSlewLab = PF_SOURCE_DIR "/tests/characterize/energy/data/slewlab.lib";
const std::string kStub = PF_SOURCE_DIR "/pdk_stub/lib/pf40lp_std_v1p10.lib";

constexpr double kPort = 0.1;  // the stated port slew (EnergyOptions::input_slew_ns)

// a -> SLOWBUF -> n1 -> {UPINV -> n2, DOWNINV -> n3} -> ND2 -> n4 -> SDFF.D;
// clk -> FASTBUF -> ck -> SDFF.CK; rn -> SDFF.RN; SDFF.Q -> q (port) -> UPINV -> y (port).
constexpr const char *kChain = R"(.model chain
.inputs clk rn a
.outputs y q
.subckt SLOWBUF A=a Z=n1
.subckt UPINV A=n1 ZN=n2
.subckt DOWNINV A=n1 ZN=n3
.subckt ND2 A=n2 B=n3 ZN=n4
.subckt FASTBUF A=clk Z=ck
.subckt SDFF D=n4 CK=ck RN=rn Q=q
.subckt UPINV A=q ZN=y
.end
)";

// Loads by hand: pin capacitances only, plus 0.004 pF per output port bit.
EnergyOptions handOptions(SlewModel model) {
  EnergyOptions options;
  options.input_slew_ns = kPort;
  options.slew_model = model;
  options.wire_cap_base_pf = 0;
  options.wire_cap_per_fanout_pf = 0;
  options.output_port_load_pf = 0.004;
  return options;
}

int netIndexNamed(const GateNetlist &netlist, const std::string &name) {
  for (int n = 0; n < netlist.numNets(); ++n)
    if (netlist.net_names[static_cast<size_t>(n)] == name) return n;
  ADD_FAILURE() << "no net " << name;
  return 0;
}

// The energy of one rise and one fall of net `name` and nothing else.
EnergyBreakdown probe(const EnergyModel &model, const GateNetlist &netlist,
                      const std::string &name) {
  std::vector<uint32_t> rise(static_cast<size_t>(netlist.numNets()), 0), fall = rise;
  const int net = netIndexNamed(netlist, name);
  rise[static_cast<size_t>(net)] = fall[static_cast<size_t>(net)] = 1;
  return model.energy(rise, fall);
}

// Hand values for the chain: loads, slews and the internal energy of one rise + one fall of
// each net, with every slew given (propagated) or all at the port slew (constant).
struct Hand {
  // C_load: the pins on each net (+ 0.004 per output port bit).
  double c_n1 = 0.003 + 0.003;  // UPINV.A + DOWNINV.A
  double c_n2 = 0.002;          // ND2.A
  double c_n3 = 0.002;          // ND2.B
  double c_n4 = 0.001;          // SDFF.D
  double c_ck = 0.0015;         // SDFF.CK
  double c_q = 0.003 + 0.004;   // UPINV.A + output port
  double c_y = 0.004;           // output port
  double s_n1, s_n2, s_n3, s_n4, s_ck, s_q, s_y;

  explicit Hand(bool propagated) {
    if (!propagated) {
      s_n1 = s_n2 = s_n3 = s_n4 = s_ck = s_q = s_y = kPort;
      return;
    }
    // Output transition = mean of rise_transition and fall_transition at (input slew, load);
    // for ND2 also the mean over its two arcs; for SDFF its CK arc only.
    s_n1 = 0.5 * ((0.02 + 1.0 * kPort + 20 * c_n1) + (0.01 + 0.8 * kPort + 10 * c_n1));
    s_n2 = 0.5 * ((0.014 + 0.2 * s_n1 + 5 * c_n2) + (0.010 + 0.2 * s_n1 + 5 * c_n2));
    s_n3 = 0.5 * ((0.014 + 0.2 * s_n1 + 5 * c_n3) + (0.010 + 0.2 * s_n1 + 5 * c_n3));
    const double arc_a = 0.5 * ((0.025 + 0.3 * s_n2 + 6 * c_n4) + (0.015 + 0.3 * s_n2 + 6 * c_n4));
    const double arc_b = 0.5 * ((0.05 + 0.5 * s_n3 + 6 * c_n4) + (0.03 + 0.5 * s_n3 + 6 * c_n4));
    s_n4 = 0.5 * (arc_a + arc_b);
    s_ck = 0.01 + 0.1 * kPort + 4 * c_ck;
    s_q = 0.5 * ((0.035 + 0.25 * s_ck + 8 * c_q) + (0.025 + 0.25 * s_ck + 8 * c_q));
    s_y = 0.5 * ((0.014 + 0.2 * s_q + 5 * c_y) + (0.010 + 0.2 * s_q + 5 * c_y));
  }

  // Output internal energy of a rise + a fall of each net (the driver's group at the slew
  // of its related input's net), and the input pin energy its toggles cost.
  double outN1() const { return 2 * (0.002 + 0.001 * kPort + 0.01 * c_n1); }  // at port a
  double outN2() const {                                                      // UPINV at n1's slew
    return (0.001 + 0.01 * s_n1 + 0.01 * c_n2) + (0.0008 + 0.008 * s_n1 + 0.01 * c_n2);
  }
  double outN3() const {  // DOWNINV at n1's slew
    return (0.005 - 0.008 * s_n1 + 0.01 * c_n3) + (0.004 - 0.006 * s_n1 + 0.01 * c_n3);
  }
  double outN4() const {  // no related toggles: the two groups weigh the same
    return 2 * 0.5 * ((0.002 + 0.004 * s_n2 + 0.01 * c_n4) + (0.003 + 0.006 * s_n3 + 0.01 * c_n4));
  }
  double inN4() const { return 2 * (0.0005 + 0.002 * s_n4); }  // SDFF.D at n4's own slew
  double outCk() const { return 2 * (0.001 + 0.002 * kPort + 0.01 * c_ck); }        // at port clk
  double inCk() const { return (0.002 + 0.005 * s_ck) + (0.0015 + 0.005 * s_ck); }  // SDFF.CK
  double outQ() const {  // SDFF Q group related to CK: at ck's slew
    return (0.003 + 0.004 * s_ck + 0.01 * c_q) + (0.0025 + 0.004 * s_ck + 0.01 * c_q);
  }
  double outY() const {  // UPINV at q's slew
    return (0.001 + 0.01 * s_q + 0.01 * c_y) + (0.0008 + 0.008 * s_q + 0.01 * c_y);
  }
};

class SlewLab : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { library_ = new liberty::Library(liberty::readLiberty(kSlewLab)); }
  static void TearDownTestSuite() {
    delete library_;
    library_ = nullptr;
  }
  static const liberty::Library &lib() { return *library_; }
  static liberty::Library *library_;
};
liberty::Library *SlewLab::library_ = nullptr;

TEST_F(SlewLab, PropagatedSlewsEqualTheHandValues) {
  const GateNetlist netlist = parseBlif(kChain, "chain.blif");
  const EnergyModel model(netlist, lib(), handOptions(SlewModel::Propagated));
  const Hand hand(true);
  const auto slew = [&](const char *name) {
    return model.slews()[static_cast<size_t>(netIndexNamed(netlist, name))];
  };
  EXPECT_NEAR(model.loads()[static_cast<size_t>(netIndexNamed(netlist, "q"))].totalPf(), hand.c_q,
              1e-15);
  for (const char *port : {"a", "clk", "rn"}) EXPECT_DOUBLE_EQ(slew(port), kPort) << port;
  EXPECT_NEAR(slew("n1"), hand.s_n1, 1e-12);
  EXPECT_NEAR(slew("n2"), hand.s_n2, 1e-12);
  EXPECT_NEAR(slew("n3"), hand.s_n3, 1e-12);
  EXPECT_NEAR(slew("n4"), hand.s_n4, 1e-12);
  EXPECT_NEAR(slew("ck"), hand.s_ck, 1e-12);
  EXPECT_NEAR(slew("q"), hand.s_q, 1e-12);
  EXPECT_NEAR(slew("y"), hand.s_y, 1e-12);
  // The numbers, so a reader sees what moves: the weak buffer makes n1 slow, the strong
  // clock buffer makes ck sharp.
  EXPECT_NEAR(hand.s_n1, 0.195, 1e-12);
  EXPECT_NEAR(hand.s_ck, 0.026, 1e-12);

  // Mutants the hand values rule out: the worst arc instead of the mean (ND2), the
  // flop's asynchronous clear arc averaged in with its clock arc (SDFF).
  const double worst_n4 =
      0.5 * ((0.05 + 0.5 * hand.s_n3 + 6 * hand.c_n4) + (0.03 + 0.5 * hand.s_n3 + 6 * hand.c_n4));
  EXPECT_GT(std::abs(slew("n4") - worst_n4), 0.1 * hand.s_n4);
  const double with_clear = 0.5 * (hand.s_q + (0.5 + 1.0 * kPort));
  EXPECT_GT(std::abs(slew("q") - with_clear), hand.s_q);

  const SlewStats &stats = model.slewStats();
  EXPECT_EQ(stats.port_nets, 3);
  EXPECT_EQ(stats.table_nets, 7);
  EXPECT_EQ(stats.no_table_nets, 0);
  EXPECT_EQ(stats.undriven_nets, 0);
  EXPECT_EQ(stats.loop_breaks, 0);
  EXPECT_NEAR(stats.min_ns, hand.s_ck, 1e-12);
  EXPECT_NEAR(stats.max_ns, hand.s_n1, 1e-12);
}

TEST_F(SlewLab, ConstantModelReadsEveryNetAtThePortSlew) {
  const GateNetlist netlist = parseBlif(kChain, "chain.blif");
  const EnergyModel model(netlist, lib(), handOptions(SlewModel::Constant));
  for (double slew : model.slews()) EXPECT_DOUBLE_EQ(slew, kPort);
  EXPECT_EQ(model.slewStats().table_nets, 0);
  EXPECT_DOUBLE_EQ(model.slewStats().mean_ns, kPort);
}

// Every probe against the hand value, under both models.
TEST_F(SlewLab, InternalEnergyIsReadAtTheRelatedAndOwnNetSlews) {
  const GateNetlist netlist = parseBlif(kChain, "chain.blif");
  for (const bool propagated : {true, false}) {
    SCOPED_TRACE(propagated ? "propagated" : "constant");
    const EnergyModel model(netlist, lib(),
                            handOptions(propagated ? SlewModel::Propagated : SlewModel::Constant));
    const Hand hand(propagated);
    const auto expectOut = [&](const char *net, double out_pj, double in_pj) {
      const EnergyBreakdown e = probe(model, netlist, net);
      EXPECT_NEAR(e.output_internal_pj, out_pj, 1e-9 * out_pj) << net;
      EXPECT_NEAR(e.input_internal_pj, in_pj, 1e-9 * std::max(in_pj, 1e-6)) << net;
    };
    expectOut("n1", hand.outN1(), 0);
    expectOut("n2", hand.outN2(), 0);
    expectOut("n3", hand.outN3(), 0);
    expectOut("n4", hand.outN4(), hand.inN4());
    expectOut("ck", hand.outCk(), hand.inCk());
    expectOut("q", hand.outQ(), 0);
    expectOut("y", hand.outY(), 0);
  }
}

// The change moves the way the tables say: n1 is slower than the port slew, so UPINV (whose
// energy rises with slew) costs more and DOWNINV (whose energy falls with slew) less; ck is
// sharper, so the flop's CK pin and its Q arc (both rising with slew) cost less. A port-fed
// cell does not move. The constant model's figure is wrong by hand by more than 10 %.
TEST_F(SlewLab, EnergyMovesTheWayTheTablesSay) {
  const GateNetlist netlist = parseBlif(kChain, "chain.blif");
  const EnergyModel propagated(netlist, lib(), handOptions(SlewModel::Propagated));
  const EnergyModel constant(netlist, lib(), handOptions(SlewModel::Constant));
  const Hand hand(true);
  ASSERT_GT(hand.s_n1, kPort);
  ASSERT_LT(hand.s_ck, kPort);
  const auto out = [&](const EnergyModel &m, const char *net) {
    return probe(m, netlist, net).output_internal_pj;
  };
  const auto in = [&](const EnergyModel &m, const char *net) {
    return probe(m, netlist, net).input_internal_pj;
  };
  EXPECT_GT(out(propagated, "n2"), 1.1 * out(constant, "n2"));   // UPINV, slower input: more
  EXPECT_LT(out(propagated, "n3"), 0.9 * out(constant, "n3"));   // DOWNINV, slower input: less
  EXPECT_LT(in(propagated, "ck"), in(constant, "ck"));           // CK pin, sharper clock: less
  EXPECT_LT(out(propagated, "q"), out(constant, "q"));           // Q arc from CK: less
  EXPECT_DOUBLE_EQ(out(propagated, "n1"), out(constant, "n1"));  // fed by port a
  EXPECT_DOUBLE_EQ(out(propagated, "ck"), out(constant, "ck"));  // fed by port clk

  // The mutant: had the model kept the constant slew, the hand figures would not match.
  for (const char *net : {"n2", "n3"}) {
    const double by_hand = net == std::string("n2") ? hand.outN2() : hand.outN3();
    EXPECT_GT(std::abs(out(constant, net) - by_hand), 0.1 * by_hand) << net;
    EXPECT_NEAR(out(propagated, net), by_hand, 1e-9 * by_hand) << net;
  }
}

// a -> ND2.A; ND2 -> x -> {FASTBUF -> fb -> ND2.B, UPINV -> y}. Nets are numbered ports
// first (a 0, y 1), then in cell-pin order (fb 2, x 3); the walk starts at y, enters the
// loop at x, and FASTBUF's arc back to x (still on the walk) is read at the port slew.
TEST_F(SlewLab, ALoopIsBrokenAtThePortSlew) {
  const GateNetlist netlist = parseBlif(R"(.model loop
.inputs a
.outputs y
.subckt ND2 A=a B=fb ZN=x
.subckt FASTBUF A=x Z=fb
.subckt UPINV A=x ZN=y
.end
)",
                                        "loop.blif");
  const EnergyModel model(netlist, lib(), handOptions(SlewModel::Propagated));
  const double c_x = 0.001 + 0.003, c_fb = 0.002, c_y = 0.004;
  const double s_fb = 0.01 + 0.1 * kPort + 4 * c_fb;  // its input x read at the port slew
  const double s_x =
      0.5 * (0.5 * ((0.025 + 0.3 * kPort + 6 * c_x) + (0.015 + 0.3 * kPort + 6 * c_x)) +
             0.5 * ((0.05 + 0.5 * s_fb + 6 * c_x) + (0.03 + 0.5 * s_fb + 6 * c_x)));
  const double s_y = 0.5 * ((0.014 + 0.2 * s_x + 5 * c_y) + (0.010 + 0.2 * s_x + 5 * c_y));
  EXPECT_NEAR(model.slews()[static_cast<size_t>(netIndexNamed(netlist, "fb"))], s_fb, 1e-12);
  EXPECT_NEAR(model.slews()[static_cast<size_t>(netIndexNamed(netlist, "x"))], s_x, 1e-12);
  EXPECT_NEAR(model.slews()[static_cast<size_t>(netIndexNamed(netlist, "y"))], s_y, 1e-12);
  EXPECT_EQ(model.slewStats().loop_breaks, 1);
}

// A driver without transition tables (or whose only input is tied off) and a net without a
// driver fall back to the port slew.
TEST_F(SlewLab, NetsWithoutATableTakeThePortSlew) {
  liberty::Library library = lib();
  for (liberty::Cell &cell : library.cells)
    if (cell.name == "FASTBUF") cell.pins[1].timing.clear();
  const GateNetlist netlist = parseBlif(R"(.model fallback
.inputs a
.outputs y z w
.subckt FASTBUF A=a Z=y
.subckt UPINV A=$true ZN=z
.subckt UPINV A=dangling ZN=w
.end
)",
                                        "fallback.blif");
  EnergyOptions options = handOptions(SlewModel::Propagated);
  options.input_slew_ns = 0.07;
  const EnergyModel model(netlist, library, options);
  EXPECT_DOUBLE_EQ(model.slews()[static_cast<size_t>(netIndexNamed(netlist, "y"))], 0.07);
  EXPECT_DOUBLE_EQ(model.slews()[static_cast<size_t>(netIndexNamed(netlist, "z"))], 0.07);
  EXPECT_DOUBLE_EQ(model.slews()[static_cast<size_t>(netIndexNamed(netlist, "dangling"))], 0.07);
  const double s_w = 0.5 * ((0.014 + 0.2 * 0.07 + 5 * 0.004) + (0.010 + 0.2 * 0.07 + 5 * 0.004));
  EXPECT_NEAR(model.slews()[static_cast<size_t>(netIndexNamed(netlist, "w"))], s_w, 1e-12);
  EXPECT_EQ(model.slewStats().no_table_nets, 2);  // y (no table), z (input tied off)
  EXPECT_EQ(model.slewStats().undriven_nets, 1);  // dangling
  EXPECT_EQ(model.slewStats().table_nets, 1);     // w
}

// --- The stub library (pf40lp_std at 1.1 V): its internal energy rises with input slew.

liberty::Library stubLibrary() { return liberty::readLiberty(kStub); }

double outputInternalAllToggle(const EnergyModel &model, const GateNetlist &netlist) {
  const std::vector<uint32_t> once(static_cast<size_t>(netlist.numNets()), 1);
  return model.energy(once, once).output_internal_pj;
}

// Light loads: every inverter's output is sharper than 0.1 ns, so the next inverter's
// lookup moves down its table (which rises with slew) and the chain costs less.
TEST(SlewStub, LightChainCostsLessThanAtTheConstantSlew) {
  const liberty::Library library = stubLibrary();
  const liberty::Cell *inv = library.findCell("INV_X1");
  ASSERT_NE(inv, nullptr);
  const liberty::Table &rise = inv->findPin("Y")->internal_power.at(0).rise_energy_pj;
  // What the table says at a light load: less energy at a sharper input.
  ASSERT_LT(rise.lookup(0.03, 0.002), rise.lookup(kPort, 0.002));

  const GateNetlist netlist = parseBlif(R"(.model light
.inputs clk a
.outputs q
.subckt INV_X1 A=a Y=n1
.subckt INV_X1 A=n1 Y=n2
.subckt INV_X1 A=n2 Y=n3
.subckt INV_X1 A=n3 Y=n4
.subckt DFF_X1 D=n4 CK=clk Q=q
.end
)",
                                        "light.blif");
  EnergyOptions options;  // the defaults characterize uses
  options.slew_model = SlewModel::Propagated;
  const EnergyModel propagated(netlist, library, options);
  options.slew_model = SlewModel::Constant;
  const EnergyModel constant(netlist, library, options);
  for (const char *net : {"n1", "n2", "n3", "n4"}) {
    const double slew = propagated.slews()[static_cast<size_t>(netIndexNamed(netlist, net))];
    EXPECT_GT(slew, 0.01) << net;
    EXPECT_LT(slew, 0.5 * kPort) << net;
  }
  // Inverters 2-4 read a sharp input: each costs clearly less. The first reads port a and
  // the flop's Q its clock port: they do not move. So the whole chain costs less.
  for (const char *net : {"n2", "n3", "n4"})
    EXPECT_LT(probe(propagated, netlist, net).output_internal_pj,
              0.85 * probe(constant, netlist, net).output_internal_pj)
        << net;
  for (const char *net : {"n1", "q"})
    EXPECT_DOUBLE_EQ(probe(propagated, netlist, net).output_internal_pj,
                     probe(constant, netlist, net).output_internal_pj)
        << net;
  EXPECT_LT(outputInternalAllToggle(propagated, netlist),
            outputInternalAllToggle(constant, netlist));
  // Net switching does not depend on slew.
  const std::vector<uint32_t> once(static_cast<size_t>(netlist.numNets()), 1);
  EXPECT_DOUBLE_EQ(propagated.energy(once, once).cell_net_switching_pj,
                   constant.energy(once, once).cell_net_switching_pj);
}

// A heavy load: one INV_X1 drives 24 inverters (about 0.035 pF), its output is far slower
// than 0.1 ns, and the 24 receivers' lookups move up their tables: they cost more.
TEST(SlewStub, OverloadedNetMakesItsReceiversCostMore) {
  const liberty::Library library = stubLibrary();
  std::string blif = ".model heavy\n.inputs a\n.outputs";
  for (int i = 0; i < 24; ++i) blif += " m" + std::to_string(i);
  blif += "\n.subckt INV_X1 A=a Y=n1\n";
  for (int i = 0; i < 24; ++i) blif += ".subckt INV_X1 A=n1 Y=m" + std::to_string(i) + "\n";
  blif += ".end\n";
  const GateNetlist netlist = parseBlif(blif, "heavy.blif");
  EnergyOptions options;
  const EnergyModel propagated(netlist, library, options);
  options.slew_model = SlewModel::Constant;
  const EnergyModel constant(netlist, library, options);
  EXPECT_GT(propagated.slews()[static_cast<size_t>(netIndexNamed(netlist, "n1"))], 2 * kPort);
  // The receivers' outputs only: each m_i toggles once (n1's driver is fed by port a).
  std::vector<uint32_t> rise(static_cast<size_t>(netlist.numNets()), 0);
  for (int i = 0; i < 24; ++i)
    rise[static_cast<size_t>(netIndexNamed(netlist, "m" + std::to_string(i)))] = 1;
  const double e_propagated = propagated.energy(rise, rise).output_internal_pj;
  const double e_constant = constant.energy(rise, rise).output_internal_pj;
  EXPECT_GT(e_propagated, 1.2 * e_constant);
}

// --- Toggle counts kept for pricing again.

TEST(ToggleCounts, RoundTripAndNetCheck) {
  const GateNetlist netlist = parseBlif(kChain, "chain.blif");
  const size_t nets = static_cast<size_t>(netlist.numNets());
  std::vector<ClassToggleCounts> classes = {{"mac", 0.25, 1000, {}, {}},
                                            {"idle_clocked", 0, 1000, {}, {}}};
  for (size_t c = 0; c < classes.size(); ++c)
    for (size_t n = 0; n < nets; ++n) {
      classes[c].rise.push_back(static_cast<uint32_t>(7 * n + c));
      classes[c].fall.push_back(static_cast<uint32_t>(4000000000u - n - c));
    }
  const std::string path =
      (std::filesystem::temp_directory_path() / "pf_slew_test_toggle_counts.txt").string();
  writeToggleCounts(path, netlist, classes);
  const std::vector<ClassToggleCounts> back = readToggleCounts(path, netlist);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].op_class, "mac");
  EXPECT_EQ(back[0].sparsity, 0.25);
  EXPECT_EQ(back[1].cycles, 1000);
  for (size_t c = 0; c < 2; ++c) {
    EXPECT_EQ(back[c].rise, classes[c].rise);
    EXPECT_EQ(back[c].fall, classes[c].fall);
  }
  const GateNetlist other = parseBlif(
      ".model other\n.inputs a\n.outputs y\n.subckt FASTBUF A=a Z=y\n.end\n", "other.blif");
  try {
    readToggleCounts(path, other);
    ADD_FAILURE() << "counts of another netlist were accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.id(), 5334);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace pf::energy
