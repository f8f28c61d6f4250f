#include "workload/Mapping.hh"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>

#include "golden/Packing.hh"

namespace pf {

const char *tileSchemeName(TileScheme scheme) {
  switch (scheme) {
    case TileScheme::RowBands:
      return "row_bands";
    case TileScheme::Pixels:
      return "pixels";
  }
  return "?";
}

int MappedTensor::blockOffsetWords(int b, const AccelConfig &cfg) const {
  int before = 0;
  for (int i = 0; i < b; ++i) before += channelWords(blockChannels(i), cfg);
  return h * w * before;
}

int Mapping::tileCount() const {
  int count = 0;
  for (const MappedLayer &layer : layers) count += int(layer.tiles.size());
  return count;
}

int Mapping::storageOf(int tensor) const {
  while (tensors[size_t(tensor)].alias_of >= 0) tensor = tensors[size_t(tensor)].alias_of;
  return tensor;
}

int Mapping::storageOffsetWords(int tensor) const {
  int words = 0;
  for (; tensors[size_t(tensor)].alias_of >= 0; tensor = tensors[size_t(tensor)].alias_of) {
    const MappedTensor &part = tensors[size_t(tensor)];
    const MappedTensor &whole = tensors[size_t(part.alias_of)];
    const auto block =
        std::find(whole.block_start.begin(), whole.block_start.end(), part.alias_channel);
    if (block == whole.block_start.end())
      throw std::logic_error("storageOffsetWords: '" + part.name + "' does not start a block of '" +
                             whole.name + "'");
    words += whole.blockOffsetWords(int(block - whole.block_start.begin()), cfg);
  }
  return words;
}

namespace {

constexpr int kMaxField = 0xffff;   // 16-bit descriptor fields
constexpr int kMaxWindow = 15;      // 4-bit kernel, stride and padding fields
constexpr uint32_t kExtAlign = 64;  // external regions start on descriptor boundaries

bool isPowerOfTwo(int value) { return value > 0 && (value & (value - 1)) == 0; }

// Errors about one network layer, located at its [[layer]] table.
[[noreturn]] void reject(int id, const Network &net, int index, const std::string &what) {
  const NetLayer &layer = net.layers[size_t(index)];
  throw Error(id, layer.loc, fmt::format("layer[{}]", index),
              fmt::format("layer '{}' ({}): {}", layer.name, netOpName(layer.op), what));
}

bool isPerChannel(LayerOp op) { return op != LayerOp::Conv; }

int64_t pixels(const TensorShape &s) { return s.h * s.w; }

// ------------------------------------------------------------------------------------
// The whole layer as one descriptor (shape fields only).

struct LayerShape {
  LayerDesc desc;
  bool refolded = false;
  std::optional<LayerDesc> pass1;  // a pool split in two: the first pass; desc is the second
};

void checkField(const Network &net, int index, int64_t value, int64_t limit, const char *what) {
  if (value > limit)
    reject(6701, net, index,
           fmt::format("{} {} exceeds the descriptor's limit of {}", what, value, limit));
}

// One stride for both axes: an axis with a single output position does not care.
int encodeStride(const Network &net, int index) {
  const NetLayer &l = net.layers[size_t(index)];
  const bool rows = l.output_shape.h > 1, cols = l.output_shape.w > 1;
  if (rows && cols && l.stride_h != l.stride_w)
    reject(6720, net, index,
           fmt::format("stride {}x{} differs between rows and columns; pf_accel has one stride",
                       l.stride_h, l.stride_w));
  const int64_t stride = rows ? l.stride_h : cols ? l.stride_w : 1;
  checkField(net, index, stride, kMaxWindow, "stride");
  return int(stride);
}

// A pooling window over kh whole rows (kw = in_w, no padding, one output) sums (or takes the
// maximum of) kh*in_w
// consecutive pixels, which are contiguous in HWC: the same pixels read as an a x b image
// with a, b <= 15 give the identical sum.
bool refoldPool(LayerDesc &d, const NetLayer &l) {
  const bool whole_rows =
      d.kw == d.in_w && d.out_h == 1 && d.out_w == 1 && l.padding == Padding{} && d.kh <= d.in_h;
  if (!whole_rows) return false;
  const int n = d.kh * d.kw;
  for (int b = kMaxWindow; b >= 1; --b) {
    if (n % b == 0 && n / b <= kMaxWindow) {
      d.in_h = d.kh = n / b;
      d.in_w = d.kw = b;
      d.stride = 1;
      return true;
    }
  }
  return false;
}

// A pooling window larger than 15 that tiles its input (no padding; stride = window on
// every axis with more than one output) as two passes (docs/mapping.md, "Large pools"):
// a x b windows with stride (a, b), then p x q windows with stride (p, q) over their
// results, kh = a*p and kw = b*q, every factor <= 15. The descriptor has one stride, so the
// two strides of a pass must be equal unless one of its axes has a single output. Of the
// splits that exist, the one whose first pass has the fewest outputs (the largest
// windows first, which take the fewest cycles); nullopt with the reason when none does.
struct PoolSplit {
  LayerDesc first, second;
};
std::optional<PoolSplit> splitPool(const LayerDesc &d, const NetLayer &l, std::string &why) {
  if (l.padding != Padding{}) {
    why = "it has padding";
    return std::nullopt;
  }
  if ((d.out_h > 1 && l.stride_h != d.kh) || (d.out_w > 1 && l.stride_w != d.kw)) {
    why = fmt::format(
        "its stride {}x{} differs from the window, so the windows do not tile the "
        "input",
        l.stride_h, l.stride_w);
    return std::nullopt;
  }
  std::optional<PoolSplit> best;
  int64_t best_pixels = 0;
  for (int a = kMaxWindow; a >= 1; --a) {
    if (d.kh % a != 0 || d.kh / a > kMaxWindow) continue;
    const int p = d.kh / a;
    for (int b = kMaxWindow; b >= 1; --b) {
      if (d.kw % b != 0 || d.kw / b > kMaxWindow) continue;
      const int q = d.kw / b;
      const int mid_h = d.out_h * p, mid_w = d.out_w * q;
      if (mid_h > 1 && mid_w > 1 && a != b) continue;
      if (d.out_h > 1 && d.out_w > 1 && p != q) continue;
      const int64_t pixels = int64_t(mid_h) * mid_w;
      if (best && pixels >= best_pixels) continue;
      PoolSplit split{d, d};
      LayerDesc &first = split.first;
      first.kh = a, first.kw = b;
      first.in_h = d.out_h * d.kh;  // the rows the windows cover: a prefix of the input
      first.out_h = mid_h, first.out_w = mid_w;
      first.stride = mid_h > 1 ? a : mid_w > 1 ? b : 1;
      first.act_min = -128, first.act_max = 127;  // the activation is the second pass's
      LayerDesc &second = split.second;
      second.in_h = mid_h, second.in_w = mid_w;
      second.kh = p, second.kw = q;
      second.stride = d.out_h > 1 ? p : d.out_w > 1 ? q : 1;
      best = split;
      best_pixels = pixels;
    }
  }
  if (!best)
    why = fmt::format(
        "a split needs each side of the window to be a product of two numbers "
        "<= 15 (and equal strides where both axes have several outputs); {}x{} "
        "has none",
        d.kh, d.kw);
  return best;
}

LayerShape layerShape(const Network &net, int index) {
  const NetLayer &l = net.layers[size_t(index)];
  const TensorShape &in = l.input_shapes[0];
  const TensorShape &out = l.output_shape;
  checkField(net, index, std::max({in.h, in.w, in.c}), kMaxField, "input dimension");
  checkField(net, index, std::max({out.h, out.w, out.c}), kMaxField, "output dimension");
  LayerShape shape;
  LayerDesc &d = shape.desc;
  d.in_h = int(in.h), d.in_w = int(in.w), d.in_c = int(in.c);
  d.out_h = int(out.h), d.out_w = int(out.w), d.out_c = int(out.c);
  d.kh = int(std::min<int64_t>(l.kernel_h, kMaxField));
  d.kw = int(std::min<int64_t>(l.kernel_w, kMaxField));
  d.pad_top = int(std::min<int64_t>(l.padding.top, kMaxField));
  d.pad_left = int(std::min<int64_t>(l.padding.left, kMaxField));
  switch (l.op) {
    case NetOp::Conv2d:
      d.op = LayerOp::Conv;
      break;
    case NetOp::DepthwiseConv2d:
      d.op = LayerOp::DwConv;
      break;
    case NetOp::FullyConnected:
      d.op = LayerOp::Conv;
      d.kh = d.kw = 1;
      break;
    case NetOp::MaxPool:
      d.op = LayerOp::MaxPool;
      break;
    case NetOp::AvgPool:
      d.op = LayerOp::AvgPool;
      break;
    case NetOp::GlobalAvgPool:
      d.op = LayerOp::AvgPool;
      d.kh = d.in_h, d.kw = d.in_w;
      break;
    case NetOp::GlobalMaxPool:
      d.op = LayerOp::MaxPool;
      d.kh = d.in_h, d.kw = d.in_w;
      break;
    case NetOp::Add:
      d.op = LayerOp::Add;
      d.kh = d.kw = 1;
      break;
    case NetOp::Flatten:
    case NetOp::Reshape:
    case NetOp::Concat:
      throw std::logic_error("layerShape: shape-only layers are not mapped");
    case NetOp::Softmax:
    case NetOp::Sigmoid:
    case NetOp::HardSigmoid:
    case NetOp::HardSwish:
    case NetOp::Mul:
    case NetOp::Transpose:
      throw std::logic_error("layerShape: host layers are not mapped onto the accelerator");
  }
  if (l.activation == Activation::Relu || l.activation == Activation::Relu6) {
    // ReLU6's bound round(6/s_out) needs the output scale, which the network file does not
    // carry; 127 is its saturated value. Timing does not depend on it.
    d.act_min = 0;
    d.act_max = 127;
  }
  const bool pool = d.op == LayerOp::MaxPool || d.op == LayerOp::AvgPool;
  if (pool && (d.kh > kMaxWindow || d.kw > kMaxWindow)) {
    // One output: the strides do not matter; try the exact single pass first.
    if (d.out_h == 1 && d.out_w == 1) {
      d.stride = 1;
      shape.refolded = refoldPool(d, l);
      if (shape.refolded) return shape;
    }
    std::string why;
    const std::optional<PoolSplit> split = splitPool(d, l, why);
    if (!split)
      reject(6721, net, index,
             fmt::format("window {}x{} exceeds 15x15 and cannot be refolded (only a padding-free "
                         "window over whole rows with one output whose kh*kw factors into two "
                         "numbers <= 15 can) or split into two passes: {}",
                         d.kh, d.kw, why));
    shape.pass1 = split->first;
    shape.desc = split->second;
    return shape;
  }
  d.stride = encodeStride(net, index);
  checkField(net, index, std::max(d.kh, d.kw), kMaxWindow, "kernel");
  checkField(net, index, std::max(d.pad_top, d.pad_left), kMaxWindow, "padding");
  return shape;
}

// ------------------------------------------------------------------------------------
// Channel blocks.

// Channels of a per-channel layer whose smallest tile (one output row, every tensor in
// external memory) fits the data buffer. Only a layer that would not fit otherwise is cut
// by it: ResNet-101's global pool reads its whole 7x7x2048 input (12544 words) at once.
int channelsForDataBuffer(const LayerDesc &d, const AccelConfig &cfg) {
  const int inputs = d.op == LayerOp::Add ? 2 : 1;
  const int64_t words_per_channel_word =
      int64_t(inputs) * std::min(d.in_h, d.kh) * d.in_w + int64_t(d.out_w);
  const int64_t channel_words = cfg.actWords() / words_per_channel_word;
  // Not even one word of channels fits: leave it to the planner's refusal (PF-6703).
  return int(std::min<int64_t>(std::max<int64_t>(channel_words, 1) * cfg.rows, d.out_c));
}

// Channels one block may hold: the weight buffer takes whole weight tiles, and a
// per-channel layer's smallest tile must fit the data buffer.
int channelsPerBlock(const Network &net, int index, const LayerDesc &d, const AccelConfig &cfg) {
  if (d.op == LayerOp::MaxPool) return channelsForDataBuffer(d, cfg);
  const int tile_words = weightTileWords(d, cfg);
  const int per_tile = d.op == LayerOp::Conv ? cfg.cols : cfg.rows;
  if (tile_words > cfg.weightWords()) {
    reject(6702, net, index,
           fmt::format("one weight tile ({} output channels, kernel {}x{}, {} input channels) "
                       "needs {} weight words but the weight buffer holds {} ({} banks x {} "
                       "words); input channels cannot be split because the accumulator is "
                       "requantised at the end of each descriptor",
                       per_tile, d.kh, d.kw, d.in_c, tile_words, cfg.weightWords(), cfg.w_banks,
                       cfg.w_bank_words));
  }
  const int per_block = (cfg.weightWords() / tile_words) * per_tile;
  return isPerChannel(d.op) ? std::min(per_block, channelsForDataBuffer(d, cfg)) : per_block;
}

std::vector<int> evenBoundaries(int channels, int step) {
  std::vector<int> starts;
  for (int c = 0; c < channels; c += step) starts.push_back(c);
  starts.push_back(channels);
  return starts;
}

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[size_t(x)] != x) x = parent[size_t(x)] = parent[size_t(parent[size_t(x)])];
    return x;
  }
  void unite(int a, int b) { parent[size_t(find(a))] = find(b); }
};

