// Netlists and stimuli several energy tests share (test code only).
//
// The hand library is built with deliberately non-stub names (cells inv_a, nd2, dff_p;
// pins I, ZN, A1, A2, CLK) so nothing in the engine can rely on pdk_stub naming.
// Tiny netlist: a -> inv_a -> n1 -> {nd2.A1, dff_p.D}; b -> nd2.A2; nd2 -> y; dff_p -> q.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

#include "characterize/energy/CellModels.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleSim.hh"
#include "characterize/liberty/Liberty.hh"

namespace pf::energy::testdata {

using liberty::Table;
using liberty::TableVariable;

constexpr double kSlew0 = 0.02, kSlew1 = 0.2;     // table index_1 (ns)
constexpr double kLoad0 = 0.001, kLoad1 = 0.011;  // table index_2 (pF)

inline Table table2d(double v00, double v01, double v10, double v11) {
  Table t;
  t.variable_1 = TableVariable::InputTransitionNs;
  t.variable_2 = TableVariable::OutputLoadPf;
  t.index_1 = {kSlew0, kSlew1};
  t.index_2 = {kLoad0, kLoad1};
  t.values = {v00, v01, v10, v11};
  return t;
}

inline Table table1d(double v0, double v1) {
  Table t;
  t.variable_1 = TableVariable::InputTransitionNs;
  t.index_1 = {kSlew0, kSlew1};
  t.values = {v0, v1};
  return t;
}

inline liberty::Pin inputPin(const std::string &name, double cap_pf) {
  liberty::Pin p;
  p.name = name;
  p.direction = liberty::PinDirection::Input;
  p.capacitance_pf = cap_pf;
  return p;
}

inline liberty::Pin outputPin(const std::string &name, const std::string &function) {
  liberty::Pin p;
  p.name = name;
  p.direction = liberty::PinDirection::Output;
  p.function = function;
  return p;
}

inline liberty::Library handLibrary() {
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

inline constexpr const char *kTinyBlif = R"(.model tiny
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

// A clock gate (the stub's ICG latch) in front of a flop, and a flop with an async clear.
inline constexpr const char *kIcgBlif = R"(.model icg
.inputs clk e d rn
.outputs q r
.subckt ICG_X1 CK=clk E=e GCK=g
.subckt DFF_X1 CK=g D=d Q=q
.subckt DFFR_X1 CK=clk D=d RN=rn Q=r
.end
)";

// HandEnergy's stimulus: a warm-up phase (b = 1, a = 0: n1 = 1, y = 0, then q = 1) and
// five counted clock cycles.
inline void addHandWorkload(Stimulus &stim) {
  stim.beginPhase("warmup");
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
}

// One instance of every combinational cell of `lib`, all on one input bus `i` of
// `max_inputs` bits (the widest cell's input count), each output a net of its own.
inline GateNetlist everyCombinationalCell(const liberty::Library &lib, int &max_inputs) {
  GateNetlist netlist;
  netlist.top = "all_cells";
  max_inputs = 0;
  std::vector<const liberty::Cell *> cells;
  for (const liberty::Cell &cell : lib.cells) {
    if (!isCombinationalCell(cell)) continue;
    cells.push_back(&cell);
    max_inputs = std::max(max_inputs, static_cast<int>(cell.inputs().size()));
  }
  NetlistPort in{"i", true, {}};
  for (int b = 0; b < max_inputs; ++b) in.nets.push_back(netlist.addNet(fmt::format("i[{}]", b)));
  netlist.ports.push_back(in);
  for (const liberty::Cell *cell : cells) {
    NetlistCell inst{cell->name, "u_" + cell->name, {}};
    int b = 0;
    for (const liberty::Pin *pin : cell->inputs()) inst.pins.emplace_back(pin->name, in.nets[b++]);
    for (const liberty::Pin *pin : cell->outputs())
      inst.pins.emplace_back(pin->name, netlist.addNet(cell->name + "." + pin->name));
    netlist.cells.push_back(inst);
  }
  return netlist;
}

// Every value of the input bus, one phase each.
inline Stimulus everyInputCombination(const GateNetlist &netlist, int max_inputs) {
  Stimulus stim(netlist, "");
  for (int v = 0; v < (1 << max_inputs); ++v) {
    stim.beginPhase(std::to_string(v));
    stim.set("i", static_cast<uint64_t>(v));
    stim.settle();
  }
  return stim;
}

}  // namespace pf::energy::testdata
