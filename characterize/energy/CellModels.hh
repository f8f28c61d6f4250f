// Verilog behavioural models of the cells of a liberty library, generated from the
// library itself (pin `function`s, `ff` and `latch` groups), so that a netlist mapped
// onto any user library simulates in Verilator without the vendor's Verilog models.
//
// One module per cell: module name = cell name, one scalar port per pin (bus pins are
// already expanded to bit names by the liberty reader). Zero-delay, 2-valued.
#pragma once

#include <string>
#include <vector>

#include "characterize/liberty/Liberty.hh"

namespace pf::energy {

struct CellModelSet {
  std::string verilog;                // all modules, one file
  std::vector<std::string> modelled;  // cell names with a module
  std::vector<std::string> skipped;   // "CELL: reason" (macros, outputs without function)
};

// Models every non-macro cell whose outputs are all defined by a function (using pins
// and the ff/latch state variables). Macros (SRAMs) are skipped: their energy comes
// straight from their liberty access energies, not from gate-level simulation.
CellModelSet generateCellModels(const liberty::Library &library);

// True for cells that are pure combinational logic (no ff/latch, every output a function).
bool isCombinationalCell(const liberty::Cell &cell);

}  // namespace pf::energy