// ------------------------------------------------------------------------------------
// Data-buffer allocation: first fit from word 0, so tensors pack into the low banks and
// the high banks stay free to be gated.

class Allocator {
 public:
  explicit Allocator(int capacity) : capacity_(capacity) {}

  // Where `words` could go: both ends of every free range large enough, lowest first.
  std::vector<int> candidates(int words) const {
    std::vector<int> bases;
    int at = 0;
    auto consider = [&](int end) {
      if (end - at < words) return;
      bases.push_back(at);
      if (end - words != at) bases.push_back(end - words);
    };
    for (const auto &[base, size] : used_) {
      consider(base);
      at = base + size;
    }
    consider(capacity_);
    return bases;
  }
  void place(int base, int words) { used_[base] = words; }
  void release(int base) { used_.erase(base); }

  // The largest free range (base, words); the lowest one among equals.
  std::pair<int, int> largestFree() const {
    std::pair<int, int> best{0, 0};
    int at = 0;
    auto consider = [&](int end) {
      if (end - at > best.second) best = {at, end - at};
    };
    for (const auto &[base, size] : used_) {
      consider(base);
      at = base + size;
    }
    consider(capacity_);
    return best;
  }

 private:
  int capacity_;
  std::map<int, int> used_;  // base -> words
};

uint32_t banksOf(int base, int words, const AccelConfig &cfg) {
  uint32_t mask = 0;
  if (words <= 0) return mask;
  for (int bank = base / cfg.act_bank_words; bank <= (base + words - 1) / cfg.act_bank_words;
       ++bank)
    mask |= 1u << bank;
  return mask;
}

// ------------------------------------------------------------------------------------
// The mapper.

struct Conflict {
  int spill = -1;       // tensor to move off chip, then plan again
  std::string message;  // when no tensor can move: why the layer does not fit
};

class Mapper {
 public:
  Mapper(const Network &net, const AccelConfig &cfg, const MappingOptions &options)
      : net_(net), cfg_(cfg), options_(options) {}

  Mapping run() {
    buildGraph();
    assignCopies();
    assignBlocks();
    checkLayouts();
    indexStorage();
    std::set<int> spilled = initialSpills();
    for (;;) {
      std::optional<Conflict> conflict = plan(spilled);
      if (!conflict) break;
      if (conflict->spill < 0) reject(6703, net_, failed_layer_, conflict->message);
      spilled.insert(conflict->spill);
      ++mapping_.spill_rounds;
    }
    mergePasses();
    layoutExternal();
    return std::move(mapping_);
  }

 private:
  // --- graph ---------------------------------------------------------------------------

  void buildGraph() {
    mapping_.cfg = cfg_;
    tensor_of_.assign(net_.layers.size(), -1);
    MappedTensor input;
    input.name = net_.input_name;
    setShape(input, net_.input_shape);
    input.external = true;
    mapping_.tensors.push_back(input);
    for (int i = 0; i < int(net_.layers.size()); ++i) {
      const NetLayer &l = net_.layers[size_t(i)];
      if (l.op == NetOp::Concat) {
        addConcat(i);
        continue;
      }
      if (isShapeOnly(l.op)) {
        tensor_of_[size_t(i)] = producerTensor(l, 0);
        continue;
      }
      if (runsOnHost(l.op)) {
        addHostLayer(i);
        continue;
      }
      MappedLayer layer;
      layer.index = i;
      const LayerShape shape = layerShape(net_, i);
      layer.shape = shape.desc;
      layer.refolded = shape.refolded;
      for (size_t k = 0; k < l.input_layers.size(); ++k) {
        const int t = producerTensor(l, k);
        layer.inputs.push_back(t);
        addConsumer(t, i);
      }
      if (shape.pass1) {
        // The first pass of a split pool: a layer of its own while the mapper plans (same
        // network index), merged into the second by mergePasses().
        MappedTensor mid;
        mid.name = l.name + ":pass1";
        mid.producer = i;
        mid.h = shape.pass1->out_h, mid.w = shape.pass1->out_w, mid.c = shape.pass1->out_c;
        mid.block_start = {0, mid.c};
        mid.consumers = {i};
        MappedLayer first;
        first.index = i;
        first.shape = *shape.pass1;
        first.inputs = layer.inputs;
        first.output = int(mapping_.tensors.size());
        mapping_.tensors.push_back(mid);
        mapping_.layers.push_back(std::move(first));
        is_pass1_.push_back(true);
        layer.inputs = {mapping_.layers.back().output};
        layer.intermediate = layer.inputs[0];
        layer.pass1 = *shape.pass1;
      }
      layer.output = addOutputTensor(i);
      mapping_.layers.push_back(std::move(layer));
      is_pass1_.push_back(false);
    }
    output_tensor_ = tensor_of_.back();
    if (mapping_.layers.empty())
      throw Error(6708, {net_.source_file}, "layer",
                  fmt::format("network '{}' has no layer that runs on the accelerator (only "
                              "flatten/reshape and host operators)",
                              net_.name));
  }

