#include "characterize/PowerModel.hh"

#include <fmt/format.h>

#include <optional>

#include "core/Toml.hh"

namespace pf {

double interpolateLinear(const std::vector<double> &xs, const std::vector<double> &values,
                         double x) {
  if (xs.size() == 1) return values[0];
  size_t upper = 1;
  while (upper + 1 < xs.size() && xs[upper] < x) ++upper;
  const double x0 = xs[upper - 1], x1 = xs[upper];
  const double t = (x - x0) / (x1 - x0);
  return values[upper - 1] + t * (values[upper] - values[upper - 1]);
}

double PowerModel::gatedLeakageRatioAt(double voltage_v) const {
  return std::max(0.0, interpolateLinear(corners_v, gated_leakage_ratio, voltage_v));
}

const SramRetention *PowerModel::findSram(const std::string &macro) const {
  for (const SramRetention &sram : srams)
    if (sram.macro == macro) return &sram;
  return nullptr;
}

std::string PowerModel::displayName() const {
  return built_in ? fmt::format("the stub PDK's power model (built in; {})", kStubPowerModelPath)
                  : source_file;
}

PowerModel stubPowerModel() {
  PowerModel model;
  model.built_in = true;
  model.process = kStubProcess;
  model.std_liberty_files = {"pf40lp_std_v0p60.lib", "pf40lp_std_v0p70.lib",
                             "pf40lp_std_v0p80.lib", "pf40lp_std_v0p90.lib",
                             "pf40lp_std_v1p00.lib", "pf40lp_std_v1p10.lib"};
  model.header_switch_cell = "HEADSW_X1";
  model.isolation_cell = "ISO_AND_X1";
  model.level_shifter_cell = "LS_LH_X1";
  model.corners_v = {0.6, 0.7, 0.8, 0.9, 1.0, 1.1};
  model.regulator_efficiency_ratio = 0.85;
  model.wake_fixed_ns = 20.0;
  model.inrush_limit_ma = 10.0;
  model.domain_capacitance_ff_per_um2 = 3.0;
  model.rail_switch_settle_us = 0.2;
  model.rail_switch_inrush_limit_ma = 10.0;
  model.gated_leakage_ratio.assign(model.corners_v.size(), 0.00428618);
  model.srams = {{"pf40_sram_2048x64", 0.5, 473.592}, {"pf40_sram_256x512", 0.5, 473.592}};
  model.defaulted = {
      "regulator.efficiency_ratio",        "header_switch.wake_fixed_ns",
      "header_switch.inrush_limit_ma",     "header_switch.domain_capacitance_ff_per_um2",
      "header_switch.gated_leakage_ratio", "rail_switch.settle_us",
      "rail_switch.inrush_limit_ma",       "sram"};
  return model;
}

namespace {

// Keys a power model may have: those read here and the descriptive ones the stub's
// generator writes (pdk_stub/PowerSidecarWriter.cc), which are accepted and not used.
const std::vector<std::string> kTopKeys = {
    "process",           "nominal_voltage_v",  "temperature_c", "corners_v", "corner_names",
    "std_liberty_files", "sram_liberty_files", "regulator",     "rail_ramp", "rail_switch",
    "header_switch",     "isolation",          "level_shifter", "sram"};
const std::vector<std::string> kCellOverheadKeys = {
    "cell", "area_um2", "delay_ns", "energy_pj_per_transition", "leakage_nw", "input_voltage_v"};

// A section of the model, absent or present; a missing key takes the stub's value, and
// its dotted name is recorded in `defaulted`.
class Section {
 public:
  Section(const TomlReader &root, const std::string &name, std::vector<std::string> &defaulted)
      : name_(name), defaulted_(defaulted) {
    if (root.has(name)) reader_.emplace(root.requireTable(name));
  }
  bool present() const { return reader_.has_value(); }
  bool has(const std::string &key) const { return reader_ && reader_->has(key); }
  const TomlReader &reader() const { return *reader_; }
  double number(const std::string &key, double min, double max, double stub_value) const {
    if (has(key)) return reader_->requireNumberIn(key, min, max);
    defaulted_.push_back(name_ + "." + key);
    return stub_value;
  }
  std::string string(const std::string &key) const {
    return has(key) ? reader_->requireString(key) : "";
  }

