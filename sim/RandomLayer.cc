#include "sim/RandomLayer.hh"

#include <algorithm>
#include <cmath>

#include "golden/Builders.hh"
#include "golden/Packing.hh"

namespace pf {

namespace {

int uniform(std::mt19937 &rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

bool chance(std::mt19937 &rng, double p) { return std::bernoulli_distribution(p)(rng); }

template <typename T>
T pick(std::mt19937 &rng, std::initializer_list<T> values) {
  return *(values.begin() + uniform(rng, 0, int(values.size()) - 1));
}

// Channel counts that hit the lane/column boundaries (ROWS = COLS = 8) and off-by-ones.
int randomChannels(std::mt19937 &rng, int max_channels) {
  const int c = chance(rng, 0.6) ? pick(rng, {1, 3, 7, 8, 9, 13, 16, 17, 24, 33, 40, 64})
                                 : uniform(rng, 1, max_channels);
  return std::min(c, max_channels);
}

int8_t randomValue(std::mt19937 &rng, double density, int magnitude) {
  if (!chance(rng, density)) return 0;
  return static_cast<int8_t>(uniform(rng, -magnitude - 1, magnitude));
}

Activation randomActivation(std::mt19937 &rng) {
  switch (uniform(rng, 0, 2)) {
    case 0:
      return Activation::none();
    case 1:
      return Activation::relu();
    default:
      return Activation::relu6(uniform(rng, 1, 127));
  }
}

// Smallest input extent that gives at least one output for the window.
int fitInput(int in, int kernel, int pad) { return std::max(in, kernel - 2 * pad); }

LayerDesc randomShape(LayerKind kind, std::mt19937 &rng) {
  const Activation act = randomActivation(rng);
  auto window = [&](int kernel, int &stride, int &pad, int &h, int &w) {
    stride = uniform(rng, 1, 2);
    pad = uniform(rng, 0, kernel / 2);
    h = fitInput(uniform(rng, 1, 12), kernel, pad);
    w = fitInput(uniform(rng, 1, 12), kernel, pad);
  };
  int stride = 1, pad = 0, h = 1, w = 1;
  switch (kind) {
    case LayerKind::Conv3x3:
      window(3, stride, pad, h, w);
      return conv2dLayer(h, w, randomChannels(rng, 40), randomChannels(rng, 40), 3, stride, pad,
                         act);
    case LayerKind::Conv5x5:
      window(5, stride, pad, h, w);
      return conv2dLayer(h, w, randomChannels(rng, 17), randomChannels(rng, 32), 5, stride, pad,
                         act);
    case LayerKind::Pointwise:
      // Up to 14x14x96: large enough for tensors that span more than one data bank.
      return pointwiseLayer(uniform(rng, 1, 14), uniform(rng, 1, 14), randomChannels(rng, 96),
                            randomChannels(rng, 96), act);
    case LayerKind::FullyConnected:
      return fullyConnectedLayer(uniform(rng, 1, 400), randomChannels(rng, 64), act);
    case LayerKind::Depthwise3x3:
      window(3, stride, pad, h, w);
      return depthwiseLayer(h, w, randomChannels(rng, 64), 3, stride, pad, act);
    case LayerKind::Depthwise5x5:
      window(5, stride, pad, h, w);
      return depthwiseLayer(h, w, randomChannels(rng, 40), 5, stride, pad, act);
    case LayerKind::MaxPool: {
      const int kernel = uniform(rng, 1, 3);
      window(kernel, stride, pad, h, w);
      return maxPoolLayer(h, w, randomChannels(rng, 64), kernel, stride, pad,
                          chance(rng, 0.7) ? Activation::none() : act);
    }
    case LayerKind::AvgPool: {
      const int kernel = uniform(rng, 1, 3);
      window(kernel, stride, pad, h, w);
      return avgPoolLayer(h, w, randomChannels(rng, 64), kernel, stride, pad, act);
    }
    case LayerKind::ResidualAdd:
      return residualAddLayer(uniform(rng, 1, 12), uniform(rng, 1, 12), randomChannels(rng, 64),
                              uniform(rng, -128, 127), uniform(rng, -128, 127), act);
    case LayerKind::ConvAnyKernel: {
      LayerDesc d;
      d.op = LayerOp::Conv;
      d.kh = uniform(rng, 1, 4);
      d.kw = uniform(rng, 1, 4);
      d.stride = uniform(rng, 1, 3);
      d.pad_top = uniform(rng, 0, d.kh - 1);
      d.pad_left = uniform(rng, 0, d.kw - 1);
      d.in_h = uniform(rng, 1, 8);
      d.in_w = uniform(rng, 1, 8);
      d.in_c = randomChannels(rng, 17);
      d.out_c = randomChannels(rng, 17);
      // Any output size whose last window still starts inside the input; the bottom and
      // right padding it implies may differ from the top and left.
      d.out_h = uniform(rng, 1, (d.in_h - 1 + d.pad_top) / d.stride + 1);
      d.out_w = uniform(rng, 1, (d.in_w - 1 + d.pad_left) / d.stride + 1);
      d.act_min = act.min;
      d.act_max = act.max;
      return d;
    }
  }
  return {};
}

// Typical magnitude of the accumulator for random operands, used to pick a shift that
// maps it to roughly +-64 so the clamp is exercised but does not dominate.
double typicalAccumulator(const LayerDesc &d, double density, int magnitude) {
  double terms = 1;
  double operand = magnitude / std::sqrt(3.0) * density;
  switch (d.op) {
    case LayerOp::Conv:
      terms = double(d.kh) * d.kw * d.in_c;
      operand = operand * operand;
      break;
    case LayerOp::DwConv:
      terms = double(d.kh) * d.kw;
      operand = operand * operand;
      break;
    case LayerOp::AvgPool:
      terms = double(d.kh) * d.kw;
      break;
    case LayerOp::Add:
      terms = 2;
      operand = operand * 74;  // |add_w| ~ uniform over int8
      break;
    case LayerOp::MaxPool:
      break;
  }
  return std::max(1.0, std::sqrt(terms) * operand);
}

}  // namespace

const char *layerKindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::Conv3x3:
      return "conv3x3";
    case LayerKind::Conv5x5:
      return "conv5x5";
    case LayerKind::Pointwise:
      return "pointwise";
    case LayerKind::FullyConnected:
      return "fully-connected";
    case LayerKind::Depthwise3x3:
      return "depthwise3x3";
    case LayerKind::Depthwise5x5:
      return "depthwise5x5";
    case LayerKind::MaxPool:
      return "maxpool";
    case LayerKind::AvgPool:
      return "avgpool";
    case LayerKind::ResidualAdd:
      return "residual-add";
    case LayerKind::ConvAnyKernel:
      return "conv-any-kernel";
  }
  return "?";
}

