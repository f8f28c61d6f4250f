// Tests of characterize/synth on the tiny 3-domain design (tests/characterize/synth/data)
// with the stub libraries at three corners: netlists, physics trends, buffering, and
// the error paths (bad RTL, missing or garbled liberty, OpenSTA errors).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "characterize/synth/LibertyScan.hh"
#include "characterize/synth/Synth.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"

namespace {

const std::string kSource = PF_SOURCE_DIR;
const std::string kData = kSource + "/tests/characterize/synth/data";
const std::string kLib = kSource + "/pdk_stub/lib";

std::vector<pf::synth::LibertyCorner> stubCorners(const std::vector<std::string> &tags) {
  std::vector<pf::synth::LibertyCorner> corners;
  for (const std::string &tag : tags)
    corners.push_back({std::stod(tag.substr(1, 1) + "." + tag.substr(3, 2)),
                       kLib + "/pf40lp_std_" + tag + ".lib",
                       kLib + "/pf40lp_sram_" + tag + ".lib"});
  return corners;
}

std::string scratchDir(const std::string &name) {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/pf_synth_test_" +
                          std::to_string(::getpid()) + "_" + name;
  std::filesystem::remove_all(dir);
  return dir;
}

// Library cell names of a liberty file ("cell (NAME)").
std::set<std::string> libraryCells(const std::string &path) {
  std::set<std::string> cells;
  const std::regex pattern(R"re(^\s*cell\s*\(\s*"?([A-Za-z0-9_]+)"?\s*\))re");
  std::istringstream lines(pf::readTextFile(path));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, pattern)) cells.insert(match[1]);
  }
  return cells;
}

// Instance types of a structural Verilog file: "TYPE NAME (" lines.
std::set<std::string> instanceTypes(const std::string &verilog) {
  std::set<std::string> types;
  const std::regex pattern(R"(^\s+(\\?[^\s(]+)\s+(\\?[^\s(]+)\s*\($)");
  std::istringstream lines(verilog);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, pattern) && match[1] != "module") types.insert(match[1]);
  }
  return types;
}

// A copy of a stub liberty with one line replaced by `garbage`.
std::string garbledCopy(const std::string &tag, const std::string &dir, int line_number,
                        const std::string &garbage) {
  std::filesystem::create_directories(dir);
  const std::string out = dir + "/garbled_" + tag + ".lib";
  std::istringstream lines(pf::readTextFile(kLib + "/pf40lp_std_" + tag + ".lib"));
  std::ofstream file(out);
  int number = 0;
  for (std::string line; std::getline(lines, line);)
    file << (++number == line_number ? garbage : line) << "\n";
  return out;
}

// One synthesis + STA run of the tiny design, shared by the tests that only read it.
class TinyDesign : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    design_ = new pf::DesignSpec(pf::readDesign(kData + "/tiny.toml"));
    corners_ = new std::vector<pf::synth::LibertyCorner>(stubCorners({"v0p60", "v0p80", "v1p10"}));
    options_ = new pf::synth::SynthOptions();
    options_->work_dir = scratchDir("tiny");
    options_->max_fanout = 8;
    synthesis_ =
        new pf::synth::SynthesisResult(pf::synth::synthesize(*design_, *corners_, *options_));
    timing_ = new pf::synth::TimingResult(
        pf::synth::analyzeTiming(*design_, *corners_, *synthesis_, *options_));
  }
  static void TearDownTestSuite() {
    if (!std::getenv("PF_KEEP_WORK")) std::filesystem::remove_all(options_->work_dir);
    delete timing_;
    delete synthesis_;
    delete options_;
    delete corners_;
    delete design_;
  }

  static pf::DesignSpec *design_;
  static std::vector<pf::synth::LibertyCorner> *corners_;
  static pf::synth::SynthOptions *options_;
  static pf::synth::SynthesisResult *synthesis_;
  static pf::synth::TimingResult *timing_;
};

pf::DesignSpec *TinyDesign::design_ = nullptr;
std::vector<pf::synth::LibertyCorner> *TinyDesign::corners_ = nullptr;
pf::synth::SynthOptions *TinyDesign::options_ = nullptr;
pf::synth::SynthesisResult *TinyDesign::synthesis_ = nullptr;
pf::synth::TimingResult *TinyDesign::timing_ = nullptr;

