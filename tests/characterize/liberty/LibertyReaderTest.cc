// readLiberty: every shipped library (pdk_stub and the second-convention test library)
// reads, values agree with the file text after unit conversion, buses expand, sequential
// and special cells are recognized, and bad input stops with a located PF-51xx error.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "characterize/liberty/Liberty.hh"
#include "core/Error.hh"
#include "core/Files.hh"

namespace pf::liberty {
namespace {

namespace fs = std::filesystem;

const std::string kStubDir = std::string(PF_SOURCE_DIR) + "/pdk_stub/lib/";
const std::string kAltDir = std::string(PF_SOURCE_DIR) + "/tests/characterize/data/";

std::vector<std::string> libertyFiles(const std::string &dir) {
  std::vector<std::string> files;
  for (const auto &entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".lib") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// The number after `key :` following the first occurrence of `anchor` in the file text.
double numberAfter(const std::string &text, const std::string &anchor, const std::string &key) {
  size_t at = text.find(anchor);
  EXPECT_NE(at, std::string::npos) << anchor;
  std::smatch match;
  std::string rest = text.substr(at);
  EXPECT_TRUE(std::regex_search(rest, match, std::regex(key + R"( : ([-0-9.eE+]+);)"))) << key;
  return std::stod(match[1]);
}

// V from a file name such as pf40lp_std_v0p90.lib or altlib_1p20.lib.
double voltageFromName(const std::string &path) {
  std::smatch match;
  std::string name = fs::path(path).stem().string();
  EXPECT_TRUE(std::regex_search(name, match, std::regex(R"((\d)p(\d\d)$)"))) << name;
  return std::stoi(match[1]) + std::stoi(match[2]) / 100.0;
}

TEST(LibertyReader, ReadsEveryShippedLibrary) {
  std::vector<std::string> files = libertyFiles(kStubDir);
  for (const std::string &file : libertyFiles(kAltDir)) files.push_back(file);
  ASSERT_GE(files.size(), 15u);
  for (const std::string &file : files) {
    SCOPED_TRACE(file);
    Library library = readLiberty(file);
    std::string text = pf::readTextFile(file);
    const std::regex cell_header(R"(\n  cell \()");
    std::ptrdiff_t cells = std::distance(
        std::sregex_iterator(text.begin(), text.end(), cell_header), std::sregex_iterator());
    EXPECT_EQ(static_cast<std::ptrdiff_t>(library.cells.size()), cells);
    EXPECT_EQ(library.name, fs::path(file).stem().string());
    EXPECT_EQ(library.source_file, file);
    EXPECT_NEAR(library.nominal_voltage_v, voltageFromName(file), 1e-12);
    EXPECT_DOUBLE_EQ(library.temperature_c, 25);
    EXPECT_GT(library.default_input_transition_ns, 0);
    for (const Cell &cell : library.cells) {
      EXPECT_GT(cell.area_um2, 0) << cell.name;
      EXPECT_GT(cell.leakage_power_nw, 0) << cell.name;
      EXPECT_FALSE(cell.outputs().empty()) << cell.name;
    }
  }
}

// Leakage is a sum of cell_leakage_power: the model's sum equals the sum over the file
// text, in nW (the alt library writes pW).
TEST(LibertyReader, LeakageMatchesSumOfCellLeakagePower) {
  for (const auto &[file, scale_to_nw] : {std::pair{kStubDir + "pf40lp_std_v0p90.lib", 1.0},
                                          std::pair{kStubDir + "pf40lp_sram_v0p60.lib", 1.0},
                                          std::pair{kAltDir + "altlib_1p20.lib", 1e-3}}) {
    SCOPED_TRACE(file);
    std::string text = pf::readTextFile(file);
    double file_sum = 0;
    std::regex leakage(R"(cell_leakage_power : ([-0-9.eE+]+);)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), leakage);
         it != std::sregex_iterator(); ++it)
      file_sum += std::stod((*it)[1]) * scale_to_nw;
    double model_sum = 0;
    for (const Cell &cell : readLiberty(file).cells) model_sum += cell.leakage_power_nw;
    EXPECT_GT(file_sum, 0);
    EXPECT_NEAR(model_sum, file_sum, 1e-9 * file_sum);
  }
}

TEST(LibertyReader, StubValuesMatchTheFileText) {
  const std::string file = kStubDir + "pf40lp_std_v0p90.lib";
  const std::string text = pf::readTextFile(file);
  Library library = readLiberty(file);
  const Cell *inv = library.findCell("INV_X1");
  ASSERT_NE(inv, nullptr);
  EXPECT_EQ(library.findCell("inv_x1"), nullptr);
  EXPECT_DOUBLE_EQ(inv->area_um2, numberAfter(text, "cell (INV_X1)", "area"));
  EXPECT_DOUBLE_EQ(inv->leakage_power_nw, numberAfter(text, "cell (INV_X1)", "cell_leakage_power"));
  const Pin *a = inv->findPin("A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->direction, PinDirection::Input);
  EXPECT_DOUBLE_EQ(a->capacitance_pf, numberAfter(text, "cell (INV_X1)", "capacitance"));
  const Pin *y = inv->findPin("Y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->function, "!A");
  ASSERT_EQ(inv->inputs().size(), 1u);
  ASSERT_EQ(inv->outputs().size(), 1u);
  ASSERT_EQ(y->timing.size(), 1u);
  const TimingArc &arc = y->timing[0];
  EXPECT_EQ(arc.related_pin, "A");
  EXPECT_EQ(arc.timing_type, "combinational");
  EXPECT_EQ(arc.timing_sense, "negative_unate");
  const Table &rise = arc.cell_rise_ns;
  EXPECT_EQ(rise.variable_1, TableVariable::InputTransitionNs);
  EXPECT_EQ(rise.variable_2, TableVariable::OutputLoadPf);
  ASSERT_EQ(rise.index_1.size(), 5u);
  ASSERT_EQ(rise.values.size(), 25u);
  // First value of the first cell_rise table in the file, at (index_1[0], index_2[0]).
  std::smatch match;
  std::string from_inv = text.substr(text.find("cell (INV_X1)"));
  ASSERT_TRUE(std::regex_search(from_inv, match, std::regex(R"(cell_rise[^"]*"([-0-9.eE+]+),)")));
  EXPECT_DOUBLE_EQ(rise.values[0], std::stod(match[1]));
  EXPECT_DOUBLE_EQ(rise.lookup(rise.index_1[0], rise.index_2[0]), rise.values[0]);
  ASSERT_EQ(y->internal_power.size(), 1u);
  EXPECT_EQ(y->internal_power[0].related_pin, "A");
  ASSERT_TRUE(std::regex_search(from_inv, match, std::regex(R"(rise_power[^"]*"([-0-9.eE+]+),)")));
  EXPECT_DOUBLE_EQ(y->internal_power[0].rise_energy_pj.values[0], std::stod(match[1]));  // pF*V^2
}

TEST(LibertyReader, StubSequentialAndSpecialCells) {
  Library library = readLiberty(kStubDir + "pf40lp_std_v0p60.lib");
  const Cell *dffr = library.findCell("DFFR_X1");
  ASSERT_NE(dffr, nullptr);
  ASSERT_TRUE(dffr->sequential.has_value());
  EXPECT_FALSE(dffr->sequential->is_latch);
  EXPECT_EQ(dffr->sequential->state_var, "IQ");
  EXPECT_EQ(dffr->sequential->state_var_inv, "IQN");
  EXPECT_EQ(dffr->sequential->clocked_on, "CK");
  EXPECT_EQ(dffr->sequential->next_state, "D");
  EXPECT_EQ(dffr->sequential->clear, "!RN");
  EXPECT_TRUE(dffr->findPin("CK")->is_clock);
  const Pin *d = dffr->findPin("D");
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->timing.size(), 2u);
  EXPECT_EQ(d->timing[0].timing_type, "setup_rising");
  EXPECT_EQ(d->timing[0].rise_constraint_ns.variable_1, TableVariable::ConstrainedPinTransitionNs);
  EXPECT_EQ(d->timing[0].rise_constraint_ns.variable_2, TableVariable::RelatedPinTransitionNs);
  ASSERT_EQ(d->internal_power.size(), 1u);
  EXPECT_TRUE(d->internal_power[0].related_pin.empty());
  EXPECT_EQ(d->internal_power[0].rise_energy_pj.index_2.size(), 0u);  // 1-D energy_slew
  EXPECT_EQ(library.findCell("DFFS_X1")->sequential->preset, "!SN");

  const Cell *icg = library.findCell("ICG_X1");
  ASSERT_NE(icg, nullptr);
  EXPECT_TRUE(icg->is_clock_gating_cell);
  ASSERT_TRUE(icg->sequential.has_value());
  EXPECT_TRUE(icg->sequential->is_latch);
  EXPECT_EQ(icg->sequential->clocked_on, "!CK");
  EXPECT_EQ(icg->sequential->next_state, "E");

  EXPECT_TRUE(library.findCell("ISO_AND_X1")->is_isolation_cell);
  EXPECT_TRUE(library.findCell("ISO_AND_X1")->dont_use);
  EXPECT_TRUE(library.findCell("LS_LH_X1")->is_level_shifter);
  EXPECT_TRUE(library.findCell("HEADSW_X1")->is_power_switch);
  EXPECT_FALSE(library.findCell("NAND2_X1")->dont_use);
  EXPECT_FALSE(library.findCell("NAND2_X1")->sequential.has_value());
  EXPECT_DOUBLE_EQ(library.supply_voltages_v.at("VDDL"), 0.6);
  // The level shifter's primary_power VDDL is not the cells' main supply.
  EXPECT_EQ(library.main_supply, "VDD");
  EXPECT_EQ(library.nominal_process, 1.0);
  EXPECT_EQ(library.nominal_temperature_c, 25.0);
  EXPECT_EQ(library.line, 7);
  EXPECT_EQ(library.nominal_voltage_line, 18);
  EXPECT_EQ(library.nominal_temperature_line, 19);
  EXPECT_EQ(library.supply_voltage_lines.at("VDD"), 36);
}

TEST(LibertyReader, SramBusesExpandToBitPins) {
  const std::string file = kStubDir + "pf40lp_sram_v1p10.lib";
  const std::string text = pf::readTextFile(file);
  Library library = readLiberty(file);
  const Cell *sram = library.findCell("pf40_sram_2048x64");
  ASSERT_NE(sram, nullptr);
  EXPECT_TRUE(sram->is_macro);
  EXPECT_TRUE(sram->dont_use);
  EXPECT_DOUBLE_EQ(sram->leakage_power_nw,
                   numberAfter(text, "cell (pf40_sram_2048x64)", "cell_leakage_power"));
  // 11 address + 64 data in + 64 data out + CE, WE, CLK
  EXPECT_EQ(sram->pins.size(), 11u + 64u + 64u + 3u);
  EXPECT_EQ(sram->inputs().size(), 11u + 64u + 3u);
  EXPECT_EQ(sram->outputs().size(), 64u);
  EXPECT_NE(sram->findPin("A[10]"), nullptr);
  EXPECT_NE(sram->findPin("A[0]"), nullptr);
  EXPECT_EQ(sram->findPin("A[11]"), nullptr);
  EXPECT_EQ(sram->findPin("A"), nullptr);
  const Pin *q63 = sram->findPin("Q[63]");
  ASSERT_NE(q63, nullptr);
  EXPECT_EQ(q63->direction, PinDirection::Output);
  ASSERT_EQ(q63->timing.size(), 1u);
  EXPECT_EQ(q63->timing[0].timing_type, "rising_edge");
  EXPECT_EQ(q63->timing[0].related_pin, "CLK");
  EXPECT_GT(q63->timing[0].cell_rise_ns.lookup(0.05, 0.01), 0);
  EXPECT_DOUBLE_EQ(sram->findPin("D[5]")->capacitance_pf, 0.002);
  const Pin *clk = sram->findPin("CLK");
  ASSERT_NE(clk, nullptr);
  EXPECT_TRUE(clk->is_clock);
  ASSERT_EQ(clk->internal_power.size(), 3u);
  EXPECT_EQ(clk->internal_power[0].when, "CE & !WE");
  EXPECT_EQ(clk->internal_power[1].when, "CE & WE");
  EXPECT_GT(clk->internal_power[1].rise_energy_pj.lookup(0.05, 0),
            clk->internal_power[0].rise_energy_pj.lookup(0.05, 0));  // write > read
  EXPECT_NE(library.findCell("pf40_sram_256x512")->findPin("Q[511]"), nullptr);
}

// The second naming convention: ps / fF / pW units and load-first delay tables.
TEST(LibertyReader, AltLibraryUnitsAndSwappedAxes) {
  Library library = readLiberty(kAltDir + "altlib_0p90.lib");
  const Cell *inv = library.findCell("inv_x1");
  ASSERT_NE(inv, nullptr);
  EXPECT_DOUBLE_EQ(inv->area_um2, 0.367);
  EXPECT_DOUBLE_EQ(inv->leakage_power_nw, 0.014);                // 14 pW
  EXPECT_DOUBLE_EQ(inv->findPin("a")->capacitance_pf, 0.00055);  // 0.55 fF
  EXPECT_DOUBLE_EQ(library.default_input_transition_ns, 0.005);  // first slew index, 5 ps
  const Pin *z = inv->findPin("z");
  ASSERT_NE(z, nullptr);
  const Table &rise = z->timing.at(0).cell_rise_ns;
  EXPECT_EQ(rise.variable_1, TableVariable::OutputLoadPf);
  EXPECT_EQ(rise.variable_2, TableVariable::InputTransitionNs);
  EXPECT_DOUBLE_EQ(rise.index_1[0], 0.0005);  // 0.5 fF
  EXPECT_DOUBLE_EQ(rise.index_2[4], 0.7);     // 700 ps
  EXPECT_DOUBLE_EQ(rise.values[0], 0.00835);  // 8.35 ps
  // Row load 2 fF, column slew 25 ps holds 19.5 ps; lookup takes (slew, load).
  EXPECT_NEAR(rise.lookup(0.025, 0.002), 0.0195, 1e-12);
  // Halfway between loads 2 and 5 fF at slew 25 ps: (19.5 + 33) / 2 ps.
  EXPECT_NEAR(rise.lookup(0.025, 0.0035), 0.02625, 1e-12);
  const Table &energy = z->internal_power.at(0).rise_energy_pj;
  EXPECT_EQ(energy.variable_1, TableVariable::InputTransitionNs);
  EXPECT_DOUBLE_EQ(energy.values[0], 0.29114e-3);  // 0.29114 fF*V^2 = fJ
  // inv_x4 overrides the template's load index inside its tables.
  const Table &x4 = library.findCell("inv_x4")->findPin("z")->timing.at(0).cell_fall_ns;
  EXPECT_DOUBLE_EQ(x4.index_1[0], 0.001);
  EXPECT_DOUBLE_EQ(x4.index_1[4], 0.06);
  const Table &x4_energy =
      library.findCell("inv_x4")->findPin("z")->internal_power[0].fall_energy_pj;
  EXPECT_DOUBLE_EQ(x4_energy.index_2[4], 0.06);
}

TEST(LibertyReader, AltLibraryCellsAndPins) {
  Library library = readLiberty(kAltDir + "altlib_0p70.lib");
  const Cell *dff = library.findCell("dffrn_x1");
  ASSERT_NE(dff, nullptr);
  for (const char *pin : {"d", "clk", "rst_n", "q"}) EXPECT_NE(dff->findPin(pin), nullptr) << pin;
  EXPECT_EQ(dff->sequential->clear, "!rst_n");
  EXPECT_EQ(dff->sequential->clocked_on, "clk");
  const Pin *q = dff->findPin("q");
  ASSERT_EQ(q->timing.size(), 2u);
  EXPECT_EQ(q->timing[1].timing_type, "clear");
  EXPECT_TRUE(q->timing[1].cell_rise_ns.empty());
  EXPECT_FALSE(q->timing[1].cell_fall_ns.empty());
  const Table &setup = dff->findPin("d")->timing[0].rise_constraint_ns;
  EXPECT_EQ(setup.variable_1, TableVariable::RelatedPinTransitionNs);
  EXPECT_EQ(setup.variable_2, TableVariable::ConstrainedPinTransitionNs);
  EXPECT_TRUE(library.findCell("lat_x1")->sequential->is_latch);
  EXPECT_EQ(library.findCell("lat_x1")->sequential->clocked_on, "en");
  EXPECT_TRUE(library.findCell("icg_x1")->is_clock_gating_cell);
  const Cell *mux = library.findCell("mx2_x1");
  EXPECT_EQ(mux->findPin("y")->function, "(a & !s) | (b & s)");
  EXPECT_EQ(mux->inputs().size(), 3u);
  EXPECT_EQ(mux->findPin("y")->internal_power.size(), 3u);
}

// Across the corners of one library: delay falls, internal energy and leakage rise with V.
TEST(LibertyReader, AltLibraryTrendsAcrossVoltages) {
  std::vector<Library> corners;
  for (const char *name : {"altlib_0p70.lib", "altlib_0p90.lib", "altlib_1p20.lib"})
    corners.push_back(readLiberty(kAltDir + name));
  for (const Cell &cell : corners[0].cells) {
    SCOPED_TRACE(cell.name);
    for (size_t i = 1; i < corners.size(); ++i) {
      const Cell *low = corners[i - 1].findCell(cell.name);
      const Cell *high = corners[i].findCell(cell.name);
      ASSERT_NE(high, nullptr);
      EXPECT_GT(high->leakage_power_nw, low->leakage_power_nw);
      for (const Pin *out : low->outputs()) {
        const Pin *out_high = high->findPin(out->name);
        for (size_t k = 0; k < out->timing.size(); ++k) {
          const Table &a = out->timing[k].cell_fall_ns.empty() ? out->timing[k].cell_rise_ns
                                                               : out->timing[k].cell_fall_ns;
          const Table &b = out_high->timing[k].cell_fall_ns.empty()
                               ? out_high->timing[k].cell_rise_ns
                               : out_high->timing[k].cell_fall_ns;
          EXPECT_LT(b.lookup(0.03, 0.004), a.lookup(0.03, 0.004));
        }
        for (size_t k = 0; k < out->internal_power.size(); ++k)
          EXPECT_GT(out_high->internal_power[k].rise_energy_pj.lookup(0.03, 0.004),
                    out->internal_power[k].rise_energy_pj.lookup(0.03, 0.004));
      }
    }
  }
}

// ---- bad input ------------------------------------------------------------------------

class LibertyReaderErrors : public ::testing::Test {
 protected:
  std::string write(const std::string &name, const std::string &text) {
    fs::path dir = fs::path(::testing::TempDir()) / "pf_liberty_reader";
    fs::create_directories(dir);
    std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  }

