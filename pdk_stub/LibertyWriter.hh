// Liberty (NLDM) text of the stub PDK: one standard-cell library and one SRAM-macro library
// per supply corner. Pure functions from ProcessParams to text; the caller writes files.
//
// Every library has the same cells, pins and table axes at every corner, so corner tables
// line up element by element. Units: ns, pF, V, mA, kohm, nW; energy tables in pJ.
#pragma once

#include <string>

#include "pdk_stub/Model.hh"

namespace pf::pdk {

// "pf40lp_std_v0p60" / "pf40lp_sram_v0p60"; file names add ".lib".
std::string stdLibraryName(const ProcessParams &p, double vdd_v);
std::string sramLibraryName(const ProcessParams &p, double vdd_v);

// `command` is the regeneration command quoted in the banner.
std::string stdLibertyText(const ProcessParams &p, double vdd_v, const std::string &command);
std::string sramLibertyText(const ProcessParams &p, double vdd_v, const std::string &command);

// Deterministic number format for every value in a generated file ("%.6g").
std::string pdkNumber(double value);

// Supply of the level shifter's input side in every library: the lowest corner (the
// worst case for a low-to-high shifter).
double levelShifterInputVoltageV(const ProcessParams &p);

}  // namespace pf::pdk
