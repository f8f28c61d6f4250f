// LibertyMerge: a parse tree written back reads as the same library; a library split in two
// files and merged reads as the whole one (and so does the union of the two models); what
// cannot be merged is refused naming both files and lines; a template name with two
// meanings is renamed, an identical one given once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "characterize/liberty/Liberty.hh"
#include "characterize/liberty/LibertyMerge.hh"
#include "characterize/liberty/LibertyParser.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "tests/characterize/liberty/LibraryCompare.hh"

namespace pf::liberty {
namespace {

namespace fs = std::filesystem;
using test::expectSameLibrary;

const std::string kStubLibDir = std::string(PF_SOURCE_DIR) + "/pdk_stub/lib/";
const std::string kAltLibDir = std::string(PF_SOURCE_DIR) + "/tests/characterize/data/";
const std::string kLibcheck = std::string(PF_SOURCE_DIR) + "/tests/characterize/libcheck/";

// This process's scratch directory, removed when it ends.
fs::path scratch() {
  struct Dir {
    fs::path path = fs::temp_directory_path() / ("pf_liberty_merge_" + std::to_string(getpid()));
    ~Dir() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  fs::create_directories(dir.path);
  return dir.path;
}

// A library text as a file: its tree and its model.
struct Loaded {
  std::string path;
  LibertyGroup tree;
  Library library;
};

Loaded load(const std::string &text, const std::string &name) {
  const std::string path = (scratch() / name).string();
  writeFileAtomic(path, text);
  return {path, parseLibertyFile(path), readLiberty(path)};
}

Library readText(const std::string &text, const std::string &name) {
  return load(text, name).library;
}

std::string merge(const std::vector<const Loaded *> &files, const std::string &banner = "") {
  std::vector<MergeSource> sources;
  for (const Loaded *file : files) sources.push_back({&file->tree, &file->library});
  return mergeLibertyFiles(sources, "the test libraries", banner).text;
}

Error mergeError(const std::vector<const Loaded *> &files) {
  try {
    merge(files);
  } catch (const Error &error) {
    return error;
  }
  ADD_FAILURE() << "merged";
  return Error(0, {}, "", "");
}

// `text` (a whole library) split at cell `at`: the header and the cells before it, and the
// header (library renamed) with the cells from it on.
std::pair<std::string, std::string> split(const std::string &text, const std::string &at,
                                          const std::string &second_name) {
  const size_t first_cell = text.find("\n  cell (") + 1;
  const size_t cut = text.find("\n  cell (" + at + ")") + 1;
  const size_t end = text.rfind('}');
  std::string header = text.substr(0, first_cell);
  const size_t open = header.find("library (");
  const size_t close = header.find(')', open);
  std::string second_header = header;
  second_header.replace(open, close + 1 - open, "library (" + second_name + ")");
  return {header + text.substr(first_cell, cut - first_cell) + "}\n",
          second_header + text.substr(cut, end - cut) + "}\n"};
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(LibertyWriter, AWrittenTreeReadsAsTheSameLibrary) {
  for (const std::string &file :
       {kStubLibDir + "pf40lp_std_v1p10.lib", kStubLibDir + "pf40lp_sram_v0p60.lib",
        kAltLibDir + "altlib_0p70.lib"}) {
    SCOPED_TRACE(file);
    const std::string text = writeLibertyText(parseLibertyFile(file));
    expectSameLibrary(readText(text, "written.lib"), readLiberty(file));
    // Written again, the same bytes.
    EXPECT_EQ(writeLibertyText(parseLibertyText(text, "written.lib")), text);
  }
}

TEST(LibertyMerge, TheStubSplitInTwoMergesBackIntoTheWholeLibrary) {
  for (const std::string &file :
       {kStubLibDir + "pf40lp_std_v0p60.lib", kAltLibDir + "altlib_1p20.lib"}) {
    SCOPED_TRACE(file);
    const Library whole = readLiberty(file);
    // Flops and everything after them in the second file (altlib's flops start at dff_x1).
    const std::string flops = whole.findCell("DFF_X1") ? "DFF_X1" : "dff_x1";
    const auto [first_text, second_text] = split(readTextFile(file), flops, "second_half");
    const Loaded first = load(first_text, "first.lib"), second = load(second_text, "second.lib");
    ASSERT_LT(first.library.cells.size(), whole.cells.size());
    const std::string text = merge({&first, &second}, "/* banner */\n");
    EXPECT_EQ(text.rfind("/* banner */\nlibrary (", 0), 0u);
    expectSameLibrary(readText(text, "merged.lib"), whole);
    expectSameLibrary(unionOfLibraries({&first.library, &second.library}), whole);
    // Every template once: the second file's identical ones are not repeated.
    const auto templates = [](const std::string &library) {
      size_t count = 0;
      for (size_t at = library.find("_template ("); at != std::string::npos;
           at = library.find("_template (", at + 1))
        ++count;
      return count;
    };
    EXPECT_EQ(templates(text), templates(readTextFile(file)));
    EXPECT_GT(templates(text), 0u);
  }
}

// lc_v0p80.lib's header, lc_comb_v0p80.lib and lc_seq_v0p80.lib (tests/characterize/libcheck)
// with one thing changed in the second.
struct Halves {
  std::string comb = readTextFile(kLibcheck + "lc_comb_v0p80.lib");
  std::string seq = readTextFile(kLibcheck + "lc_seq_v0p80.lib");
};

int lineOf(const std::string &text, const std::string &needle) {
  return int(std::count(text.begin(), text.begin() + std::ptrdiff_t(text.find(needle)), '\n')) + 1;
}

TEST(LibertyMerge, WhatCannotBeOneLibraryIsRefusedNamingBothFiles) {
  const Halves halves;
  const Loaded comb = load(halves.comb, "comb.lib");
  struct Case {
    std::string seq, what;
    int id;
    std::string field, needle;  // the refusal's field and the text of its line in seq
  };
  const std::vector<Case> cases = {
      {replaced(halves.seq, "cell (DFF_X1)", "cell (INV_X1)"), "a cell in both", 5071, "cell",
       "cell (INV_X1)"},
      {replaced(halves.seq, "time_unit : \"1ns\";", "time_unit : \"1ps\";"), "time unit", 5064,
       "time_unit", "time_unit"},
      {replaced(halves.seq, "capacitive_load_unit (1, pf);", "capacitive_load_unit (1, ff);"),
       "capacitance unit", 5064, "capacitive_load_unit", "capacitive_load_unit"},
      {replaced(halves.seq, "nom_temperature : 25;", "nom_temperature : 125;"), "temperature", 5065,
       "nom_temperature", "nom_temperature"},
      {replaced(halves.seq, "default_input_pin_cap : 0.001;", "default_input_pin_cap : 0.002;"),
       "a header default", 5066, "default_input_pin_cap", "default_input_pin_cap"},
      {replaced(halves.seq, "default_input_pin_cap : 0.001;\n", ""), "a header default missing",
       5066, "default_input_pin_cap", "library ("},
      {replaced(halves.seq, "voltage_map (VSS, 0);", "voltage_map (VSS, 0.1);"), "a supply", 5073,
       "voltage_map(VSS)", "voltage_map (VSS"},
      {replaced(halves.seq, "  lu_table_template",
                "  type (bus4) { base_type : array; "
                "data_type : bit; bit_width : 4; bit_from : 3; "
                "bit_to : 0; }\n  lu_table_template"),
       "nothing to collide with", 0, "", ""},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.what);
    const Loaded seq = load(c.seq, "seq.lib");
    if (c.id == 0) {
      EXPECT_NO_THROW(merge({&comb, &seq}));
      continue;
    }
    const Error error = mergeError({&comb, &seq});
    EXPECT_EQ(error.id(), c.id) << error.formatted();
    EXPECT_EQ(error.loc().file, seq.path) << error.formatted();
    EXPECT_EQ(error.loc().line, lineOf(c.seq, c.needle)) << error.formatted();
    EXPECT_EQ(error.field(), c.field) << error.formatted();
    EXPECT_NE(error.message().find(comb.path), std::string::npos) << error.formatted();
    EXPECT_NE(error.message().find(seq.path), std::string::npos) << error.formatted();
  }
  // Units are compared as quantities: 1000ps is 1ns.
  const Loaded ps =
      load(replaced(halves.seq, "time_unit : \"1ns\";", "time_unit : \"1000ps\";"), "seq_ps.lib");
  EXPECT_NO_THROW(merge({&comb, &ps}));
  // A named group other than a template, of one name and other contents: refused.
  const std::string with_conditions =
      "  operating_conditions (typ) { process : 1; voltage : 0.8; temperature : 25; }\n"
      "  lu_table_template";
  const Loaded comb_oc =
      load(replaced(halves.comb, "  lu_table_template", with_conditions), "comb_oc.lib");
  const std::string seq_oc_text =
      replaced(halves.seq, "  lu_table_template",
               "  operating_conditions (typ) { process : 1; voltage : 0.8; temperature : 125; }\n"
               "  lu_table_template");
  const Loaded seq_oc = load(seq_oc_text, "seq_oc.lib");
  const Error error = mergeError({&comb_oc, &seq_oc});
  EXPECT_EQ(error.id(), 5067) << error.formatted();
  EXPECT_EQ(error.loc().line, lineOf(seq_oc_text, "operating_conditions")) << error.formatted();
  // The same group in both is given once.
  const Loaded seq_same =
      load(replaced(halves.seq, "  lu_table_template", with_conditions), "seq_same.lib");
  const std::string text = merge({&comb_oc, &seq_same});
  EXPECT_EQ(text.find("operating_conditions (typ)"), text.rfind("operating_conditions (typ)"));
}

TEST(LibertyMerge, ATemplateOnlyTheSecondFileHasComesBeforeItsCells) {
  const Halves halves;
  const Loaded comb = load(halves.comb, "comb.lib");
  // The flop's tables in a template of its own, which the first file does not have.
  std::string seq_text = replaced(halves.seq, "  power_lut_template",
                                  "  lu_table_template (flop_2x2) {\n"
                                  "    variable_1 : input_net_transition;\n"
                                  "    variable_2 : total_output_net_capacitance;\n"
                                  "    index_1 (\"0.05, 0.5\");\n"
                                  "    index_2 (\"0.001, 0.01\");\n"
                                  "  }\n  power_lut_template");
  for (int i = 0; i < 4; ++i)
    seq_text = replaced(seq_text, "(delay_2x2) { values", "(flop_2x2) { values");
  const Loaded seq = load(seq_text, "seq.lib");
  const std::string text = merge({&comb, &seq});
  EXPECT_LT(text.find("lu_table_template (flop_2x2)"), text.find("cell (INV_X1)"));
  const Library merged = readText(text, "merged.lib");
  EXPECT_EQ(merged.findCell("DFF_X1")->findPin("Q")->timing[0].cell_rise_ns.index_1,
            (std::vector<double>{0.05, 0.5}));
  EXPECT_EQ(merged.findCell("INV_X1")->findPin("Y")->timing[0].cell_rise_ns.index_1,
            (std::vector<double>{0.02, 0.2}));
}

}  // namespace
}  // namespace pf::liberty
