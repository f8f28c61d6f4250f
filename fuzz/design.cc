// Fuzz target: the design description reader (core/DesignReader.cc, readDesign). The
// scratch folder holds rtl/'s files, so the file lists a design names resolve.
#include "core/Design.hh"

#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  pf::fuzz::linkEntriesOf(pf::fuzz::sourceDir() + "/rtl");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const pf::DesignSpec design =
        pf::readDesign(pf::fuzz::writeInput(data, size, "fuzz-input.toml"));
    (void)pf::transitionsText(design.transitions);
  });
}
