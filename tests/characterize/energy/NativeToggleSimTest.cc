// The native toggle simulator gives exactly VerilatorToggleSim's results (per phase: clock
// cycles, rise and fall counts, final values; and the per-cycle samples) on hand netlists
// and on seeded random netlists of every combinational cell and the async set/reset flops
// of two libraries, under random clock cycles and settles; a deliberately wrong cell
// model is caught by the same comparison.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "characterize/energy/BoolExpr.hh"
#include "characterize/energy/CellModels.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/NativeToggleSim.hh"
#include "characterize/energy/ToggleSim.hh"
#include "tests/characterize/energy/EnergyTestNetlists.hh"

namespace pf::energy {
namespace {

const std::string kStubLib = PF_SOURCE_DIR "/pdk_stub/lib/pf40lp_std_v1p10.lib";
const std::string kAltLib = PF_SOURCE_DIR "/tests/characterize/data/altlib_0p90.lib";

// Number of differences between the two simulators' results (0: identical), with the
// first few reported as test failures when `report`.
int differences(const GateNetlist &netlist, const std::vector<PhaseToggles> &native,
                const std::vector<uint32_t> &native_samples,
                const std::vector<PhaseToggles> &verilator,
                const std::vector<uint32_t> &verilator_samples, bool report) {
  int diffs = 0;
  auto differ = [&](const std::string &what) {
    if (report && diffs < 10) ADD_FAILURE() << what;
    ++diffs;
  };
  if (native.size() != verilator.size()) {
    differ(fmt::format("{} phases against {}", native.size(), verilator.size()));
    return diffs;
  }
  for (size_t p = 0; p < native.size(); ++p) {
    const PhaseToggles &a = native[p], &b = verilator[p];
    if (a.name != b.name) differ(fmt::format("phase {}: name {} against {}", p, a.name, b.name));
    if (a.clock_cycles != b.clock_cycles)
      differ(fmt::format("phase {}: {} cycles against {}", a.name, a.clock_cycles, b.clock_cycles));
    if (a.rise.size() != b.rise.size() || a.fall.size() != b.fall.size() ||
        a.final_value.size() != b.final_value.size()) {
      differ(fmt::format("phase {}: vector sizes differ", a.name));
      continue;
    }
    for (size_t n = 0; n < a.rise.size(); ++n) {
      if (a.rise[n] != b.rise[n] || a.fall[n] != b.fall[n] || a.final_value[n] != b.final_value[n])
        differ(fmt::format("phase {} net {}: rise {}/{} fall {}/{} final {}/{} (native/Verilator)",
                           a.name, netlist.net_names[n], a.rise[n], b.rise[n], a.fall[n], b.fall[n],
                           a.final_value[n], b.final_value[n]));
    }
  }
  if (native_samples != verilator_samples) {
    size_t first = 0;
    while (first < std::min(native_samples.size(), verilator_samples.size()) &&
           native_samples[first] == verilator_samples[first])
      ++first;
    differ(fmt::format("samples differ ({} words against {}, first at word {})",
                       native_samples.size(), verilator_samples.size(), first));
  }
  return diffs;
}

struct Comparison {
  int differences = 0;
  int64_t toggles = 0;  // total counted by Verilator, to show the stimulus does something
};

// Runs the stimulus on both simulators, observing every net; `native_library` may differ
// from `library` to test that a wrong model is caught.
Comparison compare(const GateNetlist &netlist, const liberty::Library &library,
                   const liberty::Library &native_library, const std::string &clock,
                   const Stimulus &stimulus, const std::string &work, bool report = true) {
  std::string why;
  EXPECT_TRUE(NativeToggleSim::supports(netlist, native_library, clock, &why)) << why;
  std::vector<int> observed;
  for (int n = 0; n < netlist.numNets(); ++n) observed.push_back(n);
  NativeToggleSim native(netlist, native_library, clock);
  std::vector<uint32_t> native_samples, verilator_samples;
  const std::vector<PhaseToggles> a = native.run(stimulus, observed, native_samples);
  EXPECT_TRUE(native.stats().native);
  EXPECT_EQ(native.stats().build_seconds, 0.0);
  VerilatorToggleSim verilator(netlist, library, clock, PF_ENERGY_WORK_DIR "/" + work);
  const std::vector<PhaseToggles> b = verilator.run(stimulus, observed, verilator_samples);
  Comparison result;
  result.differences = differences(netlist, a, native_samples, b, verilator_samples, report);
  for (const PhaseToggles &phase : b)
    for (size_t n = 0; n < phase.rise.size(); ++n) result.toggles += phase.rise[n] + phase.fall[n];
  return result;
}

// A random netlist: flops (every sequential, non-latch cell of the library) whose Q nets
// exist first, an undriven net, then combinational cells (every one of the library, in turn, then
// random) reading primary inputs, flop outputs and earlier cells; flops clocked by clk, their async
// clear/preset from the `r` inputs or from logic, their data from anywhere.
GateNetlist randomNetlist(const liberty::Library &lib, uint32_t seed, int comb_cells, int flops) {
  std::mt19937 rng(seed);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  GateNetlist n;
  n.top = fmt::format("random{}", seed);
  NetlistPort clk{"clk", true, {n.addNet("clk")}};
  NetlistPort in{"i", true, {}}, async{"r", true, {}};
  for (int b = 0; b < 12; ++b) in.nets.push_back(n.addNet(fmt::format("i[{}]", b)));
  for (int b = 0; b < 3; ++b) async.nets.push_back(n.addNet(fmt::format("r[{}]", b)));
  n.ports = {clk, in, async};
  std::vector<int> pool(in.nets.begin(), in.nets.end());
  pool.insert(pool.end(), async.nets.begin(), async.nets.end());
  pool.push_back(n.addNet("floating"));  // read but never driven: 0 in both simulators
  // Nets that may be constant for Verilator (the floating net, tie cells and logic behind
  // them): no flop control reads them, as supports() refuses that.
  std::set<int> constant = {pool.back()};
  // Every net's value at the start (inputs 0, flops 0): supports() refuses a preset that
  // starts active (whether Verilator sees an edge there depends on how it compiled it).
  std::map<int, bool> start;
  auto startValue = [&](const liberty::Cell &cell, const std::string &function,
                        const NetlistCell &inst) {
    return BoolExpr::parse(function).eval([&](const std::string &var) {
      for (const auto &[pin, net] : inst.pins)
        if (pin == var) return start[net];
      return cell.sequential && var == cell.sequential->state_var_inv;
    });
  };
  std::vector<const liberty::Cell *> comb, seq;
  for (const liberty::Cell &cell : lib.cells) {
    if (isCombinationalCell(cell)) comb.push_back(&cell);
    if (cell.sequential && !cell.sequential->is_latch) seq.push_back(&cell);
  }
  std::vector<NetlistCell> flop_cells;
  for (int f = 0; f < flops; ++f) {
    const liberty::Cell &cell = *seq[f % seq.size()];
    NetlistCell inst{cell.name, fmt::format("ff{}", f), {}};
    for (const liberty::Pin *pin : cell.outputs()) {
      const int net = n.addNet(fmt::format("ff{}.{}", f, pin->name));
      inst.pins.emplace_back(pin->name, net);
      pool.push_back(net);
      start[net] = startValue(cell, pin->function, inst);
    }
    flop_cells.push_back(inst);
  }
  auto recent = [&]() {  // favour recent nets for depth, keep reaching back for fan-out
    if (rng() % 2) return pool[pool.size() - 1 - pick(std::min<size_t>(pool.size(), 12))];
    return pool[pick(pool.size())];
  };
  for (int c = 0; c < comb_cells; ++c) {
    const liberty::Cell &cell = *comb[c < static_cast<int>(comb.size()) ? c : pick(comb.size())];
    NetlistCell inst{cell.name, fmt::format("u{}", c), {}};
    bool reads_constant = cell.inputs().empty();
    for (const liberty::Pin *pin : cell.inputs()) {
      inst.pins.emplace_back(pin->name, recent());
      reads_constant = reads_constant || constant.count(inst.pins.back().second);
    }
    for (const liberty::Pin *pin : cell.outputs()) {
      const int net = n.addNet(fmt::format("u{}.{}", c, pin->name));
      inst.pins.emplace_back(pin->name, net);
      pool.push_back(net);
      if (reads_constant) constant.insert(net);
      start[net] = startValue(cell, pin->function, inst);
    }
    n.cells.push_back(inst);
  }
  for (NetlistCell &inst : flop_cells) {
    const liberty::Sequential &seq_group = *lib.findCell(inst.type)->sequential;
    auto uses = [](const std::string &expr, const std::string &pin) {
      if (expr.empty()) return false;
      const std::vector<std::string> vars = BoolExpr::parse(expr).variables();
      return std::find(vars.begin(), vars.end(), pin) != vars.end();
    };
    for (const liberty::Pin *pin : lib.findCell(inst.type)->inputs()) {
      int net = pool[pick(pool.size())];
      if (uses(seq_group.clocked_on, pin->name)) {
        net = n.ports[0].nets[0];
      } else if (uses(seq_group.clear, pin->name) || uses(seq_group.preset, pin->name)) {
        const bool preset = uses(seq_group.preset, pin->name);
        auto active = [&](int candidate) {
          return BoolExpr::parse(seq_group.preset).eval([&](const std::string &var) {
            return var == pin->name ? start[candidate] : false;
          });
        };
        if (!preset && rng() % 2) net = async.nets[pick(async.nets.size())];
        while (constant.count(net) || (preset && active(net))) net = pool[pick(pool.size())];
      }
      inst.pins.emplace_back(pin->name, net);
    }
    n.cells.push_back(inst);
  }
  return n;
}

// Random input words, clock cycles and settles over several phases; the async inputs
// start active (all 0) and change rarely.
Stimulus randomStimulus(const GateNetlist &netlist, uint32_t seed, int steps) {
  std::mt19937 rng(seed);
  Stimulus s(netlist, "clk");
  uint64_t r = 0;
  for (int p = 0; p < 4; ++p) {
    s.beginPhase(fmt::format("phase{}", p));
    for (int t = 0; t < steps; ++t) {
      if (rng() % 4) s.set("i", rng() & 0xfff);
      if (rng() % 8 == 0) r ^= 1u << (rng() % 3);
      s.set("r", r);
      if (rng() % 4) {
        s.clockCycle();
      } else {
        s.settle();
      }
    }
  }
  s.beginPhase("quiet");  // clock only
  for (int t = 0; t < 5; ++t) s.clockCycle();
  s.beginPhase("empty");
  return s;
}

TEST(NativeToggleSim, HandNetlistEqualsVerilator) {
  const liberty::Library lib = testdata::handLibrary();
  const GateNetlist netlist = parseBlif(testdata::kTinyBlif, "tiny.blif");
  // HandEnergy's stimulus, then a phase of settles.
  Stimulus stim(netlist, "clk");
  testdata::addHandWorkload(stim);
  stim.beginPhase("settles");
  for (int c = 0; c < 6; ++c) {
    stim.set("a", c & 1);
    stim.set("b", (c >> 1) & 1);
    stim.settle();
  }
  const Comparison result = compare(netlist, lib, lib, "clk", stim, "native_tiny");
  EXPECT_EQ(result.differences, 0);
  EXPECT_GT(result.toggles, 20);
}

// CellModels' exhaustive netlist: every combinational cell of the stub library (TIE, ISO,
// level shifter and header switch included) under every input combination.
TEST(NativeToggleSim, EveryCombinationalCellEqualsVerilator) {
  const liberty::Library lib = liberty::readLiberty(kStubLib);
  int max_inputs = 0;
  const GateNetlist netlist = testdata::everyCombinationalCell(lib, max_inputs);
  const Stimulus stim = testdata::everyInputCombination(netlist, max_inputs);
  EXPECT_EQ(compare(netlist, lib, lib, "", stim, "native_cells").differences, 0);
}

TEST(NativeToggleSim, RandomNetlistsEqualVerilator) {
  for (const auto &[path, seed] :
       std::vector<std::pair<std::string, uint32_t>>{{kStubLib, 1}, {kStubLib, 2}, {kAltLib, 3}}) {
    SCOPED_TRACE(fmt::format("{} seed {}", path, seed));
    const liberty::Library lib = liberty::readLiberty(path);
    const GateNetlist netlist = randomNetlist(lib, seed, 300, 40);
    std::set<std::string> types;
    for (const NetlistCell &cell : netlist.cells) types.insert(cell.type);
    int comb = 0;
    for (const liberty::Cell &cell : lib.cells) comb += isCombinationalCell(cell);
    EXPECT_GE(static_cast<int>(types.size()), comb + 3);  // every combinational cell, 3 flops
    const Stimulus stim = randomStimulus(netlist, seed * 7919, 60);
    const Comparison result =
        compare(netlist, lib, lib, "clk", stim, fmt::format("native_random{}", seed));
    EXPECT_EQ(result.differences, 0);
    EXPECT_GT(result.toggles, 5000);
  }
}

// The comparison has teeth: a native model with one wrong cell function, or flops
// without their async clear, differs from Verilator on the same random netlist.
TEST(NativeToggleSim, WrongModelIsCaught) {
  const liberty::Library lib = liberty::readLiberty(kStubLib);
  const GateNetlist netlist = randomNetlist(lib, 1, 300, 40);
  const Stimulus stim = randomStimulus(netlist, 7919, 60);
  for (const std::string mutation : {"NAND2_X1 is an AND", "DFFR_X1 has no clear"}) {
    SCOPED_TRACE(mutation);
    liberty::Library wrong = lib;
    for (liberty::Cell &cell : wrong.cells) {
      if (cell.name == "NAND2_X1" && mutation[0] == 'N') {
        for (liberty::Pin &pin : cell.pins)
          if (!pin.function.empty()) pin.function = "!(" + pin.function + ")";
      }
      if (cell.name == "DFFR_X1" && mutation[0] == 'D') cell.sequential->clear.clear();
    }
    // Same netlist and library as RandomNetlistsEqualVerilator: the build is reused.
    EXPECT_GT(compare(netlist, lib, wrong, "clk", stim, "native_random1", false).differences, 0);
  }
}

// Latches (the ICG) are not modelled natively: supports() says so and simulateToggles()
// runs Verilator, saying why.
TEST(NativeToggleSim, LatchFallsBackToVerilator) {
  const liberty::Library lib = liberty::readLiberty(kStubLib);
  const GateNetlist n = parseBlif(testdata::kIcgBlif, "icg.blif");
  std::string why;
  EXPECT_FALSE(NativeToggleSim::supports(n, lib, "clk", &why));
  EXPECT_NE(why.find("latch"), std::string::npos) << why;
  Stimulus stim(n, "clk");
  stim.beginPhase("enabled");
  stim.set("e", 1);
  stim.set("rn", 1);
  stim.settle();
  for (int c = 0; c < 4; ++c) {
    stim.set("d", c & 1);
    stim.clockCycle();
  }
  std::vector<uint32_t> samples;
  ToggleSimStats stats;
  const std::vector<PhaseToggles> p =
      simulateToggles(n, lib, "clk", PF_ENERGY_WORK_DIR "/native_icg", stim, {}, samples, &stats);
  EXPECT_FALSE(stats.native);
  EXPECT_EQ(stats.not_native, why);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].clock_cycles, 4);
}

