#include "pdk_stub/LibertyWriter.hh"

#include <fmt/format.h>

#include <functional>

#include "core/Banner.hh"
#include "pdk_stub/Cells.hh"

namespace pf::pdk {

std::string pdkNumber(double value) { return fmt::format("{:.6g}", value); }

namespace {

// Indented liberty text. Groups are opened with open() and closed with close().
class LibertyText {
 public:
  void line(const std::string &text) {
    text_.append(2 * depth_, ' ');
    text_ += text;
    text_ += '\n';
  }
  void attr(const std::string &name, const std::string &value) { line(name + " : " + value + ";"); }
  void attr(const std::string &name, double value) { attr(name, pdkNumber(value)); }
  void quoted(const std::string &name, const std::string &value) {
    attr(name, "\"" + value + "\"");
  }
  void open(const std::string &group, const std::string &name = "") {
    line(group + " (" + name + ") {");
    ++depth_;
  }
  void close() {
    --depth_;
    line("}");
  }
  void raw(const std::string &text) { text_ += text; }
  const std::string &text() const { return text_; }

 private:
  std::string text_;
  int depth_ = 0;
};

using Table2d = std::function<double(double row_index, double column_index)>;

std::string joinValues(const std::vector<double> &values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + pdkNumber(values[i]);
  return text;
}

// values ("r0c0, r0c1, ...", "r1c0, ...") over two axes.
void table2d(LibertyText &out, const std::string &group, const std::string &tmpl,
             const std::vector<double> &rows, const std::vector<double> &columns,
             const Table2d &value) {
  out.open(group, tmpl);
  std::vector<std::string> lines;
  for (double row : rows) {
    std::vector<double> values;
    for (double column : columns) values.push_back(value(row, column));
    lines.push_back("\"" + joinValues(values) + "\"");
  }
  out.line("values ( \\");
  for (size_t i = 0; i < lines.size(); ++i)
    out.line("  " + lines[i] + (i + 1 < lines.size() ? ", \\" : " \\"));
  out.line(");");
  out.close();
}

void table1d(LibertyText &out, const std::string &group, const std::string &tmpl,
             const std::vector<double> &axis, const std::function<double(double)> &value) {
  out.open(group, tmpl);
  std::vector<double> values;
  for (double x : axis) values.push_back(value(x));
  out.line("values (\"" + joinValues(values) + "\");");
  out.close();
}

// Template names shared by both libraries.
constexpr const char *kDelayTemplate = "delay_slew_load";
constexpr const char *kConstraintTemplate = "constraint_slew_slew";
constexpr const char *kEnergyTemplate = "energy_slew_load";
constexpr const char *kPinEnergyTemplate = "energy_slew";

std::string bannerComment(const std::string &command, const std::string &description) {
  return "/*\n" + generatedBanner(" *", command) + " *\n * " + description + "\n */\n";
}

void libraryHeader(LibertyText &out, const ProcessParams &p, double vdd_v,
                   const std::string &comment) {
  const std::vector<double> &slews = p.axes.slew_index_ns;
  const std::vector<double> &loads = p.axes.load_index_pf;
  out.quoted("comment", comment);
  out.attr("delay_model", "table_lookup");
  out.attr("in_place_swap_mode", "match_footprint");
  out.quoted("time_unit", "1ns");
  out.quoted("voltage_unit", "1V");
  out.quoted("current_unit", "1mA");
  out.quoted("pulling_resistance_unit", "1kohm");
  out.quoted("leakage_power_unit", "1nW");
  out.line("capacitive_load_unit (1, pf);");
  out.attr("nom_process", 1.0);
  out.attr("nom_voltage", vdd_v);
  out.attr("nom_temperature", p.temperature_c);
  for (const char *edge : {"rise", "fall"}) {
    out.attr(fmt::format("input_threshold_pct_{}", edge), 50.0);
    out.attr(fmt::format("output_threshold_pct_{}", edge), 50.0);
    out.attr(fmt::format("slew_lower_threshold_pct_{}", edge), 10.0);
    out.attr(fmt::format("slew_upper_threshold_pct_{}", edge), 90.0);
  }
  out.attr("slew_derate_from_library", 1.0);
  out.attr("default_max_transition", slews.back());
  out.attr("default_fanout_load", 1.0);
  out.attr("default_input_pin_cap", 0.001);
  out.attr("default_output_pin_cap", 0.0);
  out.attr("default_inout_pin_cap", 0.001);
  out.attr("default_cell_leakage_power", 0.0);
  out.attr("default_leakage_power_density", 0.0);
  out.line(fmt::format("voltage_map (VDD, {});", pdkNumber(vdd_v)));
  out.line(fmt::format("voltage_map (VDDL, {});", pdkNumber(levelShifterInputVoltageV(p))));
  out.line(fmt::format("voltage_map (VVDD, {});", pdkNumber(vdd_v)));
  out.line("voltage_map (VSS, 0);");
  const std::string conditions = "typ_" + cornerTag(vdd_v);
  out.open("operating_conditions", conditions);
  out.attr("process", 1.0);
  out.attr("voltage", vdd_v);
  out.attr("temperature", p.temperature_c);
  out.attr("tree_type", "balanced_tree");
  out.close();
  out.attr("default_operating_conditions", conditions);

  out.open("lu_table_template", kDelayTemplate);
  out.attr("variable_1", "input_net_transition");
  out.attr("variable_2", "total_output_net_capacitance");
  out.line("index_1 (\"" + joinValues(slews) + "\");");
  out.line("index_2 (\"" + joinValues(loads) + "\");");
  out.close();
  out.open("lu_table_template", kConstraintTemplate);
  out.attr("variable_1", "constrained_pin_transition");
  out.attr("variable_2", "related_pin_transition");
  out.line("index_1 (\"" + joinValues(slews) + "\");");
  out.line("index_2 (\"" + joinValues(slews) + "\");");
  out.close();
  out.open("power_lut_template", kEnergyTemplate);
  out.attr("variable_1", "input_transition_time");
  out.attr("variable_2", "total_output_net_capacitance");
  out.line("index_1 (\"" + joinValues(slews) + "\");");
  out.line("index_2 (\"" + joinValues(loads) + "\");");
  out.close();
  out.open("power_lut_template", kPinEnergyTemplate);
  out.attr("variable_1", "input_transition_time");
  out.line("index_1 (\"" + joinValues(slews) + "\");");
  out.close();
}

void pgPin(LibertyText &out, const std::string &name, const std::string &type) {
  out.open("pg_pin", name);
  out.attr("voltage_name", name);
  out.attr("pg_type", type);
  out.close();
}

// ---------------------------------------------------------------------------------------
// Standard cells.

struct CellContext {
  const ProcessParams &p;
  const CellSpec &cell;
  Supply supply;
};

void pgPins(LibertyText &out, const CellContext &c) {
  switch (c.cell.kind) {
    case CellKind::kLevelShifter:
      out.open("pg_pin", "VDDL");
      out.attr("voltage_name", "VDDL");
      out.attr("pg_type", "primary_power");
      out.attr("std_cell_main_rail", "true");
      out.close();
      pgPin(out, "VDD", "primary_power");
      break;
    case CellKind::kPowerSwitch:
      out.open("pg_pin", "VDD");
      out.attr("voltage_name", "VDD");
      out.attr("pg_type", "primary_power");
      out.attr("direction", "input");
      out.close();
      out.open("pg_pin", "VVDD");
      out.attr("voltage_name", "VVDD");
      out.attr("pg_type", "internal_power");
      out.attr("direction", "output");
      out.quoted("pg_function", "VDD");
      out.quoted("switch_function", "SLEEP");
      out.close();
      break;
    default:
      pgPin(out, "VDD", "primary_power");
  }
  pgPin(out, "VSS", "primary_ground");
}

void cellAttributes(LibertyText &out, const CellContext &c) {
  const double area_um2 = cellAreaUm2(c.p, c.cell);
  out.attr("area", area_um2);
  out.attr("cell_footprint", c.cell.name.substr(0, c.cell.name.rfind('_')));
  out.attr("cell_leakage_power", cellLeakageNw(c.p, c.cell, c.supply));
  if (c.cell.dont_use) out.attr("dont_use", "true");
  switch (c.cell.kind) {
    case CellKind::kClockGate:
      out.quoted("clock_gating_integrated_cell", "latch_posedge");
      break;
    case CellKind::kIsolation:
      out.attr("is_isolation_cell", "true");
      break;
    case CellKind::kLevelShifter:
      out.attr("is_level_shifter", "true");
      out.attr("level_shifter_type", "LH");
      out.line(fmt::format("input_voltage_range ({}, {});", pdkNumber(c.p.corners_v.front()),
                           pdkNumber(c.p.corners_v.back())));
      out.line(fmt::format("output_voltage_range ({}, {});", pdkNumber(c.p.corners_v.front()),
                           pdkNumber(c.p.corners_v.back())));
      break;
    case CellKind::kPowerSwitch:
      out.attr("switch_cell_type", "coarse_grain");
      out.attr("dont_touch", "true");
      break;
    default:
      break;
  }
}

void stateGroup(LibertyText &out, const CellSpec &cell) {
  if (cell.kind == CellKind::kFlipFlop) {
    out.open("ff", "IQ, IQN");
    out.quoted("next_state", cell.data_pin);
    out.quoted("clocked_on", cell.clock_pin);
    if (!cell.clear_pin.empty()) out.quoted("clear", "!" + cell.clear_pin);
    if (!cell.preset_pin.empty()) out.quoted("preset", "!" + cell.preset_pin);
    if (!cell.clear_pin.empty() && !cell.preset_pin.empty()) {
      out.attr("clear_preset_var1", "L");
      out.attr("clear_preset_var2", "H");
    }
    out.close();
  } else if (cell.kind == CellKind::kClockGate) {
    // Enable latch, transparent while the clock is low (latch_posedge ICG).
    out.open("latch", "IQ, IQN");
    out.quoted("enable", "!" + cell.clock_pin);
    out.quoted("data_in", cell.data_pin);
    out.close();
  }
}

void constraintTables(LibertyText &out, const CellContext &c, const std::string &type,
                      bool rise_only) {
  const double v = c.supply.vdd_v;
  const bool hold =
      type.find("hold") != std::string::npos || type.find("removal") != std::string::npos;
  const Table2d value = [&](double data_slew, double clock_slew) {
    return hold ? holdTimeNs(c.p, v, data_slew, clock_slew)
                : setupTimeNs(c.p, v, data_slew, clock_slew);
  };
  out.open("timing");
  out.quoted("related_pin", c.cell.clock_pin);
  out.attr("timing_type", type);
  const std::vector<double> &slews = c.p.axes.slew_index_ns;
  table2d(out, "rise_constraint", kConstraintTemplate, slews, slews, value);
  if (!rise_only) table2d(out, "fall_constraint", kConstraintTemplate, slews, slews, value);
  out.close();
}

void pinEnergy(LibertyText &out, const CellContext &c, double energy_pj) {
  out.open("internal_power");
  const std::function<double(double)> constant = [energy_pj](double) { return energy_pj; };
  table1d(out, "rise_power", kPinEnergyTemplate, c.p.axes.slew_index_ns, constant);
  table1d(out, "fall_power", kPinEnergyTemplate, c.p.axes.slew_index_ns, constant);
  out.close();
}

void inputPin(LibertyText &out, const CellContext &c, const InputPinSpec &pin) {
  const CellSpec &cell = c.cell;
  const bool is_clock = pin.name == cell.clock_pin;
  out.open("pin", pin.name);
  out.attr("direction", "input");
  out.attr("capacitance", inputPinCapPf(c.p, pin));
  out.attr("related_power_pin", cell.kind == CellKind::kLevelShifter ? "VDDL" : "VDD");
  out.attr("related_ground_pin", "VSS");
  if (is_clock) out.attr("clock", "true");
  if (cell.kind == CellKind::kClockGate)
    out.attr(is_clock ? "clock_gate_clock_pin" : "clock_gate_enable_pin", "true");
  if (cell.kind == CellKind::kIsolation)
    out.attr(pin.name == "ISO" ? "isolation_cell_enable_pin" : "isolation_cell_data_pin", "true");
  if (cell.kind == CellKind::kLevelShifter) {
    out.attr("input_signal_level", "VDDL");
    out.attr("level_shifter_data_pin", "true");
  }
  if (cell.kind == CellKind::kPowerSwitch) out.attr("switch_pin", "true");
  if (is_clock) pinEnergy(out, c, clockPinEnergyPj(c.p, cell, c.supply.vdd_v));
  if (pin.name == cell.data_pin) {
    pinEnergy(out, c, dataPinEnergyPj(c.p, cell, c.supply.vdd_v));
    constraintTables(out, c, "setup_rising", false);
    constraintTables(out, c, "hold_rising", false);
  }
  if (pin.name == cell.clear_pin || pin.name == cell.preset_pin) {
    // Release of the active-low async pin (rising edge) against the clock.
    constraintTables(out, c, "recovery_rising", true);
    constraintTables(out, c, "removal_rising", true);
  }
  out.close();
}

std::string senseName(TimingSense sense) {
  switch (sense) {
    case TimingSense::kPositiveUnate:
      return "positive_unate";
    case TimingSense::kNegativeUnate:
      return "negative_unate";
    default:
      return "non_unate";
  }
}

void delayTables(LibertyText &out, const CellContext &c, Edge edge) {
  const bool rise = edge == Edge::kRise;
  const auto timing = [&](double slew, double load) {
    return cellArcTiming(c.p, c.cell, c.supply, edge, slew, load);
  };
  const std::vector<double> &slews = c.p.axes.slew_index_ns;
  const std::vector<double> &loads = c.p.axes.load_index_pf;
  table2d(out, rise ? "cell_rise" : "cell_fall", kDelayTemplate, slews, loads,
          [&](double s, double l) { return timing(s, l).delay_ns; });
  table2d(out, rise ? "rise_transition" : "fall_transition", kDelayTemplate, slews, loads,
          [&](double s, double l) { return timing(s, l).transition_ns; });
}

struct Arc {
  std::string related_pin;
  std::string sense;  // empty: omitted (edge-triggered arcs)
  std::string type;   // empty: combinational
  bool rise = true;
  bool fall = true;
};

std::vector<Arc> outputArcs(const CellSpec &cell) {
  std::vector<Arc> arcs;
  if (cell.kind == CellKind::kFlipFlop) {
    arcs.push_back({cell.clock_pin, "", "rising_edge"});
    if (!cell.clear_pin.empty())
      arcs.push_back({cell.clear_pin, "positive_unate", "clear", false, true});
    if (!cell.preset_pin.empty())
      arcs.push_back({cell.preset_pin, "negative_unate", "preset", true, false});
    return arcs;
  }
  if (cell.kind == CellKind::kClockGate) {
    arcs.push_back({cell.clock_pin, "positive_unate", ""});
    return arcs;
  }
  for (const InputPinSpec &pin : cell.inputs) arcs.push_back({pin.name, senseName(pin.sense), ""});
  return arcs;
}

void outputPin(LibertyText &out, const CellContext &c) {
  const CellSpec &cell = c.cell;
  out.open("pin", cell.output);
  out.attr("direction", "output");
  const bool sequential = cell.kind == CellKind::kFlipFlop;
  out.quoted("function", sequential ? "IQ" : cell.function);
  out.attr("related_power_pin", "VDD");
  out.attr("related_ground_pin", "VSS");
  if (cell.kind == CellKind::kTie) {
    out.close();
    return;
  }
  out.attr("max_capacitance", c.p.axes.load_index_pf.back());
  if (cell.kind == CellKind::kClockGate) out.attr("clock_gate_out_pin", "true");
  if (cell.kind == CellKind::kLevelShifter) out.attr("output_signal_level", "VDD");
  const std::vector<Arc> arcs = outputArcs(cell);
  for (const Arc &arc : arcs) {
    out.open("timing");
    out.quoted("related_pin", arc.related_pin);
    if (!arc.sense.empty()) out.attr("timing_sense", arc.sense);
    if (!arc.type.empty()) out.attr("timing_type", arc.type);
    if (arc.rise) delayTables(out, c, Edge::kRise);
    if (arc.fall) delayTables(out, c, Edge::kFall);
    out.close();
  }
  const Table2d energy = [&](double slew, double load) {
    return cellInternalEnergyPj(c.p, cell, c.supply, slew, load);
  };
  const std::vector<double> &slews = c.p.axes.slew_index_ns;
  const std::vector<double> &loads = c.p.axes.load_index_pf;
  for (const Arc &arc : arcs) {
    out.open("internal_power");
    out.quoted("related_pin", arc.related_pin);
    table2d(out, "rise_power", kEnergyTemplate, slews, loads, energy);
    table2d(out, "fall_power", kEnergyTemplate, slews, loads, energy);
    out.close();
  }
  out.close();
}

void writeCell(LibertyText &out, const CellContext &c) {
  out.open("cell", c.cell.name);
  cellAttributes(out, c);
  pgPins(out, c);
  stateGroup(out, c.cell);
  for (const InputPinSpec &pin : c.cell.inputs) inputPin(out, c, pin);
  outputPin(out, c);
  out.close();
}

// ---------------------------------------------------------------------------------------
// SRAM macros.

struct SramContext {
  const ProcessParams &p;
  const SramMacroSpec &macro;
  const SramFigures &figures;
  double vdd_v;
};

std::string busTypeName(const SramMacroSpec &macro, const std::string &suffix) {
  return macro.name + "_" + suffix;
}

void busType(LibertyText &out, const std::string &name, int width) {
  out.open("type", name);
  out.attr("base_type", "array");
  out.attr("data_type", "bit");
  out.attr("bit_width", fmt::format("{}", width));
  out.attr("bit_from", fmt::format("{}", width - 1));
  out.attr("bit_to", "0");
  out.attr("downto", "true");
  out.close();
}

void sramConstraints(LibertyText &out, const SramContext &c) {
  const std::vector<double> &slews = c.p.axes.slew_index_ns;
  for (const char *type : {"setup_rising", "hold_rising"}) {
    const bool hold = std::string(type) == "hold_rising";
    const Table2d value = [&](double data_slew, double clock_slew) {
      const double base = hold ? c.figures.hold_ns : c.figures.setup_ns;
      return hold ? base + 0.2 * clock_slew - 0.1 * data_slew
                  : base + 0.3 * data_slew - 0.2 * clock_slew;
    };
    out.open("timing");
    out.quoted("related_pin", "CLK");
    out.attr("timing_type", type);
    table2d(out, "rise_constraint", kConstraintTemplate, slews, slews, value);
    table2d(out, "fall_constraint", kConstraintTemplate, slews, slews, value);
    out.close();
  }
}

void sramInput(LibertyText &out, const SramContext &c, const std::string &group,
               const std::string &name, const std::string &bus_type) {
  out.open(group, name);
  if (!bus_type.empty()) out.attr("bus_type", bus_type);
  out.attr("direction", "input");
  out.attr("capacitance", c.p.sram.input_pin_cap_ff * 1e-3);
  out.attr("related_power_pin", "VDD");
  out.attr("related_ground_pin", "VSS");
  sramConstraints(out, c);
  out.close();
}

void sramClockEnergy(LibertyText &out, const SramContext &c, const std::string &when,
                     double energy_pj) {
  out.open("internal_power");
  out.quoted("when", when);
  const std::vector<double> &slews = c.p.axes.slew_index_ns;
  table1d(out, "rise_power", kPinEnergyTemplate, slews, [energy_pj](double) { return energy_pj; });
  table1d(out, "fall_power", kPinEnergyTemplate, slews, [](double) { return 0.0; });
  out.close();
}

void sramOutput(LibertyText &out, const SramContext &c) {
  out.open("bus", "Q");
  out.attr("bus_type", busTypeName(c.macro, "data"));
  out.attr("direction", "output");
  out.attr("related_power_pin", "VDD");
  out.attr("related_ground_pin", "VSS");
  out.attr("max_capacitance", c.p.axes.load_index_pf.back());
  out.open("timing");
  out.quoted("related_pin", "CLK");
  out.attr("timing_type", "rising_edge");
  const std::vector<double> &slews = c.p.axes.slew_index_ns;
  const std::vector<double> &loads = c.p.axes.load_index_pf;
  for (Edge edge : {Edge::kRise, Edge::kFall}) {
    const bool rise = edge == Edge::kRise;
    const auto driver = [&](double load) { return sramOutputTiming(c.p, edge, c.vdd_v, load); };
    // The clock slew delays the internal clock buffer like an FO4 stage input.
    table2d(out, rise ? "cell_rise" : "cell_fall", kDelayTemplate, slews, loads,
            [&](double slew, double load) {
              return c.figures.access_time_ns + 0.3 * slew + driver(load).delay_ns;
            });
    table2d(out, rise ? "rise_transition" : "fall_transition", kDelayTemplate, slews, loads,
            [&](double, double load) { return driver(load).transition_ns; });
  }
  out.close();
  out.close();
}

void writeSramCell(LibertyText &out, const SramContext &c) {
  const SramFigures &f = c.figures;
  out.open("cell", c.macro.name);
  out.attr("area", f.area_um2);
  out.attr("is_macro_cell", "true");
  out.attr("dont_use", "true");
  out.attr("dont_touch", "true");
  out.attr("interface_timing", "true");
  out.attr("cell_leakage_power", f.leakage_nw);
  pgPin(out, "VDD", "primary_power");
  pgPin(out, "VSS", "primary_ground");
  sramInput(out, c, "pin", "CE", "");
  sramInput(out, c, "pin", "WE", "");
  out.open("pin", "CLK");
  out.attr("direction", "input");
  out.attr("clock", "true");
  out.attr("capacitance", c.p.sram.clock_pin_cap_ff * 1e-3);
  out.attr("related_power_pin", "VDD");
  out.attr("related_ground_pin", "VSS");
  sramClockEnergy(out, c, "CE & !WE", f.read_energy_pj);
  sramClockEnergy(out, c, "CE & WE", f.write_energy_pj);
  sramClockEnergy(out, c, "!CE", f.idle_clock_energy_pj);
  out.close();
  sramInput(out, c, "bus", "A", busTypeName(c.macro, "addr"));
  sramInput(out, c, "bus", "D", busTypeName(c.macro, "data"));
  sramOutput(out, c);
  out.close();
}

}  // namespace

std::string stdLibraryName(const ProcessParams &p, double vdd_v) {
  return p.name + "_std_" + cornerTag(vdd_v);
}

std::string sramLibraryName(const ProcessParams &p, double vdd_v) {
  return p.name + "_sram_" + cornerTag(vdd_v);
}

double levelShifterInputVoltageV(const ProcessParams &p) { return p.corners_v.front(); }

std::string stdLibertyText(const ProcessParams &p, double vdd_v, const std::string &command) {
  const std::string name = stdLibraryName(p, vdd_v);
  LibertyText out;
  out.raw(bannerComment(
      command, fmt::format("{} standard cells at {} V, {} C: stub PDK from a physical model "
                           "(docs/pdk_stub.md), not foundry data.",
                           p.name, pdkNumber(vdd_v), pdkNumber(p.temperature_c))));
  out.open("library", name);
  libraryHeader(out, p, vdd_v, "pf stub PDK; see docs/pdk_stub.md");
  const Supply supply{vdd_v, levelShifterInputVoltageV(p)};
  for (const CellSpec &cell : standardCells()) writeCell(out, {p, cell, supply});
  out.close();
  return out.text();
}

std::string sramLibertyText(const ProcessParams &p, double vdd_v, const std::string &command) {
  LibertyText out;
  out.raw(bannerComment(
      command,
      fmt::format("{} single-port SRAM macros at {} V, {} C: stub PDK from a physical model "
                  "(docs/pdk_stub.md). CLK internal_power: read (CE & !WE), write (CE & WE) "
                  "and idle (!CE) energy per rising clock edge. Retention data: {}_power.toml.",
                  p.name, pdkNumber(vdd_v), pdkNumber(p.temperature_c), p.name)));
  out.open("library", sramLibraryName(p, vdd_v));
  libraryHeader(out, p, vdd_v, "pf stub PDK SRAM macros; see docs/pdk_stub.md");
  for (const SramMacroSpec &macro : p.sram.macros) {
    busType(out, busTypeName(macro, "addr"), addressBits(macro.words));
    busType(out, busTypeName(macro, "data"), macro.bits);
  }
  for (const SramMacroSpec &macro : p.sram.macros) {
    const SramFigures figures = sramFigures(p, macro, vdd_v);
    writeSramCell(out, {p, macro, figures, vdd_v});
  }
  out.close();
  return out.text();
}

}  // namespace pf::pdk
