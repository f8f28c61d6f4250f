// Fuzz target: the characterization table reader (characterize/CharacterizationJson.cc,
// readCharacterization).
#include "characterize/Characterization.hh"

#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    (void)pf::readCharacterization(pf::fuzz::writeInput(data, size, "characterization.json"));
  });
}
