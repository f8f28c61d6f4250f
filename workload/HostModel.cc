// The host cost model (docs/host-model.md has every number's source and the instruction-level
// derivation of each kernel; the comments here only name the instructions counted).
#include "workload/HostModel.hh"

#include <array>
#include <stdexcept>
#include <string>

namespace pf {

const HostKernelCycles &HostModel::kernel(HostOpKind kind) const {
  switch (kind) {
    case HostOpKind::Softmax:
      return softmax;
    case HostOpKind::Sigmoid:
      return sigmoid;
    case HostOpKind::HardSigmoid:
      return hard_sigmoid;
    case HostOpKind::HardSwish:
      return hard_swish;
    case HostOpKind::Mul:
      return mul;
    case HostOpKind::Transpose:
      return transpose;
  }
  throw std::invalid_argument("host model: unknown host op kind " +
                              std::to_string(static_cast<int>(kind)));
}

HostModel defaultHostModel() {
  // Cortex-M4 TRM Table 3-1 timings used below: data processing, MUL, SMLAL/UMLAL, SSAT 1;
  // LDRB/LDRSB/LDR 2, 1 when pipelined behind an independent load; STRB with immediate offset
  // 1; taken branch 1 + P with P = 2; BL 1 + P; PUSH 1 + N; POP with PC 1 + N + P; UDIV at
  // most 12.
  HostModel m;
  m.core = "Arm Cortex-M4F";
  m.clock_mhz = 80.0;             // STM32L476 maximum clock (Range 1)
  m.energy_pj_per_cycle = 300.0;  // 100 uA/MHz (STM32L476 run mode, LDO) x 3.0 V

  // Call: BL 3 + PUSH {r4-r11,lr} 10 + POP {r4-r11,pc} 12 = 25, plus n descriptor words loaded
  // with LDR (n + 1 cycles: the first load 2, the rest pipelined).
  constexpr int64_t kCall = 25;

  // Elementwise table ops (sigmoid, hard_sigmoid, hard_swish): one 256-byte table per op,
  // indexed by the signed input byte: LDRSB x 2 | LDRB t[x] 2 (address depends on the load) |
  // STRB 1 | SUBS 1 + BNE 3. Call: 4 words (in, out, table, count).
  const HostKernelCycles lut{.call_cycles = kCall + 5,
                             .line_cycles = 0,
                             .move_cycles = 3,
                             .compute_cycles = 2,
                             .loop_cycles = 4};
  m.sigmoid = lut;
  m.hard_sigmoid = lut;
  m.hard_swish = lut;

  // Softmax along a line, three passes (max; exp-table lookup and sum; normalise and store):
  //   pass 1: LDRSB 2 | CMP 1, IT 1, MOVGT 1 | SUBS 1 + BNE 3
  //   pass 2: LDRSB 2 | SUB 1, LDR e[d] 2, ADD 1 | SUBS 1 + BNE 3
  //   pass 3: LDRSB 2 | SUB 1, LDR e[d] 2, MOV 1, MOV 1, UMLAL 1, LSR 1, SSAT 1 | STRB 1 |
  //           SUBS 1 + BNE 3
  // move 3 x 2 + 1 = 7, compute 3 + 4 + 8 = 15, loop 3 x 4 = 12.
  // Line: 2 pass restarts + 3 counter loads + 2 accumulator inits + UDIV 12 + 2 rounding +
  // SUBS/BNE 4 = 25. Call: 8 words.
  m.softmax = {.call_cycles = kCall + 9,
               .line_cycles = 25,
               .move_cycles = 7,
               .compute_cycles = 15,
               .loop_cycles = 12};

  // Mul: LDRSB x 2 | LDRSB x2 1 (pipelined) | MUL 1, MOV 1, MOV 1, SMLAL 1, ASR 1, SSAT 1 |
  // STRB 1 | SUBS 1 + BNE 3. Line (pixel): counter reload 1 + x2 step 1 + wrap check (SUBS,
  // IT, ADDEQ, MOVEQ) 4 + SUBS/BNE 4 = 10. Call: 11 words + broadcast-variant dispatch 4.
  m.mul = {.call_cycles = kCall + 12 + 4,
           .line_cycles = 10,
           .move_cycles = 4,
           .compute_cycles = 6,
           .loop_cycles = 4};

  // Transpose: LDRSB [base, off] 2 | STRB 1 | ADD off, stride 1, SUBS 1 + BNE 3; no
  // arithmetic. Line (output pixel): offset reset 1 + counter reload 1 + base step 1 + wrap
  // check 4 + SUBS/BNE 4 = 11. Call: 8 words + 2 to derive the wrap adjustment.
  m.transpose = {.call_cycles = kCall + 9 + 2,
                 .line_cycles = 11,
                 .move_cycles = 3,
                 .compute_cycles = 0,
                 .loop_cycles = 5};

  m.source =
      "borrowed defaults (docs/host-model.md): cycles from Arm Cortex-M4 TRM r0p1 Table 3-1 "
      "instruction timings for int8 kernels; 80 MHz and 100 uA/MHz run mode (LDO) from the "
      "STM32L476xx datasheet features, x 3.0 V = 300 pJ/cycle";
  return m;
}

namespace {

int64_t product(const std::array<int, 3> &hwc) {
  return static_cast<int64_t>(hwc[0]) * hwc[1] * hwc[2];
}

void checkShape(const std::array<int, 3> &hwc, const char *what) {
  for (int d : hwc)
    if (d <= 0)
      throw std::invalid_argument(std::string("host cost: ") + what +
                                  " has a non-positive dimension");
}

}  // namespace

HostCost hostCost(const HostOpDesc &desc, const HostModel &model) {
  if (!(model.clock_mhz > 0.0))
    throw std::invalid_argument("host cost: the model's clock_mhz must be positive");
  checkShape(desc.in_hwc, "in_hwc");
  checkShape(desc.out_hwc, "out_hwc");
  const bool mul = desc.kind == HostOpKind::Mul;
  if (mul) checkShape(desc.in2_hwc, "in2_hwc");

  const HostKernelCycles &k = model.kernel(desc.kind);
  HostCost c;
  c.elements = product(desc.out_hwc);
  switch (desc.kind) {
    case HostOpKind::Softmax:
      if (desc.axis < 0 || desc.axis > 2)
        throw std::invalid_argument("host cost: softmax axis must be 0, 1 or 2, not " +
                                    std::to_string(desc.axis));
      c.lines = c.elements / desc.out_hwc[desc.axis];
      break;
    case HostOpKind::Mul:
    case HostOpKind::Transpose:
      c.lines = static_cast<int64_t>(desc.out_hwc[0]) * desc.out_hwc[1];
      break;
    case HostOpKind::Sigmoid:
    case HostOpKind::HardSigmoid:
    case HostOpKind::HardSwish:
      c.lines = 1;
      break;
  }

  c.move_cycles = c.elements * k.move_cycles;
  c.compute_cycles = c.elements * k.compute_cycles;
  c.control_cycles = k.call_cycles + c.lines * k.line_cycles + c.elements * k.loop_cycles;
  c.cycles = c.move_cycles + c.compute_cycles + c.control_cycles;
  c.time_ns = static_cast<double>(c.cycles) / model.clock_mhz * 1000.0;
  c.energy_pj = static_cast<double>(c.cycles) * model.energy_pj_per_cycle;
  c.bytes_read = product(desc.in_hwc) + (mul ? product(desc.in2_hwc) : 0);
  c.bytes_written = c.elements;
  return c;
}

}  // namespace pf
