// The host processor's cost model (workload/HostModel, docs/host-model.md): the documented
// defaults, linearity in elements, per-line costs, time and energy, tensor bytes, errors.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "golden/HostOps.hh"
#include "workload/HostModel.hh"

namespace pf {
namespace {

HostOpDesc op(HostOpKind kind, std::array<int, 3> hwc) {
  HostOpDesc d;
  d.kind = kind;
  d.in_hwc = hwc;
  d.out_hwc = hwc;
  return d;
}

HostOpDesc softmax(std::array<int, 3> hwc, int axis) {
  HostOpDesc d = op(HostOpKind::Softmax, hwc);
  d.axis = axis;
  return d;
}

// x (H x W x C) times a per-channel x2 (1 x 1 x C): the squeeze-and-excitation form.
HostOpDesc mulPerChannel(std::array<int, 3> hwc) {
  HostOpDesc d = op(HostOpKind::Mul, hwc);
  d.in2_hwc = {1, 1, hwc[2]};
  return d;
}

HostOpDesc transpose(std::array<int, 3> in_hwc, std::array<int, 3> perm) {
  HostOpDesc d = op(HostOpKind::Transpose, in_hwc);
  d.perm = perm;
  for (int i = 0; i < 3; ++i) d.out_hwc[i] = in_hwc[perm[i]];
  return d;
}

const std::vector<HostOpKind> kAllKinds = {HostOpKind::Softmax,     HostOpKind::Sigmoid,
                                           HostOpKind::HardSigmoid, HostOpKind::HardSwish,
                                           HostOpKind::Mul,         HostOpKind::Transpose};

// The numbers docs/host-model.md states (its table "Per-op cycle counts"): a change here is a
// change of the documented model and must change the document too.
TEST(HostModel, DefaultsAreTheDocumentedNumbers) {
  const HostModel m = defaultHostModel();
  EXPECT_EQ(m.core, "Arm Cortex-M4F");
  EXPECT_DOUBLE_EQ(m.clock_mhz, 80.0);
  EXPECT_DOUBLE_EQ(m.energy_pj_per_cycle, 300.0);  // 100 uA/MHz x 3.0 V
  EXPECT_FALSE(m.source.empty());

  EXPECT_EQ(m.sigmoid, (HostKernelCycles{30, 0, 3, 2, 4}));
  EXPECT_EQ(m.hard_sigmoid, m.sigmoid);
  EXPECT_EQ(m.hard_swish, m.sigmoid);
  EXPECT_EQ(m.softmax, (HostKernelCycles{34, 25, 7, 15, 12}));
  EXPECT_EQ(m.mul, (HostKernelCycles{41, 10, 4, 6, 4}));
  EXPECT_EQ(m.transpose, (HostKernelCycles{36, 11, 3, 0, 5}));

  EXPECT_EQ(m.sigmoid.cyclesPerElement(), 9);
  EXPECT_EQ(m.softmax.cyclesPerElement(), 34);
  EXPECT_EQ(m.mul.cyclesPerElement(), 14);
  EXPECT_EQ(m.transpose.cyclesPerElement(), 8);
}

TEST(HostModel, KernelSelectsTheOpsFields) {
  HostModel m = defaultHostModel();
  m.softmax.call_cycles = 1;
  m.sigmoid.call_cycles = 2;
  m.hard_sigmoid.call_cycles = 3;
  m.hard_swish.call_cycles = 4;
  m.mul.call_cycles = 5;
  m.transpose.call_cycles = 6;
  for (size_t i = 0; i < kAllKinds.size(); ++i)
    EXPECT_EQ(m.kernel(kAllKinds[i]).call_cycles, std::vector<int64_t>({1, 2, 3, 4, 5, 6})[i]);
}

TEST(HostModel, ExactCostOfOneCall) {
  const HostModel m = defaultHostModel();
  // sigmoid on 100 elements: 30 + 1 x 0 + 100 x 9.
  EXPECT_EQ(hostCost(op(HostOpKind::Sigmoid, {1, 1, 100}), m).cycles, 930);
  // softmax over 10 classes (one line): 34 + 25 + 10 x 34.
  EXPECT_EQ(hostCost(softmax({1, 1, 10}, 2), m).cycles, 399);
  // mul 4x4x8 by 1x1x8: 41 + 16 lines x 10 + 128 x 14.
  EXPECT_EQ(hostCost(mulPerChannel({4, 4, 8}), m).cycles, 41 + 160 + 1792);
  // transpose 2x3x4 -> 4x2x3: 36 + 8 lines x 11 + 24 x 8.
  EXPECT_EQ(hostCost(transpose({2, 3, 4}, {2, 0, 1}), m).cycles, 36 + 88 + 192);
}

TEST(HostModel, CyclesAreTheSumOfMoveComputeAndControl) {
  const HostModel m = defaultHostModel();
  for (HostOpKind kind : kAllKinds) {
    HostOpDesc d = op(kind, {3, 5, 7});
    if (kind == HostOpKind::Mul) d = mulPerChannel({3, 5, 7});
    const HostCost c = hostCost(d, m);
    SCOPED_TRACE(static_cast<int>(kind));
    EXPECT_EQ(c.elements, 105);
    EXPECT_EQ(c.cycles, c.move_cycles + c.compute_cycles + c.control_cycles);
    const HostKernelCycles &k = m.kernel(kind);
    EXPECT_EQ(c.move_cycles, 105 * k.move_cycles);
    EXPECT_EQ(c.compute_cycles, 105 * k.compute_cycles);
    EXPECT_EQ(c.control_cycles, k.call_cycles + c.lines * k.line_cycles + 105 * k.loop_cycles);
  }
}

// With the lines fixed, cycles are affine in the elements: equal increments for equal steps,
// and the increment is the per-element cost.
TEST(HostModel, CostScalesLinearlyInElements) {
  const HostModel m = defaultHostModel();
  for (HostOpKind kind : kAllKinds) {
    SCOPED_TRACE(static_cast<int>(kind));
    auto at = [&](int c) {
      // 2 x 3 pixels, c channels: mul/transpose lines (6) and softmax lines along H (3 x c)
      // would move with c, so softmax runs along C here (6 lines, fixed).
      if (kind == HostOpKind::Softmax) return hostCost(softmax({2, 3, c}, 2), m);
      if (kind == HostOpKind::Mul) return hostCost(mulPerChannel({2, 3, c}), m);
      return hostCost(op(kind, {2, 3, c}), m);
    };
    const HostCost c1 = at(10), c2 = at(20), c3 = at(30), c4 = at(1000);
    EXPECT_EQ(c1.lines, c4.lines);
    EXPECT_EQ(c2.cycles - c1.cycles, c3.cycles - c2.cycles);
    EXPECT_EQ(c2.cycles - c1.cycles, 60 * m.kernel(kind).cyclesPerElement());
    EXPECT_EQ(c4.cycles - c1.cycles, 6 * 990 * m.kernel(kind).cyclesPerElement());
    EXPECT_DOUBLE_EQ(c2.energy_pj - c1.energy_pj, c3.energy_pj - c2.energy_pj);
    EXPECT_GT(c1.cycles, 0);
  }
}

TEST(HostModel, MulCostsMoreThanSigmoidPerElement) {
  const HostModel m = defaultHostModel();
  EXPECT_GT(m.mul.cyclesPerElement(), m.sigmoid.cyclesPerElement());
  EXPECT_GT(m.mul.compute_cycles, m.sigmoid.compute_cycles);
  EXPECT_GT(m.mul.move_cycles, m.sigmoid.move_cycles);  // two operands read
  // Same output shape, no broadcast: mul is dearer in total and per element.
  HostOpDesc mul = op(HostOpKind::Mul, {8, 8, 16});
  mul.in2_hwc = mul.in_hwc;
  const HostCost cm = hostCost(mul, m);
  const HostCost cs = hostCost(op(HostOpKind::Sigmoid, {8, 8, 16}), m);
  EXPECT_GT(cm.cycles, cs.cycles);
  EXPECT_GT(cm.compute_cycles, cs.compute_cycles);
  EXPECT_GT(cm.energy_pj, cs.energy_pj);
}

TEST(HostModel, SoftmaxPaysPerLine) {
  const HostModel m = defaultHostModel();
  ASSERT_GT(m.softmax.line_cycles, 0);
  // 1000 elements as one line of 1000, or 100 lines of 10: same per-element work, 99 more
  // line costs.
  const HostCost one = hostCost(softmax({1, 1, 1000}, 2), m);
  const HostCost many = hostCost(softmax({10, 10, 10}, 2), m);
  EXPECT_EQ(one.lines, 1);
  EXPECT_EQ(many.lines, 100);
  EXPECT_EQ(one.elements, many.elements);
  EXPECT_EQ(one.move_cycles, many.move_cycles);
  EXPECT_EQ(one.compute_cycles, many.compute_cycles);
  EXPECT_EQ(many.cycles - one.cycles, 99 * m.softmax.line_cycles);
  // The axis decides the lines: 4 x 5 x 6 along H has 30 lines of 4, along W 24 of 5, along
  // C 20 of 6.
  EXPECT_EQ(hostCost(softmax({4, 5, 6}, 0), m).lines, 30);
  EXPECT_EQ(hostCost(softmax({4, 5, 6}, 1), m).lines, 24);
  EXPECT_EQ(hostCost(softmax({4, 5, 6}, 2), m).lines, 20);
  EXPECT_GT(hostCost(softmax({4, 5, 6}, 0), m).cycles, hostCost(softmax({4, 5, 6}, 2), m).cycles);
}

TEST(HostModel, TimeAndEnergyFollowTheClockAndEnergyPerCycle) {
  HostModel m = defaultHostModel();
  const HostCost c = hostCost(softmax({1, 1, 12}, 2), m);
  EXPECT_DOUBLE_EQ(c.time_ns, static_cast<double>(c.cycles) / 80.0 * 1000.0);
  EXPECT_DOUBLE_EQ(c.energy_pj, static_cast<double>(c.cycles) * 300.0);

  m.clock_mhz = 16.0;
  m.energy_pj_per_cycle = 123.5;
  const HostCost s = hostCost(softmax({1, 1, 12}, 2), m);
  EXPECT_EQ(s.cycles, c.cycles);  // cycles do not depend on the clock
  EXPECT_DOUBLE_EQ(s.time_ns, static_cast<double>(s.cycles) / 16.0 * 1000.0);
  EXPECT_DOUBLE_EQ(s.time_ns, 5.0 * c.time_ns);
  EXPECT_DOUBLE_EQ(s.energy_pj, static_cast<double>(s.cycles) * 123.5);
}

TEST(HostModel, BytesAreTheElementCounts) {
  const HostModel m = defaultHostModel();
  for (HostOpKind kind :
       {HostOpKind::Softmax, HostOpKind::Sigmoid, HostOpKind::HardSigmoid, HostOpKind::HardSwish}) {
    const HostCost c = hostCost(op(kind, {3, 4, 5}), m);
    EXPECT_EQ(c.bytes_read, 60);
    EXPECT_EQ(c.bytes_written, 60);
  }
  // mul reads both operands: x 6x6x16 and a per-channel x2 of 16, or a per-pixel x2 6x6x1.
  EXPECT_EQ(hostCost(mulPerChannel({6, 6, 16}), m).bytes_read, 576 + 16);
  EXPECT_EQ(hostCost(mulPerChannel({6, 6, 16}), m).bytes_written, 576);
  HostOpDesc per_pixel = op(HostOpKind::Mul, {6, 6, 16});
  per_pixel.in2_hwc = {6, 6, 1};
  EXPECT_EQ(hostCost(per_pixel, m).bytes_read, 576 + 36);
  const HostCost t = hostCost(transpose({2, 3, 4}, {1, 2, 0}), m);
  EXPECT_EQ(t.bytes_read, 24);
  EXPECT_EQ(t.bytes_written, 24);
}

TEST(HostModel, TransposeMovesBytesWithoutArithmetic) {
  const HostModel m = defaultHostModel();
  const HostCost t = hostCost(transpose({8, 8, 32}, {2, 0, 1}), m);
  EXPECT_EQ(t.compute_cycles, 0);
  EXPECT_GT(t.move_cycles, 0);
  EXPECT_EQ(t.move_cycles, 2048 * m.transpose.move_cycles);
  EXPECT_GT(t.control_cycles, 0);
  EXPECT_EQ(t.bytes_read, 2048);
  EXPECT_EQ(t.bytes_written, 2048);
  EXPECT_EQ(t.lines, 32 * 8);  // output 32 x 8 x 8: 256 pixels of 8
  // Every other op computes something.
  for (HostOpKind kind : kAllKinds) {
    if (kind != HostOpKind::Transpose) {
      EXPECT_GT(m.kernel(kind).compute_cycles, 0);
    }
  }
}

TEST(HostModel, RejectsWhatItCannotPrice) {
  const HostModel m = defaultHostModel();
  EXPECT_THROW(hostCost(op(HostOpKind::Sigmoid, {0, 4, 4}), m), std::invalid_argument);
  EXPECT_THROW(hostCost(op(HostOpKind::Sigmoid, {4, -1, 4}), m), std::invalid_argument);
  HostOpDesc bad_mul = op(HostOpKind::Mul, {2, 2, 2});
  bad_mul.in2_hwc = {1, 1, 0};
  EXPECT_THROW(hostCost(bad_mul, m), std::invalid_argument);
  EXPECT_THROW(hostCost(softmax({2, 2, 2}, 3), m), std::invalid_argument);
  EXPECT_THROW(hostCost(softmax({2, 2, 2}, -1), m), std::invalid_argument);
  HostModel stopped = m;
  stopped.clock_mhz = 0.0;
  EXPECT_THROW(hostCost(op(HostOpKind::Sigmoid, {1, 1, 1}), stopped), std::invalid_argument);
}

}  // namespace
}  // namespace pf
