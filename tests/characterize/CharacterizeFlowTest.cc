// The characterize stage end to end, with the real tools.
//
// Fast: the tiny 3-domain design of tests/characterize/synth/data on the stub libraries
// and on the alternative-naming libraries; leakage cross-checked against Yosys's own
// cell count; bad input leaves no output. Slow: the default accelerator, physics.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "characterize/Characterization.hh"
#include "characterize/CharacterizeCommand.hh"
#include "characterize/LibraryCheck.hh"
#include "characterize/Provenance.hh"
#include "characterize/liberty/Liberty.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"
#include "core/Toml.hh"

namespace fs = std::filesystem;

namespace {

const std::string kRepo = PF_SOURCE_DIR;
const std::string kStub = kRepo + "/pdk_stub/lib/";
const std::string kAlt = kRepo + "/tests/characterize/data/";
const std::string kTinyDesign = kRepo + "/tests/characterize/synth/data/tiny.toml";

fs::path freshDir(const std::string &name) {
  const fs::path dir = fs::temp_directory_path() / ("pf_characterize_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct CornerFiles {
  std::string name, voltage, std_lib, sram_lib;
};

std::string writeCornerSet(const fs::path &dir, const std::vector<CornerFiles> &corners,
                           bool power_model = true) {
  std::string text = power_model ? "power_model = \"" + kStub + "pf40lp_power.toml\"\n" : "";
  for (const CornerFiles &c : corners)
    text += "[[corner]]\nname = \"" + c.name + "\"\nvoltage_v = " + c.voltage + "\nliberty = [\"" +
            c.std_lib + "\"]\nsram_liberty = [\"" + c.sram_lib + "\"]\n";
  const std::string path = (dir / "corners.toml").string();
  std::ofstream(path) << text;
  return path;
}

const std::vector<CornerFiles> kStubCorners = {
    {"v0p60", "0.6", kStub + "pf40lp_std_v0p60.lib", kStub + "pf40lp_sram_v0p60.lib"},
    {"v0p80", "0.8", kStub + "pf40lp_std_v0p80.lib", kStub + "pf40lp_sram_v0p80.lib"},
    {"v1p10", "1.1", kStub + "pf40lp_std_v1p10.lib", kStub + "pf40lp_sram_v1p10.lib"}};

pf::Characterization runCharacterize(const std::vector<std::string> &args, const std::string &out) {
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--out", out});
  EXPECT_EQ(pf::runCharacterizeCommand(all), 0);
  return pf::readCharacterization(out);
}

void expectRisingWithVoltage(const std::vector<double> &values, const std::string &what) {
  for (size_t i = 1; i < values.size(); ++i)
    EXPECT_GT(values[i], values[i - 1]) << what << " at corner " << i;
}

// Leakage of the whole netlist from Yosys's own cell count (not our netlist code).
double yosysLeakageNw(const std::string &netlist, const std::string &top,
                      const pf::liberty::Library &std_lib, const pf::liberty::Library &sram_lib) {
  const pf::ProcessResult run = pf::runProcess(
      {"yosys", "-p",
       "read_liberty -lib " + std_lib.source_file + "; read_liberty -lib " + sram_lib.source_file +
           "; read_verilog " + netlist + "; hierarchy -top " + top + "; flatten; stat"});
  EXPECT_EQ(run.exit_status, 0) << run.output;
  const std::string stats = run.output.substr(run.output.rfind("Number of cells:"));
  double total_nw = 0;
  const std::regex line(R"(^\s+(\S+)\s+(\d+)\s*$)");
  std::istringstream lines(stats);
  for (std::string text; std::getline(lines, text);) {
    std::smatch match;
    if (!std::regex_match(text, match, line)) continue;
    const pf::liberty::Cell *cell = std_lib.findCell(match[1]);
    if (!cell) cell = sram_lib.findCell(match[1]);
    EXPECT_NE(cell, nullptr) << "cell " << match[1] << " is in no library";
    if (cell) total_nw += std::stod(match[2]) * cell->leakage_power_nw;
  }
  return total_nw;
}

class TinyDesign : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = freshDir("tiny");
    table_ =
        runCharacterize({"--design", kTinyDesign, "--corners", writeCornerSet(dir_, kStubCorners),
                         "--work", (dir_ / "work").string()},
                        (dir_ / "tiny.json").string());
  }
  static inline fs::path dir_;
  static inline pf::Characterization table_;
};

