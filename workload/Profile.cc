#include "workload/Profile.hh"

#include <fmt/format.h>

#include <algorithm>

#include "golden/Packing.hh"
#include "golden/Timing.hh"

namespace pf {

namespace {

// Adds `times` accesses to each word of [base, base + words) of a buffer whose addresses
// wrap at banks * bank_words.
void addRange(std::vector<int64_t> &banks, int bank_words, int64_t base, int64_t words,
              int64_t times = 1) {
  const int64_t capacity = int64_t(bank_words) * int64_t(banks.size());
  base %= capacity;
  while (words > 0) {
    const int64_t bank = base / bank_words;
    const int64_t run = std::min(words, (bank + 1) * bank_words - base);
    banks[size_t(bank)] += run * times;
    words -= run;
    base = (base + run) % capacity;
  }
}

// Calls visit(pixel, input_pixel, tap) for every in-bounds MAC step.
template <typename Visit>
void forEachInBounds(const LayerDesc &d, Visit visit) {
  for (int oy = 0; oy < d.out_h; ++oy) {
    for (int ox = 0; ox < d.out_w; ++ox) {
      for (int ky = 0; ky < d.kh; ++ky) {
        const int iy = oy * d.stride + ky - d.pad_top;
        if (iy < 0 || iy >= d.in_h) continue;
        for (int kx = 0; kx < d.kw; ++kx) {
          const int ix = ox * d.stride + kx - d.pad_left;
          if (ix < 0 || ix >= d.in_w) continue;
          visit(int64_t(oy) * d.out_w + ox, int64_t(iy) * d.in_w + ix, ky * d.kw + kx);
        }
      }
    }
  }
}

void countCompute(const LayerDesc &d, const AccelConfig &cfg, BankAccesses &n) {
  const int aw = cfg.act_bank_words, ww = cfg.w_bank_words;
  const int64_t pixels = int64_t(d.out_h) * d.out_w;
  const int tiles = weightTileCount(d, cfg) > 0 ? weightTileCount(d, cfg)
                                                : ceilDiv(d.out_c, cfg.rows);  // MAXPOOL
  const int tile_words = weightTileWords(d, cfg);
  const int cw_in = channelWords(d.in_c, cfg), cw_out = channelWords(d.out_c, cfg);
  if (d.op != LayerOp::MaxPool)
    for (int t = 0; t < tiles; ++t)
      addRange(n.w_reads_words, ww, d.w_base + int64_t(t) * tile_words, 1);
  std::vector<int64_t> tap_count(size_t(d.kh) * d.kw, 0);
  switch (d.op) {
    case LayerOp::Conv: {
      forEachInBounds(d, [&](int64_t, int64_t in_pixel, int tap) {
        addRange(n.act_reads_words, aw, d.act_base + in_pixel * cw_in, cw_in, tiles);
        ++tap_count[size_t(tap)];
      });
      for (int t = 0; t < tiles; ++t)
        for (size_t tap = 0; tap < tap_count.size(); ++tap)
          addRange(n.w_reads_words, ww,
                   d.w_base + int64_t(t) * tile_words + 1 + int64_t(tap) * cw_in, cw_in,
                   tap_count[tap]);
      const int words_per_tile = cfg.cols / cfg.rows;
      for (int64_t p = 0; p < pixels; ++p)
        for (int t = 0; t < tiles; ++t) {
          const int first = t * words_per_tile;
          const int count = std::min(words_per_tile, cw_out - first);
          addRange(n.act_writes_words, aw, d.out_base + p * cw_out + first, count);
        }
      break;
    }
    case LayerOp::DwConv:
    case LayerOp::MaxPool:
    case LayerOp::AvgPool:
      forEachInBounds(d, [&](int64_t, int64_t in_pixel, int tap) {
        for (int t = 0; t < tiles; ++t)
          addRange(n.act_reads_words, aw, d.act_base + in_pixel * cw_in + t, 1);
        ++tap_count[size_t(tap)];
      });
      if (d.op == LayerOp::DwConv)
        for (int t = 0; t < tiles; ++t)
          for (size_t tap = 0; tap < tap_count.size(); ++tap)
            addRange(n.w_reads_words, ww,
                     d.w_base + int64_t(t) * tile_words + 1 + int64_t(tap) / cfg.cols, 1,
                     tap_count[tap]);
      for (int64_t p = 0; p < pixels; ++p)
        addRange(n.act_writes_words, aw, d.out_base + p * cw_out, tiles);
      break;
    case LayerOp::Add:
      for (int64_t p = 0; p < pixels; ++p) {
        addRange(n.act_reads_words, aw, d.act_base + p * cw_in, tiles);
        addRange(n.act_reads_words, aw, d.act2_base + p * cw_in, tiles);
        addRange(n.act_writes_words, aw, d.out_base + p * cw_out, tiles);
      }
      break;
  }
}

uint32_t nonZeroMask(const std::vector<int64_t> &a, const std::vector<int64_t> &b) {
  uint32_t mask = 0;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] + b[i] > 0) mask |= 1u << i;
  return mask;
}

