// The design's fastest clock against every domain's fmax on its rail
// (characterize/ClockLimit.hh): which domain limits it, on which rail, its fmax, and what
// to change; on a table with the default design's stub fmax figures (docs/characterize.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "characterize/ClockLimit.hh"

namespace fs = std::filesystem;

namespace {

// fmax of the default design on the stub (MHz) at 0.6, 0.8 and 1.1 V.
pf::Characterization stubTable() {
  pf::Characterization table;
  table.design = "pf_accel";
  table.corners = {{"v0p60", 0.6}, {"v0p80", 0.8}, {"v1p10", 1.1}};
  auto domain = [](const char *name, pf::DomainKind kind, std::vector<double> fmax) {
    pf::DomainCharacterization d;
    d.name = name;
    d.kind = kind;
    d.fmax_mhz = std::move(fmax);
    return d;
  };
  table.domains = {domain("aon", pf::DomainKind::AlwaysOn, {51, 138, 257}),
                   domain("pe_grp0", pf::DomainKind::PeGroup, {83, 225, 417}),
                   domain("act_bank0", pf::DomainKind::SramBank, {116, 300, 533})};
  return table;
}

// A design with `rails` (always-on on rail `always_on`) and a clock of `base_mhz`, its
// [clock] table in a file so the message can point at base_mhz's line (4).
pf::DesignSpec design(std::vector<double> rails, int always_on, double base_mhz) {
  const fs::path file = fs::temp_directory_path() / "pf_clock_limit_design.toml";
  std::ofstream(file) << "[rails]\nvoltages_v = [0.6]\n[clock]\nbase_mhz = " << base_mhz
                      << "\ndividers = [1, 2, 4, 8]\nswitch_time_ns = 40\n";
  pf::DesignSpec spec;
  spec.source_file = file.string();
  spec.rail_voltages_v = std::move(rails);
  spec.always_on_rail = always_on;
  spec.clock.given = true;
  spec.clock.base_mhz = base_mhz;
  spec.clock.dividers = {1, 2, 4, 8};
  return spec;
}

std::string warningText(const pf::DesignSpec &spec) {
  const std::optional<pf::CharacterizationWarning> warning =
      pf::clockLimitWarning(spec, stubTable());
  EXPECT_TRUE(warning.has_value());
  return warning ? warning->text : "";
}

void expectSays(const std::string &text, const std::string &part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in:\n" << text;
}

TEST(ClockLimit, AlwaysOnDomainOnALowRailNamesItsRailFmaxAndTheFixes) {
  const pf::DesignSpec spec = design({0.6, 0.8, 1.1}, 0, 250);
  const pf::ClockCheck check = pf::checkClockAgainstFmax(spec, stubTable());
  ASSERT_EQ(check.limits.size(), 1u);
  EXPECT_EQ(check.limits[0].domain, "aon");
  EXPECT_DOUBLE_EQ(check.limits[0].fmax_mhz, 51);
  const std::optional<pf::CharacterizationWarning> warning =
      pf::clockLimitWarning(spec, stubTable());
  ASSERT_TRUE(warning);
  EXPECT_EQ(warning->id, 5055);
  const std::string &text = warning->text;
  expectSays(text, "warning PF-5055: " + spec.source_file + ":4:");
  expectSays(text, "field 'clock.base_mhz'");
  expectSays(text, "the fastest clock, 250.0 MHz (base_mhz 250 / divider 1)");
  expectSays(text, "the always-on domain 'aon' on its rail (rails.always_on_v = 0.60 V): 51.0 MHz");
  expectSays(text, "No layer can run at the aggressive operating point");
  expectSays(text, "the fastest divider it takes is 8 (31.2 MHz)");
  expectSays(text, "lower clock.base_mhz to 51.0 MHz or less");
  // 0.8 V (138 MHz) is not enough; the 1.1 V rail is.
  expectSays(text, "raise rails.always_on_v to 1.10 V (aon's fmax there: 257.0 MHz)");
}

TEST(ClockLimit, EveryLimitingDomainIsListedTheSlowestFirst) {
  const std::string text = warningText(design({0.6, 0.8, 1.1}, 2, 450));
  expectSays(text,
             "the always-on domain 'aon' on its rail (rails.always_on_v = 1.10 V): 257.0 MHz");
  expectSays(text,
             "lower clock.base_mhz to 257.0 MHz or less (no characterized corner is fast "
             "enough to raise aon's rail to: its fastest is 257.0 MHz at 1.10 V)");
  expectSays(text, "also above the fmax of 'pe_grp0' (417.0 MHz at 1.10 V)");
  EXPECT_EQ(text.find("act_bank0"), std::string::npos) << "533 MHz takes 450 MHz";
}

TEST(ClockLimit, ARailAboveTheDesignsIsProposedWhenACornerHasIt) {
  // Rails 0.6 / 0.8 V, always-on at 0.8 V (138 MHz): the 1.1 V corner would take 200 MHz.
  const std::string text = warningText(design({0.6, 0.8}, 1, 200));
  expectSays(text,
             "add a rail at 1.10 V to rails.voltages_v and set rails.always_on_v to it "
             "(aon's fmax there: 257.0 MHz)");
  EXPECT_EQ(text.find("also above"), std::string::npos) << "the PE groups take 200 MHz at 0.8 V";
  // A PE group is the limit when the always-on domain is fast enough: the top rail.
  pf::Characterization table = stubTable();
  table.domains[0].fmax_mhz = {500, 500, 500};
  const std::optional<pf::CharacterizationWarning> pe =
      pf::clockLimitWarning(design({0.6, 0.8}, 1, 250), table);
  ASSERT_TRUE(pe);
  expectSays(pe->text,
             "the pe_group domain 'pe_grp0' on its rail (top rail of "
             "rails.voltages_v, 0.80 V): 225.0 MHz");
  expectSays(pe->text, "Layers that use 'pe_grp0' cannot run at the aggressive operating point");
  expectSays(pe->text,
             "raise the top rail of rails.voltages_v to 1.10 V (pe_grp0's fmax there: "
             "417.0 MHz)");
}

TEST(ClockLimit, NothingToSayWhenTheClockFitsOrIsNotGiven) {
  EXPECT_FALSE(pf::clockLimitWarning(design({0.6, 0.8, 1.1}, 2, 250), stubTable()));
  pf::DesignSpec no_clock = design({0.6, 0.8, 1.1}, 0, 250);
  no_clock.clock.given = false;
  EXPECT_FALSE(pf::clockLimitWarning(no_clock, stubTable()));
  // A rail without a characterized corner is the schedule stage's to refuse.
  EXPECT_FALSE(pf::clockLimitWarning(design({0.7, 1.1}, 0, 250), stubTable()));
}

}  // namespace
