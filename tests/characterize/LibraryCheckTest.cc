// The liberty check before any tool (characterize/LibraryCheck.hh) on the test libraries
// of tests/characterize/libcheck: every refusal names file, line and field; the command
// refuses within 2 s, writes nothing and starts no external tool, which a tripwire on PATH
// (scripts named yosys, sta, verilator that leave a marker) proves; a mixed corner set is
// accepted with --allow-mixed-corners and then warned about.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "characterize/Characterization.hh"
#include "characterize/LibraryCheck.hh"
#include "characterize/liberty/Liberty.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Subprocess.hh"
#include "tests/characterize/LibCheckTestData.hh"
#include "tests/characterize/liberty/LibraryCompare.hh"

namespace fs = std::filesystem;

namespace {

using pf::test::kRepo;
using pf::test::lineOf;
const auto ids = pf::test::warningIds;
const std::string &kDir = pf::test::kLibCheckDir;
const std::string kTinyDesign = kRepo + "/tests/characterize/synth/data/tiny.toml";

int lineCount(const std::string &file) {
  const std::string text = pf::readTextFile(file);
  return int(std::count(text.begin(), text.end(), '\n'));
}

pf::Error checkError(const std::string &corner_set, bool allow_mixed = false) {
  pf::LibraryCheckOptions options;
  options.allow_mixed_corners = allow_mixed;
  try {
    pf::checkCornerLibraries(pf::readCornerSet(kDir + corner_set), options);
  } catch (const pf::Error &error) {
    return error;
  }
  ADD_FAILURE() << corner_set << " was accepted";
  return pf::Error(0, {}, "", "");
}

// One refused corner set: what the error must say.
struct Refusal {
  std::string corner_set;
  int id;
  std::string file;   // the located file (in tests/characterize/libcheck)
  int line;           // its line
  std::string field;  // the field named
  std::vector<std::string> says;
};

std::vector<Refusal> refusals() {
  const std::string binary = kDir + "binary.lib";
  return {
      {"empty.toml", 5111, "empty.lib", 1, "library", {"is empty (0 bytes)", "corner 'v0p80'"}},
      {"truncated.toml",
       5101,
       "truncated.lib",
       lineCount(kDir + "truncated.lib") + 1,
       "pin",
       {"missing '}' for group 'pin (Y)'", "inside cell (NAND2_X1)", "truncated?"}},
      {"binary.toml",
       5110,
       "binary.lib",
       lineOf(binary, std::string("area : \0", 8)),
       "area",
       {"is a binary file", "control byte 0x00", "area : \\x00\\x00", "\\x07\\x1b;"}},
      {"no_nom_voltage.toml",
       5104,
       "no_nom_voltage.lib",
       lineOf(kDir + "no_nom_voltage.lib", "library ("),
       "nom_voltage",
       {"has no nom_voltage"}},
      {"voltage_mismatch.toml",
       5050,
       "voltage_mismatch.toml",
       lineOf(kDir + "voltage_mismatch.toml", "voltage_v = 0.80"),
       "corner[0].voltage_v",
       {"declared at 0.8 V", "nom_voltage 0.95 V",
        "lc_v0p95.lib:" + std::to_string(lineOf(kDir + "lc_v0p95.lib", "nom_voltage"))}},
      {"supply_mismatch.toml",
       5051,
       "lc_v0p80_vdd0p90.lib",
       lineOf(kDir + "lc_v0p80_vdd0p90.lib", "voltage_map (VDD"),
       "voltage_map(VDD)",
       {"supply VDD is 0.9 V",
        "supply_mismatch.toml:" +
            std::to_string(lineOf(kDir + "supply_mismatch.toml", "voltage_v = 0.80"))}},
      {"sram_mismatch.toml",
       5053,
       "lc_sram_v0p80_hot.lib",
       lineOf(kDir + "lc_sram_v0p80_hot.lib", "nom_temperature"),
       "nom_temperature",
       {"SRAM library of corner 'v0p80' is at nom_temperature 125 C",
        "lc_v0p80.lib:" + std::to_string(lineOf(kDir + "lc_v0p80.lib", "nom_temperature"))}},
      {"mixed.toml",
       5052,
       "lc_v0p80.lib",
       lineOf(kDir + "lc_v0p80.lib", "nom_temperature"),
       "nom_temperature",
       {"corner 'v0p80' is at nom_temperature 25 C",
        "lc_v1p00_hot.lib:" + std::to_string(lineOf(kDir + "lc_v1p00_hot.lib", "nom_temperature")),
        "--allow-mixed-corners"}},
      {"mixed_process.toml",
       5052,
       "lc_v0p80.lib",
       lineOf(kDir + "lc_v0p80.lib", "nom_process"),
       "nom_process",
       {"nom_process 1,", "is at 1.3"}},
      // A corner split over several files (issue 15 item 5): the files must be one library.
      {"split_duplicate.toml",
       5063,
       "lc_seq_v0p80.lib",
       lineOf(kDir + "lc_seq_v0p80.lib", "cell (DFF_X1)"),
       "cell",
       {"cell 'DFF_X1' is defined twice in corner 'v0p80'",
        "lc_v0p80.lib:" + std::to_string(lineOf(kDir + "lc_v0p80.lib", "cell (DFF_X1)")),
        "lc_seq_v0p80.lib:" + std::to_string(lineOf(kDir + "lc_seq_v0p80.lib", "cell (DFF_X1)"))}},
      {"split_units.toml",
       5064,
       "lc_seq_v0p80_pw.lib",
       lineOf(kDir + "lc_seq_v0p80_pw.lib", "leakage_power_unit"),
       "leakage_power_unit",
       {"the standard-cell libraries of corner 'v0p80'", "same units",
        "\"1nW\" at " + kDir + "lc_comb_v0p80.lib:" +
            std::to_string(lineOf(kDir + "lc_comb_v0p80.lib", "leakage_power_unit")),
        "\"1pW\" at " + kDir + "lc_seq_v0p80_pw.lib:" +
            std::to_string(lineOf(kDir + "lc_seq_v0p80_pw.lib", "leakage_power_unit"))}},
      {"split_voltage.toml",
       5065,
       "lc_seq_v0p95.lib",
       lineOf(kDir + "lc_seq_v0p95.lib", "nom_voltage"),
       "nom_voltage",
       {"the standard-cell libraries of corner 'v0p80'",
        "0.8 V at " + kDir + "lc_comb_v0p80.lib:" +
            std::to_string(lineOf(kDir + "lc_comb_v0p80.lib", "nom_voltage")),
        "0.95 V at " + kDir + "lc_seq_v0p95.lib:" +
            std::to_string(lineOf(kDir + "lc_seq_v0p95.lib", "nom_voltage"))}},
  };
}

void expectNamed(const pf::Error &error, const Refusal &refusal) {
  EXPECT_EQ(error.id(), refusal.id) << error.formatted();
  EXPECT_EQ(fs::path(error.loc().file).filename(), refusal.file) << error.formatted();
  EXPECT_GT(refusal.line, 0) << refusal.corner_set;
  EXPECT_EQ(error.loc().line, refusal.line) << error.formatted();
  EXPECT_EQ(error.field(), refusal.field) << error.formatted();
  for (const std::string &text : refusal.says)
    EXPECT_NE(error.message().find(text), std::string::npos)
        << "'" << text << "' not in " << error.formatted();
}

TEST(LibraryCheck, GoodSetIsParsedOnceAndReturned) {
  const pf::CornerSet corners = pf::readCornerSet(kDir + "good.toml");
  const pf::CheckedLibraries checked = pf::checkCornerLibraries(corners);
  ASSERT_EQ(checked.corners.size(), 2u);
  EXPECT_FALSE(checked.mixed);
  // The test libraries have no power-management cells (PF-5062); nothing else to say.
  EXPECT_EQ(ids(checked.warnings), std::vector<int>{5062});
  EXPECT_EQ(checked.corners[0].std_cells.at(0).name, "lc_v0p80");
  EXPECT_EQ(checked.corners[0].srams.at(0).name, "lc_sram_v0p80");
  EXPECT_EQ(checked.corners[1].std_cells.at(0).name, "lc_v1p00");
  EXPECT_NE(checked.corners[1].std_cells[0].findCell("DFF_X1"), nullptr);
  EXPECT_EQ(checked.corners[1].std_cells[0].main_supply, "VDD");
}

TEST(LibraryCheck, EveryRefusalNamesFileLineAndField) {
  for (const Refusal &refusal : refusals()) {
    SCOPED_TRACE(refusal.corner_set);
    expectNamed(checkError(refusal.corner_set), refusal);
  }
}

TEST(LibraryCheck, MixedSetIsAcceptedOnlyWithTheOptionAndThenWarned) {
  const pf::CornerSet corners = pf::readCornerSet(kDir + "mixed.toml");
  pf::LibraryCheckOptions options;
  options.allow_mixed_corners = true;
  const pf::CheckedLibraries checked = pf::checkCornerLibraries(corners, options);
  EXPECT_TRUE(checked.mixed);
  ASSERT_EQ(ids(checked.warnings), (std::vector<int>{5054, 5062}));
  const std::string &text = checked.warnings[0].text;
  EXPECT_EQ(text.rfind("warning PF-5054: ", 0), 0u) << text;
  EXPECT_NE(text.find("mixed.toml: field 'corner'"), std::string::npos) << text;
  EXPECT_NE(text.find("v0p80 0.80 V, process 1, 25 C; v1p00 1.00 V, process 1, 125 C"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("not a voltage sweep"), std::string::npos) << text;
  // The option mixes corners, not an SRAM library with its own corner's cells.
  expectNamed(checkError("sram_mismatch.toml", true), refusals()[6]);
}

TEST(LibraryCheck, SramLibraryOfAnotherVoltageIsUsedWithAWarning) {
  // A user's cells with borrowed macros: refused would leave no way to use them; the
  // warning says whose voltage the macros' numbers are.
  const pf::CheckedLibraries checked =
      pf::checkCornerLibraries(pf::readCornerSet(kDir + "sram_borrowed.toml"));
  EXPECT_FALSE(checked.mixed);
  // PF-5058 (one file for two corners) is tested in ProvenanceTest.cc.
  ASSERT_EQ(ids(checked.warnings), (std::vector<int>{5057, 5058, 5062}));
  const std::string &text = checked.warnings[0].text;
  EXPECT_NE(text.find(fmt::format("sram_borrowed.toml:{}:",
                                  lineOf(kDir + "sram_borrowed.toml", "voltage_v = 1.00"))),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("field 'corner[1].voltage_v'"), std::string::npos) << text;
  EXPECT_NE(text.find(fmt::format("nom_voltage 0.8 V at {}lc_sram_v0p80.lib:{}", kDir,
                                  lineOf(kDir + "lc_sram_v0p80.lib", "nom_voltage"))),
            std::string::npos)
      << text;
}

// ---- a corner of several files --------------------------------------------------------

using pf::liberty::test::expectSameCells;

// The merged text as the tools get it, read back with our own reader.
pf::liberty::Library readMerged(const std::string &text, const std::string &name) {
  const fs::path file =
      fs::temp_directory_path() / fmt::format("pf_libcheck_merged_{}_{}.lib", name, getpid());
  pf::writeFileAtomic(file.string(), text);
  pf::liberty::Library library = pf::liberty::readLiberty(file.string());
  fs::remove(file);
  return library;
}

TEST(LibraryCheck, ACornerSplitOverTwoFilesIsOneLibraryForTheStageAndTheTools) {
  const pf::CornerSet corners = pf::readCornerSet(kDir + "split.toml");
  const pf::CheckedLibraries checked = pf::checkCornerLibraries(corners);
  EXPECT_EQ(ids(checked.warnings), std::vector<int>{5062});
  const pf::CheckedCorner &split = checked.corners[0];
  ASSERT_EQ(split.std_cells.size(), 2u);
  const pf::liberty::Library whole = pf::liberty::readLiberty(kDir + "lc_v0p80.lib");
  // The stage sees the union of the cells: lc_v0p80.lib's, with the same numbers.
  EXPECT_EQ(split.stdLibrary().cells.size(), 3u);
  expectSameCells(split.stdLibrary(), whole);
  EXPECT_EQ(split.stdLibrary().nominal_voltage_v, 0.8);
  // The tools get one library: its banner names the command and each file with its
  // SHA-256; read back, it is lc_v0p80.lib again.
  const std::string &text = split.std_merged_text;
  EXPECT_EQ(text.rfind("/*\n * Generated by powerflow; do not edit by hand.\n", 0), 0u) << text;
  EXPECT_NE(text.find("Regenerate with: powerflow characterize --corners " + kDir + "split.toml"),
            std::string::npos)
      << text;
  for (const char *file : {"lc_comb_v0p80.lib", "lc_seq_v0p80.lib"})
    EXPECT_NE(
        text.find(fmt::format("{}{} (SHA-256 {})", kDir, file,
                              pf::Sha256().update(pf::readTextFile(kDir + file)).hexDigest())),
        std::string::npos)
        << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '{') - std::count(text.begin(), text.end(), '}'),
            0);
  const pf::liberty::Library merged = readMerged(text, "split");
  expectSameCells(merged, whole);
  EXPECT_EQ(merged.name, "lc_comb_v0p80");
  EXPECT_EQ(merged.nominal_voltage_v, 0.8);
  EXPECT_EQ(merged.main_supply, "VDD");
  // The same inputs give the same bytes.
  EXPECT_EQ(pf::checkCornerLibraries(corners).corners[0].std_merged_text, text);
  // A corner of one file is not merged.
  EXPECT_TRUE(checked.corners[1].std_merged_text.empty());
  EXPECT_FALSE(checked.corners[1].std_union.has_value());
  EXPECT_EQ(&checked.corners[1].stdLibrary(), &checked.corners[1].std_cells[0]);
  EXPECT_EQ(checked.corners[1].sramLibrary(), &checked.corners[1].srams[0]);
}