std::array<int64_t, 3> hwc(const TensorShape &s) { return {s.h, s.w, s.c}; }
std::array<int64_t, 3> hwc(const MappedTensor &t) { return {t.h, t.w, t.c}; }

const char *location(const MappedTensor &t) { return t.on_chip ? "on_chip" : "external"; }

void addTraffic(const Mapping &m, const MappedTile &tile, int output_tensor, LayerTraffic &tr) {
  const AccelConfig &cfg = m.cfg;
  const LayerDesc &d = tile.desc;
  const int64_t data_bytes = dataWordBytes(cfg), weight_bytes = weightWordBytes(cfg);
  tr.fetch_bytes += kDescriptorBytes;
  tr.fetch_beats += kDescriptorBytes / kBeatBytes;
  auto load = [&](const ExtRef &ref, int words) {
    if (words == 0) return;
    int64_t &w = ref.tensor == 0 ? tr.input_load_words : tr.spill_load_words;
    int64_t &b = ref.tensor == 0 ? tr.input_load_bytes : tr.spill_load_bytes;
    w += words;
    b += words * data_bytes;
  };
  load(tile.act, d.act_dma_words);
  load(tile.act2, d.act2_dma_words);
  tr.weight_load_words += d.w_dma_words;
  tr.weight_load_bytes += d.w_dma_words * weight_bytes;
  if (d.out_dma_words > 0) {
    const bool final_output = tile.out.tensor == output_tensor;
    (final_output ? tr.output_store_words : tr.spill_store_words) += d.out_dma_words;
    (final_output ? tr.output_store_bytes : tr.spill_store_bytes) += d.out_dma_words * data_bytes;
  }
  const DmaWords dma = dmaWords(d, cfg);
  tr.load_beats += dma.loadBeats;
  tr.load_bytes += dma.loadBeats * kBeatBytes;
  tr.store_beats += dma.storeBeats;
  tr.store_bytes += dma.storeBeats * kBeatBytes;
}

// Name, op, network index and the tensors a stage reads and writes (accelerator or host).
void describeStage(const Mapping &m, const NetLayer &nl, int network_index,
                   const std::vector<int> &inputs, int output, LayerProfile &p) {
  p.name = nl.name;
  p.op = netOpName(nl.op);
  p.network_index = network_index;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const MappedTensor &t = m.tensors[size_t(inputs[k])];
    p.inputs.push_back(t.name);
    p.input_hwc.push_back(hwc(nl.input_shapes[k]));
    p.input_location.push_back(location(t));
  }
  const MappedTensor &out = m.tensors[size_t(output)];
  p.output = out.name;
  p.output_hwc = hwc(nl.output_shape);
  p.output_location = location(out);
}

