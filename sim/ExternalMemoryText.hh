// The text of sim/ExternalMemory.hh, embedded at build time (sim/EmbedText.cmake), for
// programs powerflow has Verilator compile at run time: they get it written into their
// work folder and include it from there.
#pragma once

#include <string>

namespace pf {

const std::string &externalMemoryHeaderText();

}  // namespace pf
