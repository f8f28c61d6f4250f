// The standard-cell catalog of the stub library: topology and transistor widths of every
// cell. Numbers are process-independent widths (um); Model.cc turns them into delay,
// energy, capacitance and leakage at a supply voltage.
#pragma once

#include <string>
#include <vector>

#include "pdk_stub/Model.hh"

namespace pf::pdk {

// Every cell of the standard-cell library, in liberty order.
const std::vector<CellSpec> &standardCells();

// nullptr if absent.
const CellSpec *findCell(const std::string &name);

}  // namespace pf::pdk
