#include "tests/workload/NetData.hh"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "golden/Packing.hh"
#include "golden/Reference.hh"

namespace pf::test {

namespace {

int uniform(std::mt19937 &rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

// Rough standard deviation of the accumulator, so that the requantisation spreads the
// outputs over the int8 range (activations ~40, weights ~37 in magnitude).
double typicalAccumulator(const LayerDesc &d) {
  switch (d.op) {
    case LayerOp::Conv:
      return std::sqrt(double(d.kh) * d.kw * d.in_c) * 40.0 * 37.0;
    case LayerOp::DwConv:
      return std::sqrt(double(d.kh) * d.kw) * 40.0 * 37.0;
    case LayerOp::AvgPool:
      return double(d.kh) * d.kw * 30.0;
    case LayerOp::Add:
      return 57.0;
    case LayerOp::MaxPool:
      break;
  }
  return 1.0;
}

LayerTensors randomParams(const LayerDesc &d, std::mt19937 &rng) {
  LayerTensors t;
  size_t weights = 0;
  if (d.op == LayerOp::Conv) weights = size_t(d.out_c) * d.in_c * d.kh * d.kw;
  if (d.op == LayerOp::DwConv) weights = size_t(d.out_c) * d.kh * d.kw;
  t.weights.resize(weights);
  for (int8_t &w : t.weights) w = int8_t(uniform(rng, -64, 63));
  if (d.op == LayerOp::MaxPool) return t;
  const double typical = typicalAccumulator(d);
  for (int c = 0; c < d.out_c; ++c) {
    const int scale = uniform(rng, 16384, 65535);
    const int shift = int(std::lround(std::log2(scale * typical / 40.0)));
    t.scale.push_back(uint16_t(scale));
    t.shift.push_back(uint8_t(std::clamp(shift, 0, 47)));
    t.bias.push_back(int32_t(uniform(rng, -int(typical / 4), int(typical / 4))));
  }
  return t;
}

template <typename T>
std::vector<T> rows(const std::vector<T> &v, size_t row_size, size_t first, size_t count) {
  return std::vector<T>(v.begin() + long(first * row_size),
                        v.begin() + long((first + count) * row_size));
}

}  // namespace

NetData makeNetData(const Mapping &m, uint32_t seed) {
  std::mt19937 rng(seed);
  NetData data;
  data.values.resize(m.tensors.size());
  const MappedTensor &input = m.tensors[0];
  data.values[0].resize(size_t(input.h) * input.w * input.c);
  for (int8_t &v : data.values[0]) v = int8_t(uniform(rng, -100, 100));
  for (const MappedLayer &layer : m.layers) {
    // A plain copy holds its blocked source's values; the layer's gather tiles make it.
    for (int copy : layer.gathers)
      data.values[size_t(copy)] = data.values[size_t(m.tensors[size_t(copy)].gather_of)];
    data.params.push_back(randomParams(layer.shape, rng));
    LayerTensors t = data.params.back();
    const LayerDesc &d = layer.shape;
    const size_t in_size = size_t(d.in_h) * d.in_w * d.in_c;  // a refolded pool reads a prefix
    t.input = data.values[size_t(layer.inputs[0])];
    t.input.resize(in_size);
    if (d.op == LayerOp::Add) {
      t.input2 = data.values[size_t(layer.inputs[1])];
      t.input2.resize(in_size);
    }
    data.values[size_t(layer.output)] = runReference(d, t);
  }
  return data;
}

LayerTensors blockTensors(const Mapping &m, const NetData &data, int layer, int block) {
  const MappedLayer &ml = m.layers[size_t(layer)];
  const LayerTensors &all = data.params[size_t(layer)];
  const size_t c0 = size_t(ml.block_start[size_t(block)]);
  const size_t count = size_t(ml.block_start[size_t(block) + 1]) - c0;
  const LayerDesc &d = ml.shape;
  LayerTensors t;
  if (d.op == LayerOp::Conv) t.weights = rows(all.weights, size_t(d.in_c) * d.kh * d.kw, c0, count);
  if (d.op == LayerOp::DwConv) t.weights = rows(all.weights, size_t(d.kh) * d.kw, c0, count);
  if (d.op != LayerOp::MaxPool) {
    t.bias = rows(all.bias, 1, c0, count);
    t.scale = rows(all.scale, 1, c0, count);
    t.shift = rows(all.shift, 1, c0, count);
  }
  return t;
}

std::vector<uint8_t> packStored(const Mapping &m, int tensor, const std::vector<int8_t> &values) {
  const MappedTensor &t = m.tensors[size_t(tensor)];
  std::vector<uint8_t> bytes;
  const size_t pixels = size_t(t.h) * t.w;
  for (int b = 0; b < t.blockCount(); ++b) {
    const int c0 = t.block_start[size_t(b)], cb = t.blockChannels(b);
    std::vector<int8_t> block(pixels * size_t(cb));
    for (size_t p = 0; p < pixels; ++p)
      for (int c = 0; c < cb; ++c)
        block[p * size_t(cb) + size_t(c)] = values[p * size_t(t.c) + size_t(c0 + c)];
    const std::vector<uint8_t> packed = packTensor(block, t.h, t.w, cb, m.cfg);
    bytes.insert(bytes.end(), packed.begin(), packed.end());
  }
  return bytes;
}

std::vector<uint8_t> externalImage(const Mapping &m, const NetData &data) {
  std::vector<uint8_t> image(m.ext.end, 0);
  auto put = [&](uint32_t addr, const std::vector<uint8_t> &bytes) {
    std::copy(bytes.begin(), bytes.end(), image.begin() + addr);
  };
  for (size_t i = 0; i < m.layers.size(); ++i) {
    for (const MappedTile &tile : m.layers[i].tiles) {
      put(tile.desc_addr, descriptorBytes(tile.desc));
      if (tile.desc.w_dma_words > 0)
        put(tile.desc.ext_w_addr,
            packWeights(tile.desc, blockTensors(m, data, int(i), tile.block), m.cfg));
    }
  }
  put(m.tensors[0].ext_addr, packStored(m, 0, data.values[0]));
  return image;
}

std::vector<std::string> externalMismatches(const Mapping &m, const NetData &data,
                                            const std::vector<uint8_t> &memory) {
  std::vector<std::string> problems;
  for (size_t t = 1; t < m.tensors.size(); ++t) {
    const MappedTensor &tensor = m.tensors[t];
    if (!tensor.external) continue;
    const std::vector<uint8_t> expected = packStored(m, int(t), data.values[t]);
    for (size_t i = 0; i < expected.size(); ++i) {
      if (memory.at(tensor.ext_addr + i) != expected[i]) {
        problems.push_back(fmt::format("{}: byte {} of {} is {}, expected {}", tensor.name, i,
                                       expected.size(), memory[tensor.ext_addr + i], expected[i]));
        break;
      }
    }
  }
  return problems;
}

const char *const kGatherNetworkToml = R"([network]
name = "gather"
[input]
name = "x"
shape_hwc = [6, 5, 64]
[[layer]]
name = "a"
op = "conv2d"
out_channels = 128
kernel = 3
padding = "same"
activation = "relu"
[[layer]]
name = "b"
op = "conv2d"
out_channels = 128
kernel = 3
padding = "same"
[[layer]]
name = "down"
op = "conv2d"
inputs = ["x"]
out_channels = 128
kernel = 1
[[layer]]
name = "sum"
op = "add"
inputs = ["b", "down"]
activation = "relu"
[[layer]]
name = "c"
op = "conv2d"
out_channels = 16
kernel = 3
stride = 2
padding = "same"
[[layer]]
name = "e"
op = "conv2d"
inputs = ["sum"]
out_channels = 16
kernel = 1
stride = 2
[[layer]]
name = "sum2"
op = "add"
inputs = ["c", "e"]
[[layer]]
name = "f"
op = "conv2d"
inputs = ["sum"]
out_channels = 512
kernel = 1
stride = 2
activation = "relu"
[[layer]]
name = "g"
op = "conv2d"
out_channels = 16
kernel = 1
[[layer]]
name = "out"
op = "add"
inputs = ["sum2", "g"]
)";

std::string scratchDir() {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pf_workload_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string scratchFile(const std::string &name, const std::string &text) {
  const std::string path = scratchDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

Network networkFromToml(const std::string &name, const std::string &toml) {
  return readNetwork(scratchFile(name, toml));
}

}  // namespace pf::test