TEST_F(TinyDesign, NetlistPerDomainUsesOnlyLibraryCells) {
  std::set<std::string> allowed = libraryCells(kLib + "/pf40lp_std_v1p10.lib");
  for (const std::string &cell : libraryCells(kLib + "/pf40lp_sram_v1p10.lib"))
    allowed.insert(cell);
  ASSERT_EQ(synthesis_->domains.size(), 3u);
  const std::string whole = pf::readTextFile(synthesis_->netlist_file);
  std::set<std::string> modules;
  for (const auto &domain : synthesis_->domains)
    for (const auto &module : domain.modules) modules.insert(module);
  for (const std::string &type : instanceTypes(whole))
    EXPECT_TRUE(allowed.count(type) || modules.count(type)) << "not a library cell: " << type;
  for (const auto &domain : synthesis_->domains) {
    EXPECT_GT(domain.cells, 0) << domain.domain;
    EXPECT_GT(domain.area_um2, 0) << domain.domain;
    if (domain.kind == pf::DomainKind::SramBank) {
      EXPECT_EQ(domain.macro, "pf40_sram_2048x64");
      EXPECT_EQ(domain.cells, 1);
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(domain.netlist_file)) << domain.domain;
    const std::string text = pf::readTextFile(domain.netlist_file);
    EXPECT_NE(text.find("module "), std::string::npos) << domain.domain;
    for (const std::string &type : instanceTypes(text))
      EXPECT_TRUE(allowed.count(type) || modules.count(type)) << domain.domain << ": " << type;
  }
  // The MAC group holds the multipliers: most of the logic, and no SRAM.
  EXPECT_EQ(synthesis_->domains[1].domain, "mac_grp");
  EXPECT_GT(synthesis_->domains[1].cells, 100);
  double sum = 0;
  for (const auto &domain : synthesis_->domains) sum += domain.area_um2;
  EXPECT_NEAR(sum, synthesis_->total_area_um2, 1e-6 * sum);
  EXPECT_NE(whole.find("pf40_sram_2048x64"), std::string::npos);
}

TEST_F(TinyDesign, FmaxRisesWithVoltageInEveryDomain) {
  ASSERT_EQ(timing_->voltages_v, (std::vector<double>{0.6, 0.8, 1.1}));
  ASSERT_EQ(timing_->domains.size(), 3u);
  for (const auto &domain : timing_->domains) {
    ASSERT_EQ(domain.fmax_mhz.size(), 3u);
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_GT(domain.critical_path_ns[k], 0.05) << domain.domain;
      EXPECT_LT(domain.critical_path_ns[k], 100) << domain.domain;
      EXPECT_FALSE(domain.critical_endpoint[k].empty()) << domain.domain;
    }
    EXPECT_LT(domain.fmax_mhz[0], domain.fmax_mhz[1]) << domain.domain;
    EXPECT_LT(domain.fmax_mhz[1], domain.fmax_mhz[2]) << domain.domain;
    // Gate delay at 0.6 V is several times that at 1.1 V in the stub.
    EXPECT_GT(domain.fmax_mhz[2] / domain.fmax_mhz[0], 2.0) << domain.domain;
  }
}

TEST_F(TinyDesign, SramAndLevelShifterPathsAreTimed) {
  const auto &bank = timing_->domains[2];
  ASSERT_EQ(bank.domain, "bank0");
  // Every path of an SRAM bank crosses into or out of the always-on domain.
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_TRUE(bank.critical_crosses_domain[k]);
    EXPECT_EQ(bank.internal_path_ns[k], 0);
    EXPECT_NE((bank.critical_startpoint[k] + bank.critical_endpoint[k]).find("u_bank/"),
              std::string::npos);
  }
  ASSERT_EQ(synthesis_->level_shifter_cell, "LS_LH_X1");
  for (size_t k = 0; k < 3; ++k) EXPECT_GT(timing_->level_shifter_delay_ns[k], 0);
  EXPECT_GT(timing_->level_shifter_delay_ns[0], timing_->level_shifter_delay_ns[2]);
  // The MAC group has internal register-to-register paths (operands -> accumulators).
  EXPECT_GT(timing_->domains[1].internal_path_ns[0], 0);
}

TEST_F(TinyDesign, BufferingBringsFanoutUnderTheLimit) {
  EXPECT_GT(synthesis_->max_fanout_before, options_->max_fanout);
  EXPECT_LE(synthesis_->max_fanout_after, options_->max_fanout);
  EXPECT_GT(synthesis_->buffers_inserted, 0);
  EXPECT_EQ(synthesis_->buffer_cell, "BUF_X4");  // strongest buffer, found by function
  EXPECT_EQ(synthesis_->clock_port, "clk");
  EXPECT_EQ(synthesis_->async_reset_ports, (std::vector<std::string>{"mac_rst_n", "rst_n"}));
}

