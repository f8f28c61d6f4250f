// Fuzz target: the corner set reader (characterize/CornersReader.cc, readCornerSet). The
// scratch folder holds pdk_stub/'s and the liberty-check tests' files, so the liberty
// files and power models the seeds name exist.
#include "characterize/Corners.hh"

#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  pf::fuzz::linkEntriesOf(pf::fuzz::sourceDir() + "/pdk_stub");
  pf::fuzz::linkEntriesOf(pf::fuzz::sourceDir() + "/tests/characterize/libcheck");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const pf::CornerSet set =
        pf::readCornerSet(pf::fuzz::writeInput(data, size, "fuzz-input.toml"));
    if (!set.corners.empty()) (void)set.synthesisCorner();
  });
}
