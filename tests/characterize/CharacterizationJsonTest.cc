// The characterization file: round trip, versioning and located errors.
#include <gtest/gtest.h>

#include "characterize/Characterization.hh"
#include "core/Error.hh"

namespace {

pf::Characterization sampleTable() {
  pf::Characterization table;
  table.generated_by = "powerflow characterize";
  table.design = "tiny";
  table.inputs_sha256 = std::string(64, 'a');
  table.corners = {{"v0p60", 0.6}, {"v1p10", 1.1}};
  table.level_shifter_delay_ns = {0.31, 0.22};
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
  table.domains.push_back(pe);
  table.sequencer.present = true;
  table.sequencer.module = "pf_pwrseq";
  table.sequencer.rails = 2, table.sequencer.domains = 1;
  table.sequencer.cells = 900, table.sequencer.flip_flops = 120;
  table.sequencer.area_um2 = 1500.25, table.sequencer.data_activity = 0.1;
  table.sequencer.leakage_nw = {300.5, 1200.75};
  table.sequencer.clock_energy_pj = {0.3, 1.1};
  table.sequencer.energy_per_cycle_pj = {0.45, 1.6};
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

TEST(CharacterizationJson, TablesWrittenBeforeWarningsStillRead) {
  // Version 1 tables of before had no mixed_corners, warnings or corner conditions.
  std::string text = pf::characterizationToJson(sampleTable()).dump();
  for (const std::string key : {"\"mixed_corners\"", "\"warnings\""}) {
    const size_t at = text.find(key);
    ASSERT_NE(at, std::string::npos) << text;
    const size_t line_start = text.rfind('\n', at);
    text.erase(line_start, text.find('\n', at) - line_start);
  }
  const pf::Characterization back =
      pf::characterizationFromJson(pf::parseJson(text, "old.json"), "old.json");
  EXPECT_FALSE(back.mixed_corners);
  EXPECT_TRUE(back.warnings.empty());
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

}  // namespace
