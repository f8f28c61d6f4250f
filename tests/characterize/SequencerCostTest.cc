// characterizeSequencer() on the stub PDK: the default shape (R=3, 12 domains) has cells,
// area, leakage rising with the supply and energy per cycle scaling about with V^2; more
// rails or more domains cost more area. Each shape is synthesized once (Yosys, ~5 s).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include "characterize/SequencerCost.hh"
#include "core/Error.hh"

namespace pf {
namespace {

const CornerSet &stubCorners() {
  static const CornerSet corners = readCornerSet(PF_SOURCE_DIR "/pdk_stub/corners.toml");
  return corners;
}

// One directory per process and shape: two test runs at once never share one.
std::string workDir(int rails, int domains) {
  const char *tmp = std::getenv("TMPDIR");
  return (std::filesystem::path(tmp ? tmp : "/tmp") /
          fmt::format("pf_sequencer_cost_{}_r{}_d{}", ::getpid(), rails, domains))
      .string();
}

// Synthesized once per shape and shared by the tests.
const SequencerCost &costOf(int rails, int domains) {
  static std::map<std::pair<int, int>, SequencerCost> cache;
  auto it = cache.find({rails, domains});
  if (it == cache.end()) {
    SequencerCostOptions options;
    options.work_dir = workDir(rails, domains);
    it = cache
             .emplace(std::make_pair(rails, domains),
                      characterizeSequencer(representativeSequencerParams(rails, domains),
                                            stubCorners(), options))
             .first;
  }
  return it->second;
}

TEST(SequencerCost, DefaultShapeHasCellsAreaAndFlops) {
  const SequencerCost &cost = costOf(3, 12);
  EXPECT_EQ(cost.rails, 3);
  EXPECT_EQ(cost.domains, 12);
  EXPECT_EQ(cost.synthesis_corner, "v1p10");
  EXPECT_GT(cost.cells, 0);
  EXPECT_GT(cost.area_um2, 0);
  // Every output is a flop, and each domain keeps at least its rail select and four controls.
  EXPECT_GE(cost.flip_flops, 12 * (3 + 4));
  EXPECT_LT(cost.flip_flops, cost.cells);
  long counted = 0;
  for (const auto &[type, count] : cost.cell_counts) counted += count;
  EXPECT_EQ(counted, cost.cells);
  ASSERT_EQ(cost.corners.size(), stubCorners().corners.size());
}

TEST(SequencerCost, LeakageIsPositiveAndRisesWithVoltage) {
  const SequencerCost &cost = costOf(3, 12);
  for (size_t c = 0; c < cost.corners.size(); ++c) {
    EXPECT_GT(cost.corners[c].leakage_nw, 0) << cost.corners[c].corner;
    if (c > 0) {
      EXPECT_GT(cost.corners[c].voltage_v, cost.corners[c - 1].voltage_v);
      EXPECT_GT(cost.corners[c].leakage_nw, cost.corners[c - 1].leakage_nw)
          << cost.corners[c].corner;
    }
  }
}

// Dynamic energy is C*V^2 in the stub's tables: per-cycle energy divided by V^2 stays within
// 30 % of the nominal corner's across 0.6..1.1 V (a factor 3.4 in V^2).
TEST(SequencerCost, EnergyPerCycleScalesWithVoltageSquared) {
  const SequencerCost &cost = costOf(3, 12);
  const SequencerCornerCost &nominal = cost.corners.back();
  ASSERT_GT(nominal.clock_energy_pj, 0);
  ASSERT_GT(nominal.data_energy_pj, 0);
  const double nominal_per_v2 =
      nominal.energyPerCyclePj() / (nominal.voltage_v * nominal.voltage_v);
  for (size_t c = 0; c < cost.corners.size(); ++c) {
    const SequencerCornerCost &corner = cost.corners[c];
    if (c > 0) {
      EXPECT_GT(corner.energyPerCyclePj(), cost.corners[c - 1].energyPerCyclePj());
    }
    const double per_v2 = corner.energyPerCyclePj() / (corner.voltage_v * corner.voltage_v);
    EXPECT_NEAR(per_v2 / nominal_per_v2, 1.0, 0.3) << corner.corner;
  }
}

// Against the default shape (3 rails, 12 domains), which the tests above synthesize
// anyway: one rail less costly, two domains less costly. (The 8-rail and 32-domain
// shapes took 16 and 25-49 s of Yosys; bench/gen_results.md reports R = 1..8 at 12
// domains.)
TEST(SequencerCost, MoreRailsCostMoreArea) {
  const SequencerCost &one = costOf(1, 12), &three = costOf(3, 12);
  EXPECT_GT(three.area_um2, one.area_um2);
  EXPECT_GT(three.flip_flops, one.flip_flops);
  EXPECT_GT(three.corners.back().leakage_nw, one.corners.back().leakage_nw);
}

TEST(SequencerCost, MoreDomainsCostMoreArea) {
  const SequencerCost &two = costOf(3, 2), &twelve = costOf(3, 12);
  EXPECT_GT(twelve.area_um2, two.area_um2);
  EXPECT_GT(twelve.flip_flops, two.flip_flops);
  EXPECT_GT(twelve.corners.back().leakage_nw, two.corners.back().leakage_nw);
}

TEST(SequencerCost, RefusesUnusableParameters) {
  gen::SequencerParams params = representativeSequencerParams(3, 12);
  params.rails = 9;
  SequencerCostOptions options;
  options.work_dir = workDir(9, 12);
  try {
    characterizeSequencer(params, stubCorners(), options);
    FAIL() << "R=9 was accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 5401) << error.formatted();
  }
  CornerSet empty;
  empty.source_file = "none.toml";
  try {
    characterizeSequencer(representativeSequencerParams(3, 12), empty, options);
    FAIL() << "an empty corner set was accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 5406) << error.formatted();
  }
}

// A corner whose library lacks a cell the netlist uses: PF-5404 naming that library.
TEST(SequencerCost, RefusesACornerWithoutTheMappedCells) {
  CornerSet corners = stubCorners();
  const std::string broken = workDir(0, 0) + "_broken.lib";
  std::filesystem::create_directories(std::filesystem::path(broken).parent_path());
  {
    // The stub library with its DFFR renamed: Yosys maps onto v1p10, v0p60 lacks the cell.
    std::ifstream in(corners.corners.front().std_liberty[0]);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = text.find("cell (DFFR_X1)");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 14, "cell (DFFQ_X1)");
    std::ofstream(broken) << text;
  }
  corners.corners.front().std_liberty = {broken};
  SequencerCostOptions options;
  options.work_dir = workDir(1, 2);
  try {
    characterizeSequencer(representativeSequencerParams(1, 2), corners, options);
    FAIL() << "a corner without DFFR_X1 was accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 5404) << error.formatted();
    EXPECT_EQ(error.loc().file, broken);
    EXPECT_NE(error.message().find("DFFR_X1"), std::string::npos) << error.formatted();
  }
}

}  // namespace
}  // namespace pf
