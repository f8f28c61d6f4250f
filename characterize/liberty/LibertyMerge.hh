// Several liberty files as one library: what a corner that ships its cells split over
// several files (combinational cells in one, flops in another, ...) becomes for the tools,
// and for the project's own model.
//
// Yosys 0.23 maps onto one file: `dfflibmap -liberty` and `abc -liberty` keep only one of
// several `-liberty` options, without a word (docs/characterize.md, "Several files per
// corner"). So the files of a corner are checked to be parts of one library and merged
// into one text, which every tool then reads.
//
// The merged text: one `library` group named like the first file's, with the first file's
// header (every statement of its library group that is not a cell, in file order), then the
// statements of the other files that are not already there (voltage_map entries, define,
// templates, operating conditions, ...), then the cells of every file in file order.
// Templates (`*_template` groups) that two files give under one name with different
// contents are renamed in the later file (`delay_7x7` -> `delay_7x7_<its library name>`),
// and so is every table of its cells that uses them; everything else that differs is
// refused. Comments are not kept; the values are written as they were read (quoted strings
// quoted, expressions and numbers as their text), so the tools read the same numbers.
#pragma once

#include <string>
#include <vector>

#include "characterize/liberty/Liberty.hh"
#include "characterize/liberty/LibertyParser.hh"

namespace pf::liberty {

// One file of a merge: its parse tree (parseLibertyFile) and its typed model (readLiberty),
// both of the same file, which has passed the reader.
struct MergeSource {
  const LibertyGroup *tree = nullptr;
  const Library *library = nullptr;
};

struct MergedLibertyText {
  std::string text;                  // the merged file, banner first
  std::vector<std::string> renamed;  // "delay_2x2 in b.lib -> delay_2x2_lc_seq", in order
};

// Checks that `sources` (two or more files) can be one library and writes it. `what` names
// them in messages ("the standard-cell libraries of corner 'v0p80'"); `banner` is put at the
// top (comment lines, each ending in a newline, e.g. from generatedBanner(" *", ...) with
// "/*" and " */" around). Throws pf::Error located at the later of two disagreeing files,
// naming both files and lines:
//   5063 a cell defined in two files;
//   5064 units differ (time, voltage, current, resistance, leakage power, capacitance;
//        compared as quantities, so "1ns" and "1000ps" agree);
//   5065 nom_voltage, nom_process or nom_temperature differ (one file stating one and
//        another not is a difference too);
//   5066 any other attribute of the library group differs (a file stating one the first
//        file does not state is a difference: the merged header would change the meaning of
//        that file's cells), a voltage_map entry of one name at two voltages, a define of one
//        attribute with two types. `comment`, `date` and `revision` are not compared;
//   5067 a named library-level group other than a template (operating_conditions, type,
//        wire_load, ...) given by two files with different contents.
MergedLibertyText mergeLibertyFiles(const std::vector<MergeSource> &sources,
                                    const std::string &what, const std::string &banner);

// The typed model of the merged library without writing it: the first library's header
// fields, the cells of all of them in order, the supplies of all (a name keeps the first
// library's voltage): the same cells and numbers as readLiberty gives for the text of
// mergeLibertyFiles (only the source file and the lines differ).
Library unionOfLibraries(const std::vector<const Library *> &libraries);

// A parse tree back as liberty text (the root's sub-groups and attributes, in file order;
// nested statements indented by two spaces; tables' values one row per line). No comments.
std::string writeLibertyText(const LibertyGroup &root);

}  // namespace pf::liberty