  // A host layer's tensors stay off chip (initialSpills): the host reaches only external
  // memory.
  void addHostLayer(int i) {
    const NetLayer &l = net_.layers[size_t(i)];
    MappedHostLayer host;
    host.index = i;
    host.desc = hostOpDesc(l);
    const std::vector<std::string> problems = validateHostOp(host.desc);
    if (!problems.empty())
      reject(6709, net_, i, fmt::format("the host cannot run it: {}", fmt::join(problems, "; ")));
    for (size_t k = 0; k < l.input_layers.size(); ++k) {
      const int t = producerTensor(l, k);
      host.inputs.push_back(t);
      addConsumer(t, i);
    }
    host.output = addOutputTensor(i);
    mapping_.host_layers.push_back(std::move(host));
  }

  // The tensor network layer i writes (its name and shape); returns its index.
  int addOutputTensor(int i) {
    const NetLayer &l = net_.layers[size_t(i)];
    MappedTensor out;
    out.name = l.name;
    out.producer = i;
    setShape(out, l.output_shape);
    tensor_of_[size_t(i)] = int(mapping_.tensors.size());
    mapping_.tensors.push_back(out);
    return tensor_of_[size_t(i)];
  }

  // Layer i reads tensor t (consumer lists stay sorted and without repeats).
  void addConsumer(int t, int i) {
    std::vector<int> &consumers = mapping_.tensors[size_t(t)].consumers;
    const auto at = std::lower_bound(consumers.begin(), consumers.end(), i);
    if (at == consumers.end() || *at != i) consumers.insert(at, i);
  }

  // A concat joins its inputs' channels (docs/mapping.md, "Concat"). Its output is one
  // tensor whose channel blocks start at each input; an input produced by a layer (or the
  // host) is stored in place, as that block range of the concat's output, so its producer
  // writes it there and nothing is copied. An input that cannot be (the network input,
  // which the host writes in its own place; a tensor already stored in place in another
  // concat; an input given twice) is copied there by the first layer that reads the
  // concat's output (assignCopies).
  void addConcat(int i) {
    const NetLayer &l = net_.layers[size_t(i)];
    MappedTensor out;
    out.name = l.name;
    out.producer = i;
    setShape(out, l.output_shape);
    const int concat = int(mapping_.tensors.size());
    int channel = 0;
    std::set<int> seen;
    for (size_t k = 0; k < l.input_layers.size(); ++k) {
      const int t = producerTensor(l, k);
      MappedTensor &part = mapping_.tensors[size_t(t)];
      const TensorShape &view = l.input_shapes[k];
      if (view.h != part.h || view.w != part.w || view.c != part.c)
        reject(6725, net_, i,
               fmt::format("input '{}' is a flatten/reshape of '{}' ({}x{}x{} as {}); a concat "
                           "joins tensors as their producers store them, and a relabelled "
                           "tensor's channels are not its stored channels",
                           l.inputs[k], part.name, part.h, part.w, part.c, formatShape(view)));
      out.concat_of.push_back(t);
      if (t != 0 && part.alias_of < 0 && !seen.count(t)) {
        part.alias_of = concat;
        part.alias_channel = channel;
        addConsumer(t, i);
      } else {
        copies_.push_back({t, concat, channel});
      }
      seen.insert(t);
      channel += part.c;
    }
    tensor_of_[size_t(i)] = concat;
    mapping_.tensors.push_back(std::move(out));
  }

  // Why a concat input is copied rather than stored in place.
  std::string whyCopied(const ConcatCopy &copy) const {
    const MappedTensor &source = mapping_.tensors[size_t(copy.source)];
    if (copy.source == 0) return "the network input, which the host writes in a place of its own";
    if (source.alias_of == copy.concat)
      return "given twice, and one place in the concat holds it in place";
    return fmt::format("stored in place as part of concat '{}'",
                       mapping_.tensors[size_t(source.alias_of)].name);
  }

  // Copies run as the first tiles of the first accelerator layer reading the concat's
  // output (or a concat that holds it in place); that layer reads the copied tensor.
  void assignCopies() {
    for (const ConcatCopy &copy : copies_) {
      const int concat_layer = mapping_.tensors[size_t(copy.concat)].producer;
      int first = -1;
      for (int t = copy.concat; t >= 0; t = mapping_.tensors[size_t(t)].alias_of)
        for (int c : mapping_.tensors[size_t(t)].consumers)
          if (!isShapeOnly(net_.layers[size_t(c)].op) && (first < 0 || c < first)) first = c;
      const std::string what =
          fmt::format("needs a copy of '{}' ({}) into its channels {}..{}",
                      mapping_.tensors[size_t(copy.source)].name, whyCopied(copy), copy.channel,
                      copy.channel + mapping_.tensors[size_t(copy.source)].c - 1);
      if (first < 0)
        reject(6726, net_, concat_layer,
               what +
                   ", which the first accelerator layer reading the concat runs; nothing "
                   "reads it (it is the network output)");
      const auto layer = std::find_if(mapping_.layers.begin(), mapping_.layers.end(),
                                      [&](const MappedLayer &m) { return m.index == first; });
      if (layer == mapping_.layers.end())
        reject(6727, net_, concat_layer,
               what + fmt::format(", which the first accelerator layer reading the concat runs; "
                                  "the first layer reading it, '{}', runs on the host",
                                  net_.layers[size_t(first)].name));
      layer->copies.push_back(copy);
      addConsumer(copy.source, first);
    }
  }

  void setShape(MappedTensor &t, const TensorShape &s) {
    t.h = int(std::min<int64_t>(s.h, kMaxField));
    t.w = int(std::min<int64_t>(s.w, kMaxField));
    t.c = int(std::min<int64_t>(s.c, kMaxField));
    t.block_start = {0, t.c};
  }

  int producerTensor(const NetLayer &l, size_t k) const {
    const int p = l.input_layers[k];
    return p == kNetworkInput ? 0 : tensor_of_[size_t(p)];
  }

  // --- channel blocks ----------------------------------------------------------------

