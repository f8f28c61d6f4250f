// Fuzz target: the workload profile reader (workload/ProfileJson.cc, readProfile).
#include "workload/Profile.hh"

#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne(
      [&] { (void)pf::readProfile(pf::fuzz::writeInput(data, size, "profile.json")); });
}
