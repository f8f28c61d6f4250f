#include "pdk_stub/PowerSidecarWriter.hh"

#include <fmt/format.h>

#include <functional>

#include "core/Banner.hh"
#include "pdk_stub/Cells.hh"
#include "pdk_stub/LibertyWriter.hh"

namespace pf::pdk {

namespace {

// TOML keeps a float a float: "1" would read back as an integer.
std::string tomlFloat(double value) {
  std::string text = pdkNumber(value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

class TomlText {
 public:
  void comment(const std::string &text) { text_ += "# " + text + "\n"; }
  void blank() { text_ += "\n"; }
  void section(const std::string &name) { text_ += "[" + name + "]\n"; }
  void arraySection(const std::string &name) { text_ += "[[" + name + "]]\n"; }
  void number(const std::string &key, double value) {
    text_ += key + " = " + tomlFloat(value) + "\n";
  }
  void integer(const std::string &key, int value) { text_ += fmt::format("{} = {}\n", key, value); }
  void string(const std::string &key, const std::string &value) {
    text_ += key + " = \"" + value + "\"\n";
  }
  void numbers(const std::string &key, const std::vector<double> &values) {
    std::string list;
    for (size_t i = 0; i < values.size(); ++i) list += (i ? ", " : "") + tomlFloat(values[i]);
    text_ += key + " = [" + list + "]\n";
  }
  void strings(const std::string &key, const std::vector<std::string> &values) {
    std::string list;
    for (size_t i = 0; i < values.size(); ++i) list += (i ? ", \"" : "\"") + values[i] + "\"";
    text_ += key + " = [" + list + "]\n";
  }
  void raw(const std::string &text) { text_ += text; }
  const std::string &text() const { return text_; }

 private:
  std::string text_;
};

std::vector<double> perCorner(const ProcessParams &p, const std::function<double(double)> &f) {
  std::vector<double> values;
  for (double v : p.corners_v) values.push_back(f(v));
  return values;
}

const CellSpec &requireCell(const std::string &name) {
  const CellSpec *cell = findCell(name);
  return *cell;  // catalog cells named here always exist (checked by the tests)
}

void header(TomlText &out, const ProcessParams &p) {
  out.comment("Rails, power switches, isolation, level shifters and SRAM retention of the");
  out.comment("stub PDK. Per-corner arrays follow corners_v. Formulas and sources:");
  out.comment("docs/pdk_stub.md, section \"Power sidecar\".");
  out.blank();
  out.string("process", p.name);
  out.number("nominal_voltage_v", p.nominal_vdd_v);
  out.number("temperature_c", p.temperature_c);
  out.numbers("corners_v", p.corners_v);
  std::vector<std::string> names, std_files, sram_files;
  for (double v : p.corners_v) {
    names.push_back(cornerTag(v));
    std_files.push_back(stdLibraryName(p, v) + ".lib");
    sram_files.push_back(sramLibraryName(p, v) + ".lib");
  }
  out.strings("corner_names", names);
  out.strings("std_liberty_files", std_files);
  out.strings("sram_liberty_files", sram_files);
}

void rails(TomlText &out, const ProcessParams &p) {
  const PowerParams &w = p.power;
  out.blank();
  out.section("regulator");
  out.comment("Power drawn from the source = power delivered on the rail / efficiency_ratio.");
  out.number("efficiency_ratio", w.regulator_efficiency_ratio);
  out.blank();
  out.section("rail_ramp");
  out.comment("A regulator output changing from v0 to v1 (rails are normally fixed):");
  out.comment("  time_us = settle_us + |v1 - v0| / ramp_v_per_us");
  out.comment("  energy_pj = 0.5 * rail_cap_pf * max(0, v1^2 - v0^2) / efficiency_ratio");
  out.number("ramp_v_per_us", w.rail_ramp_v_per_us);
  out.number("settle_us", w.rail_settle_us);
  out.blank();
  out.section("rail_switch");
  out.comment("A powered domain moved between two fixed rails through its power multiplexer:");
  out.comment("  time_us = settle_us + domain_cap_pf * |v1 - v0| / inrush_limit_ma * 1e-3");
  out.comment("  energy_pj = domain_cap_pf * v1 * max(0, v1 - v0) / efficiency_ratio");
  out.comment("(a step down returns the charge to the lower rail: no energy is charged).");
  out.number("settle_us", w.power_mux_settle_us);
  out.number("inrush_limit_ma", w.inrush_limit_ma);
}

void headerSwitch(TomlText &out, const ProcessParams &p) {
  const PowerParams &w = p.power;
  const CellSpec &sw = requireCell("HEADSW_X1");
  const CellSpec &nand = requireCell("NAND2_X1");
  out.blank();
  out.section("header_switch");
  out.comment("Coarse-grain high-Vth PMOS header (liberty cell HEADSW_X1), daisy-chained.");
  out.comment("Wake-up of a domain of capacitance C from off to rail v:");
  out.comment("  wake_time_ns = wake_fixed_ns + domain_cap_pf * v / inrush_limit_ma");
  out.comment("  wake_energy_pj = domain_cap_pf * v^2 / efficiency_ratio  (C V^2: half stored,");
  out.comment("                   half dissipated in the switches; the stored half is lost at");
  out.comment("                   the next power-down)");
  out.comment("Default domain capacitance: domain_capacitance_ff_per_um2 * placed cell area.");
  out.comment("gated_leakage_ratio: off-leakage of the switches / on-leakage of the logic they");
  out.comment("supply (domain_area_per_switch_um2 of NAND2_X1-density logic).");
  out.string("cell", sw.name);
  out.number("switch_width_um", sw.switch_width_um);
  out.number("switch_vth_offset_v", w.switch_vth_offset_v);
  out.number("wake_fixed_ns", w.wake_fixed_ns);
  out.number("inrush_limit_ma", w.inrush_limit_ma);
  out.number("domain_area_per_switch_um2", w.domain_area_per_switch_um2);
  out.number("domain_capacitance_ff_per_um2", w.domain_capacitance_ff_per_um2);
  out.numbers("on_resistance_ohm", perCorner(p, [&](double v) {
                return onResistanceOhm(p, Polarity::kPmos, sw.switch_width_um, v);
              }));
  out.numbers("off_leakage_nw",
              perCorner(p, [&](double v) { return switchOffLeakageNw(p, sw.switch_width_um, v); }));
  const auto logicLeakageNwPerUm2 = [&](double v) {
    return cellLeakageNw(p, nand, {v, v}) / cellAreaUm2(p, nand);
  };
  out.numbers("domain_leakage_nw_per_um2", perCorner(p, logicLeakageNwPerUm2));
  out.numbers("gated_leakage_ratio", perCorner(p, [&](double v) {
                return switchOffLeakageNw(p, sw.switch_width_um, v) /
                       (logicLeakageNwPerUm2(v) * w.domain_area_per_switch_um2);
              }));
}

// Delay, energy and leakage of a special cell at the reference load and slew.
void cellOverheads(TomlText &out, const ProcessParams &p, const std::string &section,
                   const CellSpec &cell, double vddl_v) {
  const double load_pf = sidecarReferenceLoadPf(p);
  const double slew_ns = sidecarReferenceSlewNs(p);
  out.blank();
  out.section(section);
  out.comment(fmt::format("Liberty cell {} at {} pF load and {} ns input slew; delay is the",
                          cell.name, pdkNumber(load_pf), pdkNumber(slew_ns)));
  out.comment("mean of rise and fall; energy per output transition includes charging the load.");
  out.string("cell", cell.name);
  out.number("area_um2", cellAreaUm2(p, cell));
  const auto supply = [&](double v) { return Supply{v, vddl_v > 0 ? vddl_v : v}; };
  out.numbers("delay_ns", perCorner(p, [&](double v) {
                const double rise =
                    cellArcTiming(p, cell, supply(v), Edge::kRise, slew_ns, load_pf).delay_ns;
                const double fall =
                    cellArcTiming(p, cell, supply(v), Edge::kFall, slew_ns, load_pf).delay_ns;
                return (rise + fall) / 2;
              }));
  out.numbers("energy_pj_per_transition", perCorner(p, [&](double v) {
                return cellInternalEnergyPj(p, cell, supply(v), slew_ns, load_pf) +
                       0.5 * load_pf * v * v;
              }));
  out.numbers("leakage_nw",
              perCorner(p, [&](double v) { return cellLeakageNw(p, cell, supply(v)); }));
}

void sramMacros(TomlText &out, const ProcessParams &p) {
  const SramParams &s = p.sram;
  for (const SramMacroSpec &macro : s.macros) {
    const SramFigures nominal = sramFigures(p, macro, p.nominal_vdd_v);
    const auto figure = [&](const std::function<double(const SramFigures &)> &pick) {
      return perCorner(p, [&](double v) { return pick(sramFigures(p, macro, v)); });
    };
    out.blank();
    out.arraySection("sram");
    out.comment("Retention: periphery gated, array at retention_voltage_v, data kept, no access.");
    out.string("name", macro.name);
    out.integer("words", macro.words);
    out.integer("bits", macro.bits);
    out.integer("column_mux", macro.column_mux);
    out.number("area_um2", nominal.area_um2);
    out.number("retention_voltage_v", s.retention_voltage_v);
    out.number("retention_leakage_nw", nominal.retention_leakage_nw);
    out.number("retention_exit_ns", s.retention_exit_ns);
    out.numbers("access_time_ns", figure([](const SramFigures &f) { return f.access_time_ns; }));
    out.numbers("cycle_time_ns", figure([](const SramFigures &f) { return f.cycle_time_ns; }));
    out.numbers("read_energy_pj", figure([](const SramFigures &f) { return f.read_energy_pj; }));
    out.numbers("write_energy_pj", figure([](const SramFigures &f) { return f.write_energy_pj; }));
    out.numbers("idle_clock_energy_pj",
                figure([](const SramFigures &f) { return f.idle_clock_energy_pj; }));
    out.numbers("leakage_nw", figure([](const SramFigures &f) { return f.leakage_nw; }));
  }
}

}  // namespace

std::string powerSidecarFileName(const ProcessParams &p) { return p.name + "_power.toml"; }

double sidecarReferenceLoadPf(const ProcessParams &p) {
  return 4 * inputPinCapPf(p, requireCell("INV_X1").inputs.front());
}

double sidecarReferenceSlewNs(const ProcessParams &p) {
  const std::vector<double> &slews = p.axes.slew_index_ns;
  return slews.size() > 1 ? slews[1] : slews.front();
}

std::string powerSidecarText(const ProcessParams &p, const std::string &command) {
  TomlText out;
  out.raw(generatedBanner("#", command));
  header(out, p);
  rails(out, p);
  headerSwitch(out, p);
  cellOverheads(out, p, "isolation", requireCell("ISO_AND_X1"), 0);
  cellOverheads(out, p, "level_shifter", requireCell("LS_LH_X1"), levelShifterInputVoltageV(p));
  out.number("input_voltage_v", levelShifterInputVoltageV(p));
  sramMacros(out, p);
  return out.text();
}

}  // namespace pf::pdk
