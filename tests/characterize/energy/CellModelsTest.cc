// The generated Verilog cell models are bit-exact with the liberty functions: every
// combinational cell of the stub library is evaluated exhaustively in Verilator (one
// instance per cell, all sharing one input bus) and compared with BoolExpr evaluation.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "characterize/energy/BoolExpr.hh"
#include "characterize/energy/CellModels.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleSim.hh"
#include "tests/characterize/energy/EnergyTestNetlists.hh"

namespace pf::energy {
namespace {

const std::string kLib = PF_SOURCE_DIR "/pdk_stub/lib/pf40lp_std_v1p10.lib";

TEST(CellModels, CombinationalCellsAreBitExact) {
  const liberty::Library lib = liberty::readLiberty(kLib);
  int max_inputs = 0;
  const GateNetlist netlist = testdata::everyCombinationalCell(lib, max_inputs);
  ASSERT_GE(netlist.cells.size(), 15u);  // INV..MUX2, TIE, ISO, LS, HEADSW
  const Stimulus stim = testdata::everyInputCombination(netlist, max_inputs);
  VerilatorToggleSim sim(netlist, lib, "", PF_ENERGY_WORK_DIR "/cells");
  const std::vector<PhaseToggles> phases = sim.run(stim);
  ASSERT_EQ(phases.size(), static_cast<size_t>(1 << max_inputs));
  int checked = 0;
  for (const NetlistCell &inst : netlist.cells) {
    const liberty::Cell &cell = *lib.findCell(inst.type);
    const std::vector<const liberty::Pin *> inputs = cell.inputs();
    for (int v = 0; v < (1 << inputs.size()); ++v) {
      auto value = [&](const std::string &pin) {
        for (size_t k = 0; k < inputs.size(); ++k) {
          if (inputs[k]->name == pin) return ((v >> k) & 1) != 0;
        }
        ADD_FAILURE() << "function of " << cell.name << " uses unknown pin " << pin;
        return false;
      };
      for (const auto &[pin_name, net] : inst.pins) {
        const liberty::Pin *pin = cell.findPin(pin_name);
        if (pin->direction != liberty::PinDirection::Output) continue;
        const bool want = BoolExpr::parse(pin->function).eval(value);
        EXPECT_EQ(phases[v].final_value[net] != 0, want)
            << cell.name << "." << pin_name << " inputs=" << v << " f=" << pin->function;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100);
}

// Sequential models: the ICG's latch holds the enable while the clock is high, and a flop
// behind it sees clock edges only while enabled; the async clear of DFFR works.
TEST(CellModels, ClockGateAndFlopsBehave) {
  const liberty::Library lib = liberty::readLiberty(kLib);
  const GateNetlist n = parseBlif(testdata::kIcgBlif, "icg.blif");
  Stimulus stim(n, "clk");
  stim.beginPhase("enabled");  // e = 1: q follows d (one cycle late), g pulses every cycle
  stim.set("e", 1);
  stim.set("rn", 1);
  stim.settle();  // the latch is transparent while clk is low: e = 1 reaches it before the edge
  for (int c = 0; c < 4; ++c) {
    stim.set("d", c & 1);
    stim.clockCycle();
  }
  stim.beginPhase("disabled");  // e = 0 (applied after the edge): q frozen, g quiet
  stim.set("e", 0);
  stim.clockCycle();
  for (int c = 0; c < 4; ++c) {
    stim.set("d", (c + 1) & 1);
    stim.clockCycle();
  }
  stim.beginPhase("clear");
  stim.set("rn", 0);
  stim.settle();
  VerilatorToggleSim sim(n, lib, "clk", PF_ENERGY_WORK_DIR "/icg");
  const std::vector<PhaseToggles> p = sim.run(stim);
  auto net = [&](const std::string &name) {
    for (int i = 0; i < n.numNets(); ++i)
      if (n.net_names[i] == name) return i;
    return -1;
  };
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].rise[net("g")], 4u);
  EXPECT_GE(p[0].rise[net("q")] + p[0].fall[net("q")], 2u);
  // The first edge of "disabled" still sees e = 1 (it changes after that edge).
  EXPECT_EQ(p[1].rise[net("g")], 1u);
  EXPECT_LE(p[1].rise[net("q")] + p[1].fall[net("q")], 1u);
  EXPECT_GE(p[1].rise[net("r")] + p[1].fall[net("r")], 3u);  // ungated flop keeps following d
  EXPECT_EQ(p[2].final_value[net("r")], 0);
}

TEST(CellModels, MacrosAreSkippedAndNamesEscaped) {
  liberty::Library lib;
  lib.name = "odd";
  liberty::Cell macro;
  macro.name = "ram";
  macro.is_macro = true;
  liberty::Cell odd;
  odd.name = "and.2";
  liberty::Pin a, b, y;
  a.name = "in[0]";
  b.name = "in[1]";
  y.name = "out";
  y.direction = liberty::PinDirection::Output;
  y.function = "in[0] * in[1]";
  odd.pins = {a, b, y};
  lib.cells = {macro, odd};
  const CellModelSet set = generateCellModels(lib);
  EXPECT_EQ(set.modelled, (std::vector<std::string>{"and.2"}));
  ASSERT_EQ(set.skipped.size(), 1u);
  EXPECT_NE(set.verilog.find("module \\and.2  ("), std::string::npos) << set.verilog;
  EXPECT_NE(set.verilog.find("(\\in[0]  & \\in[1] )"), std::string::npos) << set.verilog;
}

}  // namespace
}  // namespace pf::energy