  // A tensor is stored in channel blocks when a layer producing it must split its output
  // channels (weights do not fit) and cannot write the plain layout directly. Per-channel
  // ops read and write the same blocks, so blocking is decided per class of tensors joined
  // by per-channel ops.
  void assignBlocks() {
    UnionFind classes(mapping_.tensors.size());
    for (const MappedLayer &layer : mapping_.layers) {
      if (!isPerChannel(layer.shape.op)) continue;
      for (int t : layer.inputs)
        if (sameView(layer, t)) classes.unite(t, layer.output);
    }
    std::map<int, std::set<int>> boundaries;  // class -> block starts
    std::map<int, std::string> forced;        // class -> why it is stored in blocks
    for (MappedLayer &layer : mapping_.layers) {
      const LayerDesc &d = layer.shape;
      const int per_block = channelsPerBlock(net_, layer.index, d, cfg_);
      layer.block_start = evenBoundaries(d.out_c, std::min(per_block, d.out_c));
      if (layer.blockCount() == 1) continue;
      const int cls = classes.find(layer.output);
      boundaries[cls].insert(layer.block_start.begin(), layer.block_start.end());
      const bool pointwise = d.kh == 1 && d.kw == 1 && d.pad_top == 0 && d.pad_left == 0;
      const bool plain_ok = d.out_h * d.out_w == 1 || (d.op == LayerOp::Conv && pointwise);
      if (isPerChannel(d.op) || !plain_ok)
        forced.try_emplace(cls,
                           fmt::format("'{}' splits its output channels because its weights or its "
                                       "smallest tile do not fit the buffers at once",
                                       net_.layers[size_t(layer.index)].name));
    }
    // Concats: the output has a block boundary at every input, and an input's blocks are
    // the output's blocks in its channel range. Boundaries flow both ways (an input
    // blocked by its producer's weights splits the output's block; a consumer of the
    // output that splits it splits the inputs) until nothing changes.
    struct Part {
      int concat, tensor, channel;
    };
    std::vector<Part> parts;
    for (size_t t = 0; t < mapping_.tensors.size(); ++t) {
      const MappedTensor &concat = mapping_.tensors[t];
      if (concat.concat_of.empty()) continue;
      const int cls = classes.find(int(t));
      forced.try_emplace(
          cls, fmt::format("concat '{}' is stored as one channel block per input", concat.name));
      int channel = 0;
      for (int part : concat.concat_of) {
        parts.push_back({int(t), part, channel});
        boundaries[cls].insert(channel);
        channel += mapping_.tensors[size_t(part)].c;
      }
      boundaries[cls].insert({0, channel});
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const Part &p : parts) {
        const int outer_cls = classes.find(p.concat), inner_cls = classes.find(p.tensor);
        const int c = mapping_.tensors[size_t(p.tensor)].c;
        std::set<int> &outer = boundaries[outer_cls];
        std::set<int> &inner = boundaries[inner_cls];
        inner.insert({0, c});
        if (forced.count(inner_cls))
          for (int b : inner) changed |= outer.insert(p.channel + b).second;
        std::vector<int> within;
        for (auto it = outer.lower_bound(p.channel); it != outer.end() && *it <= p.channel + c;
             ++it)
          within.push_back(*it - p.channel);
        if (within.size() > 2) {
          changed |=
              forced
                  .try_emplace(inner_cls, fmt::format("it is stored in place in concat '{}', whose "
                                                      "channel blocks split it",
                                                      mapping_.tensors[size_t(p.concat)].name))
                  .second;
          for (int b : within) changed |= inner.insert(b).second;
        }
      }
    }
    for (size_t t = 0; t < mapping_.tensors.size(); ++t) {
      const int cls = classes.find(int(t));
      const auto why = forced.find(cls);
      if (why == forced.end()) continue;
      MappedTensor &tensor = mapping_.tensors[t];
      std::set<int> starts = boundaries[cls];
      starts.insert({0, tensor.c});
      tensor.block_start.assign(starts.begin(), starts.end());
      if (tensor.blockCount() > 1) blocked_why_[int(t)] = why->second;
    }
    for (const Part &p : parts) {  // the fixed point makes every input a block range
      const MappedTensor &concat = mapping_.tensors[size_t(p.concat)];
      const MappedTensor &part = mapping_.tensors[size_t(p.tensor)];
      std::vector<int> within;
      for (int b : concat.block_start)
        if (b >= p.channel && b <= p.channel + part.c) within.push_back(b - p.channel);
      if (within != part.block_start)
        throw std::logic_error(
            fmt::format("mapping: the blocks of '{}' are not those of its "
                        "channels in concat '{}'",
                        part.name, concat.name));
    }
    for (MappedLayer &layer : mapping_.layers) {
      const MappedTensor &out = mapping_.tensors[size_t(layer.output)];
      if (out.blockCount() > 1) layer.block_start = out.block_start;
      const bool plain_split = out.blockCount() == 1 && layer.blockCount() > 1;
      layer.scheme = plain_split && out.h * out.w > 1 ? TileScheme::Pixels : TileScheme::RowBands;
    }
    for (MappedTensor &t : mapping_.tensors) t.words = storageWords(t);
  }

  // Words of a tensor; one that the 32-bit external address space cannot hold is refused.
  int storageWords(const MappedTensor &t) const {
    int64_t words = 0;
    for (int b = 0; b < t.blockCount(); ++b) words += channelWords(t.blockChannels(b), cfg_);
    words *= int64_t(t.h) * t.w;
    if (words * dataWordBytes(cfg_) > int64_t(UINT32_MAX))
      reject(6706, net_, t.producer >= 0 ? t.producer : t.consumers.front(),
             fmt::format("tensor '{}' ({}x{}x{}) needs {} bytes, beyond the 32-bit external "
                         "address space of the DMA",
                         t.name, t.h, t.w, t.c, words * dataWordBytes(cfg_)));
    return int(words);
  }

  // The layer sees tensor t with the shape it was stored in (no flatten/reshape between).
  // (The second pass of a split pool reads the first pass's output as it is stored.)
  bool sameView(const MappedLayer &layer, int t) const {
    if (t == layer.intermediate) return true;
    const MappedTensor &tensor = mapping_.tensors[size_t(t)];
    const TensorShape &view = net_.layers[size_t(layer.index)].input_shapes[0];
    return view.h == tensor.h && view.w == tensor.w && view.c == tensor.c;
  }

  // Every block starts at a whole word of the plain pixel (block boundaries from weight
  // tiles and data-buffer blocks always do; a concat's are its inputs' channel counts).
  bool wordAligned(const MappedTensor &t) const {
    return std::all_of(t.block_start.begin(), t.block_start.end() - 1,
                       [&](int b) { return b % cfg_.rows == 0; });
  }

  // The stored layout is the plain one: one block, or one pixel of whole-word blocks.
  bool plainLayout(const MappedTensor &t) const {
    return t.blockCount() == 1 || (t.h * t.w == 1 && wordAligned(t));
  }

  std::string blockedWhy(int t) const {
    const auto why = blocked_why_.find(t);
    return why != blocked_why_.end() ? why->second
                                     : "a layer producing it splits its output channels";
  }

  std::string blockList(const MappedTensor &t) const {
    return fmt::format("{}", fmt::join(t.block_start.begin(), t.block_start.end() - 1, ", "));
  }

  // Padded HWC of shape s is the unpadded element order when every pixel fills whole words.
  bool paddingFree(const TensorShape &s) const { return s.c % cfg_.rows == 0 || pixels(s) == 1; }

  void checkLayouts() {
    for (int i = 0; i < int(net_.layers.size()); ++i) {
      const NetLayer &l = net_.layers[size_t(i)];
      if (!isShapeOnly(l.op) || l.op == NetOp::Concat) continue;
      const int t = tensor_of_[size_t(i)];
      const MappedTensor &source = mapping_.tensors[size_t(t)];
      if (!plainLayout(source))
        reject(6704, net_, i,
               fmt::format("relabels '{}', which is stored in {} channel blocks ({}); only a "
                           "plain tensor can be relabelled",
                           source.name, source.blockCount(), blockedWhy(t)));
      const TensorShape &in = l.input_shapes[0];
      if (!paddingFree(in) || !paddingFree(l.output_shape))
        reject(6705, net_, i,
               fmt::format("{} -> {} moves channel padding: the accelerator pads every pixel to "
                           "a multiple of {} channels, so this relabelling needs data movement "
                           "that the linear DMA cannot do (channels must be a multiple of {} or "
                           "the tensor a single pixel)",
                           formatShape(in), formatShape(l.output_shape), cfg_.rows, cfg_.rows));
    }
    for (MappedLayer &layer : mapping_.layers) checkInputs(layer);
    const MappedTensor &input = mapping_.tensors[0];
    if (!plainLayout(input))
      reject(6728, net_, input.consumers.front(),
             fmt::format("would need the network input '{}' in {} channel blocks ({}), but the "
                         "host writes it in the plain layout",
                         input.name, input.blockCount(), blockedWhy(0)));
  }

  void checkInputs(MappedLayer &layer) {
    for (int &t : layer.inputs) {
      if (layer.shape.op == LayerOp::Conv && !plainLayout(mapping_.tensors[size_t(t)])) {
        const MappedTensor &tensor = mapping_.tensors[size_t(t)];
        if (!wordAligned(tensor))
          reject(6729, net_, layer.index,
                 fmt::format("reads '{}', which is stored in channel blocks starting at channels "
                             "{} ({}); a convolution needs its input in one piece, and the "
                             "gather that makes that copy moves whole words of {} channels, so "
                             "every block must start at a multiple of {} channels",
                             tensor.name, blockList(tensor), blockedWhy(t), cfg_.rows, cfg_.rows));
        t = plainCopy(layer, t);
        continue;
      }
      const MappedTensor &tensor = mapping_.tensors[size_t(t)];
      if (!sameView(layer, t) && isPerChannel(layer.shape.op) && layer.blockCount() > 1)
        reject(6730, net_, layer.index,
               fmt::format("must split its channels into {} blocks (its weights do not fit the "
                           "weight buffer at once) but reads them through a flatten/reshape of "
                           "'{}', where a channel block is not contiguous",
                           layer.blockCount(), tensor.name));
      const bool ok = layer.shape.op == LayerOp::Conv || !sameView(layer, t)
                          ? plainLayout(tensor)
                          : tensor.h * tensor.w == 1 || tensor.block_start == layer.block_start;
      if (!ok)
        reject(6731, net_, layer.index,
               fmt::format("reads '{}', which is stored in {} channel blocks of {}x{} pixels "
                           "({}); this layer needs it in one piece and only a convolution "
                           "gathers its input",
                           tensor.name, tensor.blockCount(), tensor.h, tensor.w, blockedWhy(t)));
    }
  }

  // A convolution sums over all input channels in one descriptor, so it cannot read a
  // channel-blocked tensor of more than one pixel. The first convolution reading one
  // gathers it into a plain copy (its gather tiles: one identity 1x1 MAXPOOL per pixel and
  // block, writing the pixel's channel words at their place in the plain layout); it and
  // every later convolution reading the tensor read the copy. The copy lives in external
  // memory (the gather stores it, the readers load it in bands), so it needs no room in the
  // data buffer beyond two block words of scratch.
  int plainCopy(MappedLayer &layer, int t) {
    const auto [it, fresh] = plain_copy_.try_emplace(t, int(mapping_.tensors.size()));
    const int copy = it->second;
    if (fresh) {
      const MappedTensor &source = mapping_.tensors[size_t(t)];
      MappedTensor plain;
      plain.name = source.name + ":plain";
      plain.producer = layer.index;
      plain.h = source.h, plain.w = source.w, plain.c = source.c;
      plain.block_start = {0, source.c};
      plain.gather_of = t;
      plain.words = storageWords(plain);
      mapping_.tensors.push_back(std::move(plain));
      layer.gathers.push_back(copy);
    } else {
      // Only the gathering layer reads the blocked tensor itself.
      std::vector<int> &readers = mapping_.tensors[size_t(t)].consumers;
      readers.erase(std::remove(readers.begin(), readers.end(), layer.index), readers.end());
    }
    mapping_.tensors[size_t(copy)].consumers.push_back(layer.index);
    return copy;
  }

  // --- residency -----------------------------------------------------------------------

  // The planner places storage: a tensor with words of its own (concat inputs stored in
  // place are part of their concat's). It is live from the first layer writing any part
  // of it to the last layer reading any part of it.
  void indexStorage() {
    const size_t n = mapping_.tensors.size();
    storage_.assign(n, -1);
    storage_offset_.assign(n, 0);
    live_end_.assign(n, -1);
    uses_.assign(n, {});
    members_.assign(n, {});
    for (size_t t = 0; t < n; ++t) {
      const int s = mapping_.storageOf(int(t));
      storage_[t] = s;
      storage_offset_[t] = mapping_.storageOffsetWords(int(t));
      members_[size_t(s)].push_back(int(t));
      live_end_[size_t(s)] = std::max(live_end_[size_t(s)], mapping_.tensors[t].lastUse());
      for (int c : mapping_.tensors[t].consumers)  // a concat itself runs nothing
        if (!isShapeOnly(net_.layers[size_t(c)].op)) uses_[size_t(s)].insert(c);
    }
  }

  // External references name the storage, so that an address is its storage's plus an
  // offset and the profile counts a store into the network output as output traffic.
  ExtRef extRef(int t, int64_t offset_words) const {
    return {storage_[size_t(t)],
            (storage_offset_[size_t(t)] + offset_words) * int64_t(dataWordBytes(cfg_))};
  }

  std::set<int> initialSpills() const {
    std::set<int> spilled = {0, output_tensor_};
    for (const auto &[source, copy] : plain_copy_) spilled.insert(copy);
    for (const MappedHostLayer &host : mapping_.host_layers) {
      spilled.insert(host.inputs.begin(), host.inputs.end());
      spilled.insert(host.output);
    }
    if (options_.spill_all)
      for (int t = 0; t < int(mapping_.tensors.size()); ++t) spilled.insert(t);
    std::set<int> storage;
    for (int t : spilled) storage.insert(storage_[size_t(t)]);
    return storage;
  }

  // The storage a layer writes: its output's, and that of the concats it copies into.
  std::vector<int> writtenStorage(const MappedLayer &layer) const {
    std::vector<int> written = {storage_[size_t(layer.output)]};
    for (const ConcatCopy &copy : layer.copies) {
      const int s = storage_[size_t(copy.concat)];
      if (std::find(written.begin(), written.end(), s) == written.end()) written.push_back(s);
    }
    return written;
  }

  // One pass over the layers with the storage in `spilled` kept off chip. Returns the
  // conflict that stops it, if any.
  std::optional<Conflict> plan(const std::set<int> &spilled) {
    for (size_t i = 0; i < mapping_.tensors.size(); ++i) {
      MappedTensor &t = mapping_.tensors[i];
      t.external = spilled.count(storage_[i]) > 0;
      t.on_chip = !t.external;
      t.act_base = -1;
    }
    mapping_.weight_images.clear();
    Allocator buffer(cfg_.actWords());
    std::set<int> resident;  // on-chip storage currently allocated
    for (MappedLayer &layer : mapping_.layers) {
      for (auto it = resident.begin(); it != resident.end();) {
        if (live_end_[size_t(*it)] < layer.index) {
          buffer.release(mapping_.tensors[size_t(*it)].act_base);
          it = resident.erase(it);
        } else {
          ++it;
        }
      }
      for (int s : writtenStorage(layer)) {
        if (!mapping_.tensors[size_t(s)].on_chip || resident.count(s)) continue;
        const std::optional<int> base = placeOutput(layer, s, buffer, resident);
        if (!base) return conflict(layer, resident, "its output");
        for (int t : members_[size_t(s)])
          mapping_.tensors[size_t(t)].act_base = *base + storage_offset_[size_t(t)];
        buffer.place(*base, mapping_.tensors[size_t(s)].words);
        resident.insert(s);
      }
      const auto [free_base, free_words] = buffer.largestFree();
      const std::optional<int> rows = bandRows(layer, free_words);
      if (!rows) return conflict(layer, resident, "the layer");
      layer.scratch_base = uint32_t(free_base);
      buildTiles(layer, *rows, free_words);
      layer.live_after_act_banks = 0;
      for (int s : resident) {
        const MappedTensor &tensor = mapping_.tensors[size_t(s)];
        if (live_end_[size_t(s)] > layer.index)
          layer.live_after_act_banks |= banksOf(tensor.act_base, tensor.words, cfg_);
      }
    }
    return std::nullopt;
  }

  // Output placement with one step of look-ahead: of the places the output fits, the one
  // that leaves the largest free range once the inputs dying at this layer are released
  // (so that a chain of layers alternates between the two ends of the buffer instead of
  // fragmenting it); the lowest address among equals, which keeps high banks free.
  std::optional<int> placeOutput(const MappedLayer &layer, int storage, const Allocator &buffer,
                                 const std::set<int> &resident) const {
    const int words = mapping_.tensors[size_t(storage)].words;
    std::optional<int> best;
    int best_free = -1;
    for (int base : buffer.candidates(words)) {
      Allocator after = buffer;
      after.place(base, words);
      for (int s : resident)
        if (live_end_[size_t(s)] <= layer.index)
          after.release(mapping_.tensors[size_t(s)].act_base);
      const int free_words = after.largestFree().second;
      if (free_words > best_free) best = base, best_free = free_words;
    }
    return best;
  }

  // Which on-chip storage to move to external memory so that `layer` fits: first one the
  // layer does not touch (the one used again furthest in the future, as Belady's rule),
  // then its own output, then its largest input.
  Conflict conflict(const MappedLayer &layer, const std::set<int> &resident, const char *what) {
    auto nextUse = [&](int s) {
      const std::set<int> &uses = uses_[size_t(s)];
      const auto next = uses.upper_bound(layer.index);
      return next == uses.end() ? int(net_.layers.size()) : *next;
    };
    std::set<int> own;
    for (int t : layer.inputs) own.insert(storage_[size_t(t)]);
    const std::vector<int> written = writtenStorage(layer);
    int victim = -1;
    for (int s : resident) {
      if (own.count(s) || std::find(written.begin(), written.end(), s) != written.end()) continue;
      if (victim < 0 || std::make_pair(nextUse(s), mapping_.tensors[size_t(s)].words) >
                            std::make_pair(nextUse(victim), mapping_.tensors[size_t(victim)].words))
        victim = s;
    }
    for (int s : written) {
      if (victim >= 0) break;
      if (mapping_.tensors[size_t(s)].on_chip) victim = s;
    }
    for (int t : layer.inputs) {
      if (victim >= 0) break;
      if (mapping_.tensors[size_t(t)].on_chip) victim = storage_[size_t(t)];
    }
    if (victim >= 0) return {victim, ""};
    failed_layer_ = layer.index;
    const bool pixels = layer.scheme == TileScheme::Pixels;
    return {-1, fmt::format("{} does not fit the data buffer even with every tensor in "
                            "external memory: its smallest tile ({}) needs {} words for its "
                            "streamed input and output but the data buffer holds {} ({} banks x "
                            "{} words)",
                            what, pixels ? "one output pixel" : "one output row",
                            scratchWords(layer, 1), cfg_.actWords(), cfg_.act_banks,
                            cfg_.act_bank_words)};
  }

  // The first pass of a split pool is planned as a layer of its own; the mapping has one
  // layer per network layer, so its tiles (and its copies, which read the same input)
  // become the first tiles of the second pass's layer.
  void mergePasses() {
    std::vector<int> position(mapping_.layers.size());  // old layer position -> new
    std::vector<MappedLayer> merged;
    for (size_t i = 0; i < mapping_.layers.size(); ++i) {
      MappedLayer &layer = mapping_.layers[i];
      if (!is_pass1_[i]) {
        position[i] = int(merged.size());
        merged.push_back(std::move(layer));
        continue;
      }
      position[i] = int(merged.size());  // the next layer, its second pass
      MappedLayer &second = mapping_.layers[i + 1];
      for (MappedTile &tile : layer.tiles) tile.pass1 = !tile.copy && !tile.gather;
      second.tiles.insert(second.tiles.begin(), layer.tiles.begin(), layer.tiles.end());
      second.copies = layer.copies;
      second.gathers = layer.gathers;
      second.inputs = layer.inputs;
      second.scratch_words = std::max(second.scratch_words, layer.scratch_words);
    }
    for (WeightImage &image : mapping_.weight_images) image.layer = position[size_t(image.layer)];
    mapping_.layers = std::move(merged);
  }

  // --- tiles ---------------------------------------------------------------------------

  int maxBlockWords(const MappedLayer &layer) const {
    int words = 0;
    for (int b = 0; b < layer.blockCount(); ++b)
      words = std::max(
          words,
          channelWords(layer.block_start[size_t(b) + 1] - layer.block_start[size_t(b)], cfg_));
    return words;
  }

  int inputWordsPerPixel(const MappedLayer &layer) const {
    return layer.shape.op == LayerOp::Conv ? channelWords(layer.shape.in_c, cfg_)
                                           : maxBlockWords(layer);
  }

  // Data-buffer words the streamed parts of one tile of `rows` output rows need: its
  // input bands loaded from external memory and its output band before the store.
  int64_t scratchWords(const MappedLayer &layer, int rows) const {
    const int64_t in_words = scratchWordsInput(layer, rows);
    const int64_t out_words = layer.scheme == TileScheme::Pixels
                                  ? maxBlockWords(layer)
                                  : int64_t(rows) * layer.shape.out_w * maxBlockWords(layer);
    int64_t words = mapping_.tensors[size_t(layer.output)].on_chip ? 0 : out_words;
    for (int t : std::set<int>(layer.inputs.begin(), layer.inputs.end()))
      if (!mapping_.tensors[size_t(t)].on_chip) words += in_words;
    return words;
  }

  // The most output rows per tile whose streamed parts fit `free_words`.
  std::optional<int> bandRows(const MappedLayer &layer, int free_words) const {
    if (gatherScratchWords(layer) > free_words) return std::nullopt;
    if (!copyRows(layer, free_words)) return std::nullopt;
    const int rows = layer.scheme == TileScheme::Pixels ? 1 : layer.shape.out_h;
    for (int r = rows; r >= 1; --r)
      if (scratchWords(layer, r) <= free_words) return r;
    return std::nullopt;
  }

  // Scratch of the gather tiles: the source's block words (when it is not on chip) and the
  // same again for the copy's, which is stored from there.
  int gatherScratchWords(const MappedLayer &layer) const {
    int words = 0;
    for (int copy : layer.gathers) {
      const MappedTensor &source =
          mapping_.tensors[size_t(mapping_.tensors[size_t(copy)].gather_of)];
      int block_words = 0;
      for (int b = 0; b < source.blockCount(); ++b)
        block_words = std::max(block_words, channelWords(source.blockChannels(b), cfg_));
      words = std::max(words, (source.on_chip ? 1 : 2) * block_words);
    }
    return words;
  }

  // Scratch of a concat copy tile of `rows` rows: the source's rows of its largest block
  // when it is loaded, and the same again when the concat's output is stored from there.
  int64_t copyScratchWords(const MappedLayer &layer, int rows) const {
    int64_t words = 0;
    for (const ConcatCopy &copy : layer.copies) {
      const MappedTensor &source = mapping_.tensors[size_t(copy.source)];
      const MappedTensor &concat = mapping_.tensors[size_t(copy.concat)];
      int block_words = 0;
      for (int b = 0; b < source.blockCount(); ++b)
        block_words = std::max(block_words, channelWords(source.blockChannels(b), cfg_));
      const int streamed = (source.on_chip ? 0 : 1) + (concat.on_chip ? 0 : 1);
      words = std::max(words, int64_t(streamed) * rows * source.w * block_words);
    }
    return words;
  }

  // Rows per concat copy tile: as many as the scratch holds (a whole block when nothing
  // is streamed); nullopt when not even one row fits.
  std::optional<int> copyRows(const MappedLayer &layer, int free_words) const {
    int rows = 1;
    for (const ConcatCopy &copy : layer.copies)
      rows = std::max(rows, mapping_.tensors[size_t(copy.source)].h);
    if (copyScratchWords(layer, rows) <= free_words) return rows;
    for (--rows; rows >= 1; --rows)
      if (copyScratchWords(layer, rows) <= free_words) return rows;
    return std::nullopt;
  }

  // The concat copy tiles of `layer` (see addConcat): per copy, per channel block of its
  // source, bands of `rows` rows, each a 1x1 MAXPOOL with the clamp [-128, 127] (an exact
  // copy). The source's blocks are the concat's blocks in its channel range
  // (assignBlocks), so each band is contiguous in both.
  void buildCopyTiles(MappedLayer &layer, int rows) {
    for (size_t k = 0; k < layer.copies.size(); ++k) {
      const ConcatCopy &copy = layer.copies[k];
      const MappedTensor &source = mapping_.tensors[size_t(copy.source)];
      const MappedTensor &concat = mapping_.tensors[size_t(copy.concat)];
      const int first_block =
          int(std::find(concat.block_start.begin(), concat.block_start.end(), copy.channel) -
              concat.block_start.begin());
      for (int b = 0; b < source.blockCount(); ++b) {
        const int block_words = channelWords(source.blockChannels(b), cfg_);
        for (int row0 = 0; row0 < source.h; row0 += rows) {
          const int row1 = std::min(source.h, row0 + rows);
          MappedTile tile;
          tile.copy = true;
          tile.copy_index = int(k);
          tile.block = b;
          tile.row0 = row0, tile.row1 = row1, tile.col0 = 0, tile.col1 = source.w;
          LayerDesc &d = tile.desc;
          d.op = LayerOp::MaxPool;  // 1x1, clamp [-128, 127]: out = in
          d.in_c = d.out_c = source.blockChannels(b);
          d.in_h = d.out_h = row1 - row0;
          d.in_w = d.out_w = source.w;
          const int words = (row1 - row0) * source.w * block_words;
          const int in_offset = source.blockOffsetWords(b, cfg_) + row0 * source.w * block_words;
          const int out_offset =
              concat.blockOffsetWords(first_block + b, cfg_) + row0 * source.w * block_words;
          int scratch = int(layer.scratch_base);
          if (source.on_chip) {
            d.act_base = source.act_base + in_offset;
          } else {
            d.act_base = scratch;
            d.act_dma_words = words;
            tile.act = extRef(copy.source, in_offset);
            scratch += words;
          }
          if (concat.on_chip) {
            d.out_base = concat.act_base + out_offset;
          } else {
            d.out_base = scratch;
            d.out_dma_words = words;
            tile.out = extRef(copy.concat, out_offset);
          }
          layer.tiles.push_back(tile);
        }
      }
    }
  }

  // The gather tiles of `layer` (see plainCopy), block by block in raster order. The
  // block boundaries are multiples of ROWS, so each block is whole words of the plain
  // pixel; the last block's padding lanes are written as 0, as the plain layout wants.
  void buildGatherTiles(MappedLayer &layer) {
    for (int copy : layer.gathers) {
      const MappedTensor &plain = mapping_.tensors[size_t(copy)];
      const MappedTensor &source = mapping_.tensors[size_t(plain.gather_of)];
      const int plain_words = channelWords(plain.c, cfg_);
      for (int b = 0; b < source.blockCount(); ++b) {
        const int block_words = channelWords(source.blockChannels(b), cfg_);
        for (int p = 0; p < source.h * source.w; ++p) {
          MappedTile tile;
          tile.gather = true;
          tile.block = b;
          tile.row0 = p / source.w, tile.row1 = tile.row0 + 1;
          tile.col0 = p % source.w, tile.col1 = tile.col0 + 1;
          LayerDesc &d = tile.desc;
          d.op = LayerOp::MaxPool;  // 1x1, clamp [-128, 127]: out = in
          d.in_c = d.out_c = source.blockChannels(b);
          const int in_offset = source.blockOffsetWords(b, cfg_) + p * block_words;
          int scratch = int(layer.scratch_base);
          if (source.on_chip) {
            d.act_base = source.act_base + in_offset;
          } else {
            d.act_base = scratch;
            d.act_dma_words = block_words;
            tile.act = extRef(plain.gather_of, in_offset);
            scratch += block_words;
          }
          d.out_base = scratch;
          d.out_dma_words = block_words;
          const int out_offset = p * plain_words + source.block_start[size_t(b)] / cfg_.rows;
          tile.out = extRef(copy, out_offset);
          layer.tiles.push_back(tile);
        }
      }
    }
  }

  // Tiles of one block: bands of whole rows, or single pixels.
  struct Region {
    int row0, row1, col0, col1;
  };
  std::vector<Region> regions(MappedLayer &layer, int rows) const {
    const LayerDesc &d = layer.shape;
    std::vector<Region> out;
    if (layer.scheme == TileScheme::Pixels) {
      for (int y = 0; y < d.out_h; ++y)
        for (int x = 0; x < d.out_w; ++x) out.push_back({y, y + 1, x, x + 1});
      layer.rows_per_band = 1;
      layer.row_bands = d.out_h;
      return out;
    }
    const int bands = (d.out_h + rows - 1) / rows;
    for (int b = 0, row = 0; b < bands; ++b) {
      const int size = d.out_h / bands + (b < d.out_h % bands ? 1 : 0);  // balanced bands
      out.push_back({row, row + size, 0, d.out_w});
      row += size;
    }
    layer.rows_per_band = out.front().row1 - out.front().row0;
    layer.row_bands = bands;
    return out;
  }

  // Descriptor of block `b`, region `r`: shape fields cut to the region, with the
  // padding and input rows it needs (offsets in elements of the layer's view).
  struct Cut {
    LayerDesc desc;
    int in_pixel = 0;  // first input pixel it reads
  };
  Cut cut(const MappedLayer &layer, int b, const Region &r) const {
    Cut c{layer.shape};
    LayerDesc &d = c.desc;
    const int c0 = layer.block_start[size_t(b)], c1 = layer.block_start[size_t(b) + 1];
    d.out_c = c1 - c0;
    if (isPerChannel(d.op)) d.in_c = d.out_c;
    if (layer.scheme == TileScheme::Pixels) {  // pointwise: the one input pixel under it
      c.in_pixel = (r.row0 * d.stride) * d.in_w + r.col0 * d.stride;
      d.in_h = d.in_w = d.out_h = d.out_w = 1;
      d.stride = 1;
      return c;
    }
    const int s = layer.shape.stride, pad = layer.shape.pad_top;
    const int y0 = std::max(0, r.row0 * s - pad);
    const int y1 = std::min(layer.shape.in_h, (r.row1 - 1) * s - pad + layer.shape.kh);
    d.pad_top = pad - r.row0 * s + y0;
    d.in_h = y1 - y0;
    d.out_h = r.row1 - r.row0;
    c.in_pixel = y0 * d.in_w;
    return c;
  }

  void buildTiles(MappedLayer &layer, int rows, int free_words) {
    layer.tiles.clear();
    buildCopyTiles(layer, *copyRows(layer, free_words));
    buildGatherTiles(layer);
    const std::vector<Region> parts = regions(layer, rows);
    // Scratch: one input slot per streamed input tensor, then the output slot.
    const int in_slot_words = int(scratchWordsInput(layer, rows));
    std::map<int, int> slot;  // streamed tensor -> scratch base
    int next = int(layer.scratch_base);
    for (int t : layer.inputs) {
      if (mapping_.tensors[size_t(t)].on_chip || slot.count(t)) continue;
      slot[t] = next;
      next += in_slot_words;
    }
    const MappedTensor &out = mapping_.tensors[size_t(layer.output)];
    const int layer_index = int(&layer - mapping_.layers.data());
    for (int b = 0; b < layer.blockCount(); ++b) {
      int image = -1;
      for (size_t k = 0; k < parts.size(); ++k) {
        const Region &r = parts[k];
        const Cut c = cut(layer, b, r);
        MappedTile tile;
        tile.block = b;
        tile.row0 = r.row0, tile.row1 = r.row1, tile.col0 = r.col0, tile.col1 = r.col1;
        LayerDesc d = c.desc;
        placeInput(layer, b, c, layer.inputs[0], slot, d.act_base, d.act_dma_words, tile.act);
        if (d.op == LayerOp::Add) {
          if (layer.inputs[1] == layer.inputs[0]) {  // x + x: one tensor, loaded once
            d.act2_base = d.act_base;
          } else {
            placeInput(layer, b, c, layer.inputs[1], slot, d.act2_base, d.act2_dma_words,
                       tile.act2);
          }
        }
        const int out_offset = outputOffset(layer, b, r);
        if (out.on_chip) {
          d.out_base = out.act_base + out_offset;
        } else {
          d.out_base = next;
          d.out_dma_words = outputWords(d, cfg_);
          tile.out = extRef(layer.output, out_offset);
        }
        if (d.op != LayerOp::MaxPool) {
          // The first tile of a block loads its weight image; the others find it resident.
          if (k == 0) {
            image = int(mapping_.weight_images.size());
            mapping_.weight_images.push_back({layer_index, b, weightImageWords(d, cfg_), 0});
            d.w_dma_words = weightImageWords(d, cfg_);
          }
          tile.weight_image = image;
        }
        tile.desc = d;
        layer.tiles.push_back(tile);
      }
    }
    layer.scratch_words = std::max({int(scratchWords(layer, rows)), gatherScratchWords(layer),
                                    int(copyScratchWords(layer, *copyRows(layer, free_words)))});
  }

  // Words of the largest input band (or input pixel) a tile of `rows` rows reads.
  int64_t scratchWordsInput(const MappedLayer &layer, int rows) const {
    const LayerDesc &d = layer.shape;
    if (layer.scheme == TileScheme::Pixels) return inputWordsPerPixel(layer);
    const int64_t in_rows = std::min<int64_t>(d.in_h, int64_t(rows - 1) * d.stride + d.kh);
    return in_rows * d.in_w * inputWordsPerPixel(layer);
  }

  // Word offset inside input tensor t of what tile (b, cut) reads.
  int inputOffset(const MappedLayer &layer, int t, int b, const Cut &c) const {
    const MappedTensor &tensor = mapping_.tensors[size_t(t)];
    if (layer.shape.op == LayerOp::Conv) return c.in_pixel * channelWords(layer.shape.in_c, cfg_);
    return tensor.blockOffsetWords(b, cfg_) + c.in_pixel * channelWords(c.desc.in_c, cfg_);
  }

  void placeInput(const MappedLayer &layer, int b, const Cut &c, int t,
                  const std::map<int, int> &slot, int &base, int &dma_words, ExtRef &ref) const {
    const MappedTensor &tensor = mapping_.tensors[size_t(t)];
    const int offset = inputOffset(layer, t, b, c);
    if (tensor.on_chip) {
      base = tensor.act_base + offset;
      dma_words = 0;
    } else {
      base = slot.at(t);
      dma_words = inputWords(c.desc, cfg_);
      ref = extRef(t, offset);
    }
  }

  int outputOffset(const MappedLayer &layer, int b, const Region &r) const {
    const MappedTensor &out = mapping_.tensors[size_t(layer.output)];
    const int pixel = r.row0 * out.w + r.col0;
    const int c0 = layer.block_start[size_t(b)];
    if (out.blockCount() > 1) {
      return out.blockOffsetWords(b, cfg_) + pixel * channelWords(out.blockChannels(b), cfg_);
    }
    // Plain layout: channel blocks only for one-pixel outputs or single-pixel tiles.
    return pixel * channelWords(out.c, cfg_) + c0 / cfg_.rows;
  }

  // --- external memory -----------------------------------------------------------------

  static uint64_t alignUp(uint64_t value) {
    return (value + kExtAlign - 1) / kExtAlign * kExtAlign;
  }

  void layoutExternal() {
    ExternalMap &ext = mapping_.ext;
    uint64_t at = alignUp(options_.ext_base);
    ext.descriptors_addr = uint32_t(at);
    const uint64_t desc_bytes = uint64_t(mapping_.tileCount()) * kDescriptorBytes;
    at = alignUp(at + desc_bytes);
    const uint64_t weights_addr = at;
    for (WeightImage &image : mapping_.weight_images) {
      image.ext_addr = uint32_t(at);
      at = alignUp(at + uint64_t(image.words) * weightWordBytes(cfg_));
    }
    const uint64_t tensors_addr = at;
    for (MappedTensor &t : mapping_.tensors) {
      if (!t.external || t.alias_of >= 0) continue;
      t.ext_addr = uint32_t(at);
      at = alignUp(at + uint64_t(t.words) * dataWordBytes(cfg_));
    }
    for (size_t t = 0; t < mapping_.tensors.size(); ++t)  // concat inputs stored in place
      if (mapping_.tensors[t].external && mapping_.tensors[t].alias_of >= 0)
        mapping_.tensors[t].ext_addr = mapping_.tensors[size_t(storage_[t])].ext_addr +
                                       uint32_t(storage_offset_[t] * int64_t(dataWordBytes(cfg_)));
    if (at > UINT32_MAX)
      throw Error(6722, {net_.source_file}, "",
                  fmt::format("network '{}': the external-memory image needs {} bytes, beyond "
                              "the 32-bit address space of the DMA",
                              net_.name, at));
    ext.descriptors_bytes = uint32_t(desc_bytes);
    ext.weights_addr = uint32_t(weights_addr);
    ext.weights_bytes = uint32_t(tensors_addr - weights_addr);
    ext.tensors_addr = uint32_t(tensors_addr);
    ext.tensors_bytes = uint32_t(at - tensors_addr);
    ext.end = uint32_t(at);
    uint32_t desc_addr = ext.descriptors_addr;
    for (MappedLayer &layer : mapping_.layers) {
      for (MappedTile &tile : layer.tiles) {
        tile.desc_addr = desc_addr;
        desc_addr += kDescriptorBytes;
        resolve(tile);
        const std::vector<Problem> problems = validate(tile.desc, cfg_);
        if (!problems.empty())
          throw std::logic_error(fmt::format("mapping of layer '{}' made a bad descriptor: {}: {}",
                                             net_.layers[size_t(layer.index)].name,
                                             describeLayer(tile.desc), formatProblems(problems)));
      }
    }
  }

  uint32_t address(const ExtRef &ref) const {
    return ref.tensor < 0
               ? 0
               : mapping_.tensors[size_t(ref.tensor)].ext_addr + uint32_t(ref.offset_bytes);
  }

  void resolve(MappedTile &tile) const {
    tile.desc.ext_act_addr = address(tile.act);
    tile.desc.ext_act2_addr = address(tile.act2);
    tile.desc.ext_out_addr = address(tile.out);
    if (tile.weight_image >= 0)
      tile.desc.ext_w_addr = mapping_.weight_images[size_t(tile.weight_image)].ext_addr;
  }

  const Network &net_;
  AccelConfig cfg_;
  MappingOptions options_;
  Mapping mapping_;
  std::vector<int> tensor_of_;              // network layer -> tensor holding its output
  std::map<int, int> plain_copy_;           // channel-blocked tensor -> its plain copy
  std::vector<ConcatCopy> copies_;          // concat inputs not stored in place
  std::map<int, std::string> blocked_why_;  // tensor in channel blocks -> why
  std::vector<bool> is_pass1_;              // per mapping_.layers while planning
  // Per tensor (indexStorage): its storage and offset there; per storage: its members,
  // the last layer reading any of them and every layer reading one.
  std::vector<int> storage_, storage_offset_, live_end_;
  std::vector<std::vector<int>> members_;
  std::vector<std::set<int>> uses_;
  int output_tensor_ = -1;
  int failed_layer_ = -1;
};

}  // namespace

