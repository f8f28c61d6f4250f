// Test driver: `powerflow pdk` without the full CLI (flows/ owns the real main). Turns
// pf::Error into a message and exit status 1, as the CLI edge does.
#include <cstdio>
#include <string>
#include <vector>

#include "core/Error.hh"
#include "pdk_stub/PdkCommand.hh"

int main(int argc, char **argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return pf::runPdkCommand(args);
  } catch (const pf::Error &error) {
    std::fprintf(stderr, "%s\n", error.formatted().c_str());
    return 1;
  }
}
