// Issue 15, item 3: where every figure comes from. The power model (optional: the stub's
// built in, every key defaulted to the stub's and named), the warnings the library check
// adds (one file for several corners PF-5058, a voltage outside the model PF-5059, the
// stub's model applied PF-5060 or some of its keys PF-5068, a model made for other
// libraries PF-5061, no
// power-management cells PF-5062) and the provenance tags of a table (recordProvenance) on
// the corner sets of tests/characterize/libcheck; no tool runs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "characterize/Characterization.hh"
#include "characterize/LibraryCheck.hh"
#include "characterize/PowerModel.hh"
#include "characterize/Provenance.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"
#include "tests/characterize/LibCheckTestData.hh"

namespace fs = std::filesystem;

namespace {

using pf::test::kLibCheckDir;
using pf::test::kRepo;
using pf::test::lineOf;
using pf::test::warningIds;
const std::string kStubModel = kRepo + "/pdk_stub/lib/pf40lp_power.toml";

const pf::CharacterizationWarning &warningWithId(const pf::CheckedLibraries &checked, int id) {
  for (const pf::CharacterizationWarning &warning : checked.warnings)
    if (warning.id == id) return warning;
  ADD_FAILURE() << "no PF-" << id;
  static const pf::CharacterizationWarning none;
  return none;
}

void expectSaysAll(const std::string &text, const std::vector<std::string> &parts) {
  for (const std::string &part : parts)
    EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in\n" << text;
}

fs::path scratch(const std::string &name) {
  const fs::path dir = fs::temp_directory_path() / ("pf_provenance_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// ---- the power model ----------------------------------------------------------------

TEST(PowerModel, TheBuiltInStubModelIsTheStubsFile) {
  const pf::PowerModel file = pf::readPowerModel(kStubModel);
  const pf::PowerModel stub = pf::stubPowerModel();
  EXPECT_TRUE(file.defaulted.empty()) << fmt::format("{}", fmt::join(file.defaulted, ", "));
  EXPECT_FALSE(file.built_in);
  EXPECT_TRUE(stub.built_in);
  EXPECT_EQ(stub.process, file.process);
  EXPECT_EQ(stub.std_liberty_files, file.std_liberty_files);
  EXPECT_EQ(stub.header_switch_cell, file.header_switch_cell);
  EXPECT_EQ(stub.isolation_cell, file.isolation_cell);
  EXPECT_EQ(stub.level_shifter_cell, file.level_shifter_cell);
  EXPECT_EQ(stub.corners_v, file.corners_v);
  EXPECT_EQ(stub.regulator_efficiency_ratio, file.regulator_efficiency_ratio);
  EXPECT_EQ(stub.wake_fixed_ns, file.wake_fixed_ns);
  EXPECT_EQ(stub.inrush_limit_ma, file.inrush_limit_ma);
  EXPECT_EQ(stub.domain_capacitance_ff_per_um2, file.domain_capacitance_ff_per_um2);
  EXPECT_EQ(stub.rail_switch_settle_us, file.rail_switch_settle_us);
  EXPECT_EQ(stub.rail_switch_inrush_limit_ma, file.rail_switch_inrush_limit_ma);
  EXPECT_EQ(stub.gated_leakage_ratio, file.gated_leakage_ratio);
  ASSERT_EQ(stub.srams.size(), file.srams.size());
  for (size_t i = 0; i < stub.srams.size(); ++i) {
    EXPECT_EQ(stub.srams[i].macro, file.srams[i].macro);
    EXPECT_EQ(stub.srams[i].retention_voltage_v, file.srams[i].retention_voltage_v);
    EXPECT_EQ(stub.srams[i].retention_leakage_nw, file.srams[i].retention_leakage_nw);
  }
}

TEST(PowerModel, AMissingKeyTakesTheStubsValueAndIsNamed) {
  const pf::PowerModel model = pf::readPowerModel(kLibCheckDir + "lc_power_partial.toml");
  EXPECT_EQ(model.defaulted,
            (std::vector<std::string>{"rail_switch.settle_us", "rail_switch.inrush_limit_ma"}));
  EXPECT_EQ(model.rail_switch_settle_us, pf::stubPowerModel().rail_switch_settle_us);
  EXPECT_EQ(model.wake_fixed_ns, 15.0);  // its own
  EXPECT_TRUE(model.srams.empty());
}

TEST(PowerModel, AnUnknownKeyIsRefusedNotDefaulted) {
  // With every key optional, a misspelt one would silently become the stub's value.
  const fs::path dir = scratch("typo");
  const std::string path = (dir / "p.toml").string();
  std::ofstream(path) << "[header_switch]\nwake_fix_ns = 3.0\n";
  try {
    pf::readPowerModel(path);
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1104) << error.formatted();
    EXPECT_EQ(error.field(), "header_switch.wake_fix_ns");
    EXPECT_EQ(error.loc().line, 2);
  }
}

// ---- the power model against the corners (warnings) ---------------------------------

pf::CheckedLibraries check(const std::string &corner_set) {
  return pf::checkCornerLibraries(pf::readCornerSet(kLibCheckDir + corner_set));
}

TEST(PowerModelCheck, AModelMadeForTheseLibrariesRaisesNothing) {
  const pf::CheckedLibraries checked = check("good.toml");
  EXPECT_EQ(warningIds(checked.warnings),
            std::vector<int>{5062});  // only: no power-management cells
  EXPECT_FALSE(checked.power_model.built_in);
  EXPECT_FALSE(checked.power_model_borrowed);
  EXPECT_TRUE(checked.corners_outside_power_model.empty());
  EXPECT_EQ(checked.power_model.process, "lc");
}

TEST(PowerModelCheck, WithoutAModelTheStubsAppliesAndTheWarningSaysHowToWriteOne) {
  const pf::CheckedLibraries checked = check("no_power_model.toml");
  EXPECT_TRUE(checked.power_model.built_in);
  const pf::CharacterizationWarning &warning = warningWithId(checked, 5060);
  expectSaysAll(
      warning.text,
      {"warning PF-5060: " + kLibCheckDir + "no_power_model.toml: field 'power_model'",
       "names no power model",
       "the stub PDK's power model (built in; pdk_stub/lib/pf40lp_power.toml)", "stub_default",
       "docs/formats.md, \"Power model\"", "power_model = \"my_power.toml\""});
}

TEST(PowerModelCheck, TheStubsModelWithOtherLibrariesIsBorrowed) {
  const pf::CheckedLibraries checked = check("stub_power_model.toml");
  EXPECT_TRUE(checked.power_model_borrowed);
  const pf::CharacterizationWarning &warning = warningWithId(checked, 5061);
  expectSaysAll(
      warning.text,
      {fmt::format("{}:{}:", kStubModel, lineOf(kStubModel, "std_liberty_files =")),
       "field 'std_liberty_files'", "pf40lp_std_v0p60.lib", "the corners use lc_v0p80.lib",
       "header switch 'HEADSW_X1'", "from the stub PDK (process pf40lp)", "stub_default"});
}

TEST(PowerModelCheck, AVoltageOutsideTheModelIsWarned) {
  const pf::CheckedLibraries checked = check("out_of_range.toml");
  EXPECT_EQ(checked.corners_outside_power_model, std::vector<std::string>{"v1p00"});
  const std::string model = kLibCheckDir + "lc_power_narrow.toml";
  const pf::CharacterizationWarning &warning = warningWithId(checked, 5059);
  expectSaysAll(warning.text,
                {fmt::format("warning PF-5059: {}:{}:", model, lineOf(model, "corners_v =")),
                 "field 'corners_v'",
                 fmt::format("corner 'v1p00' at 1 V ({}out_of_range.toml:{})", kLibCheckDir,
                             lineOf(kLibCheckDir + "out_of_range.toml", "voltage_v = 1.00")),
                 "0.8-0.9 V", "extrapolated"});
}

TEST(PowerModelCheck, TheStubsModelAboveItsRangeWithAnotherLibraryIsWarned) {
  // The case: the stub's 0.6-1.1 V model reused with a real library at 1.2 V (here
  // the alternative-naming test library, which has no power-management cells either).
  const fs::path dir = scratch("above");
  const std::string alt = kRepo + "/tests/characterize/data/";
  const std::string corners = (dir / "c.toml").string();
  std::ofstream(corners) << "power_model = \"" << kStubModel << "\"\n"
                         << "[[corner]]\nvoltage_v = 0.9\nliberty = [\"" << alt
                         << "altlib_0p90.lib\"]\n[[corner]]\nvoltage_v = 1.2\nliberty = [\"" << alt
                         << "altlib_1p20.lib\"]\n";
  const pf::CheckedLibraries checked = pf::checkCornerLibraries(pf::readCornerSet(corners));
  EXPECT_EQ(warningIds(checked.warnings), (std::vector<int>{5061, 5059, 5062}));
  expectSaysAll(
      warningWithId(checked, 5059).text,
      {fmt::format("warning PF-5059: {}:{}:", kStubModel, lineOf(kStubModel, "corners_v =")),
       "corner 'v1p20' at 1.2 V", "0.6-1.1 V"});
  expectSaysAll(warningWithId(checked, 5061).text,
                {"the corners use altlib_0p90.lib, altlib_1p20.lib"});
  EXPECT_EQ(checked.corners_outside_power_model, std::vector<std::string>{"v1p20"});
}

TEST(PowerModelCheck, OneLibraryForTwoCornersIsWarnedByPathOrByContents) {
  // The same path: the 1.00 V corner with the 0.80 V macros.
  const pf::CheckedLibraries same_path = check("sram_borrowed.toml");
  expectSaysAll(
      warningWithId(same_path, 5058).text,
      {fmt::format("{}sram_borrowed.toml:{}:", kLibCheckDir,
                   lineOf(kLibCheckDir + "sram_borrowed.toml", "voltage_v = 1.00")),
       "field 'corner[1].sram_liberty'",
       "one SRAM library stands for corners 'v0p80' (0.8 V), 'v1p00' (1 V)",
       "lc_sram_v0p80.lib (the same file)", "nom_voltage 0.8 V", "library already exists"});
  // The same contents under two names.
  const fs::path dir = scratch("copy");
  fs::copy_file(kLibCheckDir + "lc_sram_v0p80.lib", dir / "macros_a.lib");
  fs::copy_file(kLibCheckDir + "lc_sram_v0p80.lib", dir / "macros_b.lib");
  const std::string corners = (dir / "c.toml").string();
  std::ofstream(corners) << "power_model = \"" << kLibCheckDir << "lc_power.toml\"\n"
                         << "[[corner]]\nvoltage_v = 0.8\nliberty = [\"" << kLibCheckDir
                         << "lc_v0p80.lib\"]\nsram_liberty = [\"macros_a.lib\"]\n"
                         << "[[corner]]\nvoltage_v = 1.0\nliberty = [\"" << kLibCheckDir
                         << "lc_v1p00.lib\"]\nsram_liberty = [\"macros_b.lib\"]\n";
  const pf::CheckedLibraries copies = pf::checkCornerLibraries(pf::readCornerSet(corners));
  expectSaysAll(warningWithId(copies, 5058).text,
                {"macros_a.lib and " + (dir / "macros_b.lib").string(), "(the same contents)"});
  EXPECT_EQ(copies.sram_other_voltage[1], (dir / "macros_b.lib").string() + " (nom_voltage 0.8 V)");
}

TEST(PowerModelCheck, MissingPowerManagementCellsAreNamedWithWhatThatMeans) {
  const pf::CheckedLibraries checked = check("good.toml");
  EXPECT_EQ(checked.cells.header_switch, "");
  EXPECT_EQ(checked.cells.isolation, "");
  EXPECT_EQ(checked.cells.level_shifter, "");
  expectSaysAll(warningWithId(checked, 5062).text,
                {"lc_v1p00.lib: field 'cell'", "no header switch (switch_cell_type)",
                 "no isolation cell (is_isolation_cell)", "no level shifter (is_level_shifter)",
                 "level_shifter_delay_ns is 0"});
  // The stub's libraries have all three.
  const pf::CheckedLibraries stub =
      pf::checkCornerLibraries(pf::readCornerSet(kRepo + "/pdk_stub/corners.toml"));
  EXPECT_EQ(stub.cells.header_switch, "HEADSW_X1");
  EXPECT_EQ(stub.cells.isolation, "ISO_AND_X1");
  EXPECT_EQ(stub.cells.level_shifter, "LS_LH_X1");
  EXPECT_TRUE(stub.warnings.empty()) << stub.warnings.front().text;
}

// ---- the provenance of a table --------------------------------------------------------

// A table as the stage makes it for the lc libraries: an always-on domain without
// operations, a PE group and an SRAM bank with, the sequencer.
pf::Characterization lcTable() {
  pf::Characterization table;
  table.design = "lc";
  table.corners = {{"v0p80", 0.8}, {"v1p00", 1.0}};
  table.level_shifter_delay_ns = {0, 0};
  auto domain = [](const char *name, pf::DomainKind kind) {
    pf::DomainCharacterization d;
    d.name = name;
    d.kind = kind;
    d.cells = 10, d.area_um2 = 20;
    d.critical_path_ns = {2, 1}, d.fmax_mhz = {500, 1000}, d.leakage_nw = {1, 2};
    if (kind != pf::DomainKind::AlwaysOn) {
      d.gated_leakage_nw = {0.01, 0.02};
      d.wake_up_time_ns = {20, 21}, d.wake_up_energy_pj = {1, 2};
      d.rail_change_time_ns = {{0, 1}, {1, 0}}, d.rail_change_energy_pj = {{0, 1}, {0, 0}};
    }
    return d;
  };
  table.domains.push_back(domain("aon", pf::DomainKind::AlwaysOn));
  table.domains.push_back(domain("pe", pf::DomainKind::PeGroup));
  table.domains.back().operations = {{"mac_cycle", 0, {1, 2}}};
  table.domains.push_back(domain("bank", pf::DomainKind::SramBank));
  table.domains.back().macro = "lc_sram_16x8";
  table.domains.back().operations = {{"read", 0, {1, 2}}};
  table.sequencer.present = true;
  table.sequencer.data_activity = 0.1;
  table.sequencer.leakage_nw = table.sequencer.clock_energy_pj =
      table.sequencer.energy_per_cycle_pj = {1, 2};
  return table;
}

struct Recorded {
  pf::Characterization table;
  pf::Json json;
  std::string summary;
};

Recorded recorded(const std::string &corner_set, const std::string &level_shifter = "") {
  const pf::CornerSet corners = pf::readCornerSet(kLibCheckDir + corner_set);
  const pf::CheckedLibraries checked = pf::checkCornerLibraries(corners);
  Recorded out{lcTable(), {}, {}};
  out.table.warnings = checked.warnings;
  pf::recordProvenance(out.table, corners, checked, {level_shifter, 0.005});
  // Through the file: what the reader gets back is what was recorded.
  out.json = pf::characterizationToJson(out.table);
  out.table = pf::characterizationFromJson(pf::parseJson(out.json.dump(), "c.json"), "c.json");
  out.summary = pf::characterizationSummary(out.table);
  return out;
}

const pf::FigureProvenance &figure(const Recorded &r, const std::string &domain,
                                   const std::string &family) {
  const pf::FigureProvenance *tag =
      pf::findProvenance(r.table.findDomain(domain)->provenance, family);
  if (!tag) {
    ADD_FAILURE() << domain << " has no provenance for " << family;
    static const pf::FigureProvenance none;
    return none;
  }
  return *tag;
}

// The summary's provenance line of `family` (from its flag to the end of its "from" and
// remark lines).
std::string summaryEntry(const std::string &summary, const std::string &flagged_family) {
  const size_t section = summary.find("\nprovenance (");
  EXPECT_NE(section, std::string::npos) << summary;
  const size_t at = summary.find("\n" + flagged_family + " ", section);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no line '" << flagged_family << "' in\n" << summary.substr(section);
    return "";
  }
  size_t end = summary.find('\n', at + 1);
  while (end != std::string::npos && summary.compare(end + 1, 6, "      ") == 0)
    end = summary.find('\n', end + 1);
  return summary.substr(at + 1, end - at - 1);
}

const std::vector<std::string> kModelFamilies = {"gated_leakage_nw", "switched_capacitance_pf",
                                                 "wake_up", "rail_change"};

TEST(Provenance, EveryFigureFamilyIsTaggedInTheFile) {
  const Recorded r = recorded("good.toml");
  // Walk the file: every domain has a tag for each family of its kind, and every figure
  // field it holds belongs to a tagged family.
  const std::map<std::string, std::string> family_of = {
      {"cells", "area"},
      {"area_um2", "area"},
      {"critical_path_ns", "timing"},
      {"fmax_mhz", "timing"},
      {"leakage_nw", "leakage_nw"},
      {"gated_leakage_nw", "gated_leakage_nw"},
      {"switched_capacitance_pf", "switched_capacitance_pf"},
      {"wake_up_time_ns", "wake_up"},
      {"wake_up_energy_pj", "wake_up"},
      {"rail_change_time_ns", "rail_change"},
      {"rail_change_energy_pj", "rail_change"},
      {"retention_leakage_nw", "retention"},
      {"retention_voltage_v", "retention"},
      {"operations", "operations"}};
  for (const pf::Json &domain : r.json.at("domains").asArray()) {
    const pf::Json &tags = domain.at("provenance");
    for (const auto &[key, value] : domain.asObject()) {
      if (key == "name" || key == "kind" || key == "macro" || key == "provenance") continue;
      ASSERT_TRUE(family_of.count(key)) << "a figure field the test does not know: " << key;
      const pf::Json *tag = tags.find(family_of.at(key));
      ASSERT_NE(tag, nullptr) << domain.at("name").asString() << "." << key << " has no tag";
      for (const char *field : {"source", "from", "borrowed"})
        EXPECT_NE(tag->find(field), nullptr) << key << " tag without " << field;
    }
  }
  for (const pf::DomainCharacterization &domain : r.table.domains) {
    std::vector<std::string> families;
    for (const pf::FigureProvenance &tag : domain.provenance) families.push_back(tag.figure);
    EXPECT_EQ(families, pf::domainFigureFamilies(domain.kind)) << domain.name;
  }
  for (const std::string &family : pf::tableFigureFamilies())
    EXPECT_NE(r.json.at("provenance").at("figures").find(family), nullptr) << family;
  for (const std::string &family : pf::sequencerFigureFamilies())
    EXPECT_NE(r.json.at("sequencer").at("provenance").find(family), nullptr) << family;
  // The corners' files are in the table.
  EXPECT_EQ(r.table.corners[1].liberty, std::vector<std::string>{kLibCheckDir + "lc_v1p00.lib"});
  EXPECT_EQ(r.table.corners[0].sram_liberty,
            std::vector<std::string>{kLibCheckDir + "lc_sram_v0p80.lib"});
}

TEST(Provenance, AModelOfYourOwnBorrowsNothing) {
  const Recorded r = recorded("good.toml");
  EXPECT_EQ(r.table.provenance.power_model.source, pf::FigureSource::PowerModel);
  EXPECT_EQ(r.table.provenance.power_model.file, kLibCheckDir + "lc_power.toml");
  EXPECT_FALSE(r.table.provenance.power_model.borrowed);
  for (const pf::DomainCharacterization &domain : r.table.domains)
    for (const pf::FigureProvenance &tag : domain.provenance)
      EXPECT_FALSE(tag.borrowed) << domain.name << " " << tag.figure << ": " << tag.remark;
  for (const std::string &family : kModelFamilies) {
    EXPECT_EQ(figure(r, "pe", family).source, pf::FigureSource::PowerModel) << family;
    EXPECT_NE(figure(r, "pe", family).from.find("lc_power.toml"), std::string::npos);
  }
  EXPECT_EQ(figure(r, "bank", "retention").source, pf::FigureSource::PowerModel);
  EXPECT_EQ(figure(r, "pe", "timing").source, pf::FigureSource::Library);
  EXPECT_EQ(figure(r, "bank", "operations").source, pf::FigureSource::Library);
  EXPECT_EQ(pf::findProvenance(r.table.sequencer.provenance, "energy_per_cycle_pj")->source,
            pf::FigureSource::Options);
  EXPECT_EQ(r.summary.find("borrowed figures"), std::string::npos) << r.summary;
  // An always-on domain without operations says why.
  EXPECT_EQ(figure(r, "aon", "operations").source, pf::FigureSource::None);
  EXPECT_NE(figure(r, "aon", "operations").remark.find("pf_ctrl"), std::string::npos);
}

TEST(Provenance, WithoutAModelTheStubsFiguresAreFlaggedInTheFileAndTheSummary) {
  const Recorded r = recorded("no_power_model.toml");
  EXPECT_EQ(r.table.provenance.power_model.source, pf::FigureSource::StubDefault);
  EXPECT_TRUE(r.table.provenance.power_model.borrowed);
  EXPECT_EQ(r.table.provenance.power_model.file, "");
  for (const std::string &family : kModelFamilies) {
    const pf::FigureProvenance &tag = figure(r, "pe", family);
    EXPECT_EQ(tag.source, pf::FigureSource::StubDefault) << family;
    EXPECT_TRUE(tag.borrowed) << family;
    EXPECT_NE(tag.from.find("the stub PDK's power model (built in; "
                            "pdk_stub/lib/pf40lp_power.toml)"),
              std::string::npos)
        << tag.from;
    // In the file as written.
    const pf::Json &json = r.json.at("domains").asArray()[1].at("provenance").at(family);
    EXPECT_EQ(json.at("source").asString(), "stub_default");
    EXPECT_TRUE(json.at("borrowed").asBool());
    // Flagged in the summary, with where from and why.
    const std::string entry = summaryEntry(r.summary, "! " + family);
    expectSaysAll(entry, {"stub_default", "all switchable domains (2)", "pf40lp_power.toml",
                          "borrowed: no power model in the corner set"});
  }
  // The stub has no entry for the test's macro: no retention, said so (not borrowed).
  EXPECT_EQ(figure(r, "bank", "retention").source, pf::FigureSource::None);
  expectSaysAll(
      summaryEntry(r.summary, "- retention"),
      {"no [[sram]] entry for macro 'lc_sram_16x8'", "does not offer retention for this bank"});
  // Named on top, and the warning is there too.
  expectSaysAll(r.summary,
                {"borrowed figures (not from your libraries or power model): power model, "
                 "gated_leakage_nw, switched_capacitance_pf, wake_up, rail_change;",
                 "warning PF-5060"});
  EXPECT_LT(r.summary.find("borrowed figures"), r.summary.find("domain "));
}

TEST(Provenance, AModelThatLacksAKeyBorrowsJustTheFiguresThatUseIt) {
  const Recorded r = recorded("partial_power_model.toml");
  const pf::FigureProvenance &rail = figure(r, "pe", "rail_change");
  EXPECT_EQ(rail.source, pf::FigureSource::StubDefault);
  EXPECT_TRUE(rail.borrowed);
  expectSaysAll(rail.remark, {"does not give rail_switch.settle_us, rail_switch.inrush_limit_ma"});
  expectSaysAll(summaryEntry(r.summary, "! rail_change"),
                {"stub_default", "rail_switch.settle_us"});
  // The rest is the model's own.
  for (const char *family : {"gated_leakage_nw", "switched_capacitance_pf", "wake_up"}) {
    EXPECT_EQ(figure(r, "pe", family).source, pf::FigureSource::PowerModel) << family;
    EXPECT_FALSE(figure(r, "pe", family).borrowed) << family;
  }
  EXPECT_EQ(figure(r, "bank", "retention").source, pf::FigureSource::None);
  EXPECT_EQ(warningIds(r.table.warnings), (std::vector<int>{5068, 5062}));
  expectSaysAll(r.table.warnings[0].text, {"field 'rail_switch.settle_us'",
                                           "does not give rail_switch.settle_us, "
                                           "rail_switch.inrush_limit_ma"});
}

TEST(Provenance, TheStubsModelWithYourLibrariesIsFlaggedAsTheStubs) {
  const Recorded r = recorded("stub_power_model.toml");
  EXPECT_EQ(r.table.provenance.power_model.source, pf::FigureSource::StubDefault);
  EXPECT_TRUE(r.table.provenance.power_model.borrowed);
  for (const std::string &family : kModelFamilies) {
    const pf::FigureProvenance &tag = figure(r, "bank", family);
    EXPECT_EQ(tag.source, pf::FigureSource::StubDefault) << family;
    EXPECT_TRUE(tag.borrowed);
    expectSaysAll(tag.remark, {"made for other libraries (PF-5061"});
  }
  expectSaysAll(summaryEntry(r.summary, "! wake_up"), {"stub_default", "pf40lp_power.toml"});
  // The power model's line says why.
  expectSaysAll(r.summary, {"\n! power model: " + kStubModel,
                            "made for the libraries "
                            "pf40lp_std_v0p60.lib",
                            "header switch 'HEADSW_X1'"});
  expectSaysAll(r.table.provenance.power_model.remark, {"the corners use lc_v0p80.lib"});
}

TEST(Provenance, AVoltageOutsideTheModelIsRemarkedOnItsFigures) {
  const Recorded r = recorded("out_of_range.toml");
  for (const char *family : {"gated_leakage_nw", "wake_up", "rail_change"})
    expectSaysAll(figure(r, "pe", family).remark,
                  {"used outside the model's 0.8-0.9 V at v1p00 (PF-5059)"});
  EXPECT_EQ(figure(r, "pe", "switched_capacitance_pf").remark, "");
}

TEST(Provenance, SramFiguresOfALibraryOfAnotherVoltageAreBorrowed) {
  const Recorded r = recorded("sram_borrowed.toml");
  for (const char *family : {"timing", "leakage_nw", "operations"}) {
    const pf::FigureProvenance &tag = figure(r, "bank", family);
    EXPECT_EQ(tag.source, pf::FigureSource::Library) << family;
    EXPECT_TRUE(tag.borrowed) << family;
    expectSaysAll(tag.remark,
                  {"at v1p00: " + kLibCheckDir + "lc_sram_v0p80.lib (nom_voltage 0.8 V)"});
  }
  EXPECT_FALSE(figure(r, "pe", "leakage_nw").borrowed);
  EXPECT_EQ(warningIds(r.table.warnings), (std::vector<int>{5057, 5058, 5062}));
}

TEST(Provenance, TheLevelShifterDelayIsZeroWithAReasonOrTimedFromTheLibrary) {
  const Recorded none = recorded("good.toml");
  const pf::FigureProvenance *zero =
      pf::findProvenance(none.table.provenance.figures, "level_shifter_delay_ns");
  ASSERT_NE(zero, nullptr);
  EXPECT_EQ(zero->source, pf::FigureSource::None);
  expectSaysAll(zero->remark, {"0 ns: " + kLibCheckDir + "lc_v1p00.lib has no level-shifter cell",
                               "nothing is added to paths that cross power domains"});
  expectSaysAll(summaryEntry(none.summary, "- level_shifter_delay_ns"), {"table", "0 ns"});
  const Recorded timed = recorded("good.toml", "LS_X1");
  const pf::FigureProvenance *delay =
      pf::findProvenance(timed.table.provenance.figures, "level_shifter_delay_ns");
  EXPECT_EQ(delay->source, pf::FigureSource::Library);
  expectSaysAll(delay->from,
                {"LS_X1", "load 0.005 pF", "the netlist itself has no level shifters"});
}

// ---- through the command: the warnings come before any tool ---------------------------

TEST(Provenance, TheCommandPrintsThePowerModelWarningsBeforeAnyTool) {
  const fs::path dir = scratch("command");
  fs::create_directories(dir / "bin");
  const fs::path marker = dir / "tool_started";
  for (const char *tool : {"yosys", "sta", "verilator"}) {
    const fs::path script = dir / "bin" / tool;
    std::ofstream(script) << "#!/bin/sh\necho \"" << tool << "\" >> '" << marker.string()
                          << "'\nexit 1\n";
    fs::permissions(script, fs::perms::owner_all);
  }
  const pf::ProcessResult result =
      pf::runProcess({"env", "PATH=" + (dir / "bin").string(), PF_POWERFLOW, "characterize",
                      "--design", kRepo + "/tests/characterize/synth/data/tiny.toml", "--corners",
                      kLibCheckDir + "no_power_model.toml", "--out",
                      (dir / "out" / "c.json").string(), "--work", (dir / "work").string()});
  const size_t warning = result.output.find("warning PF-5060: ");
  ASSERT_NE(warning, std::string::npos) << result.output;
  EXPECT_NE(result.output.find("warning PF-5062: "), std::string::npos) << result.output;
  // Printed first, then the tools were reached (the fake yosys fails the run).
  EXPECT_TRUE(fs::exists(marker)) << result.output;
  EXPECT_LT(warning, result.output.find("characterize: 1/")) << result.output;
  fs::remove_all(dir);
}

}  // namespace
