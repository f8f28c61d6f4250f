#include "pdk_stub/Model.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pf::pdk {

namespace {

constexpr double kBoltzmannEvPerK = 8.617333262e-5;  // k/q in V/K
constexpr double kZeroCelsiusK = 273.15;
// Liberty slews are 10 %-90 %; Sakurai's formulas use the full 0-100 % ramp time.
constexpr double kSlewToRampRatio = 1 / 0.8;
// pF * V / uA = 1e-6 s = 1000 ns.
constexpr double kNsPerPfVoltPerUa = 1000.0;
constexpr double kPfPerFf = 1e-3;
constexpr double kPjPerFj = 1e-3;
constexpr double kNaPerPa = 1e-3;

double overdriveV(const ProcessParams &p, double vdd_v) {
  return vdd_v - thresholdVoltageV(p, vdd_v);
}

// (V - Vth(V)) relative to nominal: the alpha-power law scales everything with it.
double overdriveRatio(const ProcessParams &p, double vdd_v) {
  return std::max(overdriveV(p, vdd_v), 0.0) / overdriveV(p, p.nominal_vdd_v);
}

double dsatAtNominalUaPerUm(const ProcessParams &p, Polarity polarity) {
  return polarity == Polarity::kNmos ? p.device.nmos_i_dsat_ua_per_um
                                     : p.device.pmos_i_dsat_ua_per_um;
}

double stackFactor(const ProcessParams &p, int stack) {
  if (stack >= 3) return p.leakage.stack_factor_3;
  if (stack == 2) return p.leakage.stack_factor_2;
  return 1.0;
}

double mean(double a, double b) { return (a + b) / 2; }

// Full Sakurai-Newton output transition factor for a step input:
// t_T = (C V / I_D0) * (0.9/0.8 + V_D0/(0.8 V) * ln(10 V_D0 / (e V))).
double sakuraiTransitionFactor(double v_dsat_v, double vdd_v) {
  const double ratio = v_dsat_v / vdd_v;
  return 0.9 / 0.8 + ratio / 0.8 * std::log(10 * ratio / std::exp(1.0));
}

double gateCapPf(const ProcessParams &p, double width_um) {
  return p.cap.c_gate_ff_per_um * width_um * kPfPerFf;
}

double diffusionCapPf(const ProcessParams &p, double width_um) {
  return p.cap.c_diff_ff_per_um * width_um * kPfPerFf;
}

double internalNodeCapPf(const ProcessParams &p, const CellSpec &cell) {
  const StageSpec &stage = cell.internal_stage;
  return gateCapPf(p, cell.internal_load_width_um) +
         diffusionCapPf(p, stage.pull_down_width_um + stage.pull_up_width_um) +
         p.cap.c_pin_wire_ff * kPfPerFf;
}

// Internal stages alternate edges; their delay is the mean of rise and fall.
StageTiming averagedStage(const ProcessParams &p, const StageSpec &stage, double vdd_v,
                          double input_slew_ns, double load_pf) {
  const StageTiming rise =
      stageTiming(p, Polarity::kPmos, stage.pull_up_width_um, vdd_v, input_slew_ns, load_pf);
  const StageTiming fall =
      stageTiming(p, Polarity::kNmos, stage.pull_down_width_um, vdd_v, input_slew_ns, load_pf);
  return {mean(rise.delay_ns, fall.delay_ns), mean(rise.transition_ns, fall.transition_ns)};
}

double internalSupplyV(const CellSpec &cell, const Supply &supply) {
  return cell.kind == CellKind::kLevelShifter ? supply.vddl_v : supply.vdd_v;
}

// Reference internal stage: unit inverter driving two unit inverters.
StageTiming referenceStage(const ProcessParams &p, double vdd_v, double input_slew_ns) {
  const StageSpec unit{0.30, 0.45};
  const double load_pf =
      gateCapPf(p, 2 * 0.75) + diffusionCapPf(p, 0.75) + p.cap.c_pin_wire_ff * kPfPerFf;
  return averagedStage(p, unit, vdd_v, input_slew_ns, load_pf);
}

double subthresholdScale(const ProcessParams &p, double vdd_v) {
  const DeviceParams &d = p.device;
  const double thermal_v = thermalVoltageV(p.temperature_c);
  const double dibl_decades =
      d.dibl_v_per_v * (vdd_v - p.nominal_vdd_v) / d.subthreshold_slope_v_per_dec;
  const double drain_term =
      (1 - std::exp(-vdd_v / thermal_v)) / (1 - std::exp(-p.nominal_vdd_v / thermal_v));
  return std::pow(10.0, dibl_decades) * drain_term;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Device level.

std::string cornerTag(double vdd_v) {
  std::string tag = fmt::format("v{:.2f}", vdd_v);
  for (char &ch : tag)
    if (ch == '.') ch = 'p';
  return tag;
}

double thermalVoltageV(double temperature_c) {
  return kBoltzmannEvPerK * (temperature_c + kZeroCelsiusK);
}

double thresholdVoltageV(const ProcessParams &p, double vdd_v) {
  return p.device.vth0_v - p.device.dibl_v_per_v * vdd_v;
}

std::string supplyVoltageProblem(const ProcessParams &p, double vdd_v) {
  const double vth_v = thresholdVoltageV(p, vdd_v);
  const double min_v = vth_v + p.device.min_overdrive_v;
  if (vdd_v >= min_v - 1e-12) return "";
  return fmt::format(
      "supply {:.3g} V is too close to or below the threshold voltage ({:.3g} V at this "
      "supply); the alpha-power-law model needs at least {:.3g} V (Vth + min_overdrive_v)",
      vdd_v, vth_v, min_v);
}

double saturationCurrentUaPerUm(const ProcessParams &p, Polarity polarity, double vdd_v) {
  return dsatAtNominalUaPerUm(p, polarity) * std::pow(overdriveRatio(p, vdd_v), p.device.alpha);
}

double saturationVoltageV(const ProcessParams &p, double vdd_v) {
  return p.device.v_dsat_nominal_v * std::pow(overdriveRatio(p, vdd_v), p.device.alpha / 2);
}

double offCurrentNaPerUm(const ProcessParams &p, double vdd_v) {
  return p.device.i_off_na_per_um * subthresholdScale(p, vdd_v);
}

// Sakurai-Newton linear region: I = I_D0 (2 - Vds/V_D0) Vds/V_D0, so for small Vds the
// conductance is 2 I_D0 / V_D0.
double onResistanceOhm(const ProcessParams &p, Polarity polarity, double width_um, double vdd_v) {
  const double i_d0_a = saturationCurrentUaPerUm(p, polarity, vdd_v) * width_um * 1e-6;
  return saturationVoltageV(p, vdd_v) / (2 * i_d0_a);
}

// ---------------------------------------------------------------------------------------
// Stage level.

// Sakurai-Newton [JSSC 1990, eq. 11]: t_pd = (1/2 - (1 - v_T)/(1 + alpha)) t_T
// + C_L V / (2 I_D0), with v_T = Vth/V and t_T the input ramp time. I_D0 is derated to the
// effective switching current.
StageTiming stageTiming(const ProcessParams &p, Polarity polarity, double pull_width_um,
                        double vdd_v, double input_slew_ns, double load_pf) {
  const double current_ua = saturationCurrentUaPerUm(p, polarity, vdd_v) * pull_width_um *
                            p.device.effective_current_ratio;
  const double charge_time_ns = kNsPerPfVoltPerUa * load_pf * vdd_v / current_ua;
  const double ramp_ns = input_slew_ns * kSlewToRampRatio;
  const double vth_ratio = thresholdVoltageV(p, vdd_v) / vdd_v;
  const double slew_weight = std::max(0.0, 0.5 - (1 - vth_ratio) / (1 + p.device.alpha));
  StageTiming timing;
  timing.delay_ns = slew_weight * ramp_ns + charge_time_ns / 2;
  const double full_ramp_ns =
      charge_time_ns * sakuraiTransitionFactor(saturationVoltageV(p, vdd_v), vdd_v);
  timing.transition_ns = 0.8 * full_ramp_ns + p.timing.slew_feedthrough_ratio * input_slew_ns;
  return timing;
}

// E_sc = k * t_sc * V * I_peak with t_sc = (V - 2 Vth)/V * t_ramp (zero when V < 2 Vth:
// the two networks never conduct together). The current peaks near Vin = V/2, where both
// devices see |Vgs| = V/2: I_peak = I(Vgs = V/2) from the alpha-power law, reduced when the
// output is slow compared with the input (large load): * t_in / (t_in + t_out).
double shortCircuitEnergyPj(const ProcessParams &p, const StageSpec &stage, double vdd_v,
                            double input_slew_ns, double output_transition_ns) {
  const double vth_v = thresholdVoltageV(p, vdd_v);
  const double conduction_ratio = (vdd_v - 2 * vth_v) / vdd_v;
  if (conduction_ratio <= 0 || input_slew_ns <= 0) return 0;
  const double ramp_ns = input_slew_ns * kSlewToRampRatio;
  const double midpoint_ratio =
      std::pow((vdd_v / 2 - vth_v) / overdriveV(p, p.nominal_vdd_v), p.device.alpha);
  const double i_mid_ua =
      midpoint_ratio * mean(p.device.nmos_i_dsat_ua_per_um * stage.pull_down_width_um,
                            p.device.pmos_i_dsat_ua_per_um * stage.pull_up_width_um);
  const double peak_ua = i_mid_ua * input_slew_ns / (input_slew_ns + output_transition_ns);
  const double energy_fj =  // ns * V * uA = fJ
      p.timing.short_circuit_coefficient * conduction_ratio * ramp_ns * vdd_v * peak_ua;
  return energy_fj * kPjPerFj;
}

double fo4DelayNs(const ProcessParams &p, double vdd_v) {
  const StageSpec unit{0.30, 0.45};
  const double input_cap_pf = gateCapPf(p, 0.75) + p.cap.c_pin_wire_ff * kPfPerFf;
  const double load_pf = 4 * input_cap_pf + diffusionCapPf(p, 0.75);
  // The input edge comes from an identical FO4 stage: iterate to the fixed point.
  double slew_ns = 0.02;
  StageTiming timing;
  for (int i = 0; i < 8; ++i) {
    timing = averagedStage(p, unit, vdd_v, slew_ns, load_pf);
    slew_ns = timing.transition_ns;
  }
  return timing.delay_ns;
}

// ---------------------------------------------------------------------------------------
// Cell level.

double cellAreaUm2(const ProcessParams &p, const CellSpec &cell) {
  return cell.area_sites * p.layout.site_width_um * p.layout.row_height_um;
}

double inputPinCapPf(const ProcessParams &p, const InputPinSpec &pin) {
  return gateCapPf(p, pin.gate_width_um) + p.cap.c_pin_wire_ff * kPfPerFf;
}

double outputParasiticPf(const ProcessParams &p, const CellSpec &cell) {
  return diffusionCapPf(p, cell.output_diffusion_width_um) + p.cap.c_pin_wire_ff * kPfPerFf;
}

StageTiming cellArcTiming(const ProcessParams &p, const CellSpec &cell, const Supply &supply,
                          Edge edge, double input_slew_ns, double load_pf) {
  double delay_ns = 0;
  double slew_ns = input_slew_ns;
  const double internal_v = internalSupplyV(cell, supply);
  for (int i = 0; i < cell.internal_stages; ++i) {
    const StageTiming stage =
        averagedStage(p, cell.internal_stage, internal_v, slew_ns, internalNodeCapPf(p, cell));
    delay_ns += stage.delay_ns;
    slew_ns = stage.transition_ns;
  }
  const bool rising = edge == Edge::kRise;
  const StageTiming out = stageTiming(
      p, rising ? Polarity::kPmos : Polarity::kNmos,
      rising ? cell.output_stage.pull_up_width_um : cell.output_stage.pull_down_width_um,
      supply.vdd_v, slew_ns, load_pf + outputParasiticPf(p, cell));
  return {delay_ns + out.delay_ns, out.transition_ns};
}

// Half of C V^2 per transition for every node that toggles with the output (liberty splits
// the charge/discharge pair evenly between rise and fall), plus the short-circuit energy
// of each stage. The external load is charged to the load, not to the cell.
double cellInternalEnergyPj(const ProcessParams &p, const CellSpec &cell, const Supply &supply,
                            double input_slew_ns, double load_pf) {
  const double internal_v = internalSupplyV(cell, supply);
  const double internal_node_pf = internalNodeCapPf(p, cell);
  double energy_pj = 0.5 * outputParasiticPf(p, cell) * supply.vdd_v * supply.vdd_v;
  double slew_ns = input_slew_ns;
  for (int i = 0; i < cell.internal_stages; ++i) {
    const StageTiming stage =
        averagedStage(p, cell.internal_stage, internal_v, slew_ns, internal_node_pf);
    energy_pj += 0.5 * internal_node_pf * internal_v * internal_v;
    energy_pj +=
        shortCircuitEnergyPj(p, cell.internal_stage, internal_v, slew_ns, stage.transition_ns);
    slew_ns = stage.transition_ns;
  }
  const StageTiming out = averagedStage(p, cell.output_stage, supply.vdd_v, slew_ns,
                                        load_pf + outputParasiticPf(p, cell));
  energy_pj += shortCircuitEnergyPj(p, cell.output_stage, supply.vdd_v, slew_ns, out.transition_ns);
  return energy_pj;
}

double clockPinEnergyPj(const ProcessParams &p, const CellSpec &cell, double vdd_v) {
  return 0.5 * gateCapPf(p, cell.clock_switched_width_um) * vdd_v * vdd_v;
}

double dataPinEnergyPj(const ProcessParams &p, const CellSpec &cell, double vdd_v) {
  return 0.5 * gateCapPf(p, cell.master_switched_width_um) * vdd_v * vdd_v;
}

// P = V * I_off(V) * W_eff, with W_eff the mean of the off pull-down and pull-up widths
// (output low and output high states), each reduced by its stack factor.
double cellLeakageNw(const ProcessParams &p, const CellSpec &cell, const Supply &supply) {
  const double width_um = mean(cell.leak_nmos_width_um * stackFactor(p, cell.leak_nmos_stack),
                               cell.leak_pmos_width_um * stackFactor(p, cell.leak_pmos_stack));
  double leakage_nw = supply.vdd_v * offCurrentNaPerUm(p, supply.vdd_v) * width_um;
  if (cell.switch_width_um > 0)
    leakage_nw += switchOffLeakageNw(p, cell.switch_width_um, supply.vdd_v);
  return leakage_nw;
}

// Setup: the data edge must pass `setup_stages` internal stages (master latch) before the
// clock edge; a slow data edge needs longer, a slow clock edge closes the latch later.
double setupTimeNs(const ProcessParams &p, double vdd_v, double data_slew_ns,
                   double clock_slew_ns) {
  const double stage_ns = referenceStage(p, vdd_v, data_slew_ns).delay_ns;
  const double setup_ns =
      p.timing.setup_stages * stage_ns + 0.3 * data_slew_ns - 0.2 * clock_slew_ns;
  return std::max(setup_ns, 0.5 * stage_ns);
}

double holdTimeNs(const ProcessParams &p, double vdd_v, double data_slew_ns, double clock_slew_ns) {
  const double stage_ns = referenceStage(p, vdd_v, clock_slew_ns).delay_ns;
  return p.timing.hold_stages * stage_ns + 0.2 * clock_slew_ns - 0.1 * data_slew_ns;
}

// ---------------------------------------------------------------------------------------
// Power switch.

double switchOffLeakageNw(const ProcessParams &p, double width_um, double vdd_v) {
  const double hvt_ratio =
      std::pow(10.0, -p.power.switch_vth_offset_v / p.device.subthreshold_slope_v_per_dec);
  return vdd_v * offCurrentNaPerUm(p, vdd_v) * width_um * hvt_ratio;
}

// ---------------------------------------------------------------------------------------
// SRAM.

int addressBits(int words) {
  int bits = 0;
  while ((1 << bits) < words) ++bits;
  return bits;
}

namespace {

double sramAccessNominalNs(const SramParams &s, const SramFigures &f) {
  return s.access_fixed_ns + s.access_ns_per_address_bit * f.address_bits +
         s.access_ps_per_column * f.columns * 1e-3 + s.access_ps_per_row * f.rows * 1e-3;
}

// Energies at vdd_v in pJ; all terms are C V^2 (bitline swing is a fixed fraction of V).
void fillSramEnergies(const ProcessParams &p, const SramMacroSpec &macro, double vdd_v,
                      SramFigures &f) {
  const SramParams &s = p.sram;
  const double v2 = vdd_v * vdd_v;
  const double scale = v2 / (p.nominal_vdd_v * p.nominal_vdd_v);
  const double bitline_ff = f.rows * s.c_bitline_ff_per_row;
  const double wordline_fj = f.columns * s.c_wordline_ff_per_column * v2;
  const double read_swing_fj_per_column = bitline_ff * s.bitline_swing_ratio * v2;
  const double full_swing_fj_per_column = bitline_ff * v2;
  const double periphery_fj =
      (s.io_energy_fj_per_bit * macro.bits + s.decoder_energy_fj_per_address_bit * f.address_bits +
       s.idle_clock_energy_fj) *
      scale;
  f.read_energy_pj = (f.columns * read_swing_fj_per_column + wordline_fj + periphery_fj) * kPjPerFj;
  // Written columns swing fully; the other columns of the row are half-selected and see a
  // read-like swing.
  f.write_energy_pj =
      (macro.bits * full_swing_fj_per_column + (f.columns - macro.bits) * read_swing_fj_per_column +
       wordline_fj + periphery_fj) *
      kPjPerFj;
  f.idle_clock_energy_pj = s.idle_clock_energy_fj * scale * kPjPerFj;
}

}  // namespace

SramFigures sramFigures(const ProcessParams &p, const SramMacroSpec &macro, double vdd_v) {
  const SramParams &s = p.sram;
  SramFigures f;
  f.rows = macro.words / macro.column_mux;
  f.columns = macro.bits * macro.column_mux;
  f.address_bits = addressBits(macro.words);
  const double bits = static_cast<double>(macro.words) * macro.bits;
  f.area_um2 = bits * s.bitcell_area_um2 / s.array_efficiency_ratio;
  // Periphery and bitline sensing are limited by device current: scale like an FO4 stage.
  const double delay_scale = fo4DelayNs(p, vdd_v) / fo4DelayNs(p, p.nominal_vdd_v);
  f.access_time_ns = sramAccessNominalNs(s, f) * delay_scale;
  f.cycle_time_ns = f.access_time_ns * s.cycle_to_access_ratio;
  f.setup_ns = f.access_time_ns * s.setup_to_access_ratio;
  f.hold_ns = s.hold_nominal_ns * delay_scale;
  fillSramEnergies(p, macro, vdd_v, f);
  const double array_na_nominal = bits * s.bitcell_leakage_pa * kNaPerPa;
  f.leakage_nw =
      vdd_v * array_na_nominal * subthresholdScale(p, vdd_v) * (1 + s.periphery_leakage_ratio);
  const double retention_v = s.retention_voltage_v;
  f.retention_leakage_nw = retention_v * array_na_nominal * subthresholdScale(p, retention_v);
  return f;
}

StageTiming sramOutputTiming(const ProcessParams &p, Edge edge, double vdd_v, double load_pf) {
  const double nmos_um = p.sram.output_driver_width_um;
  const double pmos_um = 1.5 * nmos_um;
  const double parasitic_pf = diffusionCapPf(p, nmos_um + pmos_um);
  const double internal_slew_ns = referenceStage(p, vdd_v, 0.05).transition_ns;
  const bool rising = edge == Edge::kRise;
  return stageTiming(p, rising ? Polarity::kPmos : Polarity::kNmos, rising ? pmos_um : nmos_um,
                     vdd_v, internal_slew_ns, load_pf + parasitic_pf);
}

}  // namespace pf::pdk
