// The characterization file: round trip, versioning and located errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "characterize/Characterization.hh"
#include "core/Error.hh"
#include "tests/core/JsonRefusal.hh"

namespace {

pf::Characterization sampleTable() {
  pf::Characterization table;
  table.generated_by = "powerflow characterize";
  table.design = "tiny";
  table.inputs_sha256 = std::string(64, 'a');
  table.corners = {{"v0p60", 0.6}, {"v1p10", 1.1}};
  table.corners[0].liberty = {"lib/std_v0p60.lib"};
  table.corners[0].sram_liberty = {"lib/sram_v0p60.lib"};
  table.corners[1].liberty = {"lib/std_v1p10.lib"};
  table.level_shifter_delay_ns = {0.31, 0.22};
  table.provenance.power_model = {
      pf::FigureSource::StubDefault, "", "pf40lp", 0.6, 1.1, true, "no power model"};
  table.provenance.cells = {"HEADSW_X1", "", "LS_LH_X1"};
  table.provenance.figures = {
      {"level_shifter_delay_ns", pf::FigureSource::Library, "OpenSTA: LS_LH_X1", false, ""},
      {"isolation", pf::FigureSource::None, "not priced", false, "no isolation cell"}};
  pf::DomainCharacterization pe;
  pe.name = "pe_grp0";
  pe.kind = pf::DomainKind::PeGroup;
  pe.cells = 1234;
  pe.area_um2 = 2345.5;
  pe.critical_path_ns = {5.0, 1.25};
  pe.fmax_mhz = {200, 800};
  pe.leakage_nw = {100.5, 300.25};
  pe.gated_leakage_nw = {0.4, 1.3};
  pe.switched_capacitance_pf = 7.5;
  pe.wake_up_time_ns = {40, 30};
  pe.wake_up_energy_pj = {2.7, 9.1};
  pe.rail_change_time_ns = {{0, 210.5}, {210.5, 0}};
  pe.rail_change_energy_pj = {{0, 4.4}, {0, 0}};
  pe.operations = {{"mac_cycle", 0.0, {1.5, 5.0}}, {"mac_cycle", 0.5, {0.9, 3.0}}};
  pe.provenance = {
      {"timing", pf::FigureSource::Library, "OpenSTA", false, ""},
      {"wake_up", pf::FigureSource::StubDefault, "[header_switch] of the stub", true, "no model"}};
  table.domains.push_back(pe);
  table.sequencer.present = true;
  table.sequencer.module = "pf_pwrseq";
  table.sequencer.rails = 2, table.sequencer.domains = 1;
  table.sequencer.cells = 900, table.sequencer.flip_flops = 120;
  table.sequencer.area_um2 = 1500.25, table.sequencer.data_activity = 0.1;
  table.sequencer.leakage_nw = {300.5, 1200.75};
  table.sequencer.clock_energy_pj = {0.3, 1.1};
  table.sequencer.energy_per_cycle_pj = {0.45, 1.6};
  table.sequencer.provenance = {
      {"energy_per_cycle_pj", pf::FigureSource::Options, "data_activity 0.1", false, ""}};
  return table;
}

TEST(CharacterizationJson, RoundTripIsExact) {
  const pf::Json json = pf::characterizationToJson(sampleTable());
  const pf::Characterization back =
      pf::characterizationFromJson(pf::parseJson(json.dump(), "t.json"), "t.json");
  EXPECT_EQ(pf::characterizationToJson(back).dump(), json.dump());
  ASSERT_NE(back.findDomain("pe_grp0"), nullptr);
  const pf::OperationEnergy *half = back.findDomain("pe_grp0")->findOperation("mac_cycle", 0.5);
  ASSERT_NE(half, nullptr);
  EXPECT_DOUBLE_EQ(half->energy_pj[1], 3.0);
  EXPECT_TRUE(back.sequencer.present);
  EXPECT_DOUBLE_EQ(back.sequencer.leakage_nw[1], 1200.75);
  // Version 2: the provenance and the corners' files come back as written.
  EXPECT_EQ(json.at("version").asNumber(), 2);
  EXPECT_EQ(back.corners[0].sram_liberty, std::vector<std::string>{"lib/sram_v0p60.lib"});
  EXPECT_TRUE(back.corners[1].sram_liberty.empty());
  EXPECT_EQ(back.provenance.power_model.source, pf::FigureSource::StubDefault);
  EXPECT_DOUBLE_EQ(back.provenance.power_model.max_v, 1.1);
  EXPECT_EQ(back.provenance.cells.level_shifter, "LS_LH_X1");
  const pf::FigureProvenance *wake = pf::findProvenance(back.domains[0].provenance, "wake_up");
  ASSERT_NE(wake, nullptr);
  EXPECT_EQ(wake->source, pf::FigureSource::StubDefault);
  EXPECT_TRUE(wake->borrowed);
  EXPECT_EQ(wake->remark, "no model");
  EXPECT_EQ(pf::findProvenance(back.sequencer.provenance, "energy_per_cycle_pj")->source,
            pf::FigureSource::Options);
}

TEST(CharacterizationJson, UnknownProvenanceSourceIsNamed) {
  std::string text = pf::characterizationToJson(sampleTable()).dump();
  const std::string from = "\"source\": \"options\"";
  ASSERT_NE(text.find(from), std::string::npos) << text;
  text.replace(text.find(from), from.size(), "\"source\": \"guess\"");
  try {
    pf::characterizationFromJson(pf::parseJson(text, "p.json"), "p.json");
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 5017) << error.formatted();
    EXPECT_EQ(error.field(), "sequencer.provenance.energy_per_cycle_pj.source");
  }
}