LayerProfile profileLayer(const Mapping &m, const MappedLayer &ml, const Network &net,
                          const ProfileOptions &options, int output_tensor) {
  const AccelConfig &cfg = m.cfg;
  const NetLayer &nl = net.layers[size_t(ml.index)];
  LayerProfile p;
  describeStage(m, nl, ml.index, ml.inputs, ml.output, p);
  p.accel_op = layerOpName(ml.shape.op);
  p.scheme = tileSchemeName(ml.scheme);
  p.tiles = int(ml.tiles.size());
  p.channel_blocks = ml.blockCount();
  p.row_bands = ml.row_bands;
  p.rows_per_band = ml.rows_per_band;
  p.refolded = ml.refolded;
  p.block_start = ml.block_start;

  p.accesses.act_reads_words.assign(size_t(cfg.act_banks), 0);
  p.accesses.act_writes_words.assign(size_t(cfg.act_banks), 0);
  p.accesses.w_reads_words.assign(size_t(cfg.w_banks), 0);
  p.accesses.w_writes_words.assign(size_t(cfg.w_banks), 0);
  for (const MappedTile &tile : ml.tiles) {
    const LayerCycles c = layerCycles(tile.desc, cfg, options.read_latency);
    p.cycles.fetch += c.fetch;
    p.cycles.load += c.load;
    p.cycles.compute += c.compute;
    p.cycles.store += c.store;
    p.cycles.control += 2;  // the start cycle and the done cycle
    p.cycles.total += c.total + 1;
    addTraffic(m, tile, output_tensor, p.traffic);
    countBufferAccesses(tile.desc, cfg, p.accesses);
    p.pe_groups |= activePeGroups(tile.desc, cfg);
    p.descriptors.push_back(
        {tile.desc_addr, tile.desc, tile.block, tile.row0, tile.row1, tile.col0, tile.col1});
  }
  p.act_banks_used = nonZeroMask(p.accesses.act_reads_words, p.accesses.act_writes_words);
  p.w_banks_used = nonZeroMask(p.accesses.w_reads_words, p.accesses.w_writes_words);
  p.act_banks_live_after = ml.live_after_act_banks;

  const LayerCost cost = layerCost(nl);
  p.macs = cost.macs;
  p.other_ops = cost.other_ops;
  p.weight_sparsity = nl.weight_sparsity;
  p.activation_sparsity = nl.activation_sparsity;
  p.operand_sparsity = 1.0 - (1.0 - nl.weight_sparsity) * (1.0 - nl.activation_sparsity);
  return p;
}

// A host layer: its tensors are in external memory (the mapping keeps them there); the
// banks live across it are those live after the accelerator layer before it (no tensor
// the host touches is on chip, so nothing dies or is born in the buffer meanwhile).
LayerProfile profileHostLayer(const Mapping &m, const MappedHostLayer &host, const Network &net,
                              const ProfileOptions &options, uint32_t live_before) {
  const NetLayer &nl = net.layers[size_t(host.index)];
  LayerProfile p;
  describeStage(m, nl, host.index, host.inputs, host.output, p);
  p.accel_op = "HOST";
  p.scheme = "host";
  p.block_start = {0, int(m.tensors[size_t(host.output)].c)};
  p.accesses.act_reads_words.assign(size_t(m.cfg.act_banks), 0);
  p.accesses.act_writes_words.assign(size_t(m.cfg.act_banks), 0);
  p.accesses.w_reads_words.assign(size_t(m.cfg.w_banks), 0);
  p.accesses.w_writes_words.assign(size_t(m.cfg.w_banks), 0);
  p.act_banks_live_after = live_before;
  const LayerCost cost = layerCost(nl);
  p.macs = cost.macs;
  p.other_ops = cost.other_ops;
  p.on_host = true;
  p.host_op = host.desc;
  p.host_default_scales = nl.host.default_scales && host.desc.kind != HostOpKind::Transpose;
  const HostCost price = hostCost(host.desc, options.host_model);
  p.host_cost = {price.cycles, price.time_ns, price.energy_pj, price.bytes_read,
                 price.bytes_written};
  return p;
}