TEST_F(TinyDesign, EveryDomainHasTimingAndLeakageThatRiseWithVoltage) {
  ASSERT_EQ(table_.domains.size(), 3u);
  for (const pf::DomainCharacterization &domain : table_.domains) {
    ASSERT_EQ(domain.fmax_mhz.size(), 3u) << domain.name;
    expectRisingWithVoltage(domain.fmax_mhz, domain.name + " fmax");
    expectRisingWithVoltage(domain.leakage_nw, domain.name + " leakage");
  }
  expectRisingWithVoltage(table_.findDomain("bank0")->findOperation("read")->energy_pj,
                          "SRAM read energy");
}

TEST_F(TinyDesign, LeakageIsTheSumOfCellLeakage) {
  for (size_t c = 0; c < kStubCorners.size(); ++c) {
    const pf::liberty::Library std_lib = pf::liberty::readLiberty(kStubCorners[c].std_lib);
    const pf::liberty::Library sram_lib = pf::liberty::readLiberty(kStubCorners[c].sram_lib);
    const double expected_nw = yosysLeakageNw((dir_ / "work/synth/tiny_top_netlist.v").string(),
                                              "tiny_top", std_lib, sram_lib);
    double table_nw = 0;
    for (const pf::DomainCharacterization &domain : table_.domains)
      table_nw += domain.leakage_nw[c];
    EXPECT_NEAR(table_nw, expected_nw, 1e-9 * expected_nw) << kStubCorners[c].name;
  }
}

TEST_F(TinyDesign, SramEnergiesMatchTheMacroDatasheet) {
  // The sidecar lists the same macro's read/write energy (docs/pdk_stub.md): an
  // independent path through the liberty `when` conditions must give the same numbers.
  const toml::table power = pf::parseTomlFile(kStub + "pf40lp_power.toml");
  const toml::array &srams = *power["sram"].as_array();
  const toml::table &macro = *srams[0].as_table();
  ASSERT_EQ(*macro["name"].value<std::string>(), "pf40_sram_2048x64");
  const pf::DomainCharacterization &bank = *table_.findDomain("bank0");
  const std::vector<size_t> sidecar_index = {0, 2, 5};  // 0.6, 0.8, 1.1 V in corners_v
  for (size_t c = 0; c < 3; ++c) {
    const double read_pj =
        *macro["read_energy_pj"].as_array()->get(sidecar_index[c])->value<double>();
    const double write_pj =
        *macro["write_energy_pj"].as_array()->get(sidecar_index[c])->value<double>();
    EXPECT_NEAR(bank.findOperation("read")->energy_pj[c], read_pj, 1e-6 * read_pj);
    EXPECT_NEAR(bank.findOperation("write")->energy_pj[c], write_pj, 1e-6 * write_pj);
  }
  EXPECT_GT(bank.retention_leakage_nw, 0);
  EXPECT_LT(bank.retention_leakage_nw, bank.leakage_nw.back());
}

TEST_F(TinyDesign, SwitchableDomainsHaveWakeUpCostsAndGatedLeakage) {
  for (const pf::DomainCharacterization &domain : table_.domains) {
    if (domain.kind == pf::DomainKind::AlwaysOn) continue;
    EXPECT_GT(domain.switched_capacitance_pf, 0) << domain.name;
    expectRisingWithVoltage(domain.wake_up_energy_pj, domain.name + " wake-up energy");
    for (size_t c = 0; c < domain.leakage_nw.size(); ++c)
      EXPECT_LT(domain.gated_leakage_nw[c], 0.05 * domain.leakage_nw[c]) << domain.name;
  }
}

TEST_F(TinyDesign, RailChangesCostTimeBothWaysAndEnergyOnlyUpward) {
  const pf::DomainCharacterization &mac = *table_.findDomain("mac_grp");
  ASSERT_EQ(mac.rail_change_time_ns.size(), 3u);
  for (size_t from = 0; from < 3; ++from)
    for (size_t to = 0; to < 3; ++to) {
      if (from == to) {
        EXPECT_EQ(mac.rail_change_time_ns[from][to], 0);
        continue;
      }
      EXPECT_GT(mac.rail_change_time_ns[from][to], 0);
      EXPECT_DOUBLE_EQ(mac.rail_change_time_ns[from][to], mac.rail_change_time_ns[to][from]);
      if (to > from)
        EXPECT_GT(mac.rail_change_energy_pj[from][to], 0);
      else
        EXPECT_EQ(mac.rail_change_energy_pj[from][to], 0);
    }
  // A bigger step costs more than a smaller one.
  EXPECT_GT(mac.rail_change_energy_pj[0][2], mac.rail_change_energy_pj[1][2]);
}

TEST_F(TinyDesign, SecondRunIsUpToDateAndWritesIdenticalBytes) {
  const std::string out = (dir_ / "tiny.json").string();
  const std::string before = pf::readTextFile(out);
  runCharacterize({"--design", kTinyDesign, "--corners", (dir_ / "corners.toml").string(), "--work",
                   (dir_ / "work").string()},
                  out);
  EXPECT_EQ(pf::readTextFile(out), before);
}