HostOpDesc hostOpDesc(const NetLayer &layer) {
  static const std::map<NetOp, HostOpKind> kinds = {{NetOp::Softmax, HostOpKind::Softmax},
                                                    {NetOp::Sigmoid, HostOpKind::Sigmoid},
                                                    {NetOp::HardSigmoid, HostOpKind::HardSigmoid},
                                                    {NetOp::HardSwish, HostOpKind::HardSwish},
                                                    {NetOp::Mul, HostOpKind::Mul},
                                                    {NetOp::Transpose, HostOpKind::Transpose}};
  const auto kind = kinds.find(layer.op);
  if (kind == kinds.end()) throw std::logic_error("hostOpDesc: not a host op");
  auto hwc = [](const TensorShape &s) {
    return std::array<int, 3>{int(s.h), int(s.w), int(s.c)};  // the reader keeps them < 2^24
  };
  HostOpDesc d;
  d.kind = kind->second;
  d.in_hwc = hwc(layer.input_shapes.at(0));
  if (layer.input_shapes.size() > 1) d.in2_hwc = hwc(layer.input_shapes[1]);
  d.out_hwc = hwc(layer.output_shape);
  d.input_scale = layer.host.input_scale;
  d.input2_scale = layer.host.input2_scale;
  d.output_scale = layer.host.output_scale;
  d.axis = layer.host.axis;
  d.perm = layer.host.perm;
  d.alpha = layer.host.alpha;
  d.beta = layer.host.beta;
  if (d.kind == HostOpKind::Transpose) d.input_scale = d.output_scale = 1.0;
  if (d.kind != HostOpKind::Mul) d.input2_scale = 1.0;
  return d;
}