// Verilator folds a constant edge expression (it never triggers); the native simulator
// would see a rising edge at the start where it settles to 1. Such netlists are refused.
TEST(NativeToggleSim, ConstantFlopControlIsNotSupported) {
  const liberty::Library lib = liberty::readLiberty(kStubLib);
  for (const std::string rn : {"t", "x", "floating", "$true"}) {
    const GateNetlist n = parseBlif(fmt::format(R"(.model tie
.inputs clk a
.outputs q
.names $false
.names $true
1
.subckt TIELO_X1 Y=t
.subckt NAND2_X1 A=a B=t Y=x
.subckt DFFS_X1 CK=clk D=a SN=a Q=s
.subckt DFFR_X1 CK=clk D=a RN={} Q=q
.end
)",
                                                rn),
                                    "tie.blif");
    std::string why;
    EXPECT_FALSE(NativeToggleSim::supports(n, lib, "clk", &why)) << rn;
    EXPECT_NE(why.find("flop"), std::string::npos) << why;
  }
}

// Inputs start at 0: a preset read from an input starts active. The native simulator
// defines that start as silicon does (the asynchronous preset is level-sensitive: the
// flop is set at the first eval and stays set after the preset is released, until a
// clock edge). Verilator's model agrees only when it watches the preset itself, so this
// is checked on its own, not against Verilator. A clock that starts active and whose
// edge would change the flop is still refused.
TEST(NativeToggleSim, PresetActiveAtStartSetsTheFlop) {
  const liberty::Library lib = liberty::readLiberty(kStubLib);
  const GateNetlist n = parseBlif(R"(.model start
.inputs clk a
.outputs q
.subckt DFFS_X1 CK=clk D=a SN=a Q=q
.end
)",
                                  "start.blif");
  std::string why;
  ASSERT_TRUE(NativeToggleSim::supports(n, lib, "clk", &why)) << why;
  const int q = n.findPort("q")->nets[0];
  Stimulus stimulus(n, "clk");
  stimulus.beginPhase("preset held");
  stimulus.settle();
  stimulus.beginPhase("preset released");
  stimulus.set("a", 1);
  stimulus.settle();
  stimulus.beginPhase("clocked");
  stimulus.set("a", 0);
  stimulus.settle();  // the preset again: still 1
  stimulus.set("a", 1);
  stimulus.clockCycle();  // D = 1: stays 1
  NativeToggleSim sim(n, lib, "clk");
  const std::vector<PhaseToggles> phases = sim.run(stimulus);
  ASSERT_EQ(phases.size(), 3u);
  for (const PhaseToggles &phase : phases) {
    EXPECT_EQ(phase.final_value[size_t(q)], 1) << phase.name;
    EXPECT_EQ(phase.rise[size_t(q)] + phase.fall[size_t(q)], 0u) << phase.name;
  }

  const GateNetlist clocked = parseBlif(R"(.model clocked
.inputs clk a
.outputs q
.subckt INV_X1 A=clk Y=nclk
.subckt INV_X1 A=a Y=na
.subckt DFFR_X1 CK=nclk D=na RN=na Q=q
.end
)",
                                        "clocked.blif");
  EXPECT_FALSE(NativeToggleSim::supports(clocked, lib, "clk", &why));
  EXPECT_NE(why.find("clock starts active"), std::string::npos) << why;
}

TEST(NativeToggleSim, CombinationalLoopIsNotSupported) {
  const liberty::Library lib = liberty::readLiberty(kStubLib);
  const GateNetlist n = parseBlif(R"(.model loop
.inputs a
.outputs y
.subckt NAND2_X1 A=a B=y Y=x
.subckt INV_X1 A=x Y=y
.end
)",
                                  "loop.blif");
  std::string why;
  EXPECT_FALSE(NativeToggleSim::supports(n, lib, "", &why));
  EXPECT_NE(why.find("loop"), std::string::npos) << why;
}

}  // namespace
}  // namespace pf::energy