// Issue 15 item 3: the file says, per figure family, where the numbers come from. Walks
// the JSON as written: every domain, the sequencer and the table have a tag for each of
// their families; on the stub's libraries with the stub's model nothing is borrowed.
TEST_F(TinyDesign, EveryFigureHasItsProvenanceAndNothingIsBorrowedOnTheStub) {
  const pf::Json json = pf::parseJson(pf::readTextFile((dir_ / "tiny.json").string()), "tiny");
  auto expectTags = [](const pf::Json &tags, const std::vector<std::string> &families,
                       const std::string &where) {
    for (const std::string &family : families) {
      const pf::Json *tag = tags.find(family);
      ASSERT_NE(tag, nullptr) << where << " has no provenance for " << family;
      EXPECT_FALSE(tag->at("from").asString().empty()) << where << " " << family;
      EXPECT_FALSE(tag->at("borrowed").asBool())
          << where << " " << family << ": "
          << (tag->find("remark") ? tag->at("remark").asString() : "");
    }
    EXPECT_EQ(tags.asObject().size(), families.size()) << where;
  };
  for (const pf::DomainCharacterization &domain : table_.domains) {
    const pf::Json *entry = nullptr;
    for (const pf::Json &item : json.at("domains").asArray())
      if (item.at("name").asString() == domain.name) entry = &item;
    ASSERT_NE(entry, nullptr);
    expectTags(entry->at("provenance"), pf::domainFigureFamilies(domain.kind), domain.name);
  }
  expectTags(json.at("sequencer").at("provenance"), pf::sequencerFigureFamilies(), "sequencer");
  expectTags(json.at("provenance").at("figures"), pf::tableFigureFamilies(), "table");
  const pf::TableProvenance &provenance = table_.provenance;
  EXPECT_EQ(provenance.power_model.source, pf::FigureSource::PowerModel);
  EXPECT_EQ(provenance.power_model.file, kStub + "pf40lp_power.toml");
  EXPECT_FALSE(provenance.power_model.borrowed);
  EXPECT_EQ(provenance.cells.level_shifter, "LS_LH_X1");
  const pf::FigureProvenance *shifter =
      pf::findProvenance(provenance.figures, "level_shifter_delay_ns");
  EXPECT_EQ(shifter->source, pf::FigureSource::Library);
  EXPECT_NE(shifter->from.find("LS_LH_X1"), std::string::npos) << shifter->from;
  const pf::DomainCharacterization &bank = *table_.findDomain("bank0");
  EXPECT_EQ(pf::findProvenance(bank.provenance, "retention")->source, pf::FigureSource::PowerModel);
  EXPECT_EQ(pf::findProvenance(bank.provenance, "operations")->source, pf::FigureSource::Library);
  // The tiny design's always-on domain and PE group have no operations, and say why.
  EXPECT_EQ(pf::findProvenance(table_.findDomain("mac_grp")->provenance, "operations")->source,
            pf::FigureSource::None);
  EXPECT_EQ(table_.corners[0].liberty, std::vector<std::string>{kStubCorners[0].std_lib});
  EXPECT_TRUE(table_.warnings.empty());
  const std::string summary = pf::readTextFile((dir_ / "tiny.txt").string());
  EXPECT_NE(summary.find("\nprovenance ("), std::string::npos) << summary;
  EXPECT_EQ(summary.find("\n! "), std::string::npos) << summary;
  EXPECT_EQ(summary.find("borrowed figures"), std::string::npos) << summary;
}

