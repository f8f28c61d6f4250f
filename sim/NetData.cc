#include "sim/NetData.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "golden/HostOps.hh"
#include "golden/Packing.hh"
#include "golden/Reference.hh"

namespace pf {

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

namespace {

// The network input from `input_rng`, every layer's parameters from `param_rng` (one
// generator for both in the single-seed form).
NetData generate(const Mapping &m, std::mt19937 &input_rng, std::mt19937 &param_rng) {
  std::mt19937 &rng = input_rng;
  NetData data;
  data.values.resize(m.tensors.size());
  const MappedTensor &input = m.tensors[0];
  data.values[0].resize(size_t(input.h) * input.w * input.c);
  for (int8_t &v : data.values[0]) v = int8_t(uniform(rng, -100, 100));
  // A concat's output is its inputs' channels side by side, once they are all known.
  auto join = [&] {
    for (size_t t = 0; t < m.tensors.size(); ++t) {
      const MappedTensor &concat = m.tensors[t];
      if (concat.concat_of.empty() || !data.values[t].empty()) continue;
      if (!std::all_of(concat.concat_of.begin(), concat.concat_of.end(),
                       [&](int part) { return !data.values[size_t(part)].empty(); }))
        continue;
      std::vector<int8_t> &joined = data.values[t];
      const size_t pixels = size_t(concat.h) * size_t(concat.w);
      joined.resize(pixels * size_t(concat.c));
      size_t c0 = 0;
      for (int part : concat.concat_of) {
        const size_t c = size_t(m.tensors[size_t(part)].c);
        for (size_t p = 0; p < pixels; ++p)
          std::copy_n(data.values[size_t(part)].begin() + long(p * c), c,
                      joined.begin() + long(p * size_t(concat.c) + c0));
        c0 += c;
      }
    }
  };
  // Accelerator and host layers in network order (a host layer reads tensors that earlier
  // layers made and feeds later ones).
  for (const MappedStage &stage : mappedStages(m)) {
    join();
    if (stage.host) {
      const MappedHostLayer &host = m.host_layers[size_t(stage.index)];
      static const std::vector<int8_t> kNone;
      data.values[size_t(host.output)] =
          runHostOp(host.desc, data.values[size_t(host.inputs[0])],
                    host.inputs.size() > 1 ? data.values[size_t(host.inputs[1])] : kNone);
      continue;
    }
    const MappedLayer &layer = m.layers[size_t(stage.index)];
    // A plain copy holds its blocked source's values; the layer's gather tiles make it.
    for (int copy : layer.gathers)
      data.values[size_t(copy)] = data.values[size_t(m.tensors[size_t(copy)].gather_of)];
    // A pool split in two: the first pass, with its own requantisation, makes the
    // intermediate tensor that the second (the layer's shape) reads.
    LayerTensors first;
    if (layer.intermediate >= 0) {
      first = randomParams(layer.pass1, param_rng);
      LayerTensors t1 = first;
      const LayerDesc &d1 = layer.pass1;
      t1.input = data.values[size_t(layer.inputs[0])];
      t1.input.resize(size_t(d1.in_h) * d1.in_w * d1.in_c);  // the rows its windows cover
      data.values[size_t(layer.intermediate)] = runReference(d1, t1);
    }
    data.pass1_params.push_back(first);
    data.params.push_back(randomParams(layer.shape, param_rng));
    LayerTensors t = data.params.back();
    const LayerDesc &d = layer.shape;
    const size_t in_size = size_t(d.in_h) * d.in_w * d.in_c;  // a refolded pool reads a prefix
    t.input = data.values[size_t(layer.intermediate >= 0 ? layer.intermediate : layer.inputs[0])];
    t.input.resize(in_size);
    if (d.op == LayerOp::Add) {
      t.input2 = data.values[size_t(layer.inputs[1])];
      t.input2.resize(in_size);
    }
    data.values[size_t(layer.output)] = runReference(d, t);
  }
  join();
  return data;
}

}  // namespace

NetData makeNetData(const Mapping &m, uint32_t seed) {
  std::mt19937 rng(seed);
  return generate(m, rng, rng);
}

NetData makeNetData(const Mapping &m, uint32_t weight_seed, uint32_t input_seed) {
  std::mt19937 params(weight_seed), input(input_seed ^ 0x9e3779b9u);
  return generate(m, input, params);
}

LayerTensors blockTensors(const Mapping &m, const NetData &data, int layer, int block, bool pass1) {
  const MappedLayer &ml = m.layers[size_t(layer)];
  const LayerTensors &all = (pass1 ? data.pass1_params : data.params)[size_t(layer)];
  const size_t c0 = size_t(ml.block_start[size_t(block)]);
  const size_t count = size_t(ml.block_start[size_t(block) + 1]) - c0;
  const LayerDesc &d = pass1 ? ml.pass1 : ml.shape;
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

LayerTensors tileTensors(const Mapping &m, const NetData &data, int layer, const MappedTile &tile) {
  if (tile.gather || tile.copy) return {};
  return blockTensors(m, data, layer, tile.block, tile.pass1);
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

std::vector<int8_t> unpackStored(const Mapping &m, int tensor, const std::vector<uint8_t> &bytes) {
  const MappedTensor &t = m.tensors[size_t(tensor)];
  const size_t pixels = size_t(t.h) * t.w;
  std::vector<int8_t> values(pixels * size_t(t.c));
  size_t offset = 0;
  for (int b = 0; b < t.blockCount(); ++b) {
    const int c0 = t.block_start[size_t(b)], cb = t.blockChannels(b);
    const size_t block_bytes = pixels * size_t(channelWords(cb, m.cfg)) * dataWordBytes(m.cfg);
    if (offset + block_bytes > bytes.size())
      throw std::invalid_argument(fmt::format("unpackStored: tensor '{}' needs {} bytes, {} given",
                                              t.name, offset + block_bytes, bytes.size()));
    const std::vector<uint8_t> packed(bytes.begin() + long(offset),
                                      bytes.begin() + long(offset + block_bytes));
    const std::vector<int8_t> block = unpackTensor(packed, t.h, t.w, cb, m.cfg);
    for (size_t p = 0; p < pixels; ++p)
      for (int c = 0; c < cb; ++c)
        values[p * size_t(t.c) + size_t(c0 + c)] = block[p * size_t(cb) + size_t(c)];
    offset += block_bytes;
  }
  return values;
}

std::vector<uint8_t> runHostLayer(const Mapping &m, const MappedHostLayer &host,
                                  const std::vector<uint8_t> &memory) {
  std::vector<std::vector<int8_t>> inputs;
  for (int t : host.inputs) {
    const MappedTensor &tensor = m.tensors[size_t(t)];
    const size_t bytes = size_t(tensor.words) * dataWordBytes(m.cfg);
    if (!tensor.external || size_t(tensor.ext_addr) + bytes > memory.size())
      throw std::invalid_argument(
          fmt::format("runHostLayer: input '{}' is not in the external-memory image", tensor.name));
    inputs.push_back(
        unpackStored(m, t,
                     std::vector<uint8_t>(memory.begin() + long(tensor.ext_addr),
                                          memory.begin() + long(tensor.ext_addr + bytes))));
  }
  const std::vector<int8_t> output =
      runHostOp(host.desc, inputs[0], inputs.size() > 1 ? inputs[1] : std::vector<int8_t>{});
  return packStored(m, host.output, output);
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
            packWeights(tile.desc, tileTensors(m, data, int(i), tile), m.cfg));
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

std::vector<std::vector<uint8_t>> onChipWords(const Mapping &m, int tensor,
                                              const std::vector<int8_t> &values) {
  const MappedTensor &t = m.tensors.at(size_t(tensor));
  if (!t.on_chip) return {};
  // The buffer holds the stored layout word for word from act_base (the DMA copies are
  // linear, and a producer writes its output blocks where its consumers read them).
  const std::vector<uint8_t> bytes = packStored(m, tensor, values);
  const size_t word_bytes = size_t(dataWordBytes(m.cfg));
  std::vector<std::vector<uint8_t>> words;
  words.reserve(bytes.size() / word_bytes);
  for (size_t at = 0; at < bytes.size(); at += word_bytes)
    words.emplace_back(bytes.begin() + std::ptrdiff_t(at),
                       bytes.begin() + std::ptrdiff_t(at + word_bytes));
  return words;
}

}  // namespace pf
