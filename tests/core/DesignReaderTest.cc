// Design TOML reader: the default design reads, and every kind of bad input is
// reported with file, line and field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/Design.hh"
#include "core/Error.hh"

namespace fs = std::filesystem;

namespace {

const char *const kValidDesign = R"([design]
name = "tiny"
top = "tiny"
filelist = "tiny.f"
[design.parameters]
COLS = 2
[rails]
voltages_v = [0.6, 1.1]
[[domain]]
name = "aon"
kind = "always_on"
modules = ["ctrl"]
[[domain]]
name = "pe_grp0"
kind = "pe_group"
instances = ["u_pe0"]
columns = [0, 1]
pgood = "pe_pgood[0]"
iso = "pe_iso[0]"
reset = "pe_rst_n[0]"
[[domain]]
name = "bank0"
kind = "sram_bank"
instances = ["u_bank0"]
macro = "sram_64x8"
words = 64
bits = 8
pgood = "bank_pgood[0]"
iso = "bank_iso[0]"
retention = "bank_ret[0]"
)";

std::string writeDesign(const std::string &name, const std::string &text) {
  const fs::path dir = fs::temp_directory_path() / ("pf_design_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "tiny.f") << "tiny.v\n";
  const fs::path path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

// Reads a broken design and returns the error it must raise.
pf::Error expectError(const std::string &text) {
  const std::string path = writeDesign("broken.toml", text);
  try {
    pf::readDesign(path);
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.loc().file, path);
    return error;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return pf::Error(0, {}, "", "");
}

TEST(DesignReader, ReadsValidDesign) {
  const pf::DesignSpec design = pf::readDesign(writeDesign("ok.toml", kValidDesign));
  EXPECT_EQ(design.name, "tiny");
  ASSERT_EQ(design.domains.size(), 3u);
  EXPECT_EQ(design.domains[1].kind, pf::DomainKind::PeGroup);
  EXPECT_EQ(design.domains[2].words, 64);
  EXPECT_EQ(design.rail_voltages_v.size(), 2u);
  EXPECT_EQ(design.parameters.at("COLS"), 2);
}

TEST(DesignReader, ReadsTheDefaultDesign) {
  const pf::DesignSpec design = pf::readDesign(PF_SOURCE_DIR "/rtl/design.toml");
  EXPECT_EQ(design.top, "pf_accel");
  EXPECT_EQ(design.countDomains(pf::DomainKind::AlwaysOn), 1);
  EXPECT_GE(design.countDomains(pf::DomainKind::PeGroup), 2);
  EXPECT_GE(design.countDomains(pf::DomainKind::SramBank), 2);
}

TEST(DesignReader, SyntaxErrorHasLineAndColumn) {
  const pf::Error error = expectError(replaced(kValidDesign, "top = \"tiny\"", "top = \"tiny"));
  EXPECT_EQ(error.id(), 1101);
  EXPECT_EQ(error.loc().line, 3);
}

TEST(DesignReader, UnknownFieldIsNamed) {
  const pf::Error error = expectError(replaced(kValidDesign, "words = 64", "wrods = 64"));
  EXPECT_EQ(error.id(), 1104);
  EXPECT_EQ(error.field(), "domain[2].wrods");
  EXPECT_EQ(error.loc().line, 26);
}

TEST(DesignReader, UnknownKindIsNamed) {
  const pf::Error error =
      expectError(replaced(kValidDesign, "kind = \"pe_group\"", "kind = \"pe_grop\""));
  EXPECT_EQ(error.id(), 3001);
  EXPECT_EQ(error.field(), "domain[1].kind");
  EXPECT_EQ(error.loc().line, 15);
}

TEST(DesignReader, MissingFieldIsNamed) {
  const pf::Error error = expectError(replaced(kValidDesign, "reset = \"pe_rst_n[0]\"\n", ""));
  EXPECT_EQ(error.id(), 1102);
  EXPECT_EQ(error.field(), "domain[1].reset");
}

TEST(DesignReader, TooManyRailsRefused) {
  const pf::Error error = expectError(
      replaced(kValidDesign, "[0.6, 1.1]", "[0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3]"));
  EXPECT_EQ(error.id(), 3007);
  EXPECT_EQ(error.field(), "rails.voltages_v");
  EXPECT_EQ(error.loc().line, 8);
}

TEST(DesignReader, ClockAndMemoryAreOptionalAndRead) {
  const pf::DesignSpec bare = pf::readDesign(writeDesign("bare.toml", kValidDesign));
  EXPECT_FALSE(bare.clock.given);
  EXPECT_FALSE(bare.memory.given);
  EXPECT_EQ(bare.always_on_rail, 1);  // the highest rail by default
  const std::string text = replaced(kValidDesign, "[0.6, 1.1]",
                                    "[0.6, 1.1]\nalways_on_v = 0.6\n[clock]\nbase_mhz = 200\n"
                                    "dividers = [1, 2, 4]\nswitch_time_ns = 30\n"
                                    "[memory]\nbandwidth_mb_per_s = 400");
  const pf::DesignSpec design = pf::readDesign(writeDesign("clocked.toml", text));
  EXPECT_EQ(design.always_on_rail, 0);
  EXPECT_TRUE(design.clock.given);
  EXPECT_EQ(design.clock.dividers, (std::vector<int64_t>{1, 2, 4}));
  EXPECT_DOUBLE_EQ(design.memory.bandwidth_mb_per_s, 400.0);
}

TEST(DesignReader, BadClockIsNamed) {
  const std::string base = "[0.6, 1.1]\n[clock]\nbase_mhz = 200\nswitch_time_ns = 30\ndividers = ";
  const pf::Error fractional = expectError(replaced(kValidDesign, "[0.6, 1.1]", base + "[1, 2.5]"));
  EXPECT_EQ(fractional.id(), 3017);
  EXPECT_EQ(fractional.field(), "clock.dividers");
  EXPECT_EQ(fractional.loc().line, 12);
  EXPECT_EQ(expectError(replaced(kValidDesign, "[0.6, 1.1]", base + "[2, 1]")).id(), 3018);
  const pf::Error rail =
      expectError(replaced(kValidDesign, "[0.6, 1.1]", "[0.6, 1.1]\nalways_on_v = 0.9"));
  EXPECT_EQ(rail.id(), 3016);
  EXPECT_EQ(rail.field(), "rails.always_on_v");
}

TEST(DesignReader, NoRailsRefused) {
  EXPECT_EQ(expectError(replaced(kValidDesign, "[0.6, 1.1]", "[]")).id(), 3007);
}

TEST(DesignReader, DuplicateDomainNameRefused) {
  const pf::Error error = expectError(replaced(kValidDesign, "name = \"bank0\"", "name = \"aon\""));
  EXPECT_EQ(error.id(), 3011);
  EXPECT_EQ(error.field(), "domain[2].name");
}

TEST(DesignReader, SecondAlwaysOnDomainRefused) {
  const pf::Error error =
      expectError(std::string(kValidDesign) +
                  "[[domain]]\nname = \"aon2\"\nkind = \"always_on\"\nmodules = [\"x\"]\n");
  EXPECT_EQ(error.id(), 3010);
}

TEST(DesignReader, BadPortReferenceRefused) {
  const pf::Error error =
      expectError(replaced(kValidDesign, "iso = \"pe_iso[0]\"", "iso = \"pe iso\""));
  EXPECT_EQ(error.id(), 3002);
  EXPECT_EQ(error.field(), "domain[1].iso");
}

TEST(DesignReader, MissingFileListRefused) {
  const pf::Error error = expectError(replaced(kValidDesign, "tiny.f", "nothere.f"));
  EXPECT_EQ(error.id(), 3006);
  EXPECT_EQ(error.field(), "design.filelist");
}

TEST(DesignReader, ColumnsMustMatchCols) {
  EXPECT_EQ(expectError(replaced(kValidDesign, "COLS = 2", "COLS = 4")).id(), 3015);
}

TEST(DesignReader, WrongTypeIsNamed) {
  const pf::Error error = expectError(replaced(kValidDesign, "words = 64", "words = \"64\""));
  EXPECT_EQ(error.id(), 1106);
  EXPECT_EQ(error.field(), "domain[2].words");
}

}  // namespace

// [transitions] (docs/transitions.md): absent means today's physics; each model's
// parameters are required with it and refused without it.
namespace {

const char *const kClock = "[clock]\nbase_mhz = 250.0\ndividers = [1, 2]\nswitch_time_ns = 40.0\n";

std::string withTransitions(const std::string &table, bool clock = true) {
  return replaced(kValidDesign, "[[domain]]\nname = \"aon\"",
                  (clock ? std::string(kClock) : std::string()) + "[transitions]\n" + table +
                      "[[domain]]\nname = \"aon\"");
}

TEST(DesignReader, NoTransitionsTableIsThePowerMultiplexerAndTheDivider) {
  const pf::DesignSpec design = pf::readDesign(writeDesign("ok.toml", kValidDesign));
  EXPECT_FALSE(design.transitions.given);
  EXPECT_TRUE(design.transitions.isDefault());
  const pf::DesignSpec shipped = pf::readDesign(PF_SOURCE_DIR "/rtl/design.toml");
  EXPECT_TRUE(shipped.transitions.isDefault());
  // An empty table is the default too.
  EXPECT_TRUE(pf::readDesign(writeDesign("ok.toml", withTransitions(""))).transitions.isDefault());
}

TEST(DesignReader, ReadsRegulatorAndPllParameters) {
  const pf::DesignSpec design = pf::readDesign(writeDesign(
      "ok.toml", withTransitions("rail_change = \"regulator\"\nregulator_ramp_v_per_us = 0.05\n"
                                 "regulator_settle_us = 2.0\nregulator_capacitance_uf = 4.7\n"
                                 "regulator_efficiency_ratio = 0.85\nclock_change = \"pll\"\n"
                                 "pll_relock_us = 100\n")));
  const pf::TransitionSpec &spec = design.transitions;
  EXPECT_TRUE(spec.given);
  EXPECT_FALSE(spec.isDefault());
  EXPECT_EQ(spec.rail_change, pf::RailChangeModel::Regulator);
  EXPECT_DOUBLE_EQ(spec.regulator_ramp_v_per_us, 0.05);
  EXPECT_DOUBLE_EQ(spec.regulator_settle_us, 2.0);
  EXPECT_DOUBLE_EQ(spec.regulator_capacitance_uf, 4.7);
  EXPECT_DOUBLE_EQ(spec.regulator_efficiency_ratio, 0.85);
  EXPECT_EQ(spec.clock_change, pf::ClockChangeModel::Pll);
  EXPECT_DOUBLE_EQ(spec.pll_relock_us, 100.0);
  EXPECT_EQ(spec.loc.line, 13);
}

TEST(DesignReader, TransitionErrorsAreLocated) {
  // The [transitions] table is line 13 (after [rails] and the 4-line [clock]).
  const pf::Error unknown = expectError(withTransitions("rail_change = \"ldo\"\n"));
  EXPECT_EQ(unknown.id(), 3019);
  EXPECT_EQ(unknown.field(), "transitions.rail_change");
  EXPECT_EQ(unknown.loc().line, 14);
  EXPECT_EQ(expectError(withTransitions("clock_change = \"fll\"\n")).id(), 3027);
  // A parameter of a model that is not chosen.
  const pf::Error stray = expectError(withTransitions("pll_relock_us = 50\n"));
  EXPECT_EQ(stray.id(), 3020);
  EXPECT_EQ(stray.field(), "transitions.pll_relock_us");
  EXPECT_EQ(stray.loc().line, 14);
  EXPECT_NE(stray.message().find("clock_change is \"divider\""), std::string::npos)
      << stray.message();
  EXPECT_EQ(expectError(withTransitions("regulator_settle_us = 2\n")).id(), 3020);
  // The chosen model's parameters are required, in range.
  const pf::Error missing = expectError(withTransitions(
      "rail_change = \"regulator\"\nregulator_ramp_v_per_us = 0.05\nregulator_settle_us = 2\n"
      "regulator_efficiency_ratio = 0.85\n"));
  EXPECT_EQ(missing.id(), 1102);
  EXPECT_EQ(missing.field(), "transitions.regulator_capacitance_uf");
  const pf::Error range = expectError(withTransitions(
      "rail_change = \"regulator\"\nregulator_ramp_v_per_us = 0.05\nregulator_settle_us = 2\n"
      "regulator_capacitance_uf = 4.7\nregulator_efficiency_ratio = 1.5\n"));
  EXPECT_EQ(range.id(), 1103);
  EXPECT_EQ(range.field(), "transitions.regulator_efficiency_ratio");
  EXPECT_EQ(range.loc().line, 18);
  EXPECT_EQ(expectError(withTransitions("clock_change = \"pll\"\n")).field(),
            "transitions.pll_relock_us");
  // A typo, and a PLL without the clock it relocks.
  EXPECT_EQ(expectError(withTransitions("pll_relock_ns = 50\n")).id(), 1104);
  const pf::Error no_clock =
      expectError(withTransitions("clock_change = \"pll\"\npll_relock_us = 50\n", false));
  EXPECT_EQ(no_clock.id(), 3021);
  EXPECT_EQ(no_clock.field(), "transitions.clock_change");
}

}  // namespace