// Without a power model the stub's applies (built in): the same numbers as with the stub's
// file, each of them flagged as borrowed in the file, the summary and on the terminal.
// Synthesis and timing come from the fixture's caches.
TEST_F(TinyDesign, WithoutAPowerModelTheStubsIsAppliedAndEveryFigureOfItFlagged) {
  const fs::path dir = dir_ / "no_model";
  fs::create_directories(dir);
  const std::string out = (dir / "c.json").string();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(pf::runCharacterizeCommand({"--design", kTinyDesign, "--corners",
                                        writeCornerSet(dir, kStubCorners, false), "--work",
                                        (dir_ / "work").string(), "--out", out}),
            0);
  const std::string terminal = ::testing::internal::GetCapturedStderr();
  const pf::Characterization table = pf::readCharacterization(out);
  const std::string summary = pf::readTextFile(fs::path(out).replace_extension(".txt").string());
  ASSERT_EQ(table.warnings.size(), 1u);
  EXPECT_EQ(table.warnings[0].id, 5060);
  EXPECT_NE(summary.find(table.warnings[0].text), std::string::npos);
  EXPECT_NE(terminal.find(table.warnings[0].text), std::string::npos) << terminal;
  EXPECT_EQ(table.provenance.power_model.source, pf::FigureSource::StubDefault);
  for (const char *name : {"mac_grp", "bank0"}) {
    const pf::DomainCharacterization &domain = *table.findDomain(name);
    const pf::DomainCharacterization &with_file = *table_.findDomain(name);
    EXPECT_EQ(domain.gated_leakage_nw, with_file.gated_leakage_nw) << name;
    EXPECT_EQ(domain.wake_up_energy_pj, with_file.wake_up_energy_pj) << name;
    EXPECT_EQ(domain.rail_change_time_ns, with_file.rail_change_time_ns) << name;
    EXPECT_EQ(domain.retention_leakage_nw, with_file.retention_leakage_nw) << name;
    for (const char *family :
         {"gated_leakage_nw", "switched_capacitance_pf", "wake_up", "rail_change"}) {
      const pf::FigureProvenance *tag = pf::findProvenance(domain.provenance, family);
      ASSERT_NE(tag, nullptr) << family;
      EXPECT_EQ(tag->source, pf::FigureSource::StubDefault) << name << " " << family;
      EXPECT_TRUE(tag->borrowed) << name << " " << family;
      EXPECT_NE(summary.find("\n! " + std::string(family)), std::string::npos) << summary;
    }
    // What comes from the liberty files is not flagged.
    EXPECT_FALSE(pf::findProvenance(domain.provenance, "leakage_nw")->borrowed);
  }
  EXPECT_EQ(pf::findProvenance(table.findDomain("bank0")->provenance, "retention")->source,
            pf::FigureSource::StubDefault);
  EXPECT_NE(summary.find("borrowed figures (not from your libraries or power model): power model, "
                         "gated_leakage_nw, switched_capacitance_pf, wake_up, rail_change, "
                         "retention;"),
            std::string::npos)
      << summary;
}

// A copy of a stub library re-labelled as characterized at 125 C: the same cells, another
// temperature (a mixed corner set, as slow / typical / fast libraries are).
std::string hotCopy(const std::string &library, const fs::path &dir) {
  std::string text = pf::readTextFile(library);
  const std::string from = "nom_temperature : 25;";
  EXPECT_NE(text.find(from), std::string::npos) << library;
  text.replace(text.find(from), from.size(), "nom_temperature : 125;");
  const std::string path = (dir / fs::path(library).filename()).string();
  pf::writeFileAtomic(path, text);
  return path;
}

// The tiny design with a clock far above what its always-on domain can take.
std::string fastClockDesign(const fs::path &dir) {
  std::string text = pf::readTextFile(kTinyDesign);
  const std::string list = "filelist = \"tiny_syn.f\"";
  const std::string synth_list = "synth_filelist = \"tiny_syn.f\"";
  const std::string data = kRepo + "/tests/characterize/synth/data/";
  text.replace(text.find(list), list.size(), "filelist = \"" + data + "tiny_syn.f\"");
  text.replace(text.find(synth_list), synth_list.size(),
               "synth_filelist = \"" + data + "tiny_syn.f\"");
  text += "\n[clock]\nbase_mhz = 5000\ndividers = [1, 2]\nswitch_time_ns = 40\n";
  const std::string path = (dir / "tiny_fast_clock.toml").string();
  pf::writeFileAtomic(path, text);
  return path;
}