ProfileTensor profileTensor(const MappedTensor &t, const Network &net) {
  ProfileTensor p;
  p.name = t.name;
  p.producer = t.producer < 0 ? "" : net.layers[size_t(t.producer)].name;
  p.hwc = hwc(t);
  p.block_start = t.block_start;
  p.words = t.words;
  p.on_chip = t.on_chip;
  p.act_base = t.on_chip ? t.act_base : -1;
  p.external = t.external;
  p.ext_addr = t.external ? t.ext_addr : 0;
  for (int c : t.consumers) p.consumers.push_back(net.layers[size_t(c)].name);
  return p;
}

}  // namespace

void countBufferAccesses(const LayerDesc &d, const AccelConfig &cfg, BankAccesses &n) {
  const int aw = cfg.act_bank_words, ww = cfg.w_bank_words;
  addRange(n.act_writes_words, aw, d.act_base, d.act_dma_words);
  addRange(n.act_writes_words, aw, d.act2_base, d.act2_dma_words);
  addRange(n.w_writes_words, ww, d.w_base, d.w_dma_words);
  countCompute(d, cfg, n);
  addRange(n.act_reads_words, aw, d.out_base, d.out_dma_words);
}

Profile profileMapping(const Mapping &mapping, const Network &network,
                       const ProfileOptions &options) {
  Profile p;
  p.generated_by = options.generated_by;
  p.network = network.name;
  p.network_file = network.source_file;
  p.accel = mapping.cfg;
  p.read_latency_cycles = options.read_latency;
  p.ext = mapping.ext;
  int output_tensor = -1;
  for (size_t t = 0; t < mapping.tensors.size(); ++t)
    if (mapping.tensors[t].producer >= 0 && mapping.tensors[t].consumers.empty())
      output_tensor = int(t);
  p.host_model = options.host_model;
  uint32_t live = 0;  // banks live after the previous accelerator layer
  for (const MappedStage &stage : mappedStages(mapping)) {
    if (stage.host) {
      p.layers.push_back(profileHostLayer(mapping, mapping.host_layers[size_t(stage.index)],
                                          network, options, live));
      continue;
    }
    const MappedLayer &layer = mapping.layers[size_t(stage.index)];
    p.layers.push_back(profileLayer(mapping, layer, network, options, output_tensor));
    live = layer.live_after_act_banks;
  }
  for (const MappedTensor &t : mapping.tensors) p.tensors.push_back(profileTensor(t, network));
  return p;
}

PhaseCycles Profile::totalCycles() const {
  PhaseCycles sum;
  for (const LayerProfile &l : layers) {
    sum.fetch += l.cycles.fetch;
    sum.load += l.cycles.load;
    sum.compute += l.cycles.compute;
    sum.store += l.cycles.store;
    sum.control += l.cycles.control;
    sum.total += l.cycles.total;
  }
  return sum;
}

LayerTraffic Profile::totalTraffic() const {
  LayerTraffic s;
  for (const LayerProfile &l : layers) {
    const LayerTraffic &t = l.traffic;
    s.fetch_beats += t.fetch_beats, s.fetch_bytes += t.fetch_bytes;
    s.load_beats += t.load_beats, s.load_bytes += t.load_bytes;
    s.store_beats += t.store_beats, s.store_bytes += t.store_bytes;
    s.weight_load_words += t.weight_load_words, s.weight_load_bytes += t.weight_load_bytes;
    s.input_load_words += t.input_load_words, s.input_load_bytes += t.input_load_bytes;
    s.spill_load_words += t.spill_load_words, s.spill_load_bytes += t.spill_load_bytes;
    s.spill_store_words += t.spill_store_words, s.spill_store_bytes += t.spill_store_bytes;
    s.output_store_words += t.output_store_words, s.output_store_bytes += t.output_store_bytes;
  }
  return s;
}

int64_t Profile::totalMacs() const {
  int64_t sum = 0;
  for (const LayerProfile &l : layers) sum += l.macs;
  return sum;
}

bool Profile::hasHostLayers() const {
  for (const LayerProfile &l : layers)
    if (l.on_host) return true;
  return false;
}

const LayerProfile *Profile::findLayer(const std::string &name) const {
  for (const LayerProfile &l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

}  // namespace pf
