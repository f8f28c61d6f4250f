// Fuzz target: the JSON parser and writer (core/Json.cc). What parses is written, and
// the written text must parse back to the same text (the writer's round trip).
#include "core/Json.hh"

#include <cstdio>
#include <cstdlib>

#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const std::string text(reinterpret_cast<const char *>(data), size);
    const std::string written = pf::parseJson(text, "input.json").dump();
    const std::string again = pf::parseJson(written, "written.json").dump();
    if (again != written) {
      std::fprintf(stderr, "fuzz: the JSON writer's text does not read back the same:\n%s\n%s\n",
                   written.c_str(), again.c_str());
      std::abort();
    }
  });
}
