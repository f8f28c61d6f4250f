#include "characterize/energy/AcceleratorWorkload.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/Error.hh"
#include "golden/Builders.hh"
#include "golden/Packing.hh"
#include "golden/Reference.hh"

namespace pf::energy {

namespace {

constexpr int kSide = 8;       // input height and width of every layer
constexpr int kChannels = 16;  // two data words per pixel on the default 8-lane array
constexpr uint32_t kFirstTensorAddr = 0x1000;

// Raw engine output only: std distributions differ between standard libraries, and the
// table must not.
class ByteSource {
 public:
  explicit ByteSource(uint64_t seed) : rng_(seed) {}
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  int8_t weight() { return static_cast<int8_t>(static_cast<uint8_t>(rng_())); }
  // ReLU-like: zero half of the time, else 1..127.
  int8_t activation() { return below(2) ? 0 : static_cast<int8_t>(1 + below(127)); }

 private:
  std::mt19937_64 rng_;
};

// Mean square of activation() and weight().
constexpr double kActivationSquare = 0.5 * 127.0 * 128.0 * 255.0 / (6.0 * 127.0);
constexpr double kWeightSquare = 128.0 * 128.0 / 3.0;

std::vector<int8_t> activations(ByteSource &bytes, size_t count) {
  std::vector<int8_t> values(count);
  for (int8_t &v : values) v = bytes.activation();
  return values;
}

// Per-channel requantisation that maps a typical accumulator to about +-48, so outputs
// carry data rather than saturating.
void setRequant(LayerTensors &t, int channels, double typical_acc, ByteSource &bytes) {
  for (int ch = 0; ch < channels; ++ch) {
    const uint32_t scale = 16384 + bytes.below(16384);
    const int shift = static_cast<int>(std::lround(std::log2(scale * typical_acc / 48.0)));
    const int32_t bias_range = static_cast<int32_t>(typical_acc / 4) + 1;
    t.scale.push_back(static_cast<uint16_t>(scale));
    t.shift.push_back(static_cast<uint8_t>(std::clamp(shift, 0, 47)));
    t.bias.push_back(static_cast<int32_t>(bytes.below(2 * bias_range)) - bias_range);
  }
}

LayerTensors tensorsFor(const LayerDesc &d, ByteSource &bytes) {
  LayerTensors t;
  t.input = activations(bytes, size_t(d.in_h) * d.in_w * d.in_c);
  const double window = double(d.kh) * d.kw;
  switch (d.op) {
    case LayerOp::Conv:
      t.weights.resize(size_t(d.out_c) * d.in_c * d.kh * d.kw);
      for (int8_t &w : t.weights) w = bytes.weight();
      setRequant(t, d.out_c, std::sqrt(window * d.in_c * kActivationSquare * kWeightSquare), bytes);
      break;
    case LayerOp::DwConv:
      t.weights.resize(size_t(d.out_c) * d.kh * d.kw);
      for (int8_t &w : t.weights) w = bytes.weight();
      setRequant(t, d.out_c, std::sqrt(window * kActivationSquare * kWeightSquare), bytes);
      break;
    case LayerOp::Add:
      t.input2 = activations(bytes, t.input.size());
      setRequant(t, d.out_c,
                 std::sqrt((d.add_wa * d.add_wa + d.add_wb * d.add_wb) * kActivationSquare), bytes);
      break;
    default:  // MAXPOOL: no parameters
      break;
  }
  return t;
}

void put(std::vector<uint8_t> &memory, uint32_t addr, const std::vector<uint8_t> &bytes) {
  if (memory.size() < addr + bytes.size()) memory.resize(addr + bytes.size(), 0);
  std::copy(bytes.begin(), bytes.end(), memory.begin() + addr);
}

uint32_t layerEnd(const LayerDesc &d, const AccelConfig &cfg) {
  const uint32_t end = d.ext_out_addr + uint32_t(d.out_dma_words) * uint32_t(dataWordBytes(cfg));
  return (end + 63) / 64 * 64;
}

void addLayer(AcceleratorWorkload &w, const std::string &name, LayerDesc d, ByteSource &bytes,
              uint32_t &next_addr) {
  const AccelConfig &cfg = w.config;
  placeLayer(d, compactPlacement(d, cfg, next_addr), cfg);
  if (const std::vector<Problem> problems = validate(d, cfg); !problems.empty())
    throw Error(5361, {}, name,
                fmt::format("the always-on energy workload layer does not fit this accelerator "
                            "configuration: {}",
                            formatProblems(problems)));
  const LayerTensors t = tensorsFor(d, bytes);
  WorkloadLayer layer{name, d, uint32_t(w.layers.size()) * uint32_t(kDescriptorBytes),
                      runReference(d, t)};
  put(w.memory, layer.desc_addr, descriptorBytes(d));
  put(w.memory, d.ext_act_addr, packTensor(t.input, d.in_h, d.in_w, d.in_c, cfg));
  if (d.act2_dma_words > 0)
    put(w.memory, d.ext_act2_addr, packTensor(t.input2, d.in_h, d.in_w, d.in_c, cfg));
  if (d.w_dma_words > 0) put(w.memory, d.ext_w_addr, packWeights(d, t, cfg));
  next_addr = layerEnd(d, cfg);
  put(w.memory, d.ext_out_addr, std::vector<uint8_t>(next_addr - d.ext_out_addr, 0));
  w.layers.push_back(std::move(layer));
}

}  // namespace

AcceleratorWorkload makeAcceleratorWorkload(const AccelConfig &config, uint64_t seed) {
  AcceleratorWorkload w;
  w.config = config;
  ByteSource bytes(seed);
  uint32_t next = kFirstTensorAddr;
  addLayer(w, "conv3x3",
           conv2dLayer(kSide, kSide, kChannels, kChannels, 3, 1, 1, Activation::relu()), bytes,
           next);
  addLayer(w, "depthwise3x3", depthwiseLayer(kSide, kSide, kChannels, 3, 1, 1, Activation::relu()),
           bytes, next);
  addLayer(w, "maxpool2x2", maxPoolLayer(kSide, kSide, kChannels, 2, 2, 0), bytes, next);
  addLayer(w, "add", residualAddLayer(kSide, kSide, kChannels, 3, -2, Activation::relu()), bytes,
           next);
  return w;
}

int64_t outputMismatches(const AcceleratorWorkload &workload, const WorkloadLayer &layer,
                         const std::vector<uint8_t> &memory) {
  const LayerDesc &d = layer.desc;
  const size_t bytes = size_t(d.out_dma_words) * size_t(dataWordBytes(workload.config));
  if (memory.size() < d.ext_out_addr + bytes) return int64_t(layer.expected.size());
  const std::vector<uint8_t> stored(memory.begin() + d.ext_out_addr,
                                    memory.begin() + d.ext_out_addr + long(bytes));
  const std::vector<int8_t> output =
      unpackTensor(stored, d.out_h, d.out_w, d.out_c, workload.config);
  int64_t mismatches = 0;
  for (size_t i = 0; i < layer.expected.size(); ++i)
    mismatches += i >= output.size() || output[i] != layer.expected[i];
  return mismatches;
}

}  // namespace pf::energy
