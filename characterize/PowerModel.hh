// The rails/switch/retention model of a PDK (pdk_stub/lib/pf40lp_power.toml; a user's
// PDK provides the same keys). Only what characterize needs is read; per-corner arrays
// are interpolated linearly in voltage, so the corner set may use other voltages.
#pragma once

#include <string>
#include <vector>

namespace pf {

struct SramRetention {
  std::string macro;
  double retention_voltage_v = 0;
  double retention_leakage_nw = 0;
};

struct PowerModel {
  std::string source_file;
  std::vector<double> corners_v;          // voltages the per-corner arrays refer to
  double regulator_efficiency_ratio = 1;  // [regulator] efficiency_ratio
  double wake_fixed_ns = 0;               // [header_switch]
  double inrush_limit_ma = 0;
  double domain_capacitance_ff_per_um2 = 0;
  double rail_switch_settle_us = 0;  // [rail_switch]: a powered domain moved between rails
  double rail_switch_inrush_limit_ma = 0;
  std::vector<double> gated_leakage_ratio;  // per corners_v
  std::vector<SramRetention> srams;

  double gatedLeakageRatioAt(double voltage_v) const;
  const SramRetention *findSram(const std::string &macro) const;
};

// Throws pf::Error naming file, line and field for missing or out-of-range values.
PowerModel readPowerModel(const std::string &path);

// Linear interpolation of `values` over ascending `xs` at `x` (linear extrapolation
// outside, from the two nearest points).
double interpolateLinear(const std::vector<double> &xs, const std::vector<double> &values,
                         double x);

}  // namespace pf
