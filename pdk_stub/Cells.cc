#include "pdk_stub/Cells.hh"

namespace pf::pdk {

namespace {

// Unit inverter (X1): NMOS 0.30 um, PMOS 0.45 um. The PMOS is only 1.5x wider although it
// carries ~0.47x the current per um: LP libraries trade rise delay for area and leakage.
constexpr double kUnitNmosUm = 0.30;
constexpr double kUnitPmosUm = 0.45;
constexpr double kUnitGateUm = kUnitNmosUm + kUnitPmosUm;

using TS = TimingSense;

StageSpec unitStage(double scale) { return {kUnitNmosUm * scale, kUnitPmosUm * scale}; }

CellSpec inverter(const std::string &name, int sites, double drive) {
  CellSpec cell;
  cell.name = name;
  cell.area_sites = sites;
  cell.inputs = {{"A", TS::kNegativeUnate, kUnitGateUm * drive}};
  cell.output = "Y";
  cell.function = "!A";
  cell.output_stage = unitStage(drive);
  cell.output_diffusion_width_um = kUnitGateUm * drive;
  cell.leak_nmos_width_um = kUnitNmosUm * drive;
  cell.leak_pmos_width_um = kUnitPmosUm * drive;
  return cell;
}

// Two inverters; the first is sized for a fan-out of ~3 into the second.
CellSpec buffer(const std::string &name, int sites, double drive) {
  const double first = drive <= 1 ? 0.67 : drive / 2;
  CellSpec cell;
  cell.name = name;
  cell.area_sites = sites;
  cell.inputs = {{"A", TS::kPositiveUnate, kUnitGateUm * first}};
  cell.output = "Y";
  cell.function = "A";
  cell.output_stage = unitStage(drive);
  cell.output_diffusion_width_um = kUnitGateUm * drive;
  cell.internal_stages = 1;
  cell.internal_stage = unitStage(first);
  cell.internal_load_width_um = kUnitGateUm * drive;
  cell.leak_nmos_width_um = kUnitNmosUm * (first + drive);
  cell.leak_pmos_width_um = kUnitPmosUm * (first + drive);
  return cell;
}

// Single-stage complex gate. Widths are per-device; `pull_down`/`pull_up` are the effective
// (stack-folded) drive widths of the worst path.
struct GateShape {
  std::string name;
  int sites;
  std::vector<InputPinSpec> inputs;
  std::string function;
  StageSpec drive;
  double diffusion_um;
  double leak_nmos_um;
  int leak_nmos_stack;
  double leak_pmos_um;
  int leak_pmos_stack;
};

CellSpec singleStage(const GateShape &shape) {
  CellSpec cell;
  cell.name = shape.name;
  cell.area_sites = shape.sites;
  cell.inputs = shape.inputs;
  cell.output = "Y";
  cell.function = shape.function;
  cell.output_stage = shape.drive;
  cell.output_diffusion_width_um = shape.diffusion_um;
  cell.leak_nmos_width_um = shape.leak_nmos_um;
  cell.leak_nmos_stack = shape.leak_nmos_stack;
  cell.leak_pmos_width_um = shape.leak_pmos_um;
  cell.leak_pmos_stack = shape.leak_pmos_stack;
  return cell;
}

// A small first stage (NAND/NOR/XOR core) followed by a unit X1 output inverter.
CellSpec twoStage(const std::string &name, int sites, std::vector<InputPinSpec> inputs,
                  const std::string &function, StageSpec first, double leak_nmos_um,
                  double leak_pmos_um) {
  CellSpec cell;
  cell.name = name;
  cell.area_sites = sites;
  cell.inputs = std::move(inputs);
  cell.output = "Y";
  cell.function = function;
  cell.output_stage = unitStage(1);
  cell.output_diffusion_width_um = kUnitGateUm;
  cell.internal_stages = 1;
  cell.internal_stage = first;
  cell.internal_load_width_um = kUnitGateUm;
  cell.leak_nmos_width_um = leak_nmos_um;
  cell.leak_pmos_width_um = leak_pmos_um;
  return cell;
}

CellSpec tie(const std::string &name, const std::string &value) {
  CellSpec cell;
  cell.name = name;
  cell.kind = CellKind::kTie;
  cell.area_sites = 3;
  cell.output = "Y";
  cell.function = value;
  cell.leak_nmos_width_um = kUnitNmosUm;
  cell.leak_pmos_width_um = kUnitPmosUm;
  return cell;
}

// Master-slave flip-flop: clock inverters, transmission-gate latches, X1 output inverter.
CellSpec flipFlop(const std::string &name, int sites, const std::string &clear,
                  const std::string &preset) {
  CellSpec cell;
  cell.name = name;
  cell.kind = CellKind::kFlipFlop;
  cell.area_sites = sites;
  cell.inputs = {{"D", TS::kPositiveUnate, kUnitGateUm}, {"CK", TS::kPositiveUnate, 0.9}};
  cell.clock_pin = "CK";
  cell.data_pin = "D";
  if (!clear.empty()) {
    cell.inputs.push_back({clear, TS::kPositiveUnate, 0.9});
    cell.clear_pin = clear;
  }
  if (!preset.empty()) {
    cell.inputs.push_back({preset, TS::kNegativeUnate, 0.9});
    cell.preset_pin = preset;
  }
  cell.output = "Q";
  cell.function = "D";
  cell.output_stage = unitStage(1);
  cell.output_diffusion_width_um = kUnitGateUm;
  cell.internal_stages = 2;  // clock inverter + slave latch
  cell.internal_stage = unitStage(1);
  cell.internal_load_width_um = 0.9;
  cell.master_switched_width_um = 2.0;
  cell.clock_switched_width_um = 3.0;
  const double extra = (clear.empty() ? 0 : 0.4) + (preset.empty() ? 0 : 0.4);
  cell.leak_nmos_width_um = 2.4 + extra;
  cell.leak_pmos_width_um = 3.0 + extra;
  return cell;
}

CellSpec clockGate() {
  CellSpec cell;
  cell.name = "ICG_X1";
  cell.kind = CellKind::kClockGate;
  cell.area_sites = 12;
  cell.inputs = {{"E", TS::kPositiveUnate, kUnitGateUm}, {"CK", TS::kPositiveUnate, 1.2}};
  cell.clock_pin = "CK";
  cell.data_pin = "E";
  cell.output = "GCK";
  cell.function = "CK & IQ";  // IQ: enable latched while CK is low
  cell.output_stage = unitStage(1);
  cell.output_diffusion_width_um = kUnitGateUm;
  cell.internal_stages = 1;  // NAND of CK and latched enable
  cell.internal_stage = {0.25, 0.45};
  cell.internal_load_width_um = kUnitGateUm;
  cell.master_switched_width_um = 1.2;
  cell.clock_switched_width_um = 1.5;
  cell.leak_nmos_width_um = 1.6;
  cell.leak_pmos_width_um = 2.0;
  return cell;
}

CellSpec isolation() {
  CellSpec cell =
      twoStage("ISO_AND_X1", 5, {{"A", TS::kPositiveUnate, 0.65}, {"ISO", TS::kNegativeUnate, 0.8}},
               "A & !ISO", {0.175, 0.3}, 0.4, 1.0);
  cell.kind = CellKind::kIsolation;
  cell.dont_use = true;
  return cell;
}

// Cross-coupled level shifter: the input stage runs from VDDL, the latch and output
// inverter from VDD; the contention in the latch makes its pull-up effectively weak.
CellSpec levelShifter() {
  CellSpec cell;
  cell.name = "LS_LH_X1";
  cell.kind = CellKind::kLevelShifter;
  cell.area_sites = 10;
  cell.inputs = {{"A", TS::kPositiveUnate, 0.6}};
  cell.output = "Y";
  cell.function = "A";
  cell.output_stage = unitStage(1);
  cell.output_diffusion_width_um = kUnitGateUm;
  cell.internal_stages = 2;
  cell.internal_stage = {0.3, 0.2};
  cell.internal_load_width_um = 0.9;
  cell.leak_nmos_width_um = 1.4;
  cell.leak_pmos_width_um = 1.6;
  cell.dont_use = true;
  return cell;
}

// Coarse-grain header: a 4 um high-Vth PMOS between VDD and VVDD, gate driven by SLEEP,
// SLEEP buffered to SLEEPOUT for daisy-chaining.
CellSpec headerSwitch() {
  CellSpec cell = buffer("HEADSW_X1", 10, 1);
  cell.kind = CellKind::kPowerSwitch;
  cell.inputs = {{"SLEEP", TS::kPositiveUnate, 4.0 + 0.5}};
  cell.output = "SLEEPOUT";
  cell.function = "SLEEP";
  cell.switch_width_um = 4.0;
  cell.dont_use = true;
  return cell;
}

std::vector<CellSpec> buildCatalog() {
  std::vector<CellSpec> cells;
  cells.push_back(inverter("INV_X1", 3, 1));
  cells.push_back(inverter("INV_X2", 4, 2));
  cells.push_back(inverter("INV_X4", 6, 4));
  cells.push_back(buffer("BUF_X1", 4, 1));
  cells.push_back(buffer("BUF_X2", 5, 2));
  cells.push_back(buffer("BUF_X4", 7, 4));
  const auto in = [](const char *name, TS sense, double width) {
    return InputPinSpec{name, sense, width};
  };
  const TS neg = TS::kNegativeUnate;
  const TS pos = TS::kPositiveUnate;
  const TS non = TS::kNonUnate;
  // NAND: NMOS upsized 1.67x for the 2-stack (so drive ~0.83 of INV_X1), PMOS unit.
  cells.push_back(singleStage({"NAND2_X1",
                               4,
                               {in("A", neg, 0.95), in("B", neg, 0.95)},
                               "!(A & B)",
                               {0.25, 0.45},
                               1.2,
                               0.5,
                               2,
                               0.9,
                               1}));
  cells.push_back(singleStage({"NAND3_X1",
                               5,
                               {in("A", neg, 1.05), in("B", neg, 1.05), in("C", neg, 1.05)},
                               "!(A & B & C)",
                               {0.2, 0.45},
                               1.6,
                               0.6,
                               3,
                               1.35,
                               1}));
  // NOR: PMOS doubled (0.9 each) for the 2-stack, still the weak side.
  cells.push_back(singleStage({"NOR2_X1",
                               4,
                               {in("A", neg, 1.2), in("B", neg, 1.2)},
                               "!(A | B)",
                               {0.3, 0.45},
                               1.3,
                               0.6,
                               1,
                               0.9,
                               2}));
  cells.push_back(singleStage({"NOR3_X1",
                               5,
                               {in("A", neg, 1.5), in("B", neg, 1.5), in("C", neg, 1.5)},
                               "!(A | B | C)",
                               {0.3, 0.4},
                               1.6,
                               0.9,
                               1,
                               1.2,
                               3}));
  cells.push_back(singleStage({"AOI21_X1",
                               6,
                               {in("A1", neg, 1.4), in("A2", neg, 1.4), in("B", neg, 1.2)},
                               "!((A1 & A2) | B)",
                               {0.25, 0.45},
                               1.5,
                               0.8,
                               1,
                               1.0,
                               2}));
  cells.push_back(singleStage({"OAI21_X1",
                               6,
                               {in("A1", neg, 1.5), in("A2", neg, 1.5), in("B", neg, 1.05)},
                               "!((A1 | A2) & B)",
                               {0.3, 0.45},
                               1.5,
                               0.7,
                               2,
                               1.1,
                               1}));
  cells.push_back(
      singleStage({"AOI22_X1",
                   7,
                   {in("A1", neg, 1.4), in("A2", neg, 1.4), in("B1", neg, 1.4), in("B2", neg, 1.4)},
                   "!((A1 & A2) | (B1 & B2))",
                   {0.25, 0.45},
                   1.8,
                   1.0,
                   2,
                   1.4,
                   2}));
  cells.push_back(
      singleStage({"OAI22_X1",
                   7,
                   {in("A1", neg, 1.5), in("A2", neg, 1.5), in("B1", neg, 1.5), in("B2", neg, 1.5)},
                   "!((A1 | A2) & (B1 | B2))",
                   {0.3, 0.45},
                   1.8,
                   1.2,
                   2,
                   1.4,
                   2}));
  cells.push_back(twoStage("AND2_X1", 5, {in("A", pos, 0.65), in("B", pos, 0.65)}, "A & B",
                           {0.175, 0.3}, 0.4, 1.0));
  cells.push_back(
      twoStage("OR2_X1", 5, {in("A", pos, 0.8), in("B", pos, 0.8)}, "A | B", {0.2, 0.3}, 0.6, 0.8));
  // Static XOR/XNOR: input inverters feeding a complex gate (each input sees ~2 gates),
  // then the output inverter.
  cells.push_back(twoStage("XOR2_X1", 8, {in("A", non, 1.2), in("B", non, 1.2)}, "A ^ B",
                           {0.2, 0.3}, 1.0, 1.4));
  cells.push_back(twoStage("XNOR2_X1", 8, {in("A", non, 1.2), in("B", non, 1.2)}, "!(A ^ B)",
                           {0.2, 0.3}, 1.0, 1.4));
  cells.push_back(twoStage(
      "MUX2_X1", 9, {in("A", pos, kUnitGateUm), in("B", pos, kUnitGateUm), in("S", non, 1.2)},
      "(A & !S) | (B & S)", {0.2, 0.3}, 1.1, 1.4));
  cells.push_back(tie("TIEHI_X1", "1"));
  cells.push_back(tie("TIELO_X1", "0"));
  cells.push_back(flipFlop("DFF_X1", 18, "", ""));
  cells.push_back(flipFlop("DFFR_X1", 21, "RN", ""));
  cells.push_back(flipFlop("DFFS_X1", 21, "", "SN"));
  cells.push_back(clockGate());
  cells.push_back(isolation());
  cells.push_back(levelShifter());
  cells.push_back(headerSwitch());
  return cells;
}

}  // namespace

const std::vector<CellSpec> &standardCells() {
  static const std::vector<CellSpec> cells = buildCatalog();
  return cells;
}

const CellSpec *findCell(const std::string &name) {
  for (const CellSpec &cell : standardCells())
    if (cell.name == name) return &cell;
  return nullptr;
}

}  // namespace pf::pdk
