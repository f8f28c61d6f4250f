// Fuzz target: the ONNX reader (net/onnx: the protobuf wire reader, the typed graph and
// its lowering to a network), then what `powerflow net show` computes from the network.
#include "fuzz/FuzzSupport.hh"
#include "net/NetCommand.hh"
#include "net/onnx/OnnxReader.hh"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return pf::fuzz::runOne([&] {
    const pf::Network network =
        pf::parseOnnxNetwork(std::string(reinterpret_cast<const char *>(data), size), "input.onnx");
    (void)pf::networkCost(network);
    (void)pf::formatNetworkTable(network);
  });
}