TEST(LibraryCheck, ATemplateNameWithTwoMeaningsIsRenamedWithTheTablesThatUseIt) {
  const pf::CheckedLibraries checked =
      pf::checkCornerLibraries(pf::readCornerSet(kDir + "split_templates.toml"));
  const std::string &text = checked.corners[0].std_merged_text;
  const std::string renamed = "delay_2x2_lc_seq_v0p80_tables";
  EXPECT_NE(text.find("lu_table_template (delay_2x2) {"), std::string::npos) << text;
  EXPECT_NE(text.find("lu_table_template (" + renamed + ") {"), std::string::npos) << text;
  EXPECT_NE(text.find("cell_rise (" + renamed + ") {"), std::string::npos) << text;
  EXPECT_NE(text.find("lu_table_template (delay_2x2) in " + kDir + "lc_seq_v0p80_tables.lib -> " +
                      renamed),
            std::string::npos)
      << "the banner lists the rename\n"
      << text;
  // The identical power template is given once.
  EXPECT_EQ(text.find("power_lut_template (energy_2x2)"),
            text.rfind("power_lut_template (energy_2x2)"));
  // Read back, each cell's tables keep their own slews.
  const pf::liberty::Library merged = readMerged(text, "templates");
  const pf::liberty::Library seq = pf::liberty::readLiberty(kDir + "lc_seq_v0p80_tables.lib");
  const pf::liberty::Library comb = pf::liberty::readLiberty(kDir + "lc_comb_v0p80.lib");
  const auto slews = [](const pf::liberty::Library &library, const char *cell, const char *pin) {
    return library.findCell(cell)->findPin(pin)->timing.at(0).cell_rise_ns.index_1;
  };
  EXPECT_EQ(slews(merged, "DFF_X1", "Q"), (std::vector<double>{0.01, 0.4}));
  EXPECT_EQ(slews(merged, "DFF_X1", "Q"), slews(seq, "DFF_X1", "Q"));
  EXPECT_EQ(slews(merged, "INV_X1", "Y"), (std::vector<double>{0.02, 0.2}));
  EXPECT_EQ(slews(checked.corners[0].stdLibrary(), "DFF_X1", "Q"), slews(seq, "DFF_X1", "Q"));
  EXPECT_EQ(slews(merged, "INV_X1", "Y"), slews(comb, "INV_X1", "Y"));
}

