// Where every figure of the characterization comes from (docs/formats.md, "Provenance"):
// the user's liberty files, the user's power model, a number borrowed from the stub PDK,
// or a documented option of the stage, and, for a figure that is zero or absent, why.
//
// recordProvenance() tags every figure family of a finished table (per domain, the
// sequencer, the whole table) from what the library check found (LibraryCheck.hh: the
// power model, whether it describes these libraries, its voltage range, SRAM libraries of
// another voltage, the power-management cells) and what synthesis chose. Pure: no file is
// read, no tool run.
#pragma once

#include <string>

#include "characterize/Characterization.hh"
#include "characterize/Corners.hh"
#include "characterize/LibraryCheck.hh"

namespace pf {

// What the stage knows beyond the table and the checked libraries.
struct ProvenanceFacts {
  std::string level_shifter_cell;    // the one STA timed ("" none: the delay is 0)
  double level_shifter_load_pf = 0;  // its load (synth option)
};

void recordProvenance(Characterization &table, const CornerSet &corners,
                      const CheckedLibraries &checked, const ProvenanceFacts &facts);

// The figure families a domain of this kind has, in the order recordProvenance gives them
// (docs/formats.md, "Provenance"), and the table's and the sequencer's.
std::vector<std::string> domainFigureFamilies(DomainKind kind);
std::vector<std::string> tableFigureFamilies();
std::vector<std::string> sequencerFigureFamilies();

}  // namespace pf
