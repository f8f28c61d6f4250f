#include "golden/Packing.hh"

#include <stdexcept>

namespace pf {

namespace {

uint32_t bits(int64_t value, int lsb, int width) {
  const uint32_t mask = width >= 32 ? 0xffffffffu : ((1u << width) - 1u);
  return (static_cast<uint32_t>(value) & mask) << lsb;
}

int field(uint32_t word, int lsb, int width) {
  const uint32_t mask = width >= 32 ? 0xffffffffu : ((1u << width) - 1u);
  return static_cast<int>((word >> lsb) & mask);
}

int signedByte(uint32_t word, int lsb) { return static_cast<int8_t>(field(word, lsb, 8)); }

void putLe(std::vector<uint8_t> &bytes, size_t offset, uint64_t value, int count) {
  for (int i = 0; i < count; ++i) bytes[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

// Parameter word of a tile: channel j of the tile at byte 8*j.
void putParameters(std::vector<uint8_t> &image, size_t word_offset, const LayerTensors &t,
                   int first_channel, int channels, int out_c) {
  for (int j = 0; j < channels; ++j) {
    const int ch = first_channel + j;
    if (ch >= out_c) break;
    const size_t at = word_offset + 8 * size_t(j);
    putLe(image, at, static_cast<uint32_t>(t.bias[ch]), 4);
    putLe(image, at + 4, t.scale[ch], 2);
    image[at + 6] = t.shift[ch];
    image[at + 7] = 0;
  }
}

}  // namespace

std::array<uint32_t, kDescriptorWords> encodeDescriptor(const LayerDesc &d) {
  std::array<uint32_t, kDescriptorWords> w{};
  w[0] = bits(static_cast<int>(d.op), 0, 4) | bits(d.stride, 4, 4) | bits(d.kh, 8, 4) |
         bits(d.kw, 12, 4) | bits(d.pad_top, 16, 4) | bits(d.pad_left, 20, 4);
  w[1] = bits(d.in_h, 0, 16) | bits(d.in_w, 16, 16);
  w[2] = bits(d.in_c, 0, 16) | bits(d.out_c, 16, 16);
  w[3] = bits(d.out_h, 0, 16) | bits(d.out_w, 16, 16);
  w[4] = bits(d.act_base, 0, 16) | bits(d.act2_base, 16, 16);
  w[5] = bits(d.out_base, 0, 16) | bits(d.w_base, 16, 16);
  w[6] =
      bits(d.act_min, 0, 8) | bits(d.act_max, 8, 8) | bits(d.add_wa, 16, 8) | bits(d.add_wb, 24, 8);
  w[7] = d.ext_act_addr;
  w[8] = d.ext_act2_addr;
  w[9] = d.ext_w_addr;
  w[10] = d.ext_out_addr;
  w[11] = bits(d.act_dma_words, 0, 16) | bits(d.act2_dma_words, 16, 16);
  w[12] = bits(d.w_dma_words, 0, 16) | bits(d.out_dma_words, 16, 16);
  return w;
}

LayerDesc decodeDescriptor(const std::array<uint32_t, kDescriptorWords> &w) {
  LayerDesc d;
  d.op = static_cast<LayerOp>(field(w[0], 0, 4));
  d.stride = field(w[0], 4, 4);
  d.kh = field(w[0], 8, 4);
  d.kw = field(w[0], 12, 4);
  d.pad_top = field(w[0], 16, 4);
  d.pad_left = field(w[0], 20, 4);
  d.in_h = field(w[1], 0, 16);
  d.in_w = field(w[1], 16, 16);
  d.in_c = field(w[2], 0, 16);
  d.out_c = field(w[2], 16, 16);
  d.out_h = field(w[3], 0, 16);
  d.out_w = field(w[3], 16, 16);
  d.act_base = field(w[4], 0, 16);
  d.act2_base = field(w[4], 16, 16);
  d.out_base = field(w[5], 0, 16);
  d.w_base = field(w[5], 16, 16);
  d.act_min = signedByte(w[6], 0);
  d.act_max = signedByte(w[6], 8);
  d.add_wa = signedByte(w[6], 16);
  d.add_wb = signedByte(w[6], 24);
  d.ext_act_addr = w[7];
  d.ext_act2_addr = w[8];
  d.ext_w_addr = w[9];
  d.ext_out_addr = w[10];
  d.act_dma_words = field(w[11], 0, 16);
  d.act2_dma_words = field(w[11], 16, 16);
  d.w_dma_words = field(w[12], 0, 16);
  d.out_dma_words = field(w[12], 16, 16);
  return d;
}

std::vector<uint8_t> descriptorBytes(const LayerDesc &desc) {
  const auto words = encodeDescriptor(desc);
  std::vector<uint8_t> bytes(kDescriptorBytes);
  for (int i = 0; i < kDescriptorWords; ++i) putLe(bytes, 4 * size_t(i), words[i], 4);
  return bytes;
}

std::vector<uint8_t> packTensor(const std::vector<int8_t> &hwc, int h, int w, int c,
                                const AccelConfig &cfg) {
  if (hwc.size() != size_t(h) * w * c) throw std::invalid_argument("packTensor: wrong size");
  const size_t pixel_bytes = size_t(channelWords(c, cfg)) * cfg.rows;
  std::vector<uint8_t> words(size_t(h) * w * pixel_bytes, 0);
  for (size_t pixel = 0; pixel < size_t(h) * w; ++pixel) {
    for (int ch = 0; ch < c; ++ch) {
      words[pixel * pixel_bytes + ch] = static_cast<uint8_t>(hwc[pixel * c + ch]);
    }
  }
  return words;
}

std::vector<int8_t> unpackTensor(const std::vector<uint8_t> &words, int h, int w, int c,
                                 const AccelConfig &cfg) {
  const size_t pixel_bytes = size_t(channelWords(c, cfg)) * cfg.rows;
  if (words.size() < size_t(h) * w * pixel_bytes) {
    throw std::invalid_argument("unpackTensor: image too small");
  }
  std::vector<int8_t> hwc(size_t(h) * w * c);
  for (size_t pixel = 0; pixel < size_t(h) * w; ++pixel) {
    for (int ch = 0; ch < c; ++ch) {
      hwc[pixel * c + ch] = static_cast<int8_t>(words[pixel * pixel_bytes + ch]);
    }
  }
  return hwc;
}

std::vector<uint8_t> packWeights(const LayerDesc &d, const LayerTensors &t,
                                 const AccelConfig &cfg) {
  const size_t word_bytes = size_t(weightWordBytes(cfg));
  const int tile_words = weightTileWords(d, cfg);
  const int tiles = weightTileCount(d, cfg);
  std::vector<uint8_t> image(size_t(tiles) * tile_words * word_bytes, 0);
  const int rows = cfg.rows;
  const int cols = cfg.cols;
  for (int tile = 0; tile < tiles; ++tile) {
    const size_t tile_offset = size_t(tile) * tile_words * word_bytes;
    auto byteAt = [&](int word, int col, int lane) -> uint8_t & {
      return image[tile_offset + size_t(word) * word_bytes + size_t(col) * rows + lane];
    };
    switch (d.op) {
      case LayerOp::Conv: {
        const int co0 = tile * cols;
        putParameters(image, tile_offset, t, co0, cols, d.out_c);
        const int cw_in = channelWords(d.in_c, cfg);
        for (int ky = 0; ky < d.kh; ++ky) {
          for (int kx = 0; kx < d.kw; ++kx) {
            for (int ct = 0; ct < cw_in; ++ct) {
              const int word = 1 + (ky * d.kw + kx) * cw_in + ct;
              for (int c = 0; c < cols && co0 + c < d.out_c; ++c) {
                for (int r = 0; r < rows && ct * rows + r < d.in_c; ++r) {
                  const int co = co0 + c;
                  const int ci = ct * rows + r;
                  byteAt(word, c, r) = static_cast<uint8_t>(
                      t.weights[((size_t(co) * d.in_c + ci) * d.kh + ky) * d.kw + kx]);
                }
              }
            }
          }
        }
        break;
      }
      case LayerOp::DwConv: {
        const int ch0 = tile * rows;
        putParameters(image, tile_offset, t, ch0, rows, d.out_c);
        const int window = d.kh * d.kw;
        for (int k = 0; k < window; ++k) {
          for (int r = 0; r < rows && ch0 + r < d.out_c; ++r) {
            byteAt(1 + k / cols, k % cols, r) =
                static_cast<uint8_t>(t.weights[size_t(ch0 + r) * window + k]);
          }
        }
        break;
      }
      case LayerOp::AvgPool:
      case LayerOp::Add:
        putParameters(image, tile_offset, t, tile * rows, rows, d.out_c);
        break;
      case LayerOp::MaxPool:
        break;
    }
  }
  return image;
}

int dataWordBytes(const AccelConfig &cfg) { return cfg.rows; }
int weightWordBytes(const AccelConfig &cfg) { return cfg.rows * cfg.cols; }
int dataWordBeats(const AccelConfig &cfg) { return cfg.rows / kBeatBytes; }
int weightWordBeats(const AccelConfig &cfg) { return cfg.rows * cfg.cols / kBeatBytes; }

DmaWords dmaWords(const LayerDesc &d, const AccelConfig &cfg) {
  DmaWords dma;
  dma.act = d.act_dma_words;
  dma.act2 = d.act2_dma_words;
  dma.weights = d.w_dma_words;
  dma.out = d.out_dma_words;
  dma.loadBeats = int64_t{dma.act + dma.act2} * dataWordBeats(cfg) +
                  int64_t{dma.weights} * weightWordBeats(cfg);
  dma.storeBeats = int64_t{dma.out} * dataWordBeats(cfg);
  return dma;
}

void setFullDma(LayerDesc &d, const AccelConfig &cfg) {
  d.act_dma_words = inputWords(d, cfg);
  d.act2_dma_words = d.op == LayerOp::Add ? inputWords(d, cfg) : 0;
  d.w_dma_words = weightImageWords(d, cfg);
  d.out_dma_words = outputWords(d, cfg);
}

}  // namespace pf