TEST(CharacterizationJson, SummaryFlagsBorrowedFiguresInItsProvenanceSection) {
  const std::string summary = pf::characterizationSummary(sampleTable());
  const size_t section = summary.find("\nprovenance (");
  ASSERT_NE(section, std::string::npos) << summary;
  // The borrowed family is flagged '!', with its source and why; the others are not.
  EXPECT_NE(summary.find("\n! wake_up", section), std::string::npos) << summary;
  EXPECT_NE(summary.find("borrowed: no model", section), std::string::npos) << summary;
  EXPECT_NE(summary.find("\n  timing", section), std::string::npos) << summary;
  EXPECT_NE(summary.find("\n- isolation", section), std::string::npos) << summary;
  EXPECT_NE(summary.find("\n! power model: the stub PDK's, built in", section), std::string::npos)
      << summary;
  // And named on top, before the first table.
  const size_t top = summary.find(
      "borrowed figures (not from your libraries or power model): "
      "power model, wake_up;");
  EXPECT_LT(top, summary.find("domain")) << summary;
}

TEST(CharacterizationJson, CornerConditionsAndWarningsRoundTrip) {
  pf::Characterization table = sampleTable();
  table.corners[0].nom_process = 1.0;
  table.corners[0].nom_temperature_c = 125.0;
  table.mixed_corners = true;
  table.warnings = {pf::characterizationWarning(5054, {"c.toml"}, "corner", "mixed")};
  EXPECT_EQ(table.warnings[0].text, "warning PF-5054: c.toml: field 'corner': mixed");
  const pf::Json json = pf::characterizationToJson(table);
  const pf::Characterization back =
      pf::characterizationFromJson(pf::parseJson(json.dump(), "t.json"), "t.json");
  EXPECT_EQ(pf::characterizationToJson(back).dump(), json.dump());
  EXPECT_EQ(back.corners[0].nom_temperature_c, 125.0);
  EXPECT_FALSE(back.corners[1].nom_process.has_value());
  EXPECT_TRUE(back.mixed_corners);
  ASSERT_EQ(back.warnings.size(), 1u);
  EXPECT_EQ(back.warnings[0].id, 5054);
  // The summary starts with the warning.
  const std::string summary = pf::characterizationSummary(back);
  EXPECT_EQ(summary.find(table.warnings[0].text), summary.find('\n') + 1) << summary;
}

// The JSON without the members `keys` (of the top level, every domain, every corner and the
// sequencer), as version `version`.
pf::Json withoutKeys(const pf::Json &json, const std::vector<std::string> &keys, int version) {
  auto strip = [&](const pf::Json &object) {
    pf::Json out = pf::Json::object();
    for (const auto &[key, value] : object.asObject())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) out.set(key, value);
    return out;
  };
  pf::Json out = strip(json);
  for (const char *list : {"domains", "corners"}) {
    pf::Json items = pf::Json::array();
    for (const pf::Json &item : json.at(list).asArray()) items.push(strip(item));
    out.set(list, std::move(items));
  }
  if (json.find("sequencer")) out.set("sequencer", strip(json.at("sequencer")));
  out.set("version", version);
  return out;
}

