// The rails/switch/retention model of a PDK (pdk_stub/lib/pf40lp_power.toml; a user's
// PDK provides the same keys; docs/formats.md, "Power model"). Only what characterize
// needs is read; per-corner arrays are interpolated linearly in voltage, so the corner set
// may use other voltages (outside corners_v they are extrapolated, with a warning).
//
// The power model is optional in a corner set: without one, characterize applies the stub
// PDK's model (stubPowerModel(), built in) and flags every figure it gives as borrowed.
#pragma once

#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf {

struct SramRetention {
  std::string macro;
  double retention_voltage_v = 0;
  double retention_leakage_nw = 0;
};

struct PowerModel {
  std::string source_file;  // "" for the built-in stub model
  bool built_in = false;    // stubPowerModel(): no power model was given
  // Optional identification, used to tell whether the model describes the corner set's
  // libraries: the process it was made for, the standard-cell liberty files it goes with
  // (file names), and the power-management cells it describes.
  std::string process;                         // `process`
  std::vector<std::string> std_liberty_files;  // `std_liberty_files`
  SourceLoc std_liberty_files_loc;
  std::string header_switch_cell;  // [header_switch] cell
  SourceLoc header_switch_cell_loc;
  std::string isolation_cell;      // [isolation] cell
  std::string level_shifter_cell;  // [level_shifter] cell
  std::vector<double> corners_v;   // voltages the per-corner arrays refer to
  SourceLoc corners_v_loc;
  bool corners_v_from_stub = false;       // no per-corner table given: the stub's
  double regulator_efficiency_ratio = 1;  // [regulator] efficiency_ratio
  double wake_fixed_ns = 0;               // [header_switch]
  double inrush_limit_ma = 0;
  double domain_capacitance_ff_per_um2 = 0;
  double rail_switch_settle_us = 0;  // [rail_switch]: a powered domain moved between rails
  double rail_switch_inrush_limit_ma = 0;
  std::vector<double> gated_leakage_ratio;  // per corners_v
  std::vector<SramRetention> srams;
  // Keys the file does not give, which take the stub PDK's value ("rail_switch.settle_us",
  // "header_switch.gated_leakage_ratio", ...); every key for the built-in model.
  std::vector<std::string> defaulted;

  double gatedLeakageRatioAt(double voltage_v) const;
  const SramRetention *findSram(const std::string &macro) const;
  double minVoltage() const { return corners_v.front(); }
  double maxVoltage() const { return corners_v.back(); }
  // "pdk_stub/lib/x.toml" or "the stub PDK's power model (built in)", for messages.
  std::string displayName() const;
};

// Every key is optional: one the file does not give takes the stub's value and is listed in
// `defaulted`. Throws pf::Error naming file, line and field for an unknown key, a value out
// of range, or a per-corner array without corners_v or of another length.
PowerModel readPowerModel(const std::string &path);

// The stub PDK's power model (the values of pdk_stub/lib/pf40lp_power.toml, which a test
// compares with the file), applied when a corner set names no power model.
PowerModel stubPowerModel();

// The stub's process name (`process` of its power model): a model that states it is the
// stub's own.
inline constexpr const char *kStubProcess = "pf40lp";
// Where the stub's model lives in the repository, for messages.
inline constexpr const char *kStubPowerModelPath = "pdk_stub/lib/pf40lp_power.toml";

// Linear interpolation of `values` over ascending `xs` at `x` (linear extrapolation
// outside, from the two nearest points).
double interpolateLinear(const std::vector<double> &xs, const std::vector<double> &values,
                         double x);

}  // namespace pf