// The whole command on a mixed corner set (the 0.6 V libraries at 125 C) and a design clock
// above the always-on domain's fmax, in the fixture's work directory so synthesis comes
// from its cache (the synthesis corner is unchanged): refused without the option; with it,
// both warnings are in the file, its summary and on the terminal.
TEST_F(TinyDesign, MixedCornersAndAFastClockAreWarnedInEveryOutput) {
  const fs::path dir = dir_ / "mixed";
  fs::create_directories(dir);
  std::vector<CornerFiles> corners = kStubCorners;
  corners[0].std_lib = hotCopy(corners[0].std_lib, dir);
  corners[0].sram_lib = hotCopy(corners[0].sram_lib, dir);
  const std::string corner_set = writeCornerSet(dir, corners);
  const std::string design = fastClockDesign(dir);
  const std::string out = (dir / "c.json").string();
  const std::vector<std::string> args = {"--design", design,   "--corners",
                                         corner_set, "--work", (dir_ / "work").string(),
                                         "--out",    out};
  try {
    pf::runCharacterizeCommand(args);
    ADD_FAILURE() << "a mixed corner set was accepted without --allow-mixed-corners";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 5052) << error.formatted();
    EXPECT_EQ(error.field(), "nom_temperature");
  }
  EXPECT_FALSE(fs::exists(out));

  std::vector<std::string> allowed = args;
  allowed.push_back("--allow-mixed-corners");
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(pf::runCharacterizeCommand(allowed), 0);
  const std::string terminal =
      ::testing::internal::GetCapturedStderr() + ::testing::internal::GetCapturedStdout();
  const pf::Characterization table = pf::readCharacterization(out);
  const std::string summary = pf::readTextFile(fs::path(out).replace_extension(".txt").string());
  EXPECT_TRUE(table.mixed_corners);
  EXPECT_EQ(table.corners[0].nom_temperature_c, 125.0);
  EXPECT_EQ(table.corners[2].nom_temperature_c, 25.0);
  ASSERT_EQ(table.warnings.size(), 2u);
  EXPECT_EQ(table.warnings[0].id, 5054);
  EXPECT_EQ(table.warnings[1].id, 5055);
  for (const pf::CharacterizationWarning &warning : table.warnings) {
    EXPECT_NE(summary.find(warning.text), std::string::npos) << summary;
    EXPECT_NE(terminal.find(warning.text), std::string::npos) << terminal;
  }
  const std::string design_text = pf::readTextFile(design);
  const auto base_line =
      std::count(design_text.begin(),
                 design_text.begin() + std::ptrdiff_t(design_text.find("base_mhz")), '\n') +
      1;
  EXPECT_NE(table.warnings[1].text.find(fmt::format("tiny_fast_clock.toml:{}:", base_line)),
            std::string::npos)
      << table.warnings[1].text;
  // Every domain of the tiny design is below 5 GHz; its PE group is the slowest.
  EXPECT_NE(table.warnings[1].text.find("the pe_group domain 'mac_grp' on its rail (top rail of "
                                        "rails.voltages_v, 1.10 V)"),
            std::string::npos)
      << table.warnings[1].text;
  EXPECT_NE(table.warnings[1].text.find("'aon' ("), std::string::npos) << table.warnings[1].text;
}

// `library` split in two files at cell `first_of_second`, as PDKs that ship a corner as
// several files do: the first part keeps the file name and library name (so the power
// model's std_liberty_files still names it), the second is <stem>_b.lib, library <name>_b.
// Both have the whole header (everything before the first cell), and the cells stay in
// their order.
std::vector<std::string> splitLibrary(const std::string &library,
                                      const std::string &first_of_second, const fs::path &dir) {
  const std::string text = pf::readTextFile(library);
  const size_t first_cell = text.find("\n  cell (") + 1;
  const size_t split = text.find("\n  cell (" + first_of_second + ")") + 1;
  const size_t end = text.rfind('}');  // the library group's
  EXPECT_TRUE(first_cell > 0 && split > first_cell && end > split) << library;
  const std::string stem = fs::path(library).stem().string();
  std::string header = text.substr(0, first_cell);
  const std::string first = (dir / fs::path(library).filename()).string();
  pf::writeFileAtomic(first, header + text.substr(first_cell, split - first_cell) + "}\n");
  const std::string name = "library (" + stem + ")";
  EXPECT_NE(header.find(name), std::string::npos) << library;
  header.replace(header.find(name), name.size(), "library (" + stem + "_b)");
  const std::string second = (dir / (stem + "_b.lib")).string();
  pf::writeFileAtomic(second, header + text.substr(split, end - split) + "}\n");
  return {first, second};
}

