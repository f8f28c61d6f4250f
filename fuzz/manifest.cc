// Fuzz target: the gen output's manifest (gen/Manifest.cc, readGenManifest), which the
// co-simulation and the report read.
#include "gen/Manifest.hh"

#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne(
      [&] { (void)pf::gen::readGenManifest(pf::fuzz::writeInput(data, size, "manifest.json")); });
}