// ---- the command, with a tripwire on PATH -------------------------------------------

class CommandBeforeTools : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pf_libcheck_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bin");
    marker_ = dir_ / "tool_started";
    // Every tool characterize runs, as a script that leaves a marker and fails.
    for (const char *tool : {"yosys", "yosys-abc", "sta", "verilator", "verilator_bin"}) {
      const fs::path script = dir_ / "bin" / tool;
      std::ofstream(script) << "#!/bin/sh\necho \"" << tool << " $*\" >> '" << marker_.string()
                            << "'\nexit 1\n";
      fs::permissions(script, fs::perms::owner_all);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `powerflow characterize` with PATH holding nothing but the tripwire tools.
  pf::ProcessResult run(const std::string &corner_set, bool allow_mixed = false) {
    std::vector<std::string> argv = {"env",        "PATH=" + (dir_ / "bin").string(),
                                     PF_POWERFLOW, "characterize",
                                     "--design",   kTinyDesign,
                                     "--corners",  kDir + corner_set,
                                     "--out",      (dir_ / "out" / "c.json").string(),
                                     "--work",     (dir_ / "work").string()};
    if (allow_mixed) argv.push_back("--allow-mixed-corners");
    return pf::runProcess(argv);
  }

  fs::path dir_, marker_;
};

