// Builders for the user-facing layer kinds on top of the five accelerator ops.
//
// They fill the shape and activation fields of a LayerDesc the way a compiler maps a
// framework layer (symmetric padding, floor output size); buffer placement and DMA are
// set separately with placeLayer(), because they depend on the neighbouring layers.
#pragma once

#include <cstdint>

#include "golden/Layer.hh"

namespace pf {

// Output clamp [min, max] in the output's int8 domain. ReLU6 needs the quantised value
// of 6.0, round(6 / s_out), which saturates at 127.
struct Activation {
  int min = -128;
  int max = 127;

  static Activation none() { return {-128, 127}; }
  static Activation relu() { return {0, 127}; }
  static Activation relu6(int six_quantized) {
    return {0, six_quantized > 127 ? 127 : six_quantized};
  }
};

// floor((in + 2*pad - kernel) / stride) + 1, the framework convention.
int convOutputSize(int in, int kernel, int stride, int pad);

LayerDesc conv2dLayer(int in_h, int in_w, int in_c, int out_c, int kernel, int stride, int pad,
                      Activation act);
LayerDesc depthwiseLayer(int in_h, int in_w, int channels, int kernel, int stride, int pad,
                         Activation act);
LayerDesc pointwiseLayer(int in_h, int in_w, int in_c, int out_c, Activation act);
// A 1x1 spatial CONV: in_features channels in, out_features channels out.
LayerDesc fullyConnectedLayer(int in_features, int out_features, Activation act);
LayerDesc maxPoolLayer(int in_h, int in_w, int channels, int kernel, int stride, int pad,
                       Activation act = Activation::none());
// Set the requantisation with avgPoolTensors() / reciprocalRequant().
LayerDesc avgPoolLayer(int in_h, int in_w, int channels, int kernel, int stride, int pad,
                       Activation act = Activation::none());
LayerDesc residualAddLayer(int h, int w, int channels, int weight_a, int weight_b, Activation act);

// scale / 2^shift closest to 1/divisor with the most precision a uint16 scale allows.
struct Requant {
  uint16_t scale = 1;
  uint8_t shift = 0;
};
Requant reciprocalRequant(int divisor);

// Requantisation tensors of an AVGPOOL that divides by kh*kw (bias 0), so the output is
// the rounded mean over the full window (padding counted as zeros, as
// count_include_pad=True frameworks do).
void setAvgPoolRequant(const LayerDesc &desc, LayerTensors &tensors);

// Where a layer's tensors live. Bases in buffer words, external addresses in bytes.
struct Placement {
  int act_base = 0;
  int act2_base = 0;
  int out_base = 0;
  int w_base = 0;
  uint32_t ext_act_addr = 0;
  uint32_t ext_act2_addr = 0;
  uint32_t ext_w_addr = 0;
  uint32_t ext_out_addr = 0;
  bool load_act = true;      // false: input already resident (act_dma_words = 0)
  bool load_act2 = true;     // ADD only
  bool load_weights = true;  // false: weight image already resident
  bool store_out = true;     // false: output stays on chip
};

// Copies the placement into the descriptor and sets the DMA word counts to the full
// tensor sizes (or 0 where the placement keeps a tensor on chip).
void placeLayer(LayerDesc &desc, const Placement &placement, const AccelConfig &cfg);

// Placement that packs input, second input and output back to back from data word 0,
// weights at word 0, and external tensors back to back from ext_base (64-byte aligned).
Placement compactPlacement(const LayerDesc &desc, const AccelConfig &cfg, uint32_t ext_base);

}  // namespace pf
