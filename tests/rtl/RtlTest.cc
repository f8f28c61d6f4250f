// Directed RTL tests of pf_accel (docs/accelerator.md): edge cases of shapes, channel
// counts and buffer placement, layers chained through on-chip tensors, saturation, and
// the error paths (bad opcode/field, domain faults, SRAM loss on power gating).
// Written for the default parameter set (4 data banks, 4 weight banks, 4 PE groups).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "golden/Builders.hh"
#include "golden/Layer.hh"
#include "golden/Packing.hh"
#include "golden/Reference.hh"
#include "golden/Timing.hh"
#include "sim/AccelHarness.hh"
#include "sim/RandomLayer.hh"
#include "tests/rtl/RtlChecks.hh"

namespace pf {
namespace {

const AccelConfig kRtlCfg = AccelHarness::builtConfig();
constexpr uint32_t kDescAddr = kDefaultDescAddr;

// Bits of the groups/banks 0..n-1.
uint32_t mask(int n) { return n >= 32 ? ~0u : (1u << n) - 1u; }

LayerTensors randomTensors(const LayerDesc &d, uint32_t seed, double density = 1.0) {
  std::mt19937 rng(seed);
  return makeRandomTensors(d, rng, density);
}

LayerDesc placed(LayerDesc d, uint32_t ext_base = 0x10000) {
  placeLayer(d, compactPlacement(d, kRtlCfg, ext_base), kRtlCfg);
  return d;
}

std::string readSource(const std::string &relative) {
  std::ifstream in(std::string(PF_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// First integer assigned to `name` by `pattern_head` + name + `= <digits>` in `text`, or -1.
int assignedValue(const std::string &text, const std::string &pattern_head,
                  const std::string &name) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern_head + name + R"(\s*=\s*(\d+))"))) return -1;
  return std::stoi(m[1]);
}

TEST(DefaultParameters, ModelIsBuiltWithTheDocumentedDefaults) {
  const AccelConfig defaults;
  EXPECT_EQ(kRtlCfg.rows, defaults.rows);
  EXPECT_EQ(kRtlCfg.cols, defaults.cols);
  EXPECT_EQ(kRtlCfg.col_groups, defaults.col_groups);
  EXPECT_EQ(kRtlCfg.act_banks, defaults.act_banks);
  EXPECT_EQ(kRtlCfg.act_bank_words, defaults.act_bank_words);
  EXPECT_EQ(kRtlCfg.w_banks, defaults.w_banks);
  EXPECT_EQ(kRtlCfg.w_bank_words, defaults.w_bank_words);
}

// The default accelerator is defined in three places that the flow reads independently:
// the RTL's parameter defaults, rtl/design.toml (synthesis, characterisation, profile) and
// AccelConfig (golden model, mapper). A change to one of them must reach the others.
TEST(DefaultParameters, RtlDesignFileAndGoldenModelAgree) {
  const std::string rtl = readSource("rtl/pf_accel.v");
  const std::string toml = readSource("rtl/design.toml");
  const size_t section = toml.find("[design.parameters]");
  ASSERT_NE(section, std::string::npos);
  const std::string params = toml.substr(section, toml.find("\n[", section + 1) - section);
  const AccelConfig defaults;
  const std::pair<const char *, int> expected[] = {
      {"ROWS", defaults.rows},
      {"COLS", defaults.cols},
      {"COL_GROUPS", defaults.col_groups},
      {"ACT_BANKS", defaults.act_banks},
      {"ACT_BANK_WORDS", defaults.act_bank_words},
      {"W_BANKS", defaults.w_banks},
      {"W_BANK_WORDS", defaults.w_bank_words},
  };
  for (const auto &[name, value] : expected) {
    EXPECT_EQ(assignedValue(rtl, R"(parameter\s+)", name), value) << name << " in pf_accel.v";
    EXPECT_EQ(assignedValue(params, R"((?:^|\n)\s*)", name), value) << name << " in design.toml";
  }
  // design.toml has one sram_bank domain per weight bank, w_bank0 .. w_bank<W_BANKS-1>.
  for (int b = 0; b < defaults.w_banks; ++b) {
    EXPECT_NE(toml.find(fmt::format("u_w_buf.g_bank[{}].u_sram", b)), std::string::npos) << b;
  }
  EXPECT_EQ(toml.find(fmt::format("u_w_buf.g_bank[{}]", defaults.w_banks)), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// (b) explicit edge cases

TEST(EdgeCases, PointwiseOneByOneKernel) {
  AccelHarness h;
  const LayerDesc d = placed(pointwiseLayer(7, 5, 13, 9, Activation::relu()));
  runAndCheck(h, d, randomTensors(d, 1));
}

TEST(EdgeCases, Stride2WithPaddingOnOddSizes) {
  AccelHarness h;
  for (int pad = 0; pad <= 2; ++pad) {
    SCOPED_TRACE(pad);
    const LayerDesc d = placed(conv2dLayer(7, 5, 3, 17, 5, 2, pad, Activation::none()));
    runAndCheck(h, d, randomTensors(d, 10 + uint32_t(pad)));
  }
}

TEST(EdgeCases, AsymmetricImpliedPadding) {
  // out_h/out_w larger than symmetric padding gives: bottom/right padding exceeds top/left.
  AccelHarness h;
  LayerDesc d = conv2dLayer(6, 6, 5, 4, 3, 2, 0, Activation::none());
  d.out_h = 3;  // windows at rows 0, 2, 4: the last reads rows 4..6, row 6 is padding
  d.out_w = 3;
  runAndCheck(h, placed(d), randomTensors(d, 3));
}

TEST(EdgeCases, OneRowAndOneColumnImages) {
  AccelHarness h;
  const LayerDesc row = placed(conv2dLayer(1, 11, 9, 3, 3, 1, 1, Activation::none()));
  runAndCheck(h, row, randomTensors(row, 4));
  const LayerDesc column = placed(depthwiseLayer(11, 1, 13, 3, 2, 1, Activation::relu()));
  runAndCheck(h, column, randomTensors(column, 5));
  const LayerDesc pool = placed(maxPoolLayer(1, 7, 9, 3, 2, 1));
  runAndCheck(h, pool, randomTensors(pool, 6));
}

TEST(EdgeCases, ChannelCountsOffTheLaneAndColumnGrid) {
  AccelHarness h;
  const int counts[] = {1, 3, 9, 13, 17};
  uint32_t seed = 100;
  for (int in_c : counts) {
    for (int out_c : counts) {
      SCOPED_TRACE(fmt::format("in_c {} out_c {}", in_c, out_c));
      const LayerDesc d = placed(conv2dLayer(3, 4, in_c, out_c, 3, 1, 1, Activation::none()));
      runAndCheck(h, d, randomTensors(d, seed++));
    }
    const LayerDesc dw = placed(depthwiseLayer(4, 3, in_c, 3, 1, 1, Activation::none()));
    runAndCheck(h, dw, randomTensors(dw, seed++));
    const LayerDesc avg = placed(avgPoolLayer(4, 3, in_c, 2, 1, 0));
    runAndCheck(h, avg, randomTensors(avg, seed++));
    const LayerDesc add = placed(residualAddLayer(2, 3, in_c, 3, -2, Activation::none()));
    runAndCheck(h, add, randomTensors(add, seed++));
  }
}

TEST(EdgeCases, UnusedPeGroupsStayInactiveAndMayBeOff) {
  const int cols_per_group = kRtlCfg.colsPerGroup();
  for (int out_c : {1, 3, 5}) {
    SCOPED_TRACE(fmt::format("out_c {}", out_c));
    const int used_groups = ceilDiv(out_c, cols_per_group);
    const uint32_t unused = mask(kRtlCfg.col_groups) & ~mask(used_groups);
    const LayerDesc d = placed(conv2dLayer(4, 4, 9, out_c, 3, 1, 1, Activation::none()));
    const LayerTensors t = randomTensors(d, 200 + uint32_t(out_c));
    {
      AccelHarness h;
      const RunResult r = runAndCheck(h, d, t);
      EXPECT_EQ(r.pe_active_in_compute & unused, 0u) << "pe_active of unused groups";
      EXPECT_EQ(r.pe_active_in_compute & mask(used_groups), mask(used_groups))
          << "pe_active of used groups";
      EXPECT_EQ(r.pe_active_any & unused, 0u) << "pe_active of unused groups outside compute";
    }
    {
      // The unused groups powered off and isolated: no fault, same result.
      AccelHarness h;
      h.domains().pe_pgood &= ~unused;
      h.domains().pe_iso |= unused;
      h.domains().pe_rst_n &= ~unused;
      runAndCheck(h, d, t);
    }
  }
}

TEST(EdgeCases, InputAndOutputInDifferentAndSameBanks) {
  const LayerDesc shape = conv2dLayer(5, 5, 9, 9, 3, 1, 1, Activation::none());
  const LayerTensors t = randomTensors(shape, 300);
  const int bank = kRtlCfg.act_bank_words;
  struct Case {
    const char *name;
    int act_base, out_base;
  };
  const int in_words = inputWords(shape, kRtlCfg);
  const Case cases[] = {
      {"same bank 0", 0, in_words},
      {"same bank 3, output first", 3 * bank + 100, 3 * bank},
      {"input bank 1, output bank 2", bank, 2 * bank},
      {"input bank 3, output bank 0", 3 * bank + 7, 11},
      {"input straddles banks 1/2", 2 * bank - in_words / 2, 3 * bank - 1},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    Placement p = compactPlacement(shape, kRtlCfg, 0x20000);
    p.act_base = c.act_base;
    p.out_base = c.out_base;
    p.w_base = 77;
    LayerDesc d = shape;
    placeLayer(d, p, kRtlCfg);
    AccelHarness h;
    const RunResult r = runAndCheck(h, d, t);
    const uint32_t banks_expected = (1u << (c.act_base / bank)) |
                                    (1u << ((c.act_base + in_words - 1) / bank)) |
                                    (1u << (c.out_base / bank));
    EXPECT_EQ(r.act_bank_active_any & banks_expected, banks_expected);
  }
}

// Two layers back to back with the intermediate tensor left in the data buffer: layer 1
// does not store, layer 2 does not load its input.
TEST(EdgeCases, ChainThroughResidentTensor) {
  AccelHarness h;
  LayerDesc first = conv2dLayer(6, 5, 3, 13, 3, 1, 1, Activation::relu());
  Placement p1 = compactPlacement(first, kRtlCfg, 0x10000);
  p1.act_base = 0;
  p1.out_base = kRtlCfg.act_bank_words + 5;
  p1.store_out = false;
  placeLayer(first, p1, kRtlCfg);
  const LayerTensors t1 = randomTensors(first, 400);
  const std::vector<int8_t> intermediate = runReference(first, t1);
  const RunResult r1 = runAndCheck(h, first, t1);
  EXPECT_EQ(r1.write_beats, 0u);
  EXPECT_EQ(r1.phase(kStore), 0u);

  LayerDesc second = depthwiseLayer(6, 5, 13, 3, 2, 1, Activation::none());
  Placement p2 = compactPlacement(second, kRtlCfg, 0x40000);
  p2.act_base = p1.out_base;
  p2.out_base = 2 * kRtlCfg.act_bank_words;
  p2.w_base = 300;  // keep layer 1's weights intact, not that it matters
  p2.load_act = false;
  placeLayer(second, p2, kRtlCfg);
  LayerTensors t2 = randomTensors(second, 401);
  t2.input = intermediate;
  // Poison the external copy the second layer must not read.
  h.fillMemory(second.ext_act_addr, size_t(inputWords(second, kRtlCfg)) * 8, 0x5a);
  const RunResult r2 = runAndCheck(h, second, t2);
  EXPECT_EQ(r2.read_beats, uint64_t(8 + dmaWords(second, kRtlCfg).loadBeats));
}

// Residual block: the skip tensor stays on chip and is ADD's resident second input.
TEST(EdgeCases, ResidualAddWithResidentSecondInput) {
  AccelHarness h;
  LayerDesc branch = pointwiseLayer(5, 3, 9, 9, Activation::relu());
  Placement pb = compactPlacement(branch, kRtlCfg, 0x10000);
  pb.out_base = 3 * kRtlCfg.act_bank_words + 17;
  pb.store_out = false;
  placeLayer(branch, pb, kRtlCfg);
  const LayerTensors tb = randomTensors(branch, 450);
  runAndCheck(h, branch, tb);

  LayerDesc add = residualAddLayer(5, 3, 9, 5, -3, Activation::none());
  Placement pa = compactPlacement(add, kRtlCfg, 0x30000);
  pa.act_base = 100;
  pa.act2_base = pb.out_base;
  pa.out_base = 2 * kRtlCfg.act_bank_words - 7;  // straddles banks 1 and 2
  pa.w_base = 400;
  pa.load_act2 = false;
  placeLayer(add, pa, kRtlCfg);
  LayerTensors ta = randomTensors(add, 451);
  ta.input2 = runReference(branch, tb);
  runAndCheck(h, add, ta);
}

TEST(EdgeCases, WeightsResidentFromPreviousLayer) {
  AccelHarness h;
  LayerDesc d = conv2dLayer(4, 4, 9, 9, 3, 1, 1, Activation::none());
  Placement p = compactPlacement(d, kRtlCfg, 0x10000);
  p.w_base = 123;
  placeLayer(d, p, kRtlCfg);
  LayerTensors t = randomTensors(d, 500);
  runAndCheck(h, d, t);
  // Same weights, new input, no weight load.
  LayerDesc again = d;
  again.w_dma_words = 0;
  std::mt19937 rng(501);
  for (int8_t &v : t.input)
    v = static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng));
  runAndCheck(h, again, t);
}

// The reason the default weight buffer has 4 banks (docs/accelerator.md): one output-column
// tile of a 3x3x512 CONV (ResNet's layer4) is 1 + 9*64 = 577 words, more than 2 banks hold.
// Every tap is in bounds (3x3 input, no padding), so compute reads every word of the tile.
TEST(EdgeCases, LargestZooWeightTileSpansThreeBanks) {
  const LayerDesc shape = conv2dLayer(3, 3, 512, 8, 3, 1, 0, Activation::relu());
  ASSERT_EQ(weightImageWords(shape, kRtlCfg), 577);
  ASSERT_GE(kRtlCfg.weightWords(), 577);
  const LayerTensors t = randomTensors(shape, 520);
  const int bank = kRtlCfg.w_bank_words;
  struct Case {
    const char *name;
    int w_base;
    uint32_t banks;
  };
  const Case cases[] = {
      {"from bank 0", 0, 0b0111u},
      {"up to the last word of bank 3", kRtlCfg.weightWords() - 577, 0b1110u},
      {"wrapping from bank 3 into banks 0 and 1", 3 * bank + 100, 0b1011u},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    AccelHarness h;
    LayerDesc d = shape;
    Placement p = compactPlacement(d, kRtlCfg, 0x10000);
    p.w_base = c.w_base;
    placeLayer(d, p, kRtlCfg);
    // The bank the image leaves out may be off for the whole layer.
    const uint32_t off = mask(kRtlCfg.w_banks) & ~c.banks;
    h.domains().w_pgood &= ~off;
    h.domains().w_iso |= off;
    RunResult r;
    if (c.w_base + 577 <= kRtlCfg.weightWords()) {
      r = runAndCheck(h, d, t);
    } else {  // wrapping is outside the compiler's range: validate() rejects it
      r = h.runLayer(d, t, kDescAddr);
      checkSuccessfulRun(d, runReference(d, t), r, kRtlCfg, h.memoryTiming());
    }
    EXPECT_EQ(r.w_bank_active_any, c.banks) << "weight banks accessed";
  }
}

TEST(EdgeCases, SaturationExtremes) {
  AccelHarness h;
  LayerDesc d = placed(conv2dLayer(3, 3, 17, 9, 3, 1, 1, Activation::none()));
  LayerTensors t = randomTensors(d, 600);
  std::fill(t.input.begin(), t.input.end(), int8_t{127});
  std::fill(t.weights.begin(), t.weights.end(), int8_t{127});
  std::fill(t.scale.begin(), t.scale.end(), uint16_t{65535});
  std::fill(t.shift.begin(), t.shift.end(), uint8_t{0});
  std::fill(t.bias.begin(), t.bias.end(), 0);
  std::vector<int8_t> expected(size_t(d.out_h) * d.out_w * d.out_c, 127);
  runAndCheck(h, d, t, expected);  // hand-derived: huge positive -> 127

  std::fill(t.weights.begin(), t.weights.end(), int8_t{-128});
  expected.assign(expected.size(), -128);
  runAndCheck(h, d, t, expected);  // 127 * -128 * n: huge negative -> -128

  // int32 wrap: bias INT32_MAX plus a positive sum wraps to a negative accumulator.
  std::fill(t.weights.begin(), t.weights.end(), int8_t{1});
  std::fill(t.bias.begin(), t.bias.end(), INT32_MAX);
  std::fill(t.scale.begin(), t.scale.end(), uint16_t{1});
  runAndCheck(h, d, t, expected);  // wrapped -> negative -> -128

  LayerDesc pool = placed(maxPoolLayer(3, 3, 9, 3, 2, 1));
  LayerTensors tp;
  tp.input.assign(3 * 3 * 9, -128);
  runAndCheck(h, pool, tp, std::vector<int8_t>(size_t(2 * 2 * 9), -128));
  tp.input.assign(3 * 3 * 9, 127);
  runAndCheck(h, pool, tp, std::vector<int8_t>(size_t(2 * 2 * 9), 127));
}

TEST(EdgeCases, MemoryTimingExtremes) {
  const LayerDesc d = placed(conv2dLayer(5, 4, 9, 9, 3, 1, 1, Activation::none()));
  const LayerTensors t = randomTensors(d, 700);
  for (MemoryTiming timing : {MemoryTiming{1, 1}, MemoryTiming{17, 1}, MemoryTiming{3, 7}}) {
    SCOPED_TRACE(
        fmt::format("latency {} interval {}", timing.read_latency, timing.request_interval));
    AccelHarness h(timing);
    runAndCheck(h, d, t);
  }
}

// A bandwidth-limited memory (sim/ExternalMemory.hh): 2 bytes/ns at a 1 ns clock allows one
// beat every 4 cycles. The layer still matches golden; the reads of fetch and load, back
// to back, take at least 4 cycles a beat, and the layer is slower than on the ideal memory.
TEST(EdgeCases, BandwidthLimitedMemory) {
  const LayerDesc d = placed(conv2dLayer(5, 4, 9, 9, 3, 1, 1, Activation::none()));
  const LayerTensors t = randomTensors(d, 700);
  MemoryTiming timing;
  timing.bandwidth_bytes_per_ns = 2.0;
  AccelHarness h(timing);
  h.setClockPeriodNs(1.0);
  const RunResult r = runAndCheck(h, d, t);
  ASSERT_GT(r.read_beats, 1u);
  EXPECT_GE(r.phase(kFetch) + r.phase(kLoad), 4 * (r.read_beats - 1));
  AccelHarness ideal;
  EXPECT_GT(r.cycles, runAndCheck(ideal, d, t).cycles);
  EXPECT_THROW(h.setClockPeriodNs(0.0), std::invalid_argument);
}

// Clarifications in the Timing section: clamp order min(max(y, act_min), act_max), a
// shift above 47 gives 0, buffer addresses wrap modulo the buffer size. validate()
// rejects such descriptors (a compiler never emits them), so they run unvalidated.
TEST(EdgeCases, DocumentedCornersOutsideTheCompilerRange) {
  AccelHarness h;
  LayerDesc d = placed(conv2dLayer(3, 3, 5, 11, 3, 1, 1, Activation::none()));
  LayerTensors t = randomTensors(d, 650);
  d.act_min = 20;  // above act_max: every output is act_max
  d.act_max = -3;
  for (size_t c = 0; c < t.shift.size(); c += 2) t.shift[c] = uint8_t(48 + c);
  RunResult r = h.runLayer(d, t, kDescAddr);
  checkSuccessfulRun(d, runReference(d, t), r, kRtlCfg, h.memoryTiming());
  EXPECT_EQ(r.output, std::vector<int8_t>(r.output.size(), -3));

  LayerDesc wrap = placed(conv2dLayer(4, 3, 9, 9, 3, 1, 1, Activation::none()));
  wrap.act_base = kRtlCfg.actWords() - 5;  // 24 input words: 5 at the end, 19 from word 0
  wrap.out_base = 100;
  wrap.w_base = kRtlCfg.weightWords() - 3;  // 2 tiles of 19 words wrap too
  const LayerTensors tw = randomTensors(wrap, 651);
  r = h.runLayer(wrap, tw, kDescAddr);
  checkSuccessfulRun(wrap, runReference(wrap, tw), r, kRtlCfg, h.memoryTiming());
}

TEST(EdgeCases, StartIsIgnoredWhileBusy) {
  AccelHarness h;
  const LayerDesc d = placed(conv2dLayer(4, 4, 9, 5, 3, 1, 1, Activation::none()));
  const LayerTensors t = randomTensors(d, 660);
  h.stageLayer(d, t, kDescAddr);
  for (uint64_t at : {5u, 40u, 300u}) {  // during fetch, load and compute
    SCOPED_TRACE(at);
    const RunResult r = h.run(d, kDescAddr, 100000, at);
    checkSuccessfulRun(d, runReference(d, t), r, kRtlCfg, h.memoryTiming());
    h.idle(30);  // a start that was not ignored would show up as activity here
    EXPECT_FALSE(h.busy());
  }
}

TEST(EdgeCases, ResetAbortsALayerAndTheNextOneWorks) {
  AccelHarness h;
  const LayerDesc d = placed(conv2dLayer(4, 4, 9, 5, 3, 1, 1, Activation::none()));
  const LayerTensors t = randomTensors(d, 670);
  h.stageLayer(d, t, kDescAddr);
  const RunResult aborted = h.run(d, kDescAddr, 150);  // mid-load
  EXPECT_FALSE(aborted.done);
  h.reset();
  EXPECT_FALSE(h.busy());
  runAndCheck(h, d, t);
}

// ---------------------------------------------------------------------------------------
// (d) error paths

TEST(Errors, BadOpcodeReportsOneAndNextLayerStillWorks) {
  AccelHarness h;
  const LayerDesc good = placed(conv2dLayer(3, 3, 3, 3, 3, 1, 1, Activation::none()));
  const LayerTensors t = randomTensors(good, 800);
  for (int code : {0, 6, 7, 15}) {
    SCOPED_TRACE(code);
    LayerDesc bad = good;
    bad.op = static_cast<LayerOp>(code);
    const RunResult r = h.runLayer(bad, t, kDescAddr, 100000);
    ASSERT_TRUE(r.done);
    EXPECT_EQ(r.err_code, 1);
    const LayerCycles expected = layerCycles(bad, kRtlCfg, h.memoryTiming().read_latency, true);
    EXPECT_EQ(int64_t(r.phase(kFetch)), expected.fetch);
    EXPECT_EQ(int64_t(r.cycles), expected.total);
    EXPECT_EQ(r.read_beats, 8u);  // no load, no store
    EXPECT_EQ(r.write_beats, 0u);
  }
  runAndCheck(h, good, t);
}

TEST(Errors, BadDescriptorFieldReportsTwo) {
  AccelHarness h;
  const LayerDesc conv = placed(conv2dLayer(3, 3, 3, 5, 3, 1, 1, Activation::none()));
  const LayerTensors t = randomTensors(conv, 850);
  struct Case {
    const char *name;
    void (*breakIt)(LayerDesc &);
  };
  const Case cases[] = {
      {"stride 0", [](LayerDesc &d) { d.stride = 0; }},
      {"kh 0", [](LayerDesc &d) { d.kh = 0; }},
      {"in_h 0", [](LayerDesc &d) { d.in_h = 0; }},
      {"out_w 0", [](LayerDesc &d) { d.out_w = 0; }},
      {"DWCONV with out_c != in_c", [](LayerDesc &d) { d.op = LayerOp::DwConv; }},
      {"ADD with a 3x3 window",
       [](LayerDesc &d) {
         d.op = LayerOp::Add;
         d.out_c = d.in_c;
       }},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    LayerDesc bad = conv;
    c.breakIt(bad);
    EXPECT_FALSE(validate(bad, kRtlCfg).empty()) << "validate() accepts what the RTL rejects";
    const RunResult r = h.runLayer(bad, t, kDescAddr, 100000);
    ASSERT_TRUE(r.done);
    EXPECT_EQ(r.err_code, 2);
    const LayerCycles expected = layerCycles(bad, kRtlCfg, h.memoryTiming().read_latency, true);
    EXPECT_EQ(int64_t(r.cycles), expected.total);
    EXPECT_EQ(r.read_beats, 8u);
    EXPECT_EQ(r.write_beats, 0u);
  }
  runAndCheck(h, conv, t);
}

TEST(Errors, PoweredOffOrRetainedBankIsADomainFault) {
  const LayerDesc shape = conv2dLayer(3, 3, 9, 9, 3, 1, 1, Activation::none());
  const LayerTensors t = randomTensors(shape, 900);
  Placement p = compactPlacement(shape, kRtlCfg, 0x10000);
  p.act_base = 2 * kRtlCfg.act_bank_words;  // input in bank 2
  p.out_base = 0;                           // output in bank 0
  LayerDesc d = shape;
  placeLayer(d, p, kRtlCfg);
  struct Case {
    const char *name;
    void (*apply)(DomainInputs &);
  };
  const Case cases[] = {
      {"input bank off",
       [](DomainInputs &x) {
         x.act_pgood &= ~4u;
         x.act_iso |= 4u;
       }},
      {"input bank isolated", [](DomainInputs &x) { x.act_iso |= 4u; }},
      {"input bank in retention", [](DomainInputs &x) { x.act_ret |= 4u; }},
      {"output bank off",
       [](DomainInputs &x) {
         x.act_pgood &= ~1u;
         x.act_iso |= 1u;
       }},
      {"weight bank off",
       [](DomainInputs &x) {
         x.w_pgood &= ~1u;
         x.w_iso |= 1u;
       }},
      {"used PE group isolated", [](DomainInputs &x) { x.pe_iso |= 1u; }},
      {"used PE group off",
       [](DomainInputs &x) {
         x.pe_pgood &= ~2u;
         x.pe_iso |= 2u;
       }},
      {"used PE group in reset", [](DomainInputs &x) { x.pe_rst_n &= ~8u; }},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    AccelHarness h;
    c.apply(h.domains());
    const RunResult r = h.runLayer(d, t, kDescAddr, 200000);
    ASSERT_TRUE(r.done);
    EXPECT_EQ(r.err_code, 3);
    // A faulty layer still runs to completion with the normal timing.
    checkTiming(d, r, kRtlCfg, h.memoryTiming());
  }
  // A bank the layer does not touch may be off.
  AccelHarness h;
  h.domains().act_pgood &= ~2u;
  h.domains().act_iso |= 2u;
  const uint32_t unused_w_banks = mask(kRtlCfg.w_banks) & ~usedWeightBanks(d, kRtlCfg);
  ASSERT_NE(unused_w_banks, 0u);
  h.domains().w_pgood &= ~unused_w_banks;
  h.domains().w_iso |= unused_w_banks;
  runAndCheck(h, d, t);
}

// A bank powered off and on again forgets its contents; one in retention keeps them.
// Layer 1 loads a tensor into bank 1; a 1x1 max pool (an exact copy) then reads it back
// without reloading after the bank went through a power cycle.
TEST(Errors, PowerCycleLosesBankContentsRetentionKeepsThem) {
  const int c = 16;
  LayerDesc copy = maxPoolLayer(4, 4, c, 1, 1, 0);
  Placement p = compactPlacement(copy, kRtlCfg, 0x10000);
  p.act_base = kRtlCfg.act_bank_words + 40;  // bank 1
  p.out_base = 0;                            // bank 0
  placeLayer(copy, p, kRtlCfg);
  const LayerTensors t = randomTensors(copy, 1000);
  ASSERT_EQ(runReference(copy, t), t.input);  // 1x1 max pool is the identity
  LayerDesc resident = copy;
  resident.act_dma_words = 0;

  for (bool retain : {false, true}) {
    SCOPED_TRACE(retain ? "retention" : "power off");
    AccelHarness h;
    runAndCheck(h, copy, t);
    DomainInputs &dom = h.domains();
    dom.act_iso |= 2u;
    h.idle(2);
    if (retain) {
      dom.act_ret |= 2u;
      h.idle(2);
    }
    dom.act_pgood &= ~2u;
    h.idle(20);
    dom.act_pgood |= 2u;
    h.idle(2);
    dom.act_ret &= ~2u;
    dom.act_iso &= ~2u;
    h.idle(2);
    const RunResult r = h.runLayer(resident, t, kDescAddr);
    ASSERT_TRUE(r.done);
    EXPECT_EQ(r.err_code, 0);
    if (retain) {
      EXPECT_TRUE(outputMatches(resident, t.input, r));
    } else {
      EXPECT_NE(r.output, t.input) << "bank 1 kept its contents through a power cycle";
    }
  }
}

}  // namespace
}  // namespace pf
