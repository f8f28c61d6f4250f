// Fuzz target: the scheduling instance file (sched/io/InstanceJson.cc), read as
// `powerflow schedule --instance FILE` reads it.
#include "core/Files.hh"
#include "core/Json.hh"
#include "fuzz/FuzzSupport.hh"
#include "sched/io/InstanceJson.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const std::string path = pf::fuzz::writeInput(data, size, "instance.json");
    (void)pf::instanceFromJson(pf::parseJson(pf::readTextFile(path), path), path);
  });
}