// Runs synthesis expecting a pf::Error; returns it.
pf::Error expectError(const std::function<void()> &run) {
  try {
    run();
  } catch (const pf::Error &error) {
    return error;
  }
  ADD_FAILURE() << "no pf::Error thrown";
  return pf::Error(0, {}, "", "");
}

TEST(SynthErrors, RtlThatFailsToSynthesizeQuotesYosys) {
  const pf::DesignSpec design = pf::readDesign(kData + "/tiny_bad.toml");
  pf::synth::SynthOptions options;
  options.work_dir = scratchDir("bad_rtl");
  const pf::Error error =
      expectError([&] { pf::synth::synthesize(design, stubCorners({"v1p10"}), options); });
  EXPECT_EQ(error.id(), 5210);
  EXPECT_NE(error.message().find("tiny_bad.v:3"), std::string::npos) << error.formatted();
  EXPECT_NE(error.message().find("ERROR"), std::string::npos) << error.formatted();
  EXPECT_NE(error.loc().file.find("tiny_bad_syn.f"), std::string::npos);
  std::filesystem::remove_all(options.work_dir);
}

TEST(SynthErrors, MissingLibertyIsNamed) {
  const pf::DesignSpec design = pf::readDesign(kData + "/tiny.toml");
  auto corners = stubCorners({"v0p60", "v1p10"});
  corners[0].std_cell_liberty = kLib + "/no_such_library.lib";
  pf::synth::SynthOptions options;
  options.work_dir = scratchDir("missing_lib");
  const pf::Error error = expectError([&] { pf::synth::synthesize(design, corners, options); });
  EXPECT_EQ(error.id(), 5202);
  EXPECT_EQ(error.loc().file, corners[0].std_cell_liberty);
  EXPECT_FALSE(std::filesystem::exists(options.work_dir));
}

TEST(SynthErrors, CornerWithoutVoltageIsRejected) {
  auto corners = stubCorners({"v0p60", "v1p10"});
  corners[1].voltage_v = 0;
  const pf::Error error = expectError([&] { pf::synth::checkCorners(corners); });
  EXPECT_EQ(error.id(), 5201);
  EXPECT_EQ(error.field(), "corners[1].voltage_v");
}

TEST(SynthErrors, GarbledLibertyQuotesTheParser) {
  const pf::DesignSpec design = pf::readDesign(kData + "/tiny.toml");
  pf::synth::SynthOptions options;
  options.work_dir = scratchDir("garbled_lib");
  auto corners = stubCorners({"v0p60", "v1p10"});
  corners[0].std_cell_liberty =
      garbledCopy("v0p60", options.work_dir + "/lib", 90, "  } } } ;;; garbage (");
  const pf::Error error = expectError([&] { pf::synth::synthesize(design, corners, options); });
  EXPECT_EQ(error.id(), 5256) << error.formatted();  // OpenSTA's refusal
  EXPECT_EQ(error.loc().file, corners[0].std_cell_liberty) << error.formatted();
  EXPECT_NE(error.message().find("line 90 syntax error"), std::string::npos) << error.formatted();
  std::filesystem::remove_all(options.work_dir);
}

TEST_F(TinyDesign, OpenStaErrorIsDetectedAndQuoted) {
  // A corner library with a syntax error that only OpenSTA sees (timing is run on its
  // own here): OpenSTA prints "Error: ..." and still exits 0 and runs the rest of the
  // script; the stage must stop, quoting OpenSTA's message.
  const std::string dir = options_->work_dir + "/sta_error";
  auto corners = *corners_;
  corners[1].std_cell_liberty = garbledCopy("v0p80", dir, 90, "  } } } ;;; garbage (");
  pf::synth::SynthOptions options = *options_;
  options.work_dir = dir;
  const pf::Error error =
      expectError([&] { pf::synth::analyzeTiming(*design_, corners, *synthesis_, options); });
  EXPECT_EQ(error.id(), 5266) << error.formatted();
  EXPECT_NE(error.message().find("Error: " + corners[1].std_cell_liberty + ", line 90"),
            std::string::npos)
      << error.formatted();
}

