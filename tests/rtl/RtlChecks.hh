// GoogleTest checks shared by the RTL test binaries: byte-exact output comparison with
// the golden model (naming the first differing (y, x, c)), zeroed padding lanes, DMA beat
// counts and the harness's protocol observations.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "golden/Layer.hh"
#include "golden/Packing.hh"
#include "golden/Reference.hh"
#include "golden/Timing.hh"
#include "sim/AccelHarness.hh"

namespace pf {

constexpr uint32_t kDefaultDescAddr = 0x100;

inline ::testing::AssertionResult outputMatches(const LayerDesc &d,
                                                const std::vector<int8_t> &expected,
                                                const RunResult &r) {
  if (r.output.size() != expected.size()) {
    return ::testing::AssertionFailure() << describeLayer(d) << "\n  output has " << r.output.size()
                                         << " bytes, expected " << expected.size();
  }
  size_t mismatches = 0;
  size_t first = expected.size();
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i] != r.output[i] && mismatches++ == 0) first = i;
  }
  if (mismatches == 0) return ::testing::AssertionSuccess();
  const size_t c = first % size_t(d.out_c);
  const size_t x = first / size_t(d.out_c) % size_t(d.out_w);
  const size_t y = first / size_t(d.out_c) / size_t(d.out_w);
  return ::testing::AssertionFailure()
         << describeLayer(d) << "\n  " << mismatches << " of " << expected.size()
         << " bytes differ; first at (y " << y << ", x " << x << ", c " << c << "): expected "
         << int(expected[first]) << ", RTL " << int(r.output[first]);
}

// Output lanes beyond out_c must be written as 0.
inline ::testing::AssertionResult paddingLanesZero(const LayerDesc &d, const RunResult &r,
                                                   const AccelConfig &cfg) {
  const size_t pixel_bytes = size_t(channelWords(d.out_c, cfg)) * size_t(cfg.rows);
  for (size_t at = 0; at < r.output_words.size(); ++at) {
    const size_t lane = at % pixel_bytes;
    if (lane >= size_t(d.out_c) && r.output_words[at] != 0) {
      return ::testing::AssertionFailure()
             << describeLayer(d) << "\n  padding lane " << lane << " of pixel " << at / pixel_bytes
             << " holds " << int(r.output_words[at]) << ", expected 0";
    }
  }
  return ::testing::AssertionSuccess();
}

inline std::string protocolErrors(const RunResult &r) {
  std::string text;
  for (const std::string &e : r.protocol_errors) text += "\n  " + e;
  return text;
}

// Cycles and activity promised by the Timing section of docs/accelerator.md.
inline void checkTiming(const LayerDesc &d, const RunResult &r, const AccelConfig &cfg,
                        const MemoryTiming &timing) {
  EXPECT_EQ(int64_t(r.phase(kCompute)), computeCycles(d, cfg))
      << "compute-phase cycles: " << describeLayer(d);
  EXPECT_EQ(r.phase(kIdle), 1u) << "only the done cycle has phase 0: " << describeLayer(d);
  if (timing.isIdeal()) {  // the doc's closed forms assume an always-ready memory
    const LayerCycles expected = layerCycles(d, cfg, timing.read_latency);
    EXPECT_EQ(int64_t(r.phase(kFetch)), expected.fetch) << "fetch cycles: " << describeLayer(d);
    EXPECT_EQ(int64_t(r.phase(kLoad)), expected.load) << "load cycles: " << describeLayer(d);
    EXPECT_EQ(int64_t(r.phase(kStore)), expected.store) << "store cycles: " << describeLayer(d);
    EXPECT_EQ(int64_t(r.cycles), expected.total) << "layer cycles: " << describeLayer(d);
  }
  EXPECT_EQ(r.pe_active_in_compute, activePeGroups(d, cfg)) << "pe_active: " << describeLayer(d);
  EXPECT_TRUE(r.pe_active_constant_in_compute) << "pe_active changed: " << describeLayer(d);
  EXPECT_EQ(r.pe_active_outside_compute, 0u) << "pe_active outside compute: " << describeLayer(d);
  const uint32_t act_banks = usedActBanks(d, cfg);
  EXPECT_EQ(r.act_bank_active_any & ~act_banks, 0u)
      << "accessed data banks " << r.act_bank_active_any << ", tensors in " << act_banks << ": "
      << describeLayer(d);
  const uint32_t w_banks = usedWeightBanks(d, cfg);
  EXPECT_EQ(r.w_bank_active_any & ~w_banks, 0u)
      << "accessed weight banks " << r.w_bank_active_any << ", image in " << w_banks << ": "
      << describeLayer(d);
}

// Everything the contract promises about a layer that must succeed, given its result.
inline void checkSuccessfulRun(const LayerDesc &d, const std::vector<int8_t> &expected,
                               const RunResult &r, const AccelConfig &cfg,
                               const MemoryTiming &timing) {
  ASSERT_TRUE(r.done) << "timeout: " << describeLayer(d);
  checkTiming(d, r, cfg, timing);
  EXPECT_EQ(r.err_code, 0) << describeLayer(d);
  EXPECT_TRUE(r.protocol_errors.empty()) << describeLayer(d) << protocolErrors(r);
  const DmaWords dma = dmaWords(d, cfg);
  EXPECT_EQ(r.read_beats, uint64_t(kDescriptorBytes / kBeatBytes + dma.loadBeats))
      << "read beats: " << describeLayer(d);
  EXPECT_EQ(r.write_beats, uint64_t(dma.storeBeats)) << "write beats: " << describeLayer(d);
  if (d.out_dma_words > 0) {
    EXPECT_TRUE(outputMatches(d, expected, r));
    EXPECT_TRUE(paddingLanesZero(d, r, cfg));
  }
}

// Validates, runs and checks a layer that must succeed against `expected`.
inline RunResult runAndCheck(AccelHarness &h, const LayerDesc &d, const LayerTensors &t,
                             const std::vector<int8_t> &expected,
                             uint32_t desc_addr = kDefaultDescAddr) {
  const auto problems = validate(d, h.config());
  EXPECT_TRUE(problems.empty()) << describeLayer(d) << ": " << formatProblems(problems);
  const RunResult r = h.runLayer(d, t, desc_addr);
  checkSuccessfulRun(d, expected, r, h.config(), h.memoryTiming());
  return r;
}

// Same, against the golden model.
inline RunResult runAndCheck(AccelHarness &h, const LayerDesc &d, const LayerTensors &t) {
  return runAndCheck(h, d, t, runReference(d, t));
}

}  // namespace pf
