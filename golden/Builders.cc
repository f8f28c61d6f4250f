#include "golden/Builders.hh"

#include <cmath>
#include <stdexcept>

#include "golden/Packing.hh"

namespace pf {

namespace {

LayerDesc windowLayer(LayerOp op, int in_h, int in_w, int in_c, int out_c, int kernel, int stride,
                      int pad, Activation act) {
  LayerDesc d;
  d.op = op;
  d.stride = stride;
  d.kh = kernel;
  d.kw = kernel;
  d.pad_top = pad;
  d.pad_left = pad;
  d.in_h = in_h;
  d.in_w = in_w;
  d.in_c = in_c;
  d.out_c = out_c;
  d.out_h = convOutputSize(in_h, kernel, stride, pad);
  d.out_w = convOutputSize(in_w, kernel, stride, pad);
  d.act_min = act.min;
  d.act_max = act.max;
  return d;
}

uint32_t alignUp(uint32_t value, uint32_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace

int convOutputSize(int in, int kernel, int stride, int pad) {
  return (in + 2 * pad - kernel) / stride + 1;
}

LayerDesc conv2dLayer(int in_h, int in_w, int in_c, int out_c, int kernel, int stride, int pad,
                      Activation act) {
  return windowLayer(LayerOp::Conv, in_h, in_w, in_c, out_c, kernel, stride, pad, act);
}

LayerDesc depthwiseLayer(int in_h, int in_w, int channels, int kernel, int stride, int pad,
                         Activation act) {
  return windowLayer(LayerOp::DwConv, in_h, in_w, channels, channels, kernel, stride, pad, act);
}

LayerDesc pointwiseLayer(int in_h, int in_w, int in_c, int out_c, Activation act) {
  return windowLayer(LayerOp::Conv, in_h, in_w, in_c, out_c, 1, 1, 0, act);
}

LayerDesc fullyConnectedLayer(int in_features, int out_features, Activation act) {
  return windowLayer(LayerOp::Conv, 1, 1, in_features, out_features, 1, 1, 0, act);
}

LayerDesc maxPoolLayer(int in_h, int in_w, int channels, int kernel, int stride, int pad,
                       Activation act) {
  return windowLayer(LayerOp::MaxPool, in_h, in_w, channels, channels, kernel, stride, pad, act);
}

LayerDesc avgPoolLayer(int in_h, int in_w, int channels, int kernel, int stride, int pad,
                       Activation act) {
  return windowLayer(LayerOp::AvgPool, in_h, in_w, channels, channels, kernel, stride, pad, act);
}

LayerDesc residualAddLayer(int h, int w, int channels, int weight_a, int weight_b, Activation act) {
  LayerDesc d = windowLayer(LayerOp::Add, h, w, channels, channels, 1, 1, 0, act);
  d.add_wa = weight_a;
  d.add_wb = weight_b;
  return d;
}

Requant reciprocalRequant(int divisor) {
  if (divisor < 1) throw std::invalid_argument("reciprocalRequant: divisor must be >= 1");
  // The largest shift whose rounded scale still fits 16 bits keeps the most precision.
  Requant best;
  for (int shift = 0; shift <= 47; ++shift) {
    const double scale = std::round(std::ldexp(1.0, shift) / divisor);
    if (scale > 65535.0) break;
    best.scale = static_cast<uint16_t>(scale);
    best.shift = static_cast<uint8_t>(shift);
  }
  return best;
}

void setAvgPoolRequant(const LayerDesc &desc, LayerTensors &tensors) {
  const Requant requant = reciprocalRequant(desc.kh * desc.kw);
  tensors.bias.assign(size_t(desc.out_c), 0);
  tensors.scale.assign(size_t(desc.out_c), requant.scale);
  tensors.shift.assign(size_t(desc.out_c), requant.shift);
}

void placeLayer(LayerDesc &d, const Placement &p, const AccelConfig &cfg) {
  d.act_base = p.act_base;
  d.act2_base = p.act2_base;
  d.out_base = p.out_base;
  d.w_base = p.w_base;
  d.ext_act_addr = p.ext_act_addr;
  d.ext_act2_addr = p.ext_act2_addr;
  d.ext_w_addr = p.ext_w_addr;
  d.ext_out_addr = p.ext_out_addr;
  setFullDma(d, cfg);
  if (!p.load_act) d.act_dma_words = 0;
  if (!p.load_act2) d.act2_dma_words = 0;
  if (!p.load_weights) d.w_dma_words = 0;
  if (!p.store_out) d.out_dma_words = 0;
}

Placement compactPlacement(const LayerDesc &d, const AccelConfig &cfg, uint32_t ext_base) {
  Placement p;
  const int in_words = inputWords(d, cfg);
  const bool add = d.op == LayerOp::Add;
  p.act_base = 0;
  p.act2_base = add ? in_words : 0;
  p.out_base = add ? 2 * in_words : in_words;
  p.w_base = 0;
  const uint32_t data_word = uint32_t(dataWordBytes(cfg));
  uint32_t next = alignUp(ext_base, 64);
  p.ext_act_addr = next;
  next = alignUp(next + uint32_t(in_words) * data_word, 64);
  p.ext_act2_addr = add ? next : 0;
  if (add) next = alignUp(next + uint32_t(in_words) * data_word, 64);
  p.ext_w_addr = next;
  next = alignUp(next + uint32_t(weightImageWords(d, cfg)) * uint32_t(weightWordBytes(cfg)), 64);
  p.ext_out_addr = next;
  return p;
}

}  // namespace pf
