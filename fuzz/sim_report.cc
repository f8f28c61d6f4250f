// Fuzz target: the co-simulation report reader (sim/cosim/SimReportFile.cc,
// readSimReportFile), which `powerflow report` reads out/sim/report.json with.
#include "fuzz/FuzzSupport.hh"
#include "sim/cosim/SimReportFile.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne(
      [&] { (void)pf::readSimReportFile(pf::fuzz::writeInput(data, size, "report.json")); });
}
