// Networks and scratch files for the workload tests. The network test data (random
// parameters, golden tensors, memory images) is sim/NetData.hh.
#pragma once

#include <string>

#include "net/Network.hh"

namespace pf::test {

// Writes `text` to a fresh file under a per-process scratch directory ($TMPDIR) and
// returns its path.
std::string scratchFile(const std::string &name, const std::string &text);
std::string scratchDir();

// A ResNet-like block on 6x5x64 whose 128-channel 3x3 convolutions have weight images
// larger than the default weight buffer: channel-blocked tensors, convolutions gathering
// them (c gathers sum; e and f reuse the copy, f in pixel tiles).
extern const char *const kGatherNetworkToml;

// Every host operator between accelerator layers on 8x8x8: hard swish after a conv, a
// squeeze-and-excitation gate (hard sigmoid, mul broadcasting 1x1xC over the depthwise
// output, which a global pool also reads), sigmoid, transpose, a global max pool and a
// classifier ending in softmax.
extern const char *const kHostNetworkToml;

// Reads a network given as TOML text (written to a scratch file).
Network networkFromToml(const std::string &name, const std::string &toml);

}  // namespace pf::test
