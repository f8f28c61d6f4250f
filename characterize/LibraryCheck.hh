// The corner set's liberty files, checked with the project's own liberty parser before
// any external tool (Yosys, OpenSTA, Verilator) is started: the tools only ever see files
// that passed. Every file of every corner (standard-cell and SRAM) is read once; the parsed
// libraries are returned so the stage does not parse them again.
//
// Refusals (pf::Error naming file, line and field; nothing is written, no tool started):
//   - a file that is not a readable liberty library: the liberty layer's PF-51xx (5101
//     syntax, a truncated file naming the groups it ends inside; 5104 no nom_voltage;
//     5110 binary; 5111 and 5112 empty; ...), with the corner it belongs to added to the
//     message;
//   - the files of one corner that cannot be one library (a corner may list several
//     standard-cell and several SRAM files, e.g. a PDK that ships its cells split by type;
//     they are merged, liberty/LibertyMerge.hh): PF-5063 (PF-5071) a cell defined twice
//     among all the corner's files (among its standard-cell files; both files and lines
//     named), PF-5072 a file listed twice, and among the standard-cell files (and among
//     the SRAM files) PF-5064 other units, PF-5065 another nom_voltage, nom_process or
//     nom_temperature, PF-5066 another library attribute (PF-5073 voltage_map entry or
//     define), PF-5067 a library-level group (operating conditions, bus type, ...) of one
//     name with other contents;
//   - PF-5050: a standard-cell library's nom_voltage differs from its corner's voltage_v
//     (the corner set's voltage_v line is the location, the liberty line of nom_voltage is
//     in the message);
//   - PF-5051: a library's main supply in voltage_map (Liberty.hh, Library::main_supply)
//     differs from its nom_voltage (located at the voltage_map line);
//   - PF-5052: standard-cell libraries of different corners disagree in nom_process or
//     nom_temperature: not one process at several voltages (refused unless mixed corners
//     are allowed, see below);
//   - PF-5053: an SRAM library disagrees with its corner's standard-cell library in
//     nom_process or nom_temperature (always refused).
// A mixed set is accepted with `allow_mixed_corners` and then carries the warning PF-5054.
// An SRAM library at another voltage than its corner (a user's cells with borrowed macros)
// is accepted with the warning PF-5057. Every output of characterize repeats the warnings.
// Values a library does not state (no nom_process, no nom_temperature) are not compared.
//
// Then the power model (PowerModel.hh; the stub's, built in, if the corner set names none)
// is read and set against the corners and their libraries: it is the source of the
// gated-leakage, wake-up, rail-change and retention figures, and the provenance of those
// figures (Provenance.hh) depends on what is found here. Warnings, never refusals:
//   - PF-5058: one liberty file stands for several corners (the same path, or the same
//     contents under two names), e.g. one SRAM library at two voltages;
//   - PF-5059: a corner's voltage is outside the power model's corners_v (its per-corner
//     table is extrapolated there);
//   - PF-5060: the corner set names no power model (PF-5068: the model lacks keys): the
//     stub's values apply (listed), with how to write one;
//   - PF-5061: the power model was made for other libraries (its std_liberty_files are not
//     the corners', or its header-switch cell is not in them): its figures are borrowed;
//   - PF-5062: the synthesis corner's libraries have no header switch, isolation cell or
//     level shifter (what that means for the figures).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "characterize/Corners.hh"
#include "characterize/PowerModel.hh"
#include "characterize/liberty/Liberty.hh"

namespace pf {

struct LibraryCheckOptions {
  bool allow_mixed_corners = false;   // accept corners of several processes / temperatures
  double voltage_tolerance_v = 1e-3;  // voltage_v vs nom_voltage and voltage_map
};

// The parsed libraries of one corner, in the order of Corner::std_liberty / sram_liberty.
struct CheckedCorner {
  std::vector<liberty::Library> std_cells;
  std::vector<liberty::Library> srams;
  // A corner of several standard-cell (or SRAM) files: those files as one library
  // (liberty/LibertyMerge.hh): the union of their cells, which the stage prices, and the
  // merged text the tools read (characterize() writes it into the work directory; its
  // banner names every file with its SHA-256). Empty for a corner of one file.
  std::optional<liberty::Library> std_union, sram_union;
  std::string std_merged_text, sram_merged_text;

  // The corner's standard cells as the stage sees them: its one library, or the union.
  const liberty::Library &stdLibrary() const;
  // Its SRAM macros likewise; nullptr if the corner has no SRAM library.
  const liberty::Library *sramLibrary() const;
};

struct CheckedLibraries {
  std::vector<CheckedCorner> corners;  // indexed like CornerSet::corners
  bool mixed = false;  // the corners differ in process or temperature (and that was allowed)
  std::vector<CharacterizationWarning> warnings;  // PF-5054 (mixed) first, PF-5057, 5058-5062

  // The power model and how it relates to the libraries.
  PowerModel power_model;  // read from the corner set's file, or stubPowerModel()
  // Made for other libraries (PowerModel.hh: std_liberty_files, header-switch cell): its
  // figures are borrowed; `power_model_mismatch` says why.
  bool power_model_borrowed = false;
  std::string power_model_mismatch;
  // Corners whose voltage is outside the model's corners_v (by name).
  std::vector<std::string> corners_outside_power_model;
  // The power-management cells of the synthesis corner's standard-cell libraries.
  PowerManagementCells cells;
  // Per corner (indexed like `corners`): its SRAM library made for another voltage
  // (PF-5057) as "lib/x.lib (nom_voltage 0.8 V)"; empty if none.
  std::vector<std::string> sram_other_voltage;
};

CheckedLibraries checkCornerLibraries(const CornerSet &corners,
                                      const LibraryCheckOptions &options = {});

}  // namespace pf