LayerTensors makeRandomTensors(const LayerDesc &d, std::mt19937 &rng, double density) {
  LayerTensors t;
  const int magnitude = chance(rng, 0.7) ? 127 : uniform(rng, 1, 20);
  const size_t in_size = size_t(d.in_h) * d.in_w * d.in_c;
  t.input.resize(in_size);
  for (int8_t &v : t.input) v = randomValue(rng, density, magnitude);
  if (d.op == LayerOp::Add) {
    t.input2.resize(in_size);
    for (int8_t &v : t.input2) v = randomValue(rng, density, magnitude);
  }
  size_t w_size = 0;
  if (d.op == LayerOp::Conv) w_size = size_t(d.out_c) * d.in_c * d.kh * d.kw;
  if (d.op == LayerOp::DwConv) w_size = size_t(d.out_c) * d.kh * d.kw;
  t.weights.resize(w_size);
  for (int8_t &v : t.weights) v = randomValue(rng, density, magnitude);
  if (d.op == LayerOp::MaxPool) return t;

  const double typical = typicalAccumulator(d, density, magnitude);
  t.bias.resize(size_t(d.out_c));
  t.scale.resize(size_t(d.out_c));
  t.shift.resize(size_t(d.out_c));
  for (int c = 0; c < d.out_c; ++c) {
    const auto ch = size_t(c);
    const int scale = uniform(rng, 1, 65535);
    // scale * typical / 2^shift ~ 64, jittered so some channels saturate.
    const int shift = int(std::lround(std::log2(scale * typical / 64.0))) + uniform(rng, -1, 1);
    t.scale[ch] = uint16_t(scale);
    t.shift[ch] = uint8_t(std::clamp(shift, 0, 47));
    t.bias[ch] = int32_t(uniform(rng, -int(2 * typical), int(2 * typical)));
    switch (uniform(rng, 0, 19)) {  // rare extremes of the requantiser
      case 0:
        t.scale[ch] = 65535;
        t.shift[ch] = 47;
        break;
      case 1:
        t.shift[ch] = 0;
        break;
      case 2:
        t.bias[ch] = chance(rng, 0.5) ? INT32_MAX - uniform(rng, 0, 1000)
                                      : INT32_MIN + uniform(rng, 0, 1000);
        break;
      case 3:
        t.scale[ch] = 0;
        break;
      default:
        break;
    }
  }
  if (d.op == LayerOp::AvgPool && chance(rng, 0.5)) setAvgPoolRequant(d, t);
  return t;
}

