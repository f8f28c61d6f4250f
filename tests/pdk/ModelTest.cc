// Physical trends and calibration of the pf40lp model (pdk_stub/Model.cc).
#include <gtest/gtest.h>

#include <cmath>

#include "pdk_stub/Cells.hh"
#include "pdk_stub/Model.hh"
#include "pdk_stub/ProcessReader.hh"

namespace pf::pdk {
namespace {

const ProcessParams &process() {
  static const ProcessParams params = readProcessFile(PF_SOURCE_DIR "/pdk_stub/process.toml");
  return params;
}

constexpr double kSlewNs = 0.025;
constexpr double kLoadPf = 0.004;

Supply supplyAt(double v) { return {v, process().corners_v.front()}; }

double meanArcDelayNs(const CellSpec &cell, double v, double load_pf = kLoadPf) {
  const ProcessParams &p = process();
  return (cellArcTiming(p, cell, supplyAt(v), Edge::kRise, kSlewNs, load_pf).delay_ns +
          cellArcTiming(p, cell, supplyAt(v), Edge::kFall, kSlewNs, load_pf).delay_ns) /
         2;
}

TEST(PdkModel, Fo4DelayIsRealisticForLowPower40nm) {
  const ProcessParams &p = process();
  const double fo4_nominal_ns = fo4DelayNs(p, 1.1);
  EXPECT_GT(fo4_nominal_ns, 0.020);
  EXPECT_LT(fo4_nominal_ns, 0.045);
  const double slowdown = fo4DelayNs(p, 0.6) / fo4_nominal_ns;
  EXPECT_GT(slowdown, 3.0) << "0.6 V should be several times slower than 1.1 V";
  EXPECT_LT(slowdown, 8.0);
}

TEST(PdkModel, CellDelayFallsWithVoltage) {
  const ProcessParams &p = process();
  for (const CellSpec &cell : standardCells()) {
    if (cell.kind == CellKind::kTie) continue;
    for (size_t i = 1; i < p.corners_v.size(); ++i)
      EXPECT_LT(meanArcDelayNs(cell, p.corners_v[i]), meanArcDelayNs(cell, p.corners_v[i - 1]))
          << cell.name << " at " << p.corners_v[i] << " V";
  }
}

TEST(PdkModel, DelayGrowsWithLoadAndSlewAndShrinksWithDrive) {
  const CellSpec &inv1 = *findCell("INV_X1");
  const CellSpec &inv4 = *findCell("INV_X4");
  const ProcessParams &p = process();
  EXPECT_LT(meanArcDelayNs(inv1, 1.1, 0.001), meanArcDelayNs(inv1, 1.1, 0.02));
  EXPECT_LT(meanArcDelayNs(inv4, 1.1, 0.02), meanArcDelayNs(inv1, 1.1, 0.02));
  const auto fall = [&](double slew) {
    return cellArcTiming(p, inv1, supplyAt(1.1), Edge::kFall, slew, kLoadPf).delay_ns;
  };
  EXPECT_LT(fall(0.01), fall(0.4));
}

TEST(PdkModel, InternalEnergyRisesWithVoltageRoughlyAsVSquared) {
  const ProcessParams &p = process();
  for (const CellSpec &cell : standardCells()) {
    if (cell.kind == CellKind::kTie) continue;
    const auto energy = [&](double v) {
      return cellInternalEnergyPj(p, cell, supplyAt(v), kSlewNs, kLoadPf);
    };
    for (size_t i = 1; i < p.corners_v.size(); ++i)
      EXPECT_GT(energy(p.corners_v[i]), energy(p.corners_v[i - 1])) << cell.name;
    if (cell.kind == CellKind::kLevelShifter) continue;  // input side fixed at VDDL
    // C V^2 plus a short-circuit term that vanishes below 2 Vth: between V^2 and ~V^3.
    const double ratio = energy(1.1) / energy(0.6);
    const double v2_ratio = std::pow(1.1 / 0.6, 2);
    EXPECT_GT(ratio, 0.95 * v2_ratio) << cell.name;
    EXPECT_LT(ratio, 2.0 * v2_ratio) << cell.name;
  }
}

TEST(PdkModel, ShortCircuitVanishesBelowTwiceThreshold) {
  const ProcessParams &p = process();
  const StageSpec unit{0.3, 0.45};
  EXPECT_EQ(shortCircuitEnergyPj(p, unit, 0.7, 0.1, 0.05), 0.0);
  EXPECT_GT(shortCircuitEnergyPj(p, unit, 1.1, 0.1, 0.05), 0.0);
}

TEST(PdkModel, LeakageRisesWithVoltageAndIsNanowattsPerCell) {
  const ProcessParams &p = process();
  for (const CellSpec &cell : standardCells())
    for (size_t i = 1; i < p.corners_v.size(); ++i)
      EXPECT_GT(cellLeakageNw(p, cell, supplyAt(p.corners_v[i])),
                cellLeakageNw(p, cell, supplyAt(p.corners_v[i - 1])))
          << cell.name;
  const double inv_nw = cellLeakageNw(p, *findCell("INV_X1"), supplyAt(1.1));
  EXPECT_GT(inv_nw, 0.1);
  EXPECT_LT(inv_nw, 5.0);
}

TEST(PdkModel, SubthresholdCurrentFollowsDiblAndDrainTerm) {
  const ProcessParams &p = process();
  EXPECT_NEAR(offCurrentNaPerUm(p, p.nominal_vdd_v), p.device.i_off_na_per_um, 1e-12);
  // I ~ 10^((-Vth0 + eta V)/S) (1 - exp(-V/vT)).
  const double vt = thermalVoltageV(p.temperature_c);
  const auto shape = [&](double v) {
    return std::pow(10.0, (-p.device.vth0_v + p.device.dibl_v_per_v * v) /
                              p.device.subthreshold_slope_v_per_dec) *
           (1 - std::exp(-v / vt));
  };
  EXPECT_NEAR(offCurrentNaPerUm(p, 0.6) / offCurrentNaPerUm(p, 1.1), shape(0.6) / shape(1.1), 1e-9);
  EXPECT_NEAR(vt, 0.02569, 1e-4);
}

TEST(PdkModel, StackedDevicesLeakLess) {
  const ProcessParams &p = process();
  CellSpec stacked = *findCell("NAND3_X1");
  CellSpec unstacked = stacked;
  unstacked.leak_nmos_stack = 1;
  EXPECT_LT(cellLeakageNw(p, stacked, supplyAt(1.1)), cellLeakageNw(p, unstacked, supplyAt(1.1)));
}

TEST(PdkModel, AlphaPowerLawCurrent) {
  const ProcessParams &p = process();
  const auto overdrive = [&](double v) { return v - thresholdVoltageV(p, v); };
  const double expected = std::pow(overdrive(0.8) / overdrive(1.1), p.device.alpha);
  EXPECT_NEAR(saturationCurrentUaPerUm(p, Polarity::kNmos, 0.8) /
                  saturationCurrentUaPerUm(p, Polarity::kNmos, 1.1),
              expected, 1e-12);
  EXPECT_NEAR(saturationCurrentUaPerUm(p, Polarity::kPmos, 1.1), p.device.pmos_i_dsat_ua_per_um,
              1e-9);
}

TEST(PdkModel, SupplyValidationRejectsNearThreshold) {
  const ProcessParams &p = process();
  EXPECT_EQ(supplyVoltageProblem(p, 0.6), "");
  EXPECT_NE(supplyVoltageProblem(p, 0.5), "");
  EXPECT_NE(supplyVoltageProblem(p, thresholdVoltageV(p, 0.45)), "");
}

TEST(PdkModel, SramAccessFallsAndEnergyAndLeakageRiseWithVoltage) {
  const ProcessParams &p = process();
  ASSERT_FALSE(p.sram.macros.empty());
  for (const SramMacroSpec &macro : p.sram.macros) {
    for (size_t i = 1; i < p.corners_v.size(); ++i) {
      const SramFigures lo = sramFigures(p, macro, p.corners_v[i - 1]);
      const SramFigures hi = sramFigures(p, macro, p.corners_v[i]);
      EXPECT_LT(hi.access_time_ns, lo.access_time_ns) << macro.name;
      EXPECT_GT(hi.read_energy_pj, lo.read_energy_pj) << macro.name;
      EXPECT_GT(hi.write_energy_pj, lo.write_energy_pj) << macro.name;
      EXPECT_GT(hi.leakage_nw, lo.leakage_nw) << macro.name;
    }
    const SramFigures nominal = sramFigures(p, macro, 1.1);
    EXPECT_GT(nominal.write_energy_pj, nominal.read_energy_pj) << macro.name;
    EXPECT_GT(nominal.access_time_ns, 0.5) << macro.name;
    EXPECT_LT(nominal.access_time_ns, 3.0) << macro.name;
    EXPECT_LT(nominal.retention_leakage_nw, sramFigures(p, macro, 0.6).leakage_nw);
  }
}

TEST(PdkModel, CornerTags) {
  EXPECT_EQ(cornerTag(0.6), "v0p60");
  EXPECT_EQ(cornerTag(1.1), "v1p10");
  EXPECT_EQ(cornerTag(0.95), "v0p95");
}

TEST(PdkCells, CatalogHasRequiredCellsWithSensibleAreas) {
  for (const char *name :
       {"INV_X1",   "INV_X2",   "INV_X4",   "BUF_X1",   "BUF_X2",     "BUF_X4",   "NAND2_X1",
        "NAND3_X1", "NOR2_X1",  "NOR3_X1",  "AND2_X1",  "OR2_X1",     "XOR2_X1",  "XNOR2_X1",
        "MUX2_X1",  "AOI21_X1", "OAI21_X1", "AOI22_X1", "OAI22_X1",   "TIEHI_X1", "TIELO_X1",
        "DFF_X1",   "DFFR_X1",  "DFFS_X1",  "ICG_X1",   "ISO_AND_X1", "LS_LH_X1", "HEADSW_X1"})
    EXPECT_NE(findCell(name), nullptr) << name;
  const ProcessParams &p = process();
  const double nand2_um2 = cellAreaUm2(p, *findCell("NAND2_X1"));
  EXPECT_NEAR(nand2_um2, 0.907, 0.01);
  EXPECT_LT(cellAreaUm2(p, *findCell("INV_X1")), nand2_um2);
  EXPECT_GT(cellAreaUm2(p, *findCell("XOR2_X1")), 1.5 * nand2_um2);
  EXPECT_GT(cellAreaUm2(p, *findCell("DFFR_X1")), 4 * nand2_um2);
}

}  // namespace
}  // namespace pf::pdk
