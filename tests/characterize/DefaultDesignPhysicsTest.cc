// The default accelerator through `powerflow characterize` at the six stub corners:
// the physics the scheduler relies on (slow: one full synthesis and simulation).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "characterize/Characterization.hh"
#include "characterize/CharacterizeCommand.hh"
#include "characterize/Provenance.hh"
#include "core/Design.hh"
#include "core/Files.hh"

namespace fs = std::filesystem;

namespace {

class DefaultDesign : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Per process: ctest may run this next to another checkout's copy. Under ctest the
    // table also serves the schedule tests (a fixture in tests/characterize/CMakeLists.txt),
    // which read it from the directory the environment names.
    const char *fixture = std::getenv("PF_CHARACTERIZATION_FIXTURE_DIR");
    dir_ = fixture ? fs::path(fixture)
                   : fs::temp_directory_path() /
                         ("pf_characterize_default_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    args_ = {"--design",  PF_SOURCE_DIR "/rtl/design.toml",
             "--corners", PF_SOURCE_DIR "/pdk_stub/corners.toml",
             "--work",    (dir_ / "work").string(),
             "--out",     (dir_ / "c.json").string()};
    ASSERT_EQ(pf::runCharacterizeCommand(args_), 0);
    const std::string out = (dir_ / "c.json").string();
    table_ = pf::readCharacterization(out);
  }
  static double macPj(const pf::DomainCharacterization &pe, double sparsity, size_t corner) {
    const pf::OperationEnergy *op = pe.findOperation("mac_cycle", sparsity);
    EXPECT_NE(op, nullptr) << sparsity;
    return op ? op->energy_pj[corner] : 0;
  }
  static inline fs::path dir_;
  static inline std::vector<std::string> args_;
  static inline pf::Characterization table_;
};

TEST_F(DefaultDesign, SixCornersAndEveryDomain) {
  EXPECT_EQ(table_.corners.size(), 6u);
  EXPECT_EQ(table_.domains.size(), pf::readDesign(PF_SOURCE_DIR "/rtl/design.toml").domains.size());
}

TEST_F(DefaultDesign, FmaxAndLeakageRiseWithVoltage) {
  for (const pf::DomainCharacterization &domain : table_.domains)
    for (size_t c = 1; c < table_.corners.size(); ++c) {
      EXPECT_GT(domain.fmax_mhz[c], domain.fmax_mhz[c - 1]) << domain.name;
      EXPECT_GT(domain.leakage_nw[c], domain.leakage_nw[c - 1]) << domain.name;
    }
}

TEST_F(DefaultDesign, MacEnergyScalesRoughlyWithVoltageSquared) {
  const pf::DomainCharacterization &pe = *table_.findDomain("pe_grp0");
  const size_t low = 0, high = table_.corners.size() - 1;
  const double v_ratio_sq =
      std::pow(table_.corners[high].voltage_v / table_.corners[low].voltage_v, 2);
  const double energy_ratio = macPj(pe, 0, high) / macPj(pe, 0, low);
  EXPECT_NEAR(energy_ratio / v_ratio_sq, 1.0, 0.25)
      << "E ratio " << energy_ratio << " vs V^2 ratio " << v_ratio_sq;
}

TEST_F(DefaultDesign, MacEnergyFallsWithSparsity) {
  const pf::DomainCharacterization &pe = *table_.findDomain("pe_grp0");
  for (size_t c = 0; c < table_.corners.size(); ++c) {
    double previous = macPj(pe, 0, c);
    for (double sparsity : {0.25, 0.5, 0.75, 0.9}) {
      EXPECT_LT(macPj(pe, sparsity, c), previous) << "sparsity " << sparsity << " corner " << c;
      previous = macPj(pe, sparsity, c);
    }
    EXPECT_LT(pe.findOperation("clock_gated_cycle")->energy_pj[c],
              pe.findOperation("idle_clocked_cycle")->energy_pj[c]);
    EXPECT_LT(pe.findOperation("idle_clocked_cycle")->energy_pj[c], previous);
  }
}

double aonPj(const pf::DomainCharacterization &aon, const std::string &op_class, size_t corner) {
  const pf::OperationEnergy *op = aon.findOperation(op_class);
  EXPECT_NE(op, nullptr) << op_class;
  return op ? op->energy_pj[corner] : 0;
}

TEST_F(DefaultDesign, AlwaysOnActiveCycleCostsMoreThanIdleCycle) {
  const pf::DomainCharacterization &aon = *table_.findDomain("aon");
  for (size_t c = 0; c < table_.corners.size(); ++c) {
    const double active = aonPj(aon, "active_cycle", c), idle = aonPj(aon, "idle_clocked_cycle", c);
    EXPECT_GT(idle, 0) << "corner " << c;
    EXPECT_GT(active, idle) << "corner " << c;
    // Every busy phase switches more than waiting does; computing (address generation,
    // operand muxes, requantisation) most of all.
    for (const char *phase : {"fetch_cycle", "load_cycle", "compute_cycle", "store_cycle"})
      EXPECT_GT(aonPj(aon, phase, c), idle) << phase << " corner " << c;
    EXPECT_GT(aonPj(aon, "compute_cycle", c), aonPj(aon, "load_cycle", c)) << "corner " << c;
    // Clocked idle is mostly flip-flop clock pins: the always-on domain has ~8x the
    // flip-flops of a PE group.
    const pf::DomainCharacterization &pe = *table_.findDomain("pe_grp0");
    EXPECT_GT(idle, 4 * pe.findOperation("idle_clocked_cycle")->energy_pj[c]) << "corner " << c;
  }
}