TEST_F(CommandBeforeTools, RefusalsComeFastNameTheProblemWriteNothingAndStartNoTool) {
  for (const Refusal &refusal : refusals()) {
    SCOPED_TRACE(refusal.corner_set);
    const pf::ProcessResult result = run(refusal.corner_set);
    EXPECT_NE(result.exit_status, 0) << result.output;
    EXPECT_LT(result.wall_seconds, 2.0) << result.output;
    const std::string located = fmt::format("error PF-{}: ", refusal.id);
    EXPECT_NE(result.output.find(located), std::string::npos) << result.output;
    EXPECT_NE(result.output.find(fmt::format("{}:{}", refusal.file, refusal.line)),
              std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("field '" + refusal.field + "'"), std::string::npos)
        << result.output;
    EXPECT_FALSE(fs::exists(marker_)) << "a tool was started:\n"
                                      << pf::readTextFile(marker_.string());
    EXPECT_FALSE(fs::exists(dir_ / "out")) << "output written";
    EXPECT_FALSE(fs::exists(dir_ / "work")) << "work directory written";
    // The binary file's bytes never reach the terminal raw.
    EXPECT_EQ(result.output.find('\0'), std::string::npos);
    EXPECT_EQ(result.output.find('\x1b'), std::string::npos);
    std::cout << "  " << refusal.corner_set << ": refused in " << result.wall_seconds << " s\n";
  }
}

