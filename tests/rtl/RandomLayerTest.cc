// Random-layer regression of pf_accel against the golden model: every op and every
// user-facing layer kind, deterministic seeds, byte-exact comparison, plus the DMA,
// handshake and compute-cycle checks of RtlChecks.hh. Runs on whatever parameter set the
// model was Verilated with (AccelHarness::builtConfig()).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "golden/Layer.hh"
#include "golden/Packing.hh"
#include "golden/Reference.hh"
#include "sim/AccelHarness.hh"
#include "sim/RandomLayer.hh"
#include "tests/rtl/RtlChecks.hh"

namespace pf {
namespace {

const AccelConfig kCfg = AccelHarness::builtConfig();
constexpr int kRandomLayerCount = 200;

// ---------------------------------------------------------------------------------------
// (a) random layers over every op and user-facing kind

// Simulation speed over all random layers run in this process (printed at exit).
struct SpeedMeter {
  uint64_t cycles = 0;
  double seconds = 0;
  int layers = 0;
  ~SpeedMeter() {
    if (layers > 0 && seconds > 0) {
      std::printf("[ speed    ] %d random layers, %llu cycles in %.3f s: %.2f M cycles/s\n", layers,
                  static_cast<unsigned long long>(cycles), seconds, double(cycles) / seconds / 1e6);
    }
  }
};
SpeedMeter g_speed;

class RandomLayerTest : public ::testing::TestWithParam<int> {};

TEST_P(RandomLayerTest, MatchesGolden) {
  const RandomLayer layer = makeRandomLayer(GetParam(), kCfg);
  SCOPED_TRACE(fmt::format("layer {} ({}), memory latency {} (+0..{}) interval {}", GetParam(),
                           layerKindName(layer.kind), layer.timing.read_latency,
                           layer.timing.latency_jitter, layer.timing.request_interval));
  AccelHarness h(layer.timing);
  const auto begin = std::chrono::steady_clock::now();
  const uint64_t cycles_before = AccelHarness::totalCycles();
  const auto problems = validate(layer.desc, kCfg);
  ASSERT_TRUE(problems.empty()) << describeLayer(layer.desc) << ": " << formatProblems(problems);
  const std::vector<int8_t> expected = runReference(layer.desc, layer.tensors);
  const RunResult r = h.runLayer(layer.desc, layer.tensors, layer.desc_addr);
  g_speed.cycles += AccelHarness::totalCycles() - cycles_before;
  g_speed.seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  ++g_speed.layers;
  if (std::getenv("PF_RTL_VERBOSE")) {
    std::printf("layer %d %s: %s\n  cycles %llu (fetch %llu load %llu compute %llu store %llu)\n",
                GetParam(), layerKindName(layer.kind), describeLayer(layer.desc).c_str(),
                static_cast<unsigned long long>(r.cycles),
                static_cast<unsigned long long>(r.phase(kFetch)),
                static_cast<unsigned long long>(r.phase(kLoad)),
                static_cast<unsigned long long>(r.phase(kCompute)),
                static_cast<unsigned long long>(r.phase(kStore)));
  }
  checkSuccessfulRun(layer.desc, expected, r, kCfg, layer.timing);
}

INSTANTIATE_TEST_SUITE_P(RandomLayers, RandomLayerTest, ::testing::Range(0, kRandomLayerCount));

}  // namespace
}  // namespace pf
