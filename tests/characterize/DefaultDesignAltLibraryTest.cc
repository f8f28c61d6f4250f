// The default accelerator through `powerflow characterize` on the alternative-naming
// liberty set (tests/characterize/data: other cell and pin names, ps/fF units, swapped
// table indices), paired with the stub SRAM macros at the nearest voltage. The always-on
// domain's energy per cycle must come out of it with the same physics as on the stub
// (slow: one full synthesis, two gate-level simulations).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "characterize/Characterization.hh"
#include "characterize/CharacterizeCommand.hh"
#include "core/Files.hh"

namespace fs = std::filesystem;

namespace {

const std::string kStub = PF_SOURCE_DIR "/pdk_stub/lib/";
const std::string kAlt = PF_SOURCE_DIR "/tests/characterize/data/";

class DefaultDesignAltLibrary : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("pf_characterize_altlib_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string corners = (dir_ / "corners.toml").string();
    std::ofstream(corners) << "power_model = \"" << kStub << "pf40lp_power.toml\"\n"
                           << corner("a0p70", "0.7", "altlib_0p70.lib", "pf40lp_sram_v0p70.lib")
                           << corner("a0p90", "0.9", "altlib_0p90.lib", "pf40lp_sram_v0p90.lib")
                           << corner("a1p20", "1.2", "altlib_1p20.lib", "pf40lp_sram_v1p10.lib");
    const std::string out = (dir_ / "c.json").string();
    ASSERT_EQ(
        pf::runCharacterizeCommand({"--design", PF_SOURCE_DIR "/rtl/design.toml", "--corners",
                                    corners, "--work", (dir_ / "work").string(), "--out", out}),
        0);
    table_ = pf::readCharacterization(out);
  }
  static std::string corner(const char *name, const char *voltage, const char *lib,
                            const char *sram) {
    return std::string("[[corner]]\nname = \"") + name + "\"\nvoltage_v = " + voltage +
           "\nliberty = [\"" + kAlt + lib + "\"]\nsram_liberty = [\"" + kStub + sram + "\"]\n";
  }
  static double pj(const char *op_class, size_t corner) {
    const pf::OperationEnergy *op = table_.findDomain("aon")->findOperation(op_class);
    EXPECT_NE(op, nullptr) << op_class;
    return op ? op->energy_pj[corner] : 0;
  }
  static inline fs::path dir_;
  static inline pf::Characterization table_;
};

TEST_F(DefaultDesignAltLibrary, AlwaysOnEnergyComesFromTheAltCells) {
  // The simulated always-on netlist is made of the alt library's cells.
  const std::string netlist =
      pf::readTextFile((dir_ / "work/energy_aon/cut/pf_accel_cut.blif").string());
  EXPECT_NE(netlist.find(".subckt dffrn_x1 "), std::string::npos);
  EXPECT_EQ(netlist.find("DFFR_X1"), std::string::npos);
  ASSERT_EQ(table_.corners.size(), 3u);
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_GT(pj("idle_clocked_cycle", c), 0) << "corner " << c;
    EXPECT_GT(pj("active_cycle", c), pj("idle_clocked_cycle", c)) << "corner " << c;
    EXPECT_GT(pj("compute_cycle", c), pj("idle_clocked_cycle", c)) << "corner " << c;
  }
}

TEST_F(DefaultDesignAltLibrary, BorrowedSramAtAnotherVoltageIsWarned) {
  // The 1.2 V corner uses the stub's 1.1 V macros (PF-5057); the stub's power model was
  // made for the stub's libraries (PF-5061) at 0.6-1.1 V (PF-5059); altlib has no
  // power-management cells (PF-5062).
  std::vector<int> ids;
  for (const pf::CharacterizationWarning &warning : table_.warnings) ids.push_back(warning.id);
  ASSERT_EQ(ids, (std::vector<int>{5057, 5061, 5059, 5062}));
  EXPECT_NE(table_.warnings[0].text.find("corner 'a1p20'"), std::string::npos)
      << table_.warnings[0].text;
  // The figures the stub's model gives are flagged as borrowed.
  const pf::FigureProvenance *wake =
      pf::findProvenance(table_.findDomain("pe_grp0")->provenance, "wake_up");
  ASSERT_NE(wake, nullptr);
  EXPECT_EQ(wake->source, pf::FigureSource::StubDefault);
  EXPECT_TRUE(wake->borrowed);
}

TEST_F(DefaultDesignAltLibrary, AlwaysOnEnergyScalesRoughlyWithVoltageSquared) {
  // altlib's internal energy is V^2 * C by construction (README.md there), so the bound
  // is the same as on the stub.
  for (size_t high = 1; high < 3; ++high) {
    const double v_ratio_sq =
        std::pow(table_.corners[high].voltage_v / table_.corners[0].voltage_v, 2);
    for (const char *op : {"active_cycle", "idle_clocked_cycle"}) {
      const double energy_ratio = pj(op, high) / pj(op, 0);
      EXPECT_NEAR(energy_ratio / v_ratio_sq, 1.0, 0.25)
          << op << ": E ratio " << energy_ratio << " vs V^2 ratio " << v_ratio_sq;
    }
  }
}

TEST_F(DefaultDesignAltLibrary, PeGroupEnergyToo) {
  const pf::DomainCharacterization &pe = *table_.findDomain("pe_grp0");
  const pf::OperationEnergy *mac = pe.findOperation("mac_cycle", 0);
  ASSERT_NE(mac, nullptr);
  for (size_t c = 1; c < 3; ++c) EXPECT_GT(mac->energy_pj[c], mac->energy_pj[c - 1]);
  EXPECT_LT(pe.findOperation("idle_clocked_cycle")->energy_pj[0], mac->energy_pj[0]);
}

}  // namespace
