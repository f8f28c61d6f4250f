#include "bench/SimBench.hh"

#include <chrono>

#include "sim/AccelHarness.hh"
#include "sim/RandomLayer.hh"

namespace pf {

namespace {
constexpr int kBenchLayers = 1000;  // the seeded random layers of the regression, 0..999
}

SimFigures benchSimulation() {
  AccelHarness harness;
  SimFigures figures;
  const uint64_t cycles_before = AccelHarness::totalCycles();
  const auto start = std::chrono::steady_clock::now();
  for (int index = 0; index < kBenchLayers; ++index) {
    const RandomLayer layer = makeRandomLayer(index, harness.config());
    harness.setMemoryTiming(layer.timing);
    harness.runLayer(layer.desc, layer.tensors, layer.desc_addr);
    ++figures.layers;
  }
  figures.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  figures.cycles = AccelHarness::totalCycles() - cycles_before;
  return figures;
}

}  // namespace pf
