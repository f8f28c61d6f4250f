// Physical model of the stub 40 nm-class LP process (pf40lp).
//
// Plain structs in, numbers out: no file or console I/O here, so the same equations feed
// the liberty writer, the sidecar writer and the tests. Equations and sources are in
// docs/pdk_stub.md; parameter values and citations in pdk_stub/process.toml.
//
// Units are part of every name. Liberty units are ns, pF, pJ (= pF * V^2), nW.
#pragma once

#include <string>
#include <vector>

namespace pf::pdk {

struct DeviceParams {
  double vth0_v = 0;
  double dibl_v_per_v = 0;  // eta: Vth(V) = vth0 - eta * V
  double alpha = 0;         // alpha-power-law velocity-saturation index
  double nmos_i_dsat_ua_per_um = 0;
  double pmos_i_dsat_ua_per_um = 0;
  double v_dsat_nominal_v = 0;
  double effective_current_ratio = 0;
  double subthreshold_slope_v_per_dec = 0;
  double i_off_na_per_um = 0;
  double min_overdrive_v = 0;
};

struct CapacitanceParams {
  double c_gate_ff_per_um = 0;
  double c_diff_ff_per_um = 0;
  double c_pin_wire_ff = 0;
};

struct TimingParams {
  double slew_feedthrough_ratio = 0;
  double short_circuit_coefficient = 0;
  double setup_stages = 0;
  double hold_stages = 0;
};

struct LeakageParams {
  double stack_factor_2 = 0;
  double stack_factor_3 = 0;
};

struct LayoutParams {
  double site_width_um = 0;
  double row_height_um = 0;
};

struct LibertyAxes {
  std::vector<double> slew_index_ns;
  std::vector<double> load_index_pf;
};

struct SramMacroSpec {
  std::string name;
  int words = 0;
  int bits = 0;
  int column_mux = 1;
};

struct SramParams {
  double bitcell_area_um2 = 0;
  double array_efficiency_ratio = 0;
  double c_bitline_ff_per_row = 0;
  double c_wordline_ff_per_column = 0;
  double bitline_swing_ratio = 0;
  double io_energy_fj_per_bit = 0;
  double decoder_energy_fj_per_address_bit = 0;
  double idle_clock_energy_fj = 0;
  double access_fixed_ns = 0;
  double access_ns_per_address_bit = 0;
  double access_ps_per_column = 0;
  double access_ps_per_row = 0;
  double cycle_to_access_ratio = 0;
  double setup_to_access_ratio = 0;
  double hold_nominal_ns = 0;
  double input_pin_cap_ff = 0;
  double clock_pin_cap_ff = 0;
  double output_driver_width_um = 0;
  double bitcell_leakage_pa = 0;
  double periphery_leakage_ratio = 0;
  double retention_voltage_v = 0;
  double retention_exit_ns = 0;
  std::vector<SramMacroSpec> macros;
};

struct PowerParams {
  double regulator_efficiency_ratio = 0;
  double rail_ramp_v_per_us = 0;
  double rail_settle_us = 0;
  double power_mux_settle_us = 0;
  double inrush_limit_ma = 0;
  double wake_fixed_ns = 0;
  double switch_vth_offset_v = 0;
  double domain_area_per_switch_um2 = 0;
  double domain_capacitance_ff_per_um2 = 0;
};

struct ProcessParams {
  std::string name;
  double nominal_vdd_v = 0;
  double temperature_c = 0;
  std::vector<double> corners_v;
  DeviceParams device;
  CapacitanceParams cap;
  TimingParams timing;
  LeakageParams leakage;
  LayoutParams layout;
  LibertyAxes axes;
  SramParams sram;
  PowerParams power;
};

// ---------------------------------------------------------------------------------------
// Cell description (widths, stages, pins). The catalog itself is in Cells.hh/.cc.

enum class CellKind {
  kCombinational,
  kTie,
  kFlipFlop,
  kClockGate,
  kIsolation,
  kLevelShifter,
  kPowerSwitch,
};

enum class TimingSense { kPositiveUnate, kNegativeUnate, kNonUnate };

struct InputPinSpec {
  std::string name;
  TimingSense sense = TimingSense::kPositiveUnate;  // arc from this pin to the output
  double gate_width_um = 0;                         // NMOS + PMOS gate width on this pin
};

// One inverting CMOS stage: pull-down/pull-up widths are *effective* drive widths, i.e. a
// series stack of k devices of width W counts as W/k.
struct StageSpec {
  double pull_down_width_um = 0;
  double pull_up_width_um = 0;
};

struct CellSpec {
  std::string name;
  CellKind kind = CellKind::kCombinational;
  int area_sites = 0;
  std::vector<InputPinSpec> inputs;
  std::string output;
  std::string function;  // liberty syntax; for flops the next-state function
  StageSpec output_stage;
  double output_diffusion_width_um = 0;  // drains hanging on the output node
  // Stages between the input pins and the output stage (0 for single-stage gates). Each
  // drives `internal_load_width_um` of gate plus its own diffusion.
  int internal_stages = 0;
  StageSpec internal_stage;
  double internal_load_width_um = 0;
  // Width switched when the data pin of a flop/latch toggles without an output change (the
  // master latch), um of gate-equivalent width.
  double master_switched_width_um = 0;
  // Leakage: off width of pull-down and pull-up networks, and how many devices are stacked
  // in series in each (stack factor from ProcessParams::leakage). For multi-stage cells the
  // widths are state-averaged, stack-corrected estimates and the stack depth is 1.
  double leak_nmos_width_um = 0;
  int leak_nmos_stack = 1;
  double leak_pmos_width_um = 0;
  int leak_pmos_stack = 1;
  // Sequential / special pins (names empty when absent).
  std::string clock_pin;
  std::string data_pin;
  std::string clear_pin;   // active-low asynchronous clear (flops)
  std::string preset_pin;  // active-low asynchronous preset (flops)
  // Clock-pin switched width per clock edge (local clock buffers), um gate-equivalent.
  double clock_switched_width_um = 0;
  // High-Vth header device of a power switch (0 for other cells).
  double switch_width_um = 0;
  bool dont_use = false;  // special cells the synthesis mapper must not pick
};

// ---------------------------------------------------------------------------------------
// Device level.

enum class Polarity { kNmos, kPmos };

// Name of a supply corner in library and file names: 0.6 V -> "v0p60".
std::string cornerTag(double vdd_v);

double thermalVoltageV(double temperature_c);
// Vth with DIBL at Vds = vdd_v.
double thresholdVoltageV(const ProcessParams &p, double vdd_v);
// Empty if vdd_v is a usable corner, else the reason (gate overdrive too small).
std::string supplyVoltageProblem(const ProcessParams &p, double vdd_v);
// Alpha-power-law saturation current per um at Vgs = Vds = vdd_v.
double saturationCurrentUaPerUm(const ProcessParams &p, Polarity polarity, double vdd_v);
// Drain saturation voltage V_D0 at Vgs = vdd_v.
double saturationVoltageV(const ProcessParams &p, double vdd_v);
// Subthreshold off current per um at Vgs = 0, Vds = vdd_v, with DIBL and the
// (1 - exp(-Vds/vT)) drain term. Valid also below threshold (retention voltages).
double offCurrentNaPerUm(const ProcessParams &p, double vdd_v);
// Linear-region on resistance of a device of `width_um` at |Vgs| = vdd_v, small Vds.
double onResistanceOhm(const ProcessParams &p, Polarity polarity, double width_um, double vdd_v);

// ---------------------------------------------------------------------------------------
// Stage level (one inverting stage; Sakurai & Newton delay and transition formulas).

struct StageTiming {
  double delay_ns = 0;       // 50 % input to 50 % output
  double transition_ns = 0;  // 10 %-90 % output
};

// `pull_width_um` is the effective width of the network that switches the output
// (pull-down for a falling output, pull-up for a rising one).
StageTiming stageTiming(const ProcessParams &p, Polarity polarity, double pull_width_um,
                        double vdd_v, double input_slew_ns, double load_pf);
// Short-circuit energy of one stage transition.
double shortCircuitEnergyPj(const ProcessParams &p, const StageSpec &stage, double vdd_v,
                            double input_slew_ns, double output_transition_ns);
// Delay of an inverter X1 driving four copies of itself, input slew of the same.
double fo4DelayNs(const ProcessParams &p, double vdd_v);

// ---------------------------------------------------------------------------------------
// Cell level.

enum class Edge { kRise, kFall };

// Supply of a cell; vddl_v feeds the input side of a level shifter (ignored otherwise).
struct Supply {
  double vdd_v = 0;
  double vddl_v = 0;
};

double cellAreaUm2(const ProcessParams &p, const CellSpec &cell);
double inputPinCapPf(const ProcessParams &p, const InputPinSpec &pin);
double outputParasiticPf(const ProcessParams &p, const CellSpec &cell);
// Output edge `edge` caused by an input (or clock) edge with `input_slew_ns`.
StageTiming cellArcTiming(const ProcessParams &p, const CellSpec &cell, const Supply &supply,
                          Edge edge, double input_slew_ns, double load_pf);
// Liberty internal energy per output transition (excludes charging the external load).
double cellInternalEnergyPj(const ProcessParams &p, const CellSpec &cell, const Supply &supply,
                            double input_slew_ns, double load_pf);
// Energy per clock edge drawn by the local clock buffers of a sequential cell.
double clockPinEnergyPj(const ProcessParams &p, const CellSpec &cell, double vdd_v);
// Energy per data-pin edge that does not change the output (master latch toggles).
double dataPinEnergyPj(const ProcessParams &p, const CellSpec &cell, double vdd_v);
double cellLeakageNw(const ProcessParams &p, const CellSpec &cell, const Supply &supply);
// Setup/hold of data vs. clock for sequential cells (also recovery/removal of async pins).
double setupTimeNs(const ProcessParams &p, double vdd_v, double data_slew_ns, double clock_slew_ns);
double holdTimeNs(const ProcessParams &p, double vdd_v, double data_slew_ns, double clock_slew_ns);

// ---------------------------------------------------------------------------------------
// Power-switch level (sidecar).

// Off-state leakage of a high-Vth header switch of `width_um`, full vdd_v across it.
double switchOffLeakageNw(const ProcessParams &p, double width_um, double vdd_v);

// ---------------------------------------------------------------------------------------
// SRAM macros.

struct SramFigures {
  int rows = 0;
  int columns = 0;
  int address_bits = 0;
  double area_um2 = 0;
  double access_time_ns = 0;
  double cycle_time_ns = 0;
  double setup_ns = 0;
  double hold_ns = 0;
  double read_energy_pj = 0;
  double write_energy_pj = 0;
  double idle_clock_energy_pj = 0;
  double leakage_nw = 0;
  double retention_leakage_nw = 0;  // at sram.retention_voltage_v, periphery off
};

int addressBits(int words);
SramFigures sramFigures(const ProcessParams &p, const SramMacroSpec &macro, double vdd_v);
// Q-pin output stage (clock-to-Q = access time + this driver into the load).
StageTiming sramOutputTiming(const ProcessParams &p, Edge edge, double vdd_v, double load_pf);

}  // namespace pf::pdk