TEST_F(TinyDesign, MalformedTableIsAnOpenStaError) {
  // OpenSTA only warns about a table whose size does not match its template; timing
  // with it would be wrong, so the stage treats the warning as an error.
  const std::string dir = options_->work_dir + "/sta_table";
  std::filesystem::create_directories(dir);
  std::string text = pf::readTextFile(kLib + "/pf40lp_std_v0p80.lib");
  const size_t values = text.find("values", text.find("cell_rise (delay_slew_load)"));
  text.insert(values, "values ( \"1, 2\" );\n        ");
  const std::string lib = dir + "/broken_v0p80.lib";
  std::ofstream(lib) << text;
  auto corners = *corners_;
  corners[1].std_cell_liberty = lib;
  pf::synth::SynthOptions options = *options_;
  options.work_dir = dir;
  const pf::Error error =
      expectError([&] { pf::synth::analyzeTiming(*design_, corners, *synthesis_, options); });
  EXPECT_EQ(error.id(), 5266) << error.formatted();
  EXPECT_NE(error.message().find("table row has 2 columns"), std::string::npos)
      << error.formatted();
}

TEST_F(TinyDesign, UnknownCellInNetlistIsAnOpenStaError) {
  const std::string dir = options_->work_dir + "/unknown_cell";
  std::filesystem::create_directories(dir);
  pf::synth::SynthesisResult broken = *synthesis_;
  std::string netlist = pf::readTextFile(synthesis_->sta_netlist_file);
  const size_t at = netlist.find("BUF_X4 ");
  ASSERT_NE(at, std::string::npos);
  netlist.replace(at, 7, "NO_SUCH_CELL_X9 ");
  broken.sta_netlist_file = dir + "/unknown.v";
  std::ofstream(broken.sta_netlist_file) << netlist;
  pf::synth::SynthOptions options = *options_;
  options.work_dir = dir;
  const pf::Error error =
      expectError([&] { pf::synth::analyzeTiming(*design_, *corners_, broken, options); });
  EXPECT_EQ(error.id(), 5266) << error.formatted();
  EXPECT_NE(error.message().find("NO_SUCH_CELL_X9"), std::string::npos) << error.formatted();
}

TEST(SynthErrors, UnknownSramMacroIsNamed) {
  pf::DesignSpec design = pf::readDesign(kData + "/tiny.toml");
  design.domains[2].macro = "no_such_macro";
  pf::synth::SynthOptions options;
  options.work_dir = scratchDir("bad_macro");
  const pf::Error error =
      expectError([&] { pf::synth::synthesize(design, stubCorners({"v1p10"}), options); });
  EXPECT_EQ(error.id(), 5230) << error.formatted();
  EXPECT_NE(error.message().find("'no_such_macro' is not a cell of"), std::string::npos);
  std::filesystem::remove_all(options.work_dir);
}

TEST(SynthErrors, ExplicitSramPinBindingIsChecked) {
  const pf::DesignSpec design = pf::readDesign(kData + "/tiny.toml");
  pf::synth::SynthOptions options;
  options.work_dir = scratchDir("bad_binding");
  options.sram_pins["pf40_sram_2048x64"].chip_enable = "MISSING_PIN";
  const pf::Error error =
      expectError([&] { pf::synth::synthesize(design, stubCorners({"v1p10"}), options); });
  EXPECT_EQ(error.id(), 5231) << error.formatted();
  EXPECT_NE(error.message().find("chip enable"), std::string::npos) << error.formatted();
  std::filesystem::remove_all(options.work_dir);
}

