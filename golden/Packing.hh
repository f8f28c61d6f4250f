// Memory images of a layer exactly as docs/accelerator.md lays them out: the 16-word
// descriptor, data tensors in padded HWC words, and the weight-buffer image in tiles.
// Byte images are little-endian, so a data word is `rows` consecutive bytes and a weight
// word `rows*cols` bytes, identical in external memory and in the on-chip buffers.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "golden/Layer.hh"

namespace pf {

constexpr int kDescriptorWords = 16;
constexpr int kDescriptorBytes = 4 * kDescriptorWords;
constexpr int kBeatBytes = 8;  // one 64-bit external-memory beat

std::array<uint32_t, kDescriptorWords> encodeDescriptor(const LayerDesc &desc);
LayerDesc decodeDescriptor(const std::array<uint32_t, kDescriptorWords> &words);
std::vector<uint8_t> descriptorBytes(const LayerDesc &desc);  // 64 bytes, little-endian

// Unpadded HWC int8 tensor -> padded word layout (h*w*CW words of cfg.rows bytes), padding
// lanes written as 0.
std::vector<uint8_t> packTensor(const std::vector<int8_t> &hwc, int h, int w, int c,
                                const AccelConfig &cfg);
// Inverse of packTensor; padding lanes are dropped whatever they hold.
std::vector<int8_t> unpackTensor(const std::vector<uint8_t> &words, int h, int w, int c,
                                 const AccelConfig &cfg);

// Weight-buffer image of all tiles of the layer (weightImageWords words of rows*cols
// bytes): a parameter word (bias, scale, shift per channel) followed by the op's weight
// words. Empty for MAXPOOL.
std::vector<uint8_t> packWeights(const LayerDesc &desc, const LayerTensors &tensors,
                                 const AccelConfig &cfg);

// DMA sizes: bytes of a data word / weight word and 64-bit beats per word.
int dataWordBytes(const AccelConfig &cfg);
int weightWordBytes(const AccelConfig &cfg);
int dataWordBeats(const AccelConfig &cfg);    // rows / 8
int weightWordBeats(const AccelConfig &cfg);  // rows*cols / 8

// Beats the load phase moves (act, act2, weights) and the store phase moves.
struct DmaWords {
  int act = 0, act2 = 0, weights = 0, out = 0;  // words as in the descriptor
  int64_t loadBeats = 0;
  int64_t storeBeats = 0;
};
DmaWords dmaWords(const LayerDesc &desc, const AccelConfig &cfg);

// Fills act/act2/w/out_dma_words with the full tensor sizes (what a layer that loads its
// inputs and stores its output needs); ADD loads both inputs, MAXPOOL no weights.
void setFullDma(LayerDesc &desc, const AccelConfig &cfg);

}  // namespace pf
