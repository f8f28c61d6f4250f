// Test data for a mapped network: random weights and requantisation per layer, a random
// network input, the golden value of every tensor (golden/Reference layer by layer), and
// the external-memory image the mapping expects before the first descriptor runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/Layer.hh"
#include "net/Network.hh"
#include "workload/Mapping.hh"

namespace pf::test {

struct NetData {
  std::vector<LayerTensors> params;         // per Mapping::layers: weights + requantisation
  std::vector<std::vector<int8_t>> values;  // per Mapping::tensors: unpadded HWC, golden
};

// Random parameters (seeded) and the golden value of every tensor.
NetData makeNetData(const Mapping &mapping, uint32_t seed);

// The weights and requantisation of channel block `block` of mapped layer `layer`, as
// that block's descriptors use them (input fields empty).
LayerTensors blockTensors(const Mapping &mapping, const NetData &data, int layer, int block);

// A tensor's bytes in its stored (possibly channel-blocked) layout.
std::vector<uint8_t> packStored(const Mapping &mapping, int tensor,
                                const std::vector<int8_t> &values);

// Descriptors, weight images and the network input at their addresses; zero elsewhere.
std::vector<uint8_t> externalImage(const Mapping &mapping, const NetData &data);

// For every tensor the mapping keeps in external memory (except the network input): its
// name if `memory` does not hold its golden value, with the first differing byte.
std::vector<std::string> externalMismatches(const Mapping &mapping, const NetData &data,
                                            const std::vector<uint8_t> &memory);

// Writes `text` to a fresh file under a per-process scratch directory ($TMPDIR) and
// returns its path.
std::string scratchFile(const std::string &name, const std::string &text);
std::string scratchDir();

// A ResNet-like block on 6x5x64 whose 128-channel 3x3 convolutions have weight images
// larger than the default weight buffer: channel-blocked tensors, convolutions gathering
// them (c gathers sum; e and f reuse the copy, f in pixel tiles).
extern const char *const kGatherNetworkToml;

// Reads a network given as TOML text (written to a scratch file).
Network networkFromToml(const std::string &name, const std::string &toml);

}  // namespace pf::test