TEST_F(DefaultDesign, AlwaysOnEnergyScalesRoughlyWithVoltageSquared) {
  const pf::DomainCharacterization &aon = *table_.findDomain("aon");
  const size_t low = 0;
  for (size_t high = 1; high < table_.corners.size(); ++high) {
    const double v_ratio_sq =
        std::pow(table_.corners[high].voltage_v / table_.corners[low].voltage_v, 2);
    for (const char *op : {"active_cycle", "idle_clocked_cycle"}) {
      const double energy_ratio = aonPj(aon, op, high) / aonPj(aon, op, low);
      EXPECT_NEAR(energy_ratio / v_ratio_sq, 1.0, 0.25)
          << op << ": E ratio " << energy_ratio << " vs V^2 ratio " << v_ratio_sq;
    }
  }
}

// The stub is one process at six voltages, and the design's 240 MHz clock fits every
// domain on its rail (the always-on domain: 248 MHz at 1.1 V): nothing to warn about.
TEST_F(DefaultDesign, OneProcessAndAClockThatFitsRaiseNoWarning) {
  EXPECT_FALSE(table_.mixed_corners);
  for (const pf::CharacterizationWarning &warning : table_.warnings) ADD_FAILURE() << warning.text;
  for (const pf::CornerInfo &corner : table_.corners) {
    EXPECT_EQ(corner.nom_process, 1.0) << corner.name;
    EXPECT_EQ(corner.nom_temperature_c, 25.0) << corner.name;
  }
}

// Issue 15 item 3: every figure family of the file has its provenance; on the stub's own
// libraries and power model nothing is borrowed and the level-shifter delay is timed.
TEST_F(DefaultDesign, EveryFigureRecordsItsProvenanceAndNoneIsBorrowed) {
  const pf::Json json =
      pf::parseJson(pf::readTextFile((dir_ / "c.json").string()), (dir_ / "c.json").string());
  size_t tags = 0;
  auto walk = [&](const pf::Json &provenance, const std::vector<std::string> &families,
                  const std::string &where) {
    for (const std::string &family : families) {
      const pf::Json *tag = provenance.find(family);
      ASSERT_NE(tag, nullptr) << where << ": no provenance for " << family;
      EXPECT_FALSE(tag->at("borrowed").asBool()) << where << " " << family;
      ++tags;
    }
  };
  for (const pf::Json &domain : json.at("domains").asArray()) {
    const std::string name = domain.at("name").asString();
    walk(domain.at("provenance"), pf::domainFigureFamilies(table_.findDomain(name)->kind), name);
  }
  walk(json.at("sequencer").at("provenance"), pf::sequencerFigureFamilies(), "sequencer");
  walk(json.at("provenance").at("figures"), pf::tableFigureFamilies(), "table");
  EXPECT_GT(tags, 100u);
  EXPECT_EQ(table_.provenance.power_model.source, pf::FigureSource::PowerModel);
  EXPECT_EQ(pf::findProvenance(table_.provenance.figures, "level_shifter_delay_ns")->source,
            pf::FigureSource::Library);
  for (const pf::DomainCharacterization &domain : table_.domains)
    EXPECT_EQ(pf::findProvenance(domain.provenance, "operations")->source,
              pf::FigureSource::Library)
        << domain.name;
  const std::string summary = pf::readTextFile((dir_ / "c.txt").string());
  EXPECT_NE(summary.find("\nprovenance ("), std::string::npos);
  EXPECT_EQ(summary.find("\n! "), std::string::npos) << summary;
}

TEST_F(DefaultDesign, SummaryShowsTheAlwaysOnEnergy) {
  const std::string summary = pf::readTextFile((dir_ / "c.txt").string());
  EXPECT_NE(summary.find("active_cycle"), std::string::npos) << summary;
  EXPECT_NE(summary.find("idle_clocked_cycle"), std::string::npos) << summary;
}

// Issue 10 item 8: the power sequencer for the design's 3 rails and 12 switchable domains.
TEST_F(DefaultDesign, PowerSequencerIsCharacterized) {
  const pf::SequencerCharacterization &seq = table_.sequencer;
  ASSERT_TRUE(seq.present);
  EXPECT_EQ(seq.rails, 3);
  EXPECT_EQ(seq.domains, 12);
  EXPECT_GT(seq.cells, 1000);
  EXPECT_GT(seq.flip_flops, 12 * 16);  // at least the power-good counters
  EXPECT_GT(seq.area_um2, 0);
  for (size_t c = 1; c < table_.corners.size(); ++c) {
    EXPECT_GT(seq.leakage_nw[c], seq.leakage_nw[c - 1]) << c;
    EXPECT_GT(seq.energy_per_cycle_pj[c], seq.energy_per_cycle_pj[c - 1]) << c;
    EXPECT_GE(seq.energy_per_cycle_pj[c], seq.clock_energy_pj[c]) << c;
  }
  // Smaller than the always-on domain it lives in.
  const pf::DomainCharacterization *aon = table_.findDomain("aon");
  ASSERT_NE(aon, nullptr);
  EXPECT_LT(seq.area_um2, aon->area_um2);
  EXPECT_LT(seq.leakage_nw.back(), aon->leakage_nw.back());
}

TEST_F(DefaultDesign, WarmRunIsInstant) {
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(pf::runCharacterizeCommand(args_), 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Generous bound: hashing the inputs and reading the table, not a performance target
  // (bench/ records the real figure).
  EXPECT_LT(seconds, 10.0);
}

}  // namespace
