// Fuzz target: the network TOML reader (net/NetworkReader.cc, readNetwork: fields, layers,
// shape inference), then what `powerflow net show` computes from the network.
#include "net/Network.hh"

#include "fuzz/FuzzSupport.hh"
#include "net/NetCommand.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const pf::Network network = pf::readNetwork(pf::fuzz::writeInput(data, size, "net.toml"));
    (void)pf::networkCost(network);
    (void)pf::formatNetworkTable(network);
  });
}