TEST(CharacterizationJson, VersionOneTablesStillRead) {
  // Version 1 tables had no provenance and no corner files, and the oldest ones no
  // mixed_corners, warnings or corner conditions either.
  const pf::Json old =
      withoutKeys(pf::characterizationToJson(sampleTable()),
                  {"provenance", "liberty", "sram_liberty", "mixed_corners", "warnings"}, 1);
  const pf::Characterization back = pf::characterizationFromJson(old, "old.json");
  EXPECT_FALSE(back.mixed_corners);
  EXPECT_TRUE(back.warnings.empty());
  EXPECT_TRUE(back.domains[0].provenance.empty());
  EXPECT_EQ(back.provenance.power_model.source, pf::FigureSource::None);
}

TEST(CharacterizationJson, VersionTwoRequiresProvenance) {
  const pf::Json json = pf::characterizationToJson(sampleTable());
  for (const std::string key : {"provenance", "liberty", "mixed_corners", "warnings"}) {
    try {
      pf::characterizationFromJson(withoutKeys(json, {key}, 2), "new.json");
      ADD_FAILURE() << key << " missing was accepted";
    } catch (const pf::Error &error) {
      EXPECT_TRUE(error.id() == 5011 || error.id() == 5013) << error.formatted();
      EXPECT_NE(error.message().find("required field is missing"), std::string::npos)
          << error.formatted();
      EXPECT_NE(error.field().find(key), std::string::npos) << error.formatted();
    }
  }
}

TEST(CharacterizationJson, SequencerArraysMustMatchCorners) {
  pf::Json json = pf::characterizationToJson(sampleTable());
  std::string text = json.dump();
  const std::string from = "\"leakage_nw\": [300.5, 1200.75]";
  ASSERT_NE(text.find(from), std::string::npos) << text;
  text.replace(text.find(from), from.size(), "\"leakage_nw\": [300.5]");
  try {
    pf::characterizationFromJson(pf::parseJson(text, "t.json"), "t.json");
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_NE(error.field().find("sequencer.leakage_nw"), std::string::npos) << error.formatted();
  }
}

TEST(CharacterizationJson, UnknownVersionRefused) {
  pf::Json json = pf::characterizationToJson(sampleTable());
  json.set("version", 99);
  try {
    pf::characterizationFromJson(json, "v.json");
    FAIL();
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.field(), "version");
    EXPECT_EQ(error.loc().file, "v.json");
  }
}

TEST(CharacterizationJson, PerCornerArraysMustMatchCorners) {
  const std::string text = pf::characterizationToJson(sampleTable()).dump();
  const std::string broken = text.substr(0, text.find("\"fmax_mhz\": [200, 800]")) +
                             "\"fmax_mhz\": [200]" +
                             text.substr(text.find("\"fmax_mhz\": [200, 800]") + 22);
  try {
    pf::characterizationFromJson(pf::parseJson(broken, "c.json"), "c.json");
    FAIL();
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.field(), "domains[0].fmax_mhz");
  }
}

TEST(CharacterizationJson, RailChangeMatrixMustBeSquare) {
  pf::Characterization table = sampleTable();
  table.domains[0].rail_change_energy_pj[1] = {0};
  try {
    pf::characterizationFromJson(pf::characterizationToJson(table), "m.json");
    FAIL();
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.field(), "domains[0].rail_change_energy_pj[1]");
  }
}

TEST(CharacterizationJson, SummaryListsEveryDomainAndCorner) {
  const std::string summary = pf::characterizationSummary(sampleTable());
  EXPECT_NE(summary.find("pe_grp0"), std::string::npos);
  EXPECT_NE(summary.find("0.60"), std::string::npos);
  EXPECT_NE(summary.find("1.10"), std::string::npos);
}

TEST(CharacterizationJson, SummaryListsOperationsPerCorner) {
  pf::Characterization table = sampleTable();
  pf::DomainCharacterization aon;
  aon.name = "aon";
  aon.operations = {{"active_cycle", 0, {4.625, 15.8125}}, {"idle_clocked_cycle", 0, {3.5, 11.75}}};
  table.domains.insert(table.domains.begin(), aon);
  const std::string summary = pf::characterizationSummary(table);
  const size_t active = summary.find("active_cycle");
  ASSERT_NE(active, std::string::npos);
  const std::string row = summary.substr(active, summary.find('\n', active) - active);
  EXPECT_NE(row.find("4.6250"), std::string::npos) << row;
  EXPECT_NE(row.find("15.8125"), std::string::npos) << row;
  EXPECT_NE(summary.find("idle_clocked_cycle"), std::string::npos);
  EXPECT_NE(summary.find("mac_cycle s=0.50"), std::string::npos);
}