// The same tiny design, unchanged, on the second library (tests/characterize/data:
// other cell and pin names, ps and fF units, swapped table axes). altlib has no SRAM
// macros, so each corner pairs it with the stub SRAM liberty of the nearest voltage.
// LibertyScan is a view of pf::liberty::readLiberty with buses regrouped (A[0]..A[10] -> A).
TEST(SynthLibertyScan, BusesAreRegroupedAndFlagsKept) {
  const pf::synth::LibFacts sram = pf::synth::scanLiberty(kLib + "/pf40lp_sram_v1p10.lib");
  const pf::synth::LibCell *macro = sram.findCell("pf40_sram_2048x64");
  ASSERT_NE(macro, nullptr);
  EXPECT_TRUE(macro->is_macro);
  const pf::synth::LibPin *address = macro->findPin("A");
  ASSERT_NE(address, nullptr);
  EXPECT_TRUE(address->is_bus);
  EXPECT_EQ(address->width, 11);
  ASSERT_NE(macro->findPin("Q"), nullptr);
  EXPECT_EQ(macro->findPin("Q")->width, 64);
  EXPECT_EQ(macro->findPin("Q")->direction, pf::synth::LibPinDirection::Output);
  EXPECT_EQ(macro->findPin("Q[3]"), nullptr);

  const pf::synth::LibFacts std_cells = pf::synth::scanLiberty(kLib + "/pf40lp_std_v1p10.lib");
  const pf::synth::LibCell *dff = std_cells.findCell("DFFR_X1");
  ASSERT_NE(dff, nullptr);
  EXPECT_TRUE(dff->is_sequential);
  EXPECT_TRUE(dff->findPin("CK")->is_clock);
  EXPECT_TRUE(dff->findPin("RN")->is_async);
  EXPECT_FALSE(dff->findPin("D")->is_bus);
  EXPECT_TRUE(std_cells.findCell("ICG_X1")->is_special);
  EXPECT_EQ(pf::synth::findBufferCell(std_cells)->name, "BUF_X4");
  EXPECT_EQ(pf::synth::findInverterCell(std_cells)->name, "INV_X1");
  EXPECT_EQ(pf::synth::findLevelShifterCell(std_cells)->name, "LS_LH_X1");
}

TEST(SynthLibertyScan, RejectedLibraryIsNamed) {
  const std::string dir = scratchDir("scan_lib");
  const std::string lib = garbledCopy("v0p60", dir, 0, "");  // unchanged copy
  std::string text = pf::readTextFile(lib);
  text.replace(text.find("nom_voltage"), 11, "nom_voltagx");
  std::ofstream(lib) << text;
  const pf::Error error = expectError([&] { pf::synth::scanLiberty(lib); });
  EXPECT_EQ(error.id(), 5240) << error.formatted();
  EXPECT_EQ(error.loc().file, lib);
  EXPECT_NE(error.message().find("PF-5104"), std::string::npos) << error.formatted();
  EXPECT_EQ(expectError([&] { pf::synth::scanLiberty(dir + "/none.lib"); }).id(), 5253);
  std::filesystem::remove_all(dir);
}

TEST(SynthAltLibrary, TinyDesignRunsUnchangedOnAltlib) {
  const std::string alt = kSource + "/tests/characterize/data";
  if (!std::filesystem::exists(alt + "/altlib_0p90.lib")) GTEST_SKIP() << "altlib not present";
  const pf::DesignSpec design = pf::readDesign(kData + "/tiny.toml");
  const std::vector<pf::synth::LibertyCorner> corners = {
      {0.7, alt + "/altlib_0p70.lib", kLib + "/pf40lp_sram_v0p70.lib"},
      {0.9, alt + "/altlib_0p90.lib", kLib + "/pf40lp_sram_v0p90.lib"},
      {1.2, alt + "/altlib_1p20.lib", kLib + "/pf40lp_sram_v1p10.lib"}};
  pf::synth::SynthOptions options;
  options.work_dir = scratchDir("altlib");
  options.max_fanout = 8;
  const auto synthesis = pf::synth::synthesize(design, corners, options);
  const auto timing = pf::synth::analyzeTiming(design, corners, synthesis, options);
  EXPECT_EQ(synthesis.buffer_cell, "buf_x4");
  EXPECT_EQ(synthesis.level_shifter_cell, "");
  EXPECT_LE(synthesis.max_fanout_after, 8);
  std::set<std::string> allowed = libraryCells(alt + "/altlib_0p90.lib");
  allowed.insert("pf40_sram_2048x64");
  for (const auto &domain : synthesis.domains) {
    allowed.insert(domain.modules.begin(), domain.modules.end());
    EXPECT_GT(domain.area_um2, 0) << domain.domain;
  }
  for (const std::string &type : instanceTypes(pf::readTextFile(synthesis.netlist_file)))
    EXPECT_TRUE(allowed.count(type)) << "not an altlib cell: " << type;
  for (const auto &domain : timing.domains) {
    EXPECT_LT(domain.fmax_mhz[0], domain.fmax_mhz[1]) << domain.domain;
    EXPECT_LT(domain.fmax_mhz[1], domain.fmax_mhz[2]) << domain.domain;
    // Units: altlib is in ps, results are in ns; a 28 nm-class MAC is a few ns at most.
    EXPECT_GT(domain.critical_path_ns[1], 0.05) << domain.domain;
    EXPECT_LT(domain.critical_path_ns[1], 20) << domain.domain;
  }
  std::filesystem::remove_all(options.work_dir);
}

}  // namespace