std::vector<MappedStage> mappedStages(const Mapping &mapping) {
  std::vector<MappedStage> stages;
  size_t host = 0;
  for (size_t i = 0; i < mapping.layers.size(); ++i) {
    for (; host < mapping.host_layers.size() &&
           mapping.host_layers[host].index < mapping.layers[i].index;
         ++host)
      stages.push_back({true, int(host)});
    stages.push_back({false, int(i)});
  }
  for (; host < mapping.host_layers.size(); ++host) stages.push_back({true, int(host)});
  return stages;
}

std::vector<std::string> checkAccelConfig(const AccelConfig &cfg) {
  std::vector<std::string> problems;
  auto require = [&](bool ok, std::string text) {
    if (!ok) problems.push_back(std::move(text));
  };
  require(cfg.rows >= 8 && cfg.rows % 8 == 0,
          fmt::format("ROWS {} must be a multiple of 8", cfg.rows));
  require(cfg.cols >= cfg.rows && cfg.rows > 0 && cfg.cols % cfg.rows == 0,
          fmt::format("COLS {} must be a multiple of ROWS {}", cfg.cols, cfg.rows));
  require(cfg.col_groups >= 1 && cfg.col_groups <= 32 && cfg.cols % cfg.col_groups == 0,
          fmt::format("COL_GROUPS {} must divide COLS {} (at most 32)", cfg.col_groups, cfg.cols));
  require(isPowerOfTwo(cfg.act_banks) && cfg.act_banks <= 32,
          fmt::format("ACT_BANKS {} must be a power of two up to 32", cfg.act_banks));
  require(isPowerOfTwo(cfg.w_banks) && cfg.w_banks <= 32,
          fmt::format("W_BANKS {} must be a power of two up to 32", cfg.w_banks));
  require(isPowerOfTwo(cfg.act_bank_words),
          fmt::format("ACT_BANK_WORDS {} must be a power of two", cfg.act_bank_words));
  require(isPowerOfTwo(cfg.w_bank_words),
          fmt::format("W_BANK_WORDS {} must be a power of two", cfg.w_bank_words));
  require(int64_t(cfg.act_banks) * cfg.act_bank_words <= 65536,
          "ACT_BANKS x ACT_BANK_WORDS must be at most 65536 (16-bit addresses)");
  require(int64_t(cfg.w_banks) * cfg.w_bank_words <= 65536,
          "W_BANKS x W_BANK_WORDS must be at most 65536 (16-bit addresses)");
  return problems;
}

