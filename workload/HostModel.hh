// The host processor's cost model (docs/host-model.md): cycles, time, energy and tensor bytes
// of a host operator (golden/HostOps.hh) run on the host MCU between accelerator layers while
// the accelerator waits.
//
// Every number of defaultHostModel() is a *borrowed* default with its source and derivation in
// docs/host-model.md: per-element cycle counts of a straightforward int8 kernel priced with the
// Arm Cortex-M4 instruction timings (Cortex-M4 TRM, Table 3-1 and "Load/store timings"), the
// clock and energy per cycle of an STM32L476 (datasheet front-page run-mode figure).
//
//   cycles    = call_cycles + lines * line_cycles
//             + elements * (move_cycles + compute_cycles + loop_cycles)
//   time_ns   = cycles / clock_mhz * 1000
//   energy_pj = cycles * energy_pj_per_cycle
//
// elements are the op's output elements. The loads and stores that move the tensor bytes are
// part of the per-element cycles (move_cycles); bytes_read / bytes_written count each tensor
// byte once (the footprint in external memory, not the number of load instructions).
//
// Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>

#include "golden/HostOps.hh"

namespace pf {

// The cycle counts of one op's kernel. Per element: move (loads and stores of tensor bytes),
// compute (arithmetic and table lookups) and loop (counter, branch, address stepping). Per
// line: the op's outer-loop and per-line work (hostCost documents what a line is per op).
struct HostKernelCycles {
  int64_t call_cycles = 0;  // per call: branch, prologue/epilogue, argument and pointer setup
  int64_t line_cycles = 0;  // per line
  int64_t move_cycles = 0;  // per output element
  int64_t compute_cycles = 0;
  int64_t loop_cycles = 0;

  int64_t cyclesPerElement() const { return move_cycles + compute_cycles + loop_cycles; }
  bool operator==(const HostKernelCycles &other) const = default;
};

struct HostModel {
  std::string core;                  // e.g. "Arm Cortex-M4F"
  double clock_mhz = 0.0;            // host clock
  double energy_pj_per_cycle = 0.0;  // active energy per cycle of the MCU (core + memories)
  HostKernelCycles softmax;
  HostKernelCycles sigmoid;
  HostKernelCycles hard_sigmoid;
  HostKernelCycles hard_swish;
  HostKernelCycles mul;
  HostKernelCycles transpose;
  std::string source;  // short citation string written into the profile

  const HostKernelCycles &kernel(HostOpKind kind) const;
  bool operator==(const HostModel &other) const = default;
};

// The borrowed defaults (docs/host-model.md): Cortex-M4F at 80 MHz, 300 pJ per cycle.
HostModel defaultHostModel();

struct HostCost {
  int64_t elements = 0;        // output elements
  int64_t lines = 0;           // lines of the kernel (see hostCost)
  int64_t move_cycles = 0;     // elements * move_cycles
  int64_t compute_cycles = 0;  // elements * compute_cycles
  int64_t control_cycles = 0;  // call + lines * line_cycles + elements * loop_cycles
  int64_t cycles = 0;          // move + compute + control
  double time_ns = 0.0;
  double energy_pj = 0.0;
  int64_t bytes_read = 0;     // input bytes (+ the second operand's for mul), int8
  int64_t bytes_written = 0;  // output bytes, int8

  bool operator==(const HostCost &other) const = default;
};

// The cost of one call of the op. Lines: softmax, the lines along `axis` (elements /
// out_hwc[axis]); mul and transpose, the output pixels (H * W, the inner loop runs over C);
// the elementwise table ops, one flat loop (1). Throws std::invalid_argument for a
// non-positive dimension, a softmax axis outside 0..2, or a model with a non-positive clock.
HostCost hostCost(const HostOpDesc &desc, const HostModel &model);

}  // namespace pf
