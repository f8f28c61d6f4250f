#include "characterize/PowerModel.hh"

#include <fmt/format.h>

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

namespace {

std::vector<double> perCornerArray(const TomlReader &reader, const std::string &key,
                                   size_t corners) {
  std::vector<double> values = reader.requireNumberArray(key);
  if (values.size() != corners)
    reader.fail(5021, key, fmt::format("has {} entries; corners_v has {}", values.size(), corners));
  return values;
}

}  // namespace

PowerModel readPowerModel(const std::string &path) {
  const toml::table table = parseTomlFile(path);
  const TomlReader root(table, path);
  PowerModel model;
  model.source_file = path;
  model.corners_v = root.requireNumberArray("corners_v");
  if (model.corners_v.empty()) root.fail(5022, "corners_v", "needs at least one voltage");
  for (size_t i = 1; i < model.corners_v.size(); ++i)
    if (!(model.corners_v[i] > model.corners_v[i - 1]))
      root.fail(5022, "corners_v", "voltages must be strictly ascending");
  model.regulator_efficiency_ratio =
      root.requireTable("regulator").requireNumberIn("efficiency_ratio", 0.01, 1.0);
  const TomlReader header = root.requireTable("header_switch");
  model.wake_fixed_ns = header.requireNumberIn("wake_fixed_ns", 0, 1e9);
  model.inrush_limit_ma = header.requireNumberIn("inrush_limit_ma", 1e-6, 1e9);
  model.domain_capacitance_ff_per_um2 =
      header.requireNumberIn("domain_capacitance_ff_per_um2", 0, 1e6);
  model.gated_leakage_ratio = perCornerArray(header, "gated_leakage_ratio", model.corners_v.size());
  const TomlReader rail_switch = root.requireTable("rail_switch");
  model.rail_switch_settle_us = rail_switch.requireNumberIn("settle_us", 0, 1e9);
  model.rail_switch_inrush_limit_ma = rail_switch.requireNumberIn("inrush_limit_ma", 1e-6, 1e9);
  for (const TomlReader &sram : root.tableArray("sram"))
    model.srams.push_back({sram.requireString("name"),
                           sram.requireNumberIn("retention_voltage_v", 0, 5),
                           sram.requireNumberIn("retention_leakage_nw", 0, 1e12)});
  return model;
}

}  // namespace pf