Mapping mapNetwork(const Network &network, const AccelConfig &cfg, const MappingOptions &options) {
  const std::vector<std::string> problems = checkAccelConfig(cfg);
  if (!problems.empty()) {
    std::string text;
    for (const std::string &p : problems) text += (text.empty() ? "" : "; ") + p;
    throw Error(6707, {}, "accelerator", "unusable accelerator parameters: " + text);
  }
  if (options.ext_base % kExtAlign != 0)
    throw Error(6723, {}, "ext_base",
                fmt::format("external base {:#x} must be 64-byte aligned", options.ext_base));
  return Mapper(network, cfg, options).run();
}

AccelConfig accelConfigOf(const DesignSpec &design) {
  AccelConfig cfg;
  const std::pair<const char *, int AccelConfig::*> keys[] = {
      {"ROWS", &AccelConfig::rows},
      {"COLS", &AccelConfig::cols},
      {"COL_GROUPS", &AccelConfig::col_groups},
      {"ACT_BANKS", &AccelConfig::act_banks},
      {"ACT_BANK_WORDS", &AccelConfig::act_bank_words},
      {"W_BANKS", &AccelConfig::w_banks},
      {"W_BANK_WORDS", &AccelConfig::w_bank_words},
  };
  for (const auto &[key, member] : keys) {
    const auto it = design.parameters.find(key);
    if (it == design.parameters.end()) continue;
    if (it->second < 1 || it->second > 65536)
      throw Error(6724, {design.source_file}, fmt::format("design.parameters.{}", key),
                  fmt::format("{} is outside 1..65536", it->second));
    cfg.*member = int(it->second);
  }
  const std::vector<std::string> problems = checkAccelConfig(cfg);
  if (!problems.empty())
    throw Error(6707, {design.source_file}, "design.parameters",
                "unusable accelerator parameters: " + problems.front());
  return cfg;
}

}  // namespace pf