// Issue 15 item 5: a corner may list several liberty files. The stub's libraries split at
// every corner (standard cells: the combinational cells in one file, the flops and the rest
// in another; SRAM: one macro per file) give the same table as the whole files: every
// number (timing, leakage, SRAM energy, wake-up, the sequencer), the same netlist, the same
// provenance sources. Yosys and OpenSTA read one merged library per corner from the work
// directory; synthesis runs again (the merged files are other paths), in a few seconds.
TEST_F(TinyDesign, ACornerSplitOverSeveralFilesGivesTheSameNumbers) {
  const fs::path dir = dir_ / "split";
  fs::create_directories(dir);
  std::string text = "power_model = \"" + kStub + "pf40lp_power.toml\"\n";
  std::map<std::string, std::vector<std::string>> parts;  // "v0p60_std" -> its files
  for (const CornerFiles &corner : kStubCorners) {
    const std::vector<std::string> cells = splitLibrary(corner.std_lib, "DFF_X1", dir);
    const std::vector<std::string> macros = splitLibrary(corner.sram_lib, "pf40_sram_256x512", dir);
    parts[corner.name + "_std"] = cells;
    parts[corner.name + "_sram"] = macros;
    text += fmt::format(
        "[[corner]]\nname = \"{}\"\nvoltage_v = {}\nliberty = [\"{}\", \"{}\"]\n"
        "sram_liberty = [\"{}\", \"{}\"]\n",
        corner.name, corner.voltage, cells[0], cells[1], macros[0], macros[1]);
  }
  const std::string corners = (dir / "corners.toml").string();
  pf::writeFileAtomic(corners, text);
  const auto start = std::chrono::steady_clock::now();
  const pf::Characterization split = runCharacterize(
      {"--design", kTinyDesign, "--corners", corners, "--work", (dir / "work").string()},
      (dir / "c.json").string());
  std::cout << "  split corners characterized in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s\n";

  // Every number the same: the tables as JSON, with what names the files set aside.
  auto numbers = [](pf::Characterization table) {
    table.generated_by.clear();
    table.inputs_sha256.clear();
    for (pf::CornerInfo &corner : table.corners) corner.liberty = corner.sram_liberty = {};
    auto clear = [](pf::ProvenanceList &list) {
      for (pf::FigureProvenance &figure : list) figure.from.clear();
    };
    for (pf::DomainCharacterization &domain : table.domains) clear(domain.provenance);
    clear(table.sequencer.provenance);
    clear(table.provenance.figures);
    return pf::characterizationToJson(table).dump();
  };
  EXPECT_EQ(numbers(split), numbers(table_));
  EXPECT_TRUE(split.warnings.empty());
  EXPECT_EQ(split.corners[0].liberty.size(), 2u);
  EXPECT_EQ(split.findDomain("bank0")->findOperation("read")->energy_pj,
            table_.findDomain("bank0")->findOperation("read")->energy_pj);
  EXPECT_EQ(pf::readTextFile((dir / "work/synth/tiny_top_netlist.v").string()),
            pf::readTextFile((dir_ / "work/synth/tiny_top_netlist.v").string()));
  // OpenSTA reads the merged files, whose banners name every input file.
  const std::string sta = pf::readTextFile((dir / "work/synth/sta.tcl").string());
  for (const auto &[name, files] : parts) {
    const fs::path merged = dir / "work/liberty" / (name + ".lib");
    ASSERT_TRUE(fs::exists(merged)) << merged;
    EXPECT_NE(sta.find(fs::absolute(merged).lexically_normal().string()), std::string::npos) << sta;
    const std::string library = pf::readTextFile(merged.string());
    for (const std::string &file : files)
      EXPECT_NE(library.find(file + " (SHA-256 "), std::string::npos) << name;
  }
  // A second run is up to date and leaves the merged files byte-identical.
  const std::string merged_before = pf::readTextFile((dir / "work/liberty/v0p60_std.lib").string());
  runCharacterize(
      {"--design", kTinyDesign, "--corners", corners, "--work", (dir / "work").string()},
      (dir / "c.json").string());
  EXPECT_EQ(pf::readTextFile((dir / "work/liberty/v0p60_std.lib").string()), merged_before);
}

