// Data for a mapped network: random weights and requantisation per layer, a random network
// input, the golden value of every tensor (golden/Reference layer by layer), the
// external-memory image the mapping expects before the first descriptor runs, and the
// expected contents of external memory and of the on-chip data buffer as the layers run.
// Used by the workload tests (tests/workload), the RTL validation of the mapping and the
// co-simulation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/Layer.hh"
#include "workload/Mapping.hh"

namespace pf {

struct NetData {
  std::vector<LayerTensors> params;         // per Mapping::layers: weights + requantisation
  std::vector<std::vector<int8_t>> values;  // per Mapping::tensors: unpadded HWC, golden
  // Per Mapping::layers: the requantisation of the first pass of a pool split in two
  // (MappedLayer::intermediate >= 0; docs/mapping.md, "Large pools"), empty otherwise.
  std::vector<LayerTensors> pass1_params;
};

// Random parameters (seeded) and the golden value of every tensor.
NetData makeNetData(const Mapping &mapping, uint32_t seed);

// The parameters from `weight_seed`, the network input from `input_seed`: one network
// (fixed weights) run on several inputs, as a deployed network is.
NetData makeNetData(const Mapping &mapping, uint32_t weight_seed, uint32_t input_seed);

// The weight seed that stands in for a network's trained weights in the profile's
// measured sparsity and in the co-simulation (the zoo networks carry shapes, not weights).
inline constexpr uint32_t kNetworkWeightSeed = 1;

// The weights and requantisation of channel block `block` of mapped layer `layer`, as
// that block's descriptors use them (input fields empty).
LayerTensors blockTensors(const Mapping &mapping, const NetData &data, int layer, int block,
                          bool pass1 = false);

// The weights and requantisation tile `tile` of mapped layer `layer` uses: its block's
// (of the first pass for a first-pass tile), none for gather and concat copy tiles.
LayerTensors tileTensors(const Mapping &mapping, const NetData &data, int layer,
                         const MappedTile &tile);

// A tensor's bytes in its stored (possibly channel-blocked) layout: its blocks back to
// back, each packed as golden/Packing's packTensor does (padding lanes 0).
std::vector<uint8_t> packStored(const Mapping &mapping, int tensor,
                                const std::vector<int8_t> &values);

// Inverse of packStored: a tensor's unpadded HWC values from its stored bytes (at least
// MappedTensor::words data words).
std::vector<int8_t> unpackStored(const Mapping &mapping, int tensor,
                                 const std::vector<uint8_t> &bytes);

// The host's part of a network run (docs/host.md): reads host layer `host`'s inputs from
// the external-memory image `memory` (byte 0 at address 0) in their stored layout, runs
// golden/HostOps on them and returns the output's stored bytes, which belong at the output
// tensor's ext_addr. The RTL validation and the co-simulation call it between the
// accelerator layers.
std::vector<uint8_t> runHostLayer(const Mapping &mapping, const MappedHostLayer &host,
                                  const std::vector<uint8_t> &memory);

// Descriptors, weight images and the network input at their addresses; zero elsewhere.
std::vector<uint8_t> externalImage(const Mapping &mapping, const NetData &data);

// For every tensor the mapping keeps in external memory (except the network input): its
// name if `memory` does not hold its golden value, with the first differing byte.
std::vector<std::string> externalMismatches(const Mapping &mapping, const NetData &data,
                                            const std::vector<uint8_t> &memory);

// Words of tensor `tensor` as stored in the on-chip data buffer (its stored layout, one
// data word = ROWS bytes, little-endian byte order as the RTL's packTensor), for comparing
// with the buffer's contents after the producing layer; empty if the tensor is not on chip.
// Word i lies at data-buffer word address MappedTensor::act_base + i; there are
// MappedTensor::words of them.
std::vector<std::vector<uint8_t>> onChipWords(const Mapping &mapping, int tensor,
                                              const std::vector<int8_t> &values);

}  // namespace pf