 private:
  std::string name_;
  std::vector<std::string> &defaulted_;
  std::optional<TomlReader> reader_;
};

}  // namespace

PowerModel readPowerModel(const std::string &path) {
  const toml::table table = parseTomlFile(path);
  const TomlReader root(table, path);
  root.rejectUnknownKeys(kTopKeys);
  const PowerModel stub = stubPowerModel();
  PowerModel model;
  model.source_file = path;
  model.process = root.stringOr("process", "");
  model.std_liberty_files = root.stringArrayOr("std_liberty_files");
  if (root.has("std_liberty_files"))
    model.std_liberty_files_loc = root.locationOf("std_liberty_files");
  std::vector<std::string> &defaulted = model.defaulted;

  const Section regulator(root, "regulator", defaulted);
  if (regulator.present()) regulator.reader().rejectUnknownKeys({"efficiency_ratio"});
  model.regulator_efficiency_ratio =
      regulator.number("efficiency_ratio", 0.01, 1.0, stub.regulator_efficiency_ratio);

  const Section header(root, "header_switch", defaulted);
  if (header.present())
    header.reader().rejectUnknownKeys(
        {"cell", "switch_width_um", "switch_vth_offset_v", "wake_fixed_ns", "inrush_limit_ma",
         "domain_area_per_switch_um2", "domain_capacitance_ff_per_um2", "on_resistance_ohm",
         "off_leakage_nw", "domain_leakage_nw_per_um2", "gated_leakage_ratio"});
  model.header_switch_cell = header.string("cell");
  if (header.has("cell")) model.header_switch_cell_loc = header.reader().locationOf("cell");
  model.wake_fixed_ns = header.number("wake_fixed_ns", 0, 1e9, stub.wake_fixed_ns);
  model.inrush_limit_ma = header.number("inrush_limit_ma", 1e-6, 1e9, stub.inrush_limit_ma);
  model.domain_capacitance_ff_per_um2 =
      header.number("domain_capacitance_ff_per_um2", 0, 1e6, stub.domain_capacitance_ff_per_um2);

  // The per-corner table: corners_v with the gated-leakage ratio at each.
  if (root.has("corners_v")) {
    model.corners_v = root.requireNumberArray("corners_v");
    model.corners_v_loc = root.locationOf("corners_v");
    if (model.corners_v.empty()) root.fail(5022, "corners_v", "needs at least one voltage");
    for (size_t i = 1; i < model.corners_v.size(); ++i)
      if (!(model.corners_v[i] > model.corners_v[i - 1]))
        root.fail(5023, "corners_v", "voltages must be strictly ascending");
  }
  if (header.has("gated_leakage_ratio")) {
    if (model.corners_v.empty())
      header.reader().fail(5024, "gated_leakage_ratio",
                           "a per-corner array needs corners_v (the voltages it is given at)");
    model.gated_leakage_ratio = header.reader().requireNumberArray("gated_leakage_ratio");
    if (model.gated_leakage_ratio.size() != model.corners_v.size())
      header.reader().fail(5021, "gated_leakage_ratio",
                           fmt::format("has {} entries; corners_v has {}",
                                       model.gated_leakage_ratio.size(), model.corners_v.size()));
  } else {
    defaulted.push_back("header_switch.gated_leakage_ratio");
    if (model.corners_v.empty()) {
      model.corners_v = stub.corners_v;  // the stub's table, range and all
      model.corners_v_from_stub = true;
    }
    for (double v : model.corners_v)
      model.gated_leakage_ratio.push_back(stub.gatedLeakageRatioAt(v));
  }

  const Section rail_switch(root, "rail_switch", defaulted);
  if (rail_switch.present())
    rail_switch.reader().rejectUnknownKeys({"settle_us", "inrush_limit_ma"});
  model.rail_switch_settle_us = rail_switch.number("settle_us", 0, 1e9, stub.rail_switch_settle_us);
  model.rail_switch_inrush_limit_ma =
      rail_switch.number("inrush_limit_ma", 1e-6, 1e9, stub.rail_switch_inrush_limit_ma);

  if (root.has("rail_ramp"))
    root.requireTable("rail_ramp").rejectUnknownKeys({"ramp_v_per_us", "settle_us"});
  std::vector<std::string> unused;  // the cells' overheads are descriptive only
  const Section isolation(root, "isolation", unused);
  if (isolation.present()) isolation.reader().rejectUnknownKeys(kCellOverheadKeys);
  model.isolation_cell = isolation.string("cell");
  const Section level_shifter(root, "level_shifter", unused);
  if (level_shifter.present()) level_shifter.reader().rejectUnknownKeys(kCellOverheadKeys);
  model.level_shifter_cell = level_shifter.string("cell");

  for (const TomlReader &sram : root.tableArray("sram")) {
    sram.rejectUnknownKeys({"name", "words", "bits", "column_mux", "area_um2",
                            "retention_voltage_v", "retention_leakage_nw", "retention_exit_ns",
                            "access_time_ns", "cycle_time_ns", "read_energy_pj", "write_energy_pj",
                            "idle_clock_energy_pj", "leakage_nw"});
    model.srams.push_back({sram.requireString("name"),
                           sram.requireNumberIn("retention_voltage_v", 0, 5),
                           sram.requireNumberIn("retention_leakage_nw", 0, 1e12)});
  }
  return model;
}

}  // namespace pf
