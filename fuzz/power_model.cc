// Fuzz target: the power model of a corner set (characterize/PowerModel.cc).
#include "characterize/PowerModel.hh"
#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne(
      [&] { (void)pf::readPowerModel(pf::fuzz::writeInput(data, size, "power.toml")); });
}