// A merge that renames a template (tests/characterize/libcheck/split_templates.toml: two
// files give `delay_2x2` other slews): Yosys 0.23 reads the merged text and maps a flop onto
// it; OpenSTA times a path through both files' cells on it exactly as it does reading the
// two files themselves (an unknown template would be a warning, a wrong one other delays).
TEST(MergedLibrary, YosysAndOpenStaReadAMergeWithARenamedTemplate) {
  const fs::path dir = freshDir("merged_templates");
  const std::string libcheck = kRepo + "/tests/characterize/libcheck/";
  const pf::CheckedLibraries checked =
      pf::checkCornerLibraries(pf::readCornerSet(libcheck + "split_templates.toml"));
  const std::string lib = (dir / "merged.lib").string();
  pf::writeFileAtomic(lib, checked.corners[0].std_merged_text);
  const std::string rtl = (dir / "t.v").string();
  std::ofstream(rtl) << "module t(input clk, input a, output reg q);\n"
                        "  always @(posedge clk) q <= a;\nendmodule\n";
  const pf::ProcessResult yosys = pf::runProcess(
      {"yosys", "-p",
       fmt::format("read_liberty -lib {0}; read_verilog {1}; synth -top t; dfflibmap -liberty {0}; "
                   "stat",
                   lib, rtl)});
  ASSERT_EQ(yosys.exit_status, 0) << yosys.output;
  EXPECT_NE(yosys.output.find("DFF_X1"), std::string::npos) << yosys.output;
  // a -> INV_X1 -> DFF_X1 -> INV_X1 -> q: the combinational file's tables and the flop's.
  const std::string netlist = (dir / "t_net.v").string();
  std::ofstream(netlist) << "module t(clk, a, q);\n  input clk, a;\n  output q;\n  wire n1, n2;\n"
                            "  INV_X1 u1 (.A(a), .Y(n1));\n"
                            "  DFF_X1 r (.D(n1), .CK(clk), .Q(n2));\n"
                            "  INV_X1 u2 (.A(n2), .Y(q));\nendmodule\n";
  auto time = [&](const std::vector<std::string> &libraries, const std::string &name) {
    const std::string script = (dir / (name + ".tcl")).string();
    std::ofstream tcl(script);
    for (const std::string &library : libraries) tcl << "read_liberty " << library << "\n";
    tcl << "read_verilog " << netlist << "\nlink_design t\n"
        << "create_clock -name c -period 10 [get_ports clk]\n"
           "set_input_delay 0 -clock c [get_ports a]\nset_output_delay 0 -clock c [get_ports q]\n"
           "set_load 0.005 [get_ports q]\n"
           "report_checks -path_delay max -group_count 2 -digits 6\nputs PF_DONE\n";
    tcl.close();
    const pf::ProcessResult sta =
        pf::runProcess({"sta", "-no_init", "-no_splash", "-exit", script});
    EXPECT_NE(sta.output.find("PF_DONE"), std::string::npos) << sta.output;
    EXPECT_EQ(sta.output.find("Warning"), std::string::npos) << sta.output;
    EXPECT_EQ(sta.output.find("Error"), std::string::npos) << sta.output;
    std::string times;  // the arrival and slack lines, in order
    std::istringstream lines(sta.output);
    for (std::string line; std::getline(lines, line);)
      if (line.find("data arrival time") != std::string::npos ||
          line.find("slack") != std::string::npos)
        times += line + "\n";
    return times;
  };
  const std::string merged = time({lib}, "merged");
  EXPECT_NE(merged.find("slack"), std::string::npos) << merged;
  EXPECT_EQ(merged,
            time({libcheck + "lc_comb_v0p80.lib", libcheck + "lc_seq_v0p80_tables.lib"}, "files"));
}

TEST(AltLibrary, TinyDesignRunsUnchangedOnAnotherNamingConvention) {
  // altlib has no SRAM macros: its corners pair with the stub SRAM at the nearest voltage.
  const fs::path dir = freshDir("alt");
  const std::vector<CornerFiles> corners = {
      {"a0p70", "0.7", kAlt + "altlib_0p70.lib", kStub + "pf40lp_sram_v0p70.lib"},
      {"a0p90", "0.9", kAlt + "altlib_0p90.lib", kStub + "pf40lp_sram_v0p90.lib"},
      {"a1p20", "1.2", kAlt + "altlib_1p20.lib", kStub + "pf40lp_sram_v1p10.lib"}};
  const pf::Characterization table =
      runCharacterize({"--design", kTinyDesign, "--corners", writeCornerSet(dir, corners), "--work",
                       (dir / "work").string()},
                      (dir / "alt.json").string());
  ASSERT_EQ(table.domains.size(), 3u);
  // The 1.2 V corner borrows the 1.1 V SRAM macros: accepted, and said (PF-5057); the
  // stub's power model was made for the stub's libraries (PF-5061) and for 0.6-1.1 V
  // (PF-5059); altlib has no header switch, isolation cell or level shifter (PF-5062).
  std::vector<int> ids;
  for (const pf::CharacterizationWarning &warning : table.warnings) ids.push_back(warning.id);
  ASSERT_EQ(ids, (std::vector<int>{5057, 5061, 5059, 5062}));
  EXPECT_NE(table.warnings[0].text.find("corner 'a1p20' is at 1.2 V, but its SRAM library has "
                                        "nom_voltage 1.1 V"),
            std::string::npos)
      << table.warnings[0].text;
  EXPECT_NE(table.warnings[2].text.find("corner 'a1p20' at 1.2 V"), std::string::npos)
      << table.warnings[2].text;
  // Each borrowed figure flagged, in the file and the summary.
  const std::string summary = pf::readTextFile((dir / "alt.txt").string());
  const pf::DomainCharacterization &bank = *table.findDomain("bank0");
  for (const char *family : {"gated_leakage_nw", "wake_up", "rail_change", "retention"}) {
    const pf::FigureProvenance *tag = pf::findProvenance(bank.provenance, family);
    ASSERT_NE(tag, nullptr) << family;
    EXPECT_EQ(tag->source, pf::FigureSource::StubDefault) << family;
    EXPECT_TRUE(tag->borrowed) << family;
    EXPECT_NE(summary.find("\n! " + std::string(family)), std::string::npos) << summary;
  }
  EXPECT_NE(pf::findProvenance(bank.provenance, "wake_up")
                ->remark.find("used outside the model's "
                              "0.6-1.1 V at a1p20"),
            std::string::npos);
  const pf::FigureProvenance *leakage = pf::findProvenance(bank.provenance, "leakage_nw");
  EXPECT_TRUE(leakage->borrowed);
  EXPECT_NE(
      leakage->remark.find("at a1p20: " + kStub + "pf40lp_sram_v1p10.lib (nom_voltage 1.1 V)"),
      std::string::npos)
      << leakage->remark;
  EXPECT_FALSE(pf::findProvenance(table.findDomain("mac_grp")->provenance, "leakage_nw")->borrowed);
  // No level shifter in altlib: the delay is 0, with the reason.
  EXPECT_EQ(table.level_shifter_delay_ns, (std::vector<double>{0, 0, 0}));
  const pf::FigureProvenance *shifter =
      pf::findProvenance(table.provenance.figures, "level_shifter_delay_ns");
  EXPECT_EQ(shifter->source, pf::FigureSource::None);
  EXPECT_NE(shifter->remark.find("has no level-shifter cell"), std::string::npos);
  EXPECT_NE(summary.find("\n- level_shifter_delay_ns"), std::string::npos) << summary;
  for (const pf::DomainCharacterization &domain : table.domains) {
    expectRisingWithVoltage(domain.fmax_mhz, domain.name + " fmax (altlib)");
    expectRisingWithVoltage(domain.leakage_nw, domain.name + " leakage (altlib)");
  }
  const std::string netlist = pf::readTextFile((dir / "work/synth/tiny_top_netlist.v").string());
  EXPECT_NE(netlist.find("nd2_x1"), std::string::npos) << "not mapped onto the alt library";
  EXPECT_EQ(netlist.find("NAND2_X1"), std::string::npos);
}