RandomLayer makeRandomLayer(int index, const AccelConfig &cfg) {
  std::mt19937 rng(0x9e3779b9u ^ uint32_t(index) * 2654435761u);
  RandomLayer layer;
  layer.kind = static_cast<LayerKind>(index % kLayerKindCount);
  layer.desc = randomShape(layer.kind, rng);
  LayerDesc &d = layer.desc;
  const double density = pick(rng, {1.0, 1.0, 0.7, 0.3, 0.05});
  layer.tensors = makeRandomTensors(d, rng, density);

  // Buffer placement: input, second input and output anywhere they fit without
  // overlapping, so they land in the same bank or in different banks, across bank
  // boundaries or not.
  const int in_words = inputWords(d, cfg);
  const int out_words = outputWords(d, cfg);
  const int capacity = cfg.actWords();
  Placement p;
  for (;;) {
    p.act_base = uniform(rng, 0, capacity - in_words);
    p.act2_base = uniform(rng, 0, capacity - in_words);
    p.out_base = uniform(rng, 0, capacity - out_words);
    if (chance(rng, 0.3)) p.out_base = (p.act_base / cfg.act_bank_words) * cfg.act_bank_words;
    LayerDesc probe = d;
    placeLayer(probe, p, cfg);
    if (validate(probe, cfg).empty()) break;
  }
  p.w_base = uniform(rng, 0, cfg.weightWords() - weightImageWords(d, cfg));
  // External memory: descriptor and tensors at random 8-aligned places in disjoint
  // 128 KiB slots (the largest weight image of the parameter sets tested is 64 KiB).
  auto slot = [&](int n) {
    return uint32_t(n) * 0x20000u + uint32_t(uniform(rng, 0, 0x1000)) * 8u;
  };
  layer.desc_addr = slot(0);
  p.ext_act_addr = slot(1);
  p.ext_act2_addr = slot(2);
  p.ext_w_addr = slot(3);
  p.ext_out_addr = slot(5);
  placeLayer(d, p, cfg);
  layer.timing.read_latency = uniform(rng, 1, 6);
  layer.timing.request_interval = pick(rng, {1, 1, 2, 3});
  if (chance(rng, 0.25)) {
    layer.timing.latency_jitter = uniform(rng, 1, 8);
    layer.timing.jitter_seed = uint32_t(index) + 1;
  }
  return layer;
}

}  // namespace pf
