// Fuzz target: the liberty parser and reader (characterize/liberty/LibertyParser.cc and
// LibertyReader.cc, readLiberty: syntax, units, templates, tables, cells).
#include "characterize/liberty/Liberty.hh"

#include "fuzz/FuzzSupport.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne(
      [&] { (void)pf::liberty::readLiberty(pf::fuzz::writeInput(data, size, "input.lib")); });
}
