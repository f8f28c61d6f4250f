// Deterministic random layers for the RTL regression: every user-facing layer kind on
// every op, odd shapes, random placement in the buffers and in external memory, random
// requantisation and sparsity. A seed fully determines the layer. Used by the regression
// (tests/rtl) and the simulation benchmark (bench/SimBench.cc).
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "golden/Layer.hh"
#include "sim/ExternalMemory.hh"

namespace pf {

enum class LayerKind {
  Conv3x3,
  Conv5x5,
  Pointwise,
  FullyConnected,
  Depthwise3x3,
  Depthwise5x5,
  MaxPool,
  AvgPool,
  ResidualAdd,
  ConvAnyKernel,  // kh != kw, any kernel and stride
};
constexpr int kLayerKindCount = 10;
const char *layerKindName(LayerKind kind);

struct RandomLayer {
  LayerKind kind;
  LayerDesc desc;
  LayerTensors tensors;
  MemoryTiming timing;
  uint32_t desc_addr = 0;
};

// Layer number `index` of the regression: the kind cycles through all kinds so every
// kind is covered evenly; everything else comes from a generator seeded with `index`.
RandomLayer makeRandomLayer(int index, const AccelConfig &cfg);

// Random tensors for a layer whose shape fields are set: `density` is the fraction of
// non-zero activations and weights; requantisation is chosen so that outputs spread over
// the int8 range rather than all saturating (with occasional extreme parameters).
LayerTensors makeRandomTensors(const LayerDesc &desc, std::mt19937 &rng, double density);

}  // namespace pf
