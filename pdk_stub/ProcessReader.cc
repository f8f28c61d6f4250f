#include "pdk_stub/ProcessReader.hh"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "core/Error.hh"
#include "core/Toml.hh"

namespace pf::pdk {

namespace {

constexpr double kMvPerV = 1000.0;

// A number array whose elements are checked one by one, so an error points at the element
// ("operating.corners_v[2]") and its line.
struct LocatedNumbers {
  std::vector<double> values;
  std::vector<SourceLoc> locations;
  std::vector<std::string> fields;
};

LocatedNumbers readLocatedNumbers(const TomlReader &reader, const std::string &key) {
  LocatedNumbers numbers;
  numbers.values = reader.requireNumberArray(key);  // type errors with element location
  const toml::array &array = *reader.table().get(key)->as_array();
  for (size_t i = 0; i < array.size(); ++i) {
    numbers.locations.push_back(pf::locationOf(array[i], reader.file()));
    numbers.fields.push_back(fmt::format("{}[{}]", reader.fieldPath(key), i));
  }
  if (numbers.values.empty()) reader.fail(2014, key, "must not be empty");
  return numbers;
}

// `format` is the message's text, given the value and the one before it.
void requireIncreasing(int id, const LocatedNumbers &numbers, const char *format) {
  for (size_t i = 1; i < numbers.values.size(); ++i)
    if (!(numbers.values[i] > numbers.values[i - 1]))
      throw Error(id, numbers.locations[i], numbers.fields[i],
                  fmt::format(fmt::runtime(format), numbers.values[i], numbers.values[i - 1]));
}

void readDevice(const TomlReader &r, DeviceParams &d) {
  r.rejectUnknownKeys({"vth0_v", "dibl_mv_per_v", "alpha", "nmos_i_dsat_ua_per_um",
                       "pmos_i_dsat_ua_per_um", "v_dsat_nominal_v", "effective_current_ratio",
                       "subthreshold_slope_mv_per_dec", "i_off_na_per_um", "min_overdrive_v"});
  d.vth0_v = r.requireNumberIn("vth0_v", 0.1, 1.0);
  d.dibl_v_per_v = r.requireNumberIn("dibl_mv_per_v", 0, 300) / kMvPerV;
  d.alpha = r.requireNumberIn("alpha", 1.0, 2.0);
  d.nmos_i_dsat_ua_per_um = r.requireNumberIn("nmos_i_dsat_ua_per_um", 10, 3000);
  d.pmos_i_dsat_ua_per_um = r.requireNumberIn("pmos_i_dsat_ua_per_um", 10, 3000);
  d.v_dsat_nominal_v = r.requireNumberIn("v_dsat_nominal_v", 0.05, 1.0);
  d.effective_current_ratio = r.requireNumberIn("effective_current_ratio", 0.1, 1.0);
  d.subthreshold_slope_v_per_dec =
      r.requireNumberIn("subthreshold_slope_mv_per_dec", 60, 200) / kMvPerV;
  d.i_off_na_per_um = r.requireNumberIn("i_off_na_per_um", 1e-6, 1e4);
  d.min_overdrive_v = r.requireNumberIn("min_overdrive_v", 0.0, 0.5);
}

void readCapacitance(const TomlReader &r, CapacitanceParams &c) {
  r.rejectUnknownKeys({"c_gate_ff_per_um", "c_diff_ff_per_um", "c_pin_wire_ff"});
  c.c_gate_ff_per_um = r.requireNumberIn("c_gate_ff_per_um", 0.05, 10);
  c.c_diff_ff_per_um = r.requireNumberIn("c_diff_ff_per_um", 0, 10);
  c.c_pin_wire_ff = r.requireNumberIn("c_pin_wire_ff", 0, 10);
}

void readTiming(const TomlReader &r, TimingParams &t) {
  r.rejectUnknownKeys(
      {"slew_feedthrough_ratio", "short_circuit_coefficient", "setup_stages", "hold_stages"});
  t.slew_feedthrough_ratio = r.requireNumberIn("slew_feedthrough_ratio", 0, 1);
  t.short_circuit_coefficient = r.requireNumberIn("short_circuit_coefficient", 0, 2);
  t.setup_stages = r.requireNumberIn("setup_stages", 0, 20);
  t.hold_stages = r.requireNumberIn("hold_stages", 0, 20);
}

void readLeakage(const TomlReader &r, LeakageParams &l) {
  r.rejectUnknownKeys({"stack_factor_2", "stack_factor_3"});
  l.stack_factor_2 = r.requireNumberIn("stack_factor_2", 0.001, 1);
  l.stack_factor_3 = r.requireNumberIn("stack_factor_3", 0.001, 1);
}

void readLayout(const TomlReader &r, LayoutParams &l) {
  r.rejectUnknownKeys({"site_width_um", "row_height_um"});
  l.site_width_um = r.requireNumberIn("site_width_um", 0.01, 10);
  l.row_height_um = r.requireNumberIn("row_height_um", 0.1, 20);
}

std::vector<double> readAxis(const TomlReader &r, const std::string &key, double max) {
  const LocatedNumbers axis = readLocatedNumbers(r, key);
  for (size_t i = 0; i < axis.values.size(); ++i)
    if (!(axis.values[i] > 0 && axis.values[i] <= max))
      throw Error(2008, axis.locations[i], axis.fields[i],
                  fmt::format("value {} is outside (0, {}]", axis.values[i], max));
  requireIncreasing(2003, axis, "table index values must be strictly increasing ({} after {})");
  return axis.values;
}

void readAxes(const TomlReader &r, LibertyAxes &a) {
  r.rejectUnknownKeys({"slew_index_ns", "load_index_pf"});
  a.slew_index_ns = readAxis(r, "slew_index_ns", 100);
  a.load_index_pf = readAxis(r, "load_index_pf", 100);
}

SramMacroSpec readMacro(const TomlReader &r) {
  r.rejectUnknownKeys({"name", "words", "bits", "column_mux"});
  SramMacroSpec macro;
  macro.name = r.requireString("name");
  for (char ch : macro.name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'))
      r.fail(2009, "name", "only letters, digits and '_' are allowed");
  const auto requirePowerOfTwo = [&r](const std::string &key, int64_t min, int64_t max) {
    const int64_t value = r.requireInteger(key);
    if (value < min || value > max || (value & (value - 1)) != 0)
      r.fail(2004, key, fmt::format("must be a power of two in [{}, {}], got {}", min, max, value));
    return static_cast<int>(value);
  };
  macro.words = requirePowerOfTwo("words", 16, 1 << 20);
  macro.column_mux = requirePowerOfTwo("column_mux", 1, 32);
  const int64_t bits = r.requireInteger("bits");
  if (bits < 1 || bits > 4096) r.fail(2010, "bits", "must be in [1, 4096]");
  macro.bits = static_cast<int>(bits);
  if (macro.column_mux > macro.words) r.fail(2011, "column_mux", "must not exceed words");
  return macro;
}

void readSram(const TomlReader &r, SramParams &s) {
  r.rejectUnknownKeys({"bitcell_area_um2",
                       "array_efficiency_ratio",
                       "c_bitline_ff_per_row",
                       "c_wordline_ff_per_column",
                       "bitline_swing_ratio",
                       "io_energy_fj_per_bit",
                       "decoder_energy_fj_per_address_bit",
                       "idle_clock_energy_fj",
                       "access_fixed_ns",
                       "access_ns_per_address_bit",
                       "access_ps_per_column",
                       "access_ps_per_row",
                       "cycle_to_access_ratio",
                       "setup_to_access_ratio",
                       "hold_nominal_ns",
                       "input_pin_cap_ff",
                       "clock_pin_cap_ff",
                       "output_driver_width_um",
                       "bitcell_leakage_pa",
                       "periphery_leakage_ratio",
                       "retention_voltage_v",
                       "retention_exit_ns",
                       "macros"});
  s.bitcell_area_um2 = r.requireNumberIn("bitcell_area_um2", 0.01, 10);
  s.array_efficiency_ratio = r.requireNumberIn("array_efficiency_ratio", 0.05, 1);
  s.c_bitline_ff_per_row = r.requireNumberIn("c_bitline_ff_per_row", 0, 10);
  s.c_wordline_ff_per_column = r.requireNumberIn("c_wordline_ff_per_column", 0, 10);
  s.bitline_swing_ratio = r.requireNumberIn("bitline_swing_ratio", 0.01, 1);
  s.io_energy_fj_per_bit = r.requireNumberIn("io_energy_fj_per_bit", 0, 1e4);
  s.decoder_energy_fj_per_address_bit =
      r.requireNumberIn("decoder_energy_fj_per_address_bit", 0, 1e4);
  s.idle_clock_energy_fj = r.requireNumberIn("idle_clock_energy_fj", 0, 1e5);
  s.access_fixed_ns = r.requireNumberIn("access_fixed_ns", 0, 100);
  s.access_ns_per_address_bit = r.requireNumberIn("access_ns_per_address_bit", 0, 10);
  s.access_ps_per_column = r.requireNumberIn("access_ps_per_column", 0, 100);
  s.access_ps_per_row = r.requireNumberIn("access_ps_per_row", 0, 100);
  s.cycle_to_access_ratio = r.requireNumberIn("cycle_to_access_ratio", 1, 10);
  s.setup_to_access_ratio = r.requireNumberIn("setup_to_access_ratio", 0, 1);
  s.hold_nominal_ns = r.requireNumberIn("hold_nominal_ns", 0, 10);
  s.input_pin_cap_ff = r.requireNumberIn("input_pin_cap_ff", 0, 1000);
  s.clock_pin_cap_ff = r.requireNumberIn("clock_pin_cap_ff", 0, 1000);
  s.output_driver_width_um = r.requireNumberIn("output_driver_width_um", 0.1, 100);
  s.bitcell_leakage_pa = r.requireNumberIn("bitcell_leakage_pa", 0, 1e5);
  s.periphery_leakage_ratio = r.requireNumberIn("periphery_leakage_ratio", 0, 10);
  s.retention_voltage_v = r.requireNumberIn("retention_voltage_v", 0.1, 2);
  s.retention_exit_ns = r.requireNumberIn("retention_exit_ns", 0, 1e6);
  std::set<std::string> names;
  for (const TomlReader &macro_reader : r.tableArray("macros")) {
    s.macros.push_back(readMacro(macro_reader));
    if (!names.insert(s.macros.back().name).second)
      macro_reader.fail(2012, "name", "duplicate macro name");
  }
  if (s.macros.empty()) r.fail(2015, "macros", "at least one [[sram.macros]] entry is required");
}

void readPower(const TomlReader &r, PowerParams &w) {
  r.rejectUnknownKeys({"regulator_efficiency_ratio", "rail_ramp_v_per_us", "rail_settle_us",
                       "power_mux_settle_us", "inrush_limit_ma", "wake_fixed_ns",
                       "switch_vth_offset_v", "domain_area_per_switch_um2",
                       "domain_capacitance_ff_per_um2"});
  w.regulator_efficiency_ratio = r.requireNumberIn("regulator_efficiency_ratio", 0.05, 1);
  w.rail_ramp_v_per_us = r.requireNumberIn("rail_ramp_v_per_us", 1e-4, 1e3);
  w.rail_settle_us = r.requireNumberIn("rail_settle_us", 0, 1e4);
  w.power_mux_settle_us = r.requireNumberIn("power_mux_settle_us", 0, 1e4);
  w.inrush_limit_ma = r.requireNumberIn("inrush_limit_ma", 1e-3, 1e4);
  w.wake_fixed_ns = r.requireNumberIn("wake_fixed_ns", 0, 1e6);
  w.switch_vth_offset_v = r.requireNumberIn("switch_vth_offset_v", 0, 0.5);
  w.domain_area_per_switch_um2 = r.requireNumberIn("domain_area_per_switch_um2", 1, 1e6);
  w.domain_capacitance_ff_per_um2 = r.requireNumberIn("domain_capacitance_ff_per_um2", 0, 1e3);
}

// Corners: in range, increasing, and above threshold + margin (model validity).
void readOperating(const TomlReader &r, ProcessParams &p) {
  r.rejectUnknownKeys({"nominal_vdd_v", "temperature_c", "corners_v"});
  p.nominal_vdd_v = r.requireNumberIn("nominal_vdd_v", 0.3, 5);
  p.temperature_c = r.requireNumberIn("temperature_c", -55, 150);
  const LocatedNumbers corners = readLocatedNumbers(r, "corners_v");
  for (size_t i = 0; i < corners.values.size(); ++i) {
    const double v = corners.values[i];
    if (!(v > 0 && v <= 1.5 * p.nominal_vdd_v))
      throw Error(2005, corners.locations[i], corners.fields[i],
                  fmt::format("corner {} V is outside (0, {}] V (1.5 x nominal_vdd_v)", v,
                              1.5 * p.nominal_vdd_v));
    if (const std::string problem = supplyVoltageProblem(p, v); !problem.empty())
      throw Error(2001, corners.locations[i], corners.fields[i], problem);
  }
  requireIncreasing(2002, corners, "corner voltages must be strictly increasing ({} after {})");
  std::set<std::string> tags;  // file names are derived from the tag ("v0p60")
  for (size_t i = 0; i < corners.values.size(); ++i)
    if (!tags.insert(cornerTag(corners.values[i])).second)
      throw Error(2013, corners.locations[i], corners.fields[i],
                  "two corners round to the same name " + cornerTag(corners.values[i]) +
                      " (corners are named to 10 mV)");
  p.corners_v = corners.values;
}

}  // namespace

ProcessParams parseProcessTable(const toml::table &root, const std::string &file) {
  const TomlReader r(root, file);
  r.rejectUnknownKeys({"name", "operating", "device", "capacitance", "timing", "leakage", "layout",
                       "liberty", "sram", "power"});
  ProcessParams p;
  p.name = r.requireString("name");
  for (char ch : p.name)
    if (!(std::islower(static_cast<unsigned char>(ch)) ||
          std::isdigit(static_cast<unsigned char>(ch))))
      r.fail(2007, "name",
             "only lower-case letters and digits are allowed (it prefixes library names)");
  // Device parameters first: the corner check needs the threshold model.
  readDevice(r.requireTable("device"), p.device);
  readOperating(r.requireTable("operating"), p);
  readCapacitance(r.requireTable("capacitance"), p.cap);
  readTiming(r.requireTable("timing"), p.timing);
  readLeakage(r.requireTable("leakage"), p.leakage);
  readLayout(r.requireTable("layout"), p.layout);
  readAxes(r.requireTable("liberty"), p.axes);
  const TomlReader sram = r.requireTable("sram");
  readSram(sram, p.sram);
  readPower(r.requireTable("power"), p.power);
  if (p.sram.retention_voltage_v >= p.corners_v.front())
    sram.fail(2006, "retention_voltage_v",
              fmt::format("must be below the lowest corner ({} V)", p.corners_v.front()));
  return p;
}

ProcessParams readProcessFile(const std::string &path) {
  return parseProcessTable(parseTomlFile(path), path);
}

}  // namespace pf::pdk