  pf::Error readError(const std::string &path) {
    try {
      readLiberty(path);
    } catch (const pf::Error &error) {
      return error;
    }
    ADD_FAILURE() << "no error for " << path;
    return pf::Error(0, {}, "", "");
  }

  // A minimal valid library around `body` (starting on line 9) with `header` lines first.
  static std::string libText(const std::string &body,
                             const std::string &header = "  nom_voltage : 0.9;\n") {
    return "library (t) {\n"
           "  time_unit : \"1ns\";\n"
           "  leakage_power_unit : \"1nW\";\n"
           "  capacitive_load_unit (1, pf);\n" +
           header +
           "  lu_table_template (t2x2) {\n"
           "    variable_1 : input_net_transition; variable_2 : total_output_net_capacitance;\n"
           "    index_1 (\"0.1, 0.2\"); index_2 (\"0.01, 0.02\"); }\n" +
           body + "}\n";
  }

  static std::string cellWithTable(const std::string &table) {
    return "  cell (c) {\n"
           "    area : 1; cell_leakage_power : 2;\n"
           "    pin (a) { direction : input; capacitance : 0.001; }\n"
           "    pin (z) { direction : output; function : \"!a\";\n"
           "      timing () { related_pin : \"a\";\n" +
           table + "      }\n    }\n  }\n";
  }
};

TEST_F(LibertyReaderErrors, ValidMinimalLibraryReads) {
  Library library = readLiberty(
      write("ok.lib", libText(cellWithTable("        cell_rise (t2x2) { values (\"1, 2\", "
                                            "\"3, 4\"); }\n"))));
  EXPECT_DOUBLE_EQ(library.findCell("c")->findPin("z")->timing[0].cell_rise_ns.lookup(0.15, 0.015),
                   2.5);
}

TEST_F(LibertyReaderErrors, MissingFileNamesTheFile) {
  const std::string path = "/nonexistent/dir/no.lib";
  pf::Error error = readError(path);
  EXPECT_EQ(error.loc().file, path);
  EXPECT_NE(std::string(error.what()).find(path), std::string::npos);
}

TEST_F(LibertyReaderErrors, GarbledSyntaxHasTheRightLine) {
  std::string text =
      libText("  cell (c) {\n    area : 1\n    pin (a) { direction : input; }\n  }\n");
  std::string path = write("garbled.lib", text);
  pf::Error error = readError(path);
  EXPECT_EQ(error.id(), 5101);
  EXPECT_EQ(error.loc().file, path);
  EXPECT_EQ(error.loc().line, 10);
  EXPECT_NE(error.message().find("expected ';' after attribute 'area'"), std::string::npos);

  pf::Error binary = readError(write("binary.lib", std::string("\x7f"
                                                               "ELF\x01\x01{{\n",
                                                               9)));
  EXPECT_EQ(binary.id(), 5110);
  EXPECT_EQ(binary.loc().line, 1);
  EXPECT_NE(binary.message().find("binary file"), std::string::npos) << binary.formatted();
  EXPECT_NE(binary.message().find("\\x7fELF\\x01\\x01{{"), std::string::npos) << binary.formatted();
}

TEST_F(LibertyReaderErrors, BinaryBytesAreLocatedAndEscaped) {
  // Corruption in the middle of an attribute: its line, column and name, the line quoted.
  using namespace std::string_literals;  // the text holds a NUL
  std::string text = libText("", "  nom_voltage : 0.9;\n  nom_temperature : 2\x00\x03\x1b;\n"s);
  pf::Error error = readError(write("corrupt.lib", text));
  EXPECT_EQ(error.id(), 5110);
  EXPECT_EQ(error.loc().line, 6);
  EXPECT_EQ(error.loc().column, 22);
  EXPECT_EQ(error.field(), "nom_temperature");
  EXPECT_NE(error.message().find("control byte 0x00 at offset"), std::string::npos)
      << error.formatted();
  EXPECT_NE(error.message().find("nom_temperature : 2\\x00\\x03\\x1b;"), std::string::npos)
      << error.formatted();
  EXPECT_EQ(error.formatted().find('\x1b'), std::string::npos) << "raw control byte printed";

  // A compressed library is named as such.
  error = readError(write("gz.lib", std::string("\x1f\x8b\x08\x00\x00\x00", 6)));
  EXPECT_EQ(error.id(), 5110);
  EXPECT_EQ(error.loc().line, 1);
  EXPECT_NE(error.message().find("gzip-compressed"), std::string::npos) << error.formatted();
}

TEST_F(LibertyReaderErrors, EmptyAndCommentOnlyFilesAreEmpty) {
  for (const std::string &text :
       {std::string(), std::string("\n  \n"), std::string("/* a header, nothing else */\n")}) {
    pf::Error error = readError(write("empty.lib", text));
    EXPECT_EQ(error.id(), text.empty() ? 5111 : 5112) << error.formatted();
    EXPECT_EQ(error.loc().line, 1);
    EXPECT_EQ(error.field(), "library");
    EXPECT_NE(error.message().find("is empty"), std::string::npos) << error.formatted();
  }
  pf::Error error = readError(write("outside.lib", libText("") + "  stray : 1;\n"));
  EXPECT_EQ(error.id(), 5102);
  EXPECT_EQ(error.field(), "stray");
}

TEST_F(LibertyReaderErrors, TruncatedFileNamesTheOpenGroups) {
  const std::string whole =
      libText(cellWithTable("        cell_rise (t2x2) { values (\"1, 2\", \"3, 4\"); }\n"));
  // Cut inside the timing group of pin z of cell c (line 13, "timing () {").
  const std::string cut = whole.substr(0, whole.find("cell_rise"));
  pf::Error error = readError(write("truncated.lib", cut));
  EXPECT_EQ(error.id(), 5101);
  EXPECT_EQ(error.field(), "timing");
  EXPECT_EQ(error.loc().line, 14);
  EXPECT_NE(error.message().find("missing '}' for group 'timing' opened at line 13 (inside pin "
                                 "(z) at line 12, cell (c) at line 9, library (t) at line 1): the "
                                 "file ends inside it (truncated?)"),
            std::string::npos)
      << error.formatted();
}

TEST_F(LibertyReaderErrors, TableValuesMustMatchIndices) {
  std::string path =
      write("shape.lib", libText(cellWithTable("        cell_rise (t2x2) {\n"
                                               "          values (\"1, 2\", \"3, 4, 5\"); }\n")));
  pf::Error error = readError(path);
  EXPECT_EQ(error.id(), 5106);
  EXPECT_EQ(error.loc().file, path);
  EXPECT_EQ(error.loc().line, 15);
  EXPECT_EQ(error.field(), "cell_rise");
  EXPECT_NE(error.message().find("5 values"), std::string::npos) << error.what();

  // An index_1 override with three points no longer fits four values.
  error = readError(write(
      "override.lib", libText(cellWithTable("        cell_rise (t2x2) { index_1 (\"1, 2, 3\");\n"
                                            "          values (\"1, 2\", \"3, 4\"); }\n"))));
  EXPECT_EQ(error.id(), 5106);
  EXPECT_NE(error.message().find("3 x 2"), std::string::npos) << error.what();

  error = readError(
      write("nan.lib", libText(cellWithTable("        cell_rise (t2x2) {\n"
                                             "          values (\"1, 2\", \"3, x4\"); }\n"))));
  EXPECT_EQ(error.id(), 5118);
  EXPECT_EQ(error.loc().line, 15);
  EXPECT_NE(error.message().find("'x4' is not a number"), std::string::npos) << error.what();
}

TEST_F(LibertyReaderErrors, MissingNomVoltage) {
  std::string path = write("novolt.lib", libText("", ""));
  pf::Error error = readError(path);
  EXPECT_EQ(error.id(), 5104);
  EXPECT_EQ(error.loc().file, path);
  EXPECT_NE(error.message().find("no supply voltage"), std::string::npos);
}

TEST_F(LibertyReaderErrors, UnknownTemplate) {
  pf::Error error = readError(
      write("template.lib", libText(cellWithTable("        cell_rise (delay_7x7) {\n"
                                                  "          values (\"1, 2\", \"3, 4\"); }\n"))));
  EXPECT_EQ(error.id(), 5105);
  EXPECT_EQ(error.loc().line, 14);
  EXPECT_NE(error.message().find("unknown table template 'delay_7x7'"), std::string::npos);
}

TEST_F(LibertyReaderErrors, UnitsAndStructure) {
  pf::Error error = readError(write("nocap.lib",
                                    "library (t) {\n  nom_voltage : 1;\n"
                                    "  leakage_power_unit : \"1nW\";\n}\n"));
  EXPECT_EQ(error.id(), 5116);
  EXPECT_EQ(error.field(), "capacitive_load_unit");

  error = readError(write("badunit.lib", "library (t) {\n  time_unit : \"1parsec\";\n}\n"));
  EXPECT_EQ(error.id(), 5103);
  EXPECT_EQ(error.field(), "time_unit");

  error = readError(write("notlib.lib", "cell (x) { }\n"));
  EXPECT_EQ(error.id(), 5113);

  error =
      readError(write("bus.lib", libText("  cell (m) { area : 1;\n"
                                         "    bus (d) { bus_type : nowhere; direction : input; }\n"
                                         "  }\n")));
  EXPECT_EQ(error.id(), 5108);
  EXPECT_EQ(error.loc().line, 10);

  error = readError(write("dir.lib", libText("  cell (m) { area : 1;\n"
                                             "    pin (a) { direction : sideways; }\n  }\n")));
  EXPECT_EQ(error.id(), 5107);
  EXPECT_EQ(error.field(), "direction");

  error = readError(
      write("twice.lib", libText("  cell (m) { area : 1; }\n  cell (m) { area : 2; }\n")));
  EXPECT_EQ(error.id(), 5109);
}

// Units scale: 10ps time unit and a microwatt leakage unit, cell-local ascending bus type,
// bit-level pin override, scalar table, multi-pin related_pin.
TEST_F(LibertyReaderErrors, OtherUnitsLocalBusTypesAndScalarTables) {
  Library library = readLiberty(write(
      "units.lib",
      "library (u) {\n"
      "  time_unit : \"10ps\"; leakage_power_unit : \"1uW\"; voltage_unit : \"1mV\";\n"
      "  capacitive_load_unit (1, ff); nom_voltage : 800;\n"
      "  cell (rf) { area : 3; cell_leakage_power : 0.5;\n"
      "    type (w4) { base_type : array; data_type : bit; bit_width : 4; bit_from : 0;\n"
      "                bit_to : 3; downto : false; }\n"
      "    pin (clk) { direction : input; clock : true; rise_capacitance : 1;\n"
      "                fall_capacitance : 3; }\n"
      "    bus (q) { bus_type : w4; direction : output;\n"
      "      timing () { related_pin : \"clk en\"; timing_type : rising_edge;\n"
      "        cell_rise (scalar) { values (\"7\"); } }\n"
      "      internal_power () { related_pin : \"clk\"; power (scalar) { values (\"2\"); } }\n"
      "      pin (q[2]) { max_capacitance : 1; timing () { related_pin : \"clk\";\n"
      "        cell_fall (scalar) { values (\"9\"); } } }\n"
      "    }\n"
      "  }\n"
      "}\n"));
  EXPECT_DOUBLE_EQ(library.nominal_voltage_v, 0.8);
  const Cell &rf = library.cells.at(0);
  EXPECT_DOUBLE_EQ(rf.leakage_power_nw, 500);
  EXPECT_DOUBLE_EQ(rf.findPin("clk")->capacitance_pf, 0.002);  // mean of rise/fall, fF -> pF
  ASSERT_EQ(rf.pins.size(), 5u);
  EXPECT_EQ(rf.pins[1].name, "q[0]");
  EXPECT_EQ(rf.pins[4].name, "q[3]");
  const Pin *q1 = rf.findPin("q[1]");
  ASSERT_EQ(q1->timing.size(), 2u);  // "clk en" -> two arcs
  EXPECT_EQ(q1->timing[1].related_pin, "en");
  EXPECT_DOUBLE_EQ(q1->timing[0].cell_rise_ns.lookup(1, 1), 0.07);  // 7 x 10 ps
  // 2 fF * (1 mV)^2 = 2e-3 * 1e-6 pJ
  EXPECT_DOUBLE_EQ(q1->internal_power.at(0).fall_energy_pj.values.at(0), 2e-9);
  EXPECT_EQ(rf.findPin("q[2]")->timing.size(), 3u);
  EXPECT_DOUBLE_EQ(rf.findPin("q[2]")->timing[2].cell_fall_ns.values[0], 0.09);
}

}  // namespace
}  // namespace pf::liberty