TEST_F(CommandBeforeTools, TheTripwireFiresOnAGoodSet) {
  // The same command on good libraries goes on to start a tool: the marker appears (and
  // the fake tool's failure stops the run).
  const pf::ProcessResult result = run("good.toml");
  EXPECT_NE(result.exit_status, 0) << result.output;
  ASSERT_TRUE(fs::exists(marker_)) << result.output;
  EXPECT_NE(pf::readTextFile(marker_.string()).find("yosys"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "out" / "c.json"));
}

TEST_F(CommandBeforeTools, MixedSetWithTheOptionWarnsOnTheTerminalAndGoesOn) {
  const pf::ProcessResult refused = run("mixed.toml");
  EXPECT_NE(refused.output.find("error PF-5052"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(marker_));
  const pf::ProcessResult accepted = run("mixed.toml", true);
  EXPECT_NE(accepted.output.find("warning PF-5054: "), std::string::npos) << accepted.output;
  EXPECT_EQ(accepted.output.find("error PF-5052"), std::string::npos) << accepted.output;
  EXPECT_TRUE(fs::exists(marker_)) << "the accepted set did not reach the tools\n"
                                   << accepted.output;
}

// A tool that crashes or hangs on input that passed our checks is reported as the tool's
// fault (PF-1305 / PF-1306) with its output, not as a problem of the user's files.
void writeTool(const fs::path &path, const std::string &body) {
  std::ofstream(path) << "#!/bin/sh\nif [ \"$1\" = -V ]; then echo 'Yosys 0.23'; exit 0; fi\n"
                      << body;
  fs::permissions(path, fs::perms::owner_all);
}

TEST_F(CommandBeforeTools, AToolCrashIsReportedAsTheToolsCrashWithItsOutput) {
  writeTool(dir_ / "bin" / "yosys", "echo 'reading the liberty file'\nkill -SEGV $$\n");
  const pf::ProcessResult result = run("good.toml");
  EXPECT_EQ(result.exit_status, 1) << result.output;
  EXPECT_NE(result.output.find("error PF-1305: "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Yosys crashed (signal 11, SIGSEGV) while "), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("    reading the liberty file"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("cannot read this liberty file"), std::string::npos)
      << "a crash must not be worded as the user's input error:\n"
      << result.output;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "c.json"));
}

TEST_F(CommandBeforeTools, AHungToolIsKilledAtTheLimitAndReportedAsHung) {
  writeTool(dir_ / "bin" / "yosys", "echo 'still thinking'\nexec /bin/sleep 120\n");
  std::vector<std::string> argv = {"env",
                                   "POWERFLOW_TOOL_TIMEOUT_S=1",
                                   "PATH=" + (dir_ / "bin").string(),
                                   PF_POWERFLOW,
                                   "characterize",
                                   "--design",
                                   kTinyDesign,
                                   "--corners",
                                   kDir + "good.toml",
                                   "--out",
                                   (dir_ / "out" / "c.json").string(),
                                   "--work",
                                   (dir_ / "work").string()};
  const pf::ProcessResult result = pf::runProcess(argv);
  EXPECT_EQ(result.exit_status, 1) << result.output;
  EXPECT_LT(result.wall_seconds, 30.0);
  EXPECT_NE(result.output.find("error PF-1306: "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("Yosys hung: killed after the 1 s time limit"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("    still thinking"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "c.json"));
}

// ---- the warning in the file and its summary ----------------------------------------

TEST(LibraryCheck, MixedWarningGoesIntoTheFileAndTheSummary) {
  pf::LibraryCheckOptions options;
  options.allow_mixed_corners = true;
  const pf::CheckedLibraries checked =
      pf::checkCornerLibraries(pf::readCornerSet(kDir + "mixed.toml"), options);
  pf::Characterization table;
  table.design = "tiny";
  table.corners = {{"v0p80", 0.8, 1.0, 25.0}, {"v1p00", 1.0, 1.0, 125.0}};
  table.level_shifter_delay_ns = {0.3, 0.2};
  table.mixed_corners = checked.mixed;
  table.warnings = checked.warnings;
  const pf::Json json = pf::characterizationToJson(table);
  const pf::Characterization back =
      pf::characterizationFromJson(pf::parseJson(json.dump(), "c.json"), "c.json");
  EXPECT_TRUE(back.mixed_corners);
  ASSERT_EQ(back.warnings.size(), checked.warnings.size());
  EXPECT_EQ(back.warnings[0].text, checked.warnings[0].text);
  EXPECT_EQ(back.corners[1].nom_temperature_c, 125.0);
  const std::string summary = pf::characterizationSummary(back);
  EXPECT_NE(summary.find(checked.warnings[0].text), std::string::npos) << summary;
  EXPECT_LT(summary.find("warning PF-5054"), summary.find("domain")) << "warning not on top";
  EXPECT_NE(summary.find("not one process at several voltages"), std::string::npos) << summary;
}

}  // namespace
