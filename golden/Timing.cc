#include "golden/Timing.hh"

#include <algorithm>

#include "golden/Packing.hh"

namespace pf {

namespace {

// Banks covering words [base, base + words) of a buffer whose addresses wrap.
uint32_t banksOf(int base, int words, int bank_words, int banks) {
  const int capacity = bank_words * banks;
  uint32_t mask = 0;
  for (int w = 0; w < words; ++w) mask |= 1u << (((base + w) % capacity) / bank_words);
  return mask;
}

}  // namespace

int64_t computeCycles(const LayerDesc &d, const AccelConfig &cfg) {
  int64_t tiles = 0, steps = 0, requant = cfg.rows, writes = 1;
  switch (d.op) {
    case LayerOp::Conv:
      tiles = ceilDiv(d.out_c, cfg.cols);
      steps = int64_t{d.kh} * d.kw * channelWords(d.in_c, cfg);
      requant = cfg.cols;
      writes = cfg.cols / cfg.rows;
      break;
    case LayerOp::DwConv:
    case LayerOp::MaxPool:
    case LayerOp::AvgPool:
      tiles = ceilDiv(d.out_c, cfg.rows);
      steps = int64_t{d.kh} * d.kw;
      break;
    case LayerOp::Add:
      tiles = ceilDiv(d.out_c, cfg.rows);
      steps = 2;
      break;
  }
  const int64_t pixels = int64_t{d.out_h} * d.out_w;
  return tiles * (2 + pixels * (steps + 3 + requant + writes));
}

LayerCycles layerCycles(const LayerDesc &d, const AccelConfig &cfg, int read_latency,
                        bool rejected) {
  LayerCycles c;
  const int64_t latency = read_latency;
  c.fetch = 11 + latency + (rejected ? 1 : 4);
  if (!rejected) {
    const int64_t data_beats = dataWordBeats(cfg);
    const int64_t weight_beats = weightWordBeats(cfg);
    auto load = [&](int words, int64_t beats_per_word) {
      return words == 0 ? 0 : words * beats_per_word + latency + 4;
    };
    c.load = load(d.act_dma_words, data_beats) + load(d.act2_dma_words, data_beats) +
             load(d.w_dma_words, weight_beats);
    c.compute = computeCycles(d, cfg);
    c.store = d.out_dma_words == 0 ? 0 : int64_t{d.out_dma_words} * (2 + data_beats) + 2;
  }
  c.total = c.fetch + c.load + c.compute + c.store + 1;  // + the done cycle
  return c;
}

uint32_t activePeGroups(const LayerDesc &d, const AccelConfig &cfg) {
  const int columns = std::min(d.out_c, d.op == LayerOp::Conv ? cfg.cols : cfg.rows);
  uint32_t mask = 0;
  for (int g = 0; g < cfg.col_groups; ++g) {
    if (g * cfg.colsPerGroup() < columns) mask |= 1u << g;
  }
  return mask;
}

uint32_t usedActBanks(const LayerDesc &d, const AccelConfig &cfg) {
  const int in_words = inputWords(d, cfg);
  uint32_t mask = banksOf(d.act_base, in_words, cfg.act_bank_words, cfg.act_banks) |
                  banksOf(d.out_base, outputWords(d, cfg), cfg.act_bank_words, cfg.act_banks);
  if (d.op == LayerOp::Add) {
    mask |= banksOf(d.act2_base, in_words, cfg.act_bank_words, cfg.act_banks);
  }
  return mask;
}

uint32_t usedWeightBanks(const LayerDesc &d, const AccelConfig &cfg) {
  return banksOf(d.w_base, weightImageWords(d, cfg), cfg.w_bank_words, cfg.w_banks);
}

}  // namespace pf