using pf::test::lineOf;
using pf::test::replacedOnce;

// `text` is refused with `id`, naming the file, `line` and `field`.
void expectRefusal(const std::string &text, int id, int line, const std::string &field,
                   const std::string &needle) {
  pf::test::expectRefusedAt(
      [](const std::string &json, const std::string &file) {
        pf::characterizationFromText(json, file);
      },
      text, id, line, field, needle, "c.json");
}

// Every refusal names the file, the line and the JSON path (docs/formats.md, "JSON files").
TEST(CharacterizationJson, RefusalsNameFileLineAndPath) {
  const std::string good = pf::characterizationToJson(sampleTable()).dump();
  auto edited = [&](const std::string &from, const std::string &to) {
    return replacedOnce(good, from, to);
  };
  {  // misspelt fields: top level, a domain, a provenance tag, the sequencer
    const std::string top = edited("\"design\":", "\"desgin\":");
    expectRefusal(top, 1405, lineOf(top, "desgin"), "desgin",
                  "unknown field (did you mean 'design'?); the fields here are: format, "
                  "version, generated_by, design,");
    const std::string domain = edited("\"area_um2\": 2345.5", "\"area_um\": 2345.5");
    expectRefusal(domain, 1405, lineOf(domain, "area_um\""), "domains[0].area_um",
                  "did you mean 'area_um2'?");
    std::string tag = good;  // the wake_up tag's "borrowed"
    const size_t borrowed = tag.find("\"borrowed\"", tag.find("\"wake_up\""));
    ASSERT_NE(borrowed, std::string::npos);
    tag.replace(borrowed, 10, "\"borowed\"");
    expectRefusal(tag, 1405, lineOf(tag, "borowed"), "domains[0].provenance.wake_up.borowed",
                  "did you mean 'borrowed'?");
    const std::string seq = edited("\"flip_flops\": 120", "\"flipflops\": 120");
    expectRefusal(seq, 1405, lineOf(seq, "flipflops"), "sequencer.flipflops",
                  "did you mean 'flip_flops'?");
  }
  expectRefusal(edited("\"powerflow-characterization\"", "\"powerflow-profile\""), 5015, 2,
                "format", "expected \"powerflow-characterization\", found \"powerflow-profile\"");
  expectRefusal(edited("\"version\": 2", "\"version\": 3"), 5016, 3, "version",
                "version 3 is not supported: this powerflow reads powerflow-characterization "
                "versions 1 and 2; re-run `powerflow characterize`");
  {  // truncated
    const std::string truncated = good.substr(0, good.find("\"domains\"") + 30);
    try {
      pf::characterizationFromText(truncated, "c.json");
      ADD_FAILURE() << "truncated table accepted";
    } catch (const pf::Error &error) {
      EXPECT_EQ(error.id(), 1403) << error.formatted();
      EXPECT_EQ(error.loc().file, "c.json");
      EXPECT_EQ(error.loc().line, int(std::count(truncated.begin(), truncated.end(), '\n')) + 1);
    }
  }
  {  // integers: negative, beyond int64_t, not integral
    const std::string negative = edited("\"cells\": 1234,", "\"cells\": -1234,");
    expectRefusal(negative, 1406, lineOf(negative, "-1234"), "domains[0].cells",
                  "-1234 is out of range: expected an integer >= 0");
    const std::string huge = edited("\"cells\": 1234,", "\"cells\": 9223372036854775808,");
    expectRefusal(huge, 1406, lineOf(huge, "9223372036854775808"), "domains[0].cells",
                  "9223372036854775808 is out of range");
    const std::string half = edited("\"cells\": 1234,", "\"cells\": 1234.5,");
    expectRefusal(half, 5013, lineOf(half, "1234.5"), "domains[0].cells",
                  "expected an integer, found 1234.5");
    const std::string missing = edited("\"cells\": 1234,", "");
    expectRefusal(missing, 5011, lineOf(missing, "\"name\": \"pe_grp0\"") - 1, "domains[0].cells",
                  "required field is missing");
  }
}

// Version 1 tables have no provenance: one that has it is refused.
TEST(CharacterizationJson, VersionOneHasNoProvenanceField) {
  pf::Json json = pf::characterizationToJson(sampleTable());
  json.set("version", 1);
  try {
    pf::characterizationFromJson(json, "v1.json");
    FAIL() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1405) << error.formatted();
    EXPECT_EQ(error.field(), "provenance") << error.formatted();
  }
}

}  // namespace