// Runs the command on bad input and checks it fails naming `expected` and writes nothing.
void expectRefused(const std::vector<std::string> &args, const std::string &expected,
                   const fs::path &dir) {
  std::vector<std::string> all = args;
  const fs::path out = dir / "out" / "c.json";
  all.insert(all.end(), {"--out", out.string(), "--work", (dir / "work").string()});
  try {
    pf::runCharacterizeCommand(all);
    ADD_FAILURE() << "accepted";
  } catch (const pf::Error &error) {
    EXPECT_NE(error.formatted().find(expected), std::string::npos) << error.formatted();
  }
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(fs::path(out).replace_extension(".txt")));
}

TEST(CharacterizeBadInput, GarbledLibertyIsRefusedBeforeAnyTool) {
  const fs::path dir = freshDir("garbled");
  std::string text = pf::readTextFile(kStub + "pf40lp_std_v0p80.lib");
  text.insert(text.find("cell (NAND2_X1)"), "cell (BROKEN { area : ; }\n");
  const std::string garbled = (dir / "garbled.lib").string();
  pf::writeFileAtomic(garbled, text);
  std::vector<CornerFiles> corners = kStubCorners;
  corners[1].std_lib = garbled;
  expectRefused({"--design", kTinyDesign, "--corners", writeCornerSet(dir, corners)}, "garbled.lib",
                dir);
  // Our own parser refuses it before Yosys or OpenSTA sees it, at the line of the cell.
  expectRefused(
      {"--design", kTinyDesign, "--corners", writeCornerSet(dir, corners)},
      fmt::format(
          "error PF-5101: {}:{}:", garbled,
          std::count(text.begin(), text.begin() + std::ptrdiff_t(text.find("cell (BROKEN")), '\n') +
              1),
      dir);
}

TEST(CharacterizeBadInput, MissingLibertyNamesTheFile) {
  const fs::path dir = freshDir("missing");
  std::vector<CornerFiles> corners = kStubCorners;
  corners[0].std_lib = kStub + "nothere.lib";
  expectRefused({"--design", kTinyDesign, "--corners", writeCornerSet(dir, corners)}, "nothere.lib",
                dir);
}

TEST(CharacterizeBadInput, RtlThatFailsToSynthesizeQuotesYosys) {
  const fs::path dir = freshDir("badrtl");
  expectRefused({"--design", kRepo + "/tests/characterize/synth/data/tiny_bad.toml", "--corners",
                 writeCornerSet(dir, kStubCorners)},
                "ERROR", dir);
}

TEST(CharacterizeBadInput, CornerWithoutVoltageIsNamed) {
  const fs::path dir = freshDir("novoltage");
  const std::string corners = (dir / "corners.toml").string();
  std::ofstream(corners) << "[[corner]]\nliberty = [\"" << kStub << "pf40lp_std_v0p60.lib\"]\n";
  expectRefused({"--design", kTinyDesign, "--corners", corners}, "corner[0].voltage_v", dir);
}

}  // namespace
