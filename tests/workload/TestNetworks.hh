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

// Concats stored in place (docs/mapping.md, "Concat") on 8x8x16: a SqueezeNet fire
// module (squeeze, expand 1x1 and 3x3 joined), a max pool and a depthwise convolution
// reading the concat block-wise, a nested concat of those two (4 blocks), a convolution
// gathering it, a residual add and a classifier. No copy. Every concat input is whole
// words of 16 channels, so it maps with ROWS = 16 too.
extern const char *const kConcatNetworkToml;

// A DenseNet-like block on 6x6x16: each concat joins the previous one and a new 16
// channels computed from it (nested concats: all stored in place in the last one, 64
// channels in 4 blocks), and the network output is itself a concat (of a max pool and a
// depthwise convolution of it).
extern const char *const kDenseConcatNetworkToml;

// Concats whose inputs cannot all be stored in place on 6x6x16: the network input, an
// input already stored in another concat and an input given twice (copy tiles), a host
// layer's output stored in place (its concat lives in external memory), and a concat of
// inputs that are not whole words of channels (4 + 4), read only block-wise to the
// network output.
extern const char *const kConcatCopyNetworkToml;

// Pools larger than 15x15 split into two passes (docs/mapping.md, "Large pools"): a
// DS-CNN-like network (49x10 MFCC, conv to 25x5x64) ending in a 25x5 average pool (125
// pixels, which cannot be refolded).
extern const char *const kDsCnnPoolNetworkToml;

// On a 32x32 plane: a 32x32 global average pool, a 32x32 global max pool and a 16x16 max
// pool with stride 16 (2x2 outputs), all split into two passes.
extern const char *const kGlobalPoolNetworkToml;

// Reads a network given as TOML text (written to a scratch file).
Network networkFromToml(const std::string &name, const std::string &toml);

}  // namespace pf::test
