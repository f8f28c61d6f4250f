// The corner set's liberty files, checked with the project's own liberty parser before
// any external tool (Yosys, OpenSTA, Verilator) is started: the tools only ever see files
// that passed. Every file of every corner (standard-cell and SRAM) is read once; the parsed
// libraries are returned so the stage does not parse them again.
//
// Refusals (pf::Error naming file, line and field; nothing is written, no tool started):
//   - a file that is not a readable liberty library: the liberty layer's PF-51xx (5101
//     syntax, a truncated file naming the groups it ends inside; 5104 no nom_voltage;
//     5110 binary; 5111 empty; ...), with the corner it belongs to added to the message;
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
#pragma once

#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "characterize/Corners.hh"
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
};

struct CheckedLibraries {
  std::vector<CheckedCorner> corners;  // indexed like CornerSet::corners
  bool mixed = false;  // the corners differ in process or temperature (and that was allowed)
  std::vector<CharacterizationWarning> warnings;  // PF-5054 (mixed) first, PF-5057
};

CheckedLibraries checkCornerLibraries(const CornerSet &corners,
                                      const LibraryCheckOptions &options = {});

}  // namespace pf
