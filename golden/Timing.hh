// Cycle and activity model of pf_accel from the "Timing" section of docs/accelerator.md.
// Pure functions of the descriptor (and, for DMA phases, of the memory latency), so the
// scheduler can profile layers without simulating them and the testbench can check that
// the RTL takes exactly these cycles.
#pragma once

#include <cstdint>

#include "golden/Layer.hh"

namespace pf {

// Cycles with phase == 3: T * (2 + P * (NS + 3 + NQ + NW)).
int64_t computeCycles(const LayerDesc &desc, const AccelConfig &cfg);

// Cycles per phase for a memory that is always ready and answers every read exactly
// `read_latency` cycles after accepting it. `total` runs from the start cycle (cycle 0)
// to the done cycle inclusive, i.e. the done cycle's index.
struct LayerCycles {
  int64_t fetch = 0;    // phase 1: descriptor fetch and decode
  int64_t load = 0;     // phase 2: all loads
  int64_t compute = 0;  // phase 3
  int64_t store = 0;    // phase 4
  int64_t total = 0;
};
// For a descriptor the RTL rejects (err 1/2) only fetch and the done cycle count.
LayerCycles layerCycles(const LayerDesc &desc, const AccelConfig &cfg, int read_latency,
                        bool rejected = false);

// PE column groups a layer uses: every group holding a column below min(out_c, COLS)
// for CONV, min(out_c, ROWS) for the other ops (which use the diagonal PEs).
uint32_t activePeGroups(const LayerDesc &desc, const AccelConfig &cfg);

// Data/weight banks the layer's tensors occupy (inputs, output, weight image); the
// layer must not access any other bank.
uint32_t usedActBanks(const LayerDesc &desc, const AccelConfig &cfg);
uint32_t usedWeightBanks(const LayerDesc &desc, const AccelConfig &cfg);

}  // namespace pf
