// Simulation throughput of the RTL testbench harness (implemented next to the
// harness so the benchmark reuses exactly what the regression runs).
#pragma once

#include <cstdint>

namespace pf {

struct SimFigures {
  int layers = 0;
  uint64_t cycles = 0;
  double wall_seconds = 0;
};

// Runs a fixed, seeded set of random layers through the Verilated accelerator.
SimFigures benchSimulation();

}  // namespace pf
