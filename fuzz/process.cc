// Fuzz target: the stub PDK's process parameters (pdk_stub/ProcessReader.cc).
#include "fuzz/FuzzSupport.hh"
#include "pdk_stub/ProcessReader.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne(
      [&] { (void)pf::pdk::readProcessFile(pf::fuzz::writeInput(data, size, "process.toml")); });
}
