// Unit tests of the host operators (golden/HostOps). Expected values are derived by hand
// from docs/host.md, "Semantics" (derivations in the comments), from straightforward
// formulas written here independently of the implementation's tables, or from identities
// between the ops (transpose + softmax, broadcast mul).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden/HostOps.hh"

namespace pf {
namespace {

using Hwc = std::array<int, 3>;

HostOpDesc elementwise(HostOpKind kind, Hwc hwc, double s_in, double s_out) {
  HostOpDesc d;
  d.kind = kind;
  d.in_hwc = d.out_hwc = hwc;
  d.input_scale = s_in;
  d.output_scale = s_out;
  return d;
}

HostOpDesc softmax(Hwc hwc, int axis, double s_in, double s_out) {
  HostOpDesc d = elementwise(HostOpKind::Softmax, hwc, s_in, s_out);
  d.axis = axis;
  return d;
}

HostOpDesc mul(Hwc hwc, Hwc hwc2, double s_in, double s_in2, double s_out) {
  HostOpDesc d = elementwise(HostOpKind::Mul, hwc, s_in, s_out);
  d.in2_hwc = hwc2;
  d.input2_scale = s_in2;
  return d;
}

HostOpDesc transpose(Hwc hwc, Hwc perm) {
  HostOpDesc d;
  d.kind = HostOpKind::Transpose;
  d.in_hwc = hwc;
  d.perm = perm;
  d.out_hwc = hwc;  // stays for a perm with an axis out of range (validation tests)
  const auto axis = [](int a) { return a >= 0 && a <= 2; };
  if (std::all_of(perm.begin(), perm.end(), axis))
    d.out_hwc = {hwc[size_t(perm[0])], hwc[size_t(perm[1])], hwc[size_t(perm[2])]};
  return d;
}

size_t count(Hwc hwc) { return size_t(hwc[0]) * size_t(hwc[1]) * size_t(hwc[2]); }

std::vector<int8_t> randomTensor(Hwc hwc, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<int8_t> t(count(hwc));
  for (int8_t &v : t) v = int8_t(dist(rng));
  return t;
}

// Every int8 code once, in increasing order: q = index - 128.
std::vector<int8_t> allCodes() {
  std::vector<int8_t> t(256);
  for (int i = 0; i < 256; ++i) t[size_t(i)] = int8_t(i - 128);
  return t;
}

// The documented rounding written out again: half away from zero, then saturate.
int expectRound(double v) { return int(std::min(127.0, std::max(-128.0, std::round(v)))); }

size_t at(Hwc hwc, int y, int x, int c) {
  return (size_t(y) * size_t(hwc[1]) + size_t(x)) * size_t(hwc[2]) + size_t(c);
}

bool hasProblem(const HostOpDesc &d, const std::string &word) {
  const std::vector<std::string> problems = validateHostOp(d);
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string &p) { return p.find(word) != std::string::npos; });
}

TEST(HostOps, NamesAreTheNetworkOpNames) {
  EXPECT_STREQ(hostOpName(HostOpKind::Softmax), "softmax");
  EXPECT_STREQ(hostOpName(HostOpKind::Sigmoid), "sigmoid");
  EXPECT_STREQ(hostOpName(HostOpKind::HardSigmoid), "hard_sigmoid");
  EXPECT_STREQ(hostOpName(HostOpKind::HardSwish), "hard_swish");
  EXPECT_STREQ(hostOpName(HostOpKind::Mul), "mul");
  EXPECT_STREQ(hostOpName(HostOpKind::Transpose), "transpose");
}

// --- elementwise ------------------------------------------------------------------------

TEST(HostOps, SigmoidHandValues) {
  // s_in = 1/16, s_out = 1/128. q = 0: 1/2 * 128 = 64. q = 16 (x = 1): 0.731059 * 128 =
  // 93.58 -> 94. q = -16: 0.268941 * 128 = 34.42 -> 34. q = 127 (x = 7.94): 0.99964 * 128
  // = 127.95 -> 128, saturates to 127. q = -128 (x = -8): 0.000335 * 128 = 0.04 -> 0.
  const HostOpDesc d = elementwise(HostOpKind::Sigmoid, {1, 1, 5}, 1.0 / 16, 1.0 / 128);
  EXPECT_EQ(runHostOp(d, {0, 16, -16, 127, -128}), (std::vector<int8_t>{64, 94, 34, 127, 0}));
}

TEST(HostOps, HardSigmoidHandValuesAndSaturation) {
  // alpha 0.2, beta 0.5, s_in = 1/16. q = 8 (x = 0.5): 0.6. q = -16 (x = -1): 0.3.
  // q = 127: 2.09 -> 1. q = -128: -1.1 -> 0.
  HostOpDesc d = elementwise(HostOpKind::HardSigmoid, {1, 1, 4}, 1.0 / 16, 1.0 / 100);
  // s_out = 1/100: 60, 30, round(1 / s_out) = 100, 0.
  EXPECT_EQ(runHostOp(d, {8, -16, 127, -128}), (std::vector<int8_t>{60, 30, 100, 0}));
  // s_out = 1/128: 76.8 -> 77, 38.4 -> 38, 128 clamps to 127, 0.
  d.output_scale = 1.0 / 128;
  EXPECT_EQ(runHostOp(d, {8, -16, 127, -128}), (std::vector<int8_t>{77, 38, 127, 0}));
  // alpha and beta are used: alpha 1, beta 0 is a clamp of x to [0, 1]: q = 8 -> 0.5 -> 64.
  d.alpha = 1.0;
  d.beta = 0.0;
  EXPECT_EQ(runHostOp(d, {8, -16, 127, -128}), (std::vector<int8_t>{64, 0, 127, 0}));
}

TEST(HostOps, HardSwishHandValues) {
  // s_in = s_out = 1/16. q = 16 (x = 1): 1 * (1/6 + 1/2) = 0.6667 -> 10.67 -> 11.
  // q = -16 (x = -1): -1 * (1/3) -> -5.33 -> -5. q = 64 (x = 4): gate 1 -> 4 -> 64.
  // q = -48 (x = -3): gate 0 -> 0. q = -24 (x = -1.5): -1.5 * 0.25 = -0.375 -> -6.
  // q = 127: x itself -> 127.
  const HostOpDesc d = elementwise(HostOpKind::HardSwish, {1, 1, 6}, 1.0 / 16, 1.0 / 16);
  EXPECT_EQ(runHostOp(d, {16, -16, 64, -48, -24, 127}),
            (std::vector<int8_t>{11, -5, 64, 0, -6, 127}));
}

TEST(HostOps, RoundingIsHalfAwayFromZero) {
  // HardSigmoid with alpha 1, beta 0, s_in = 1/256, s_out = 1/128 is y = round(q / 2) for
  // q >= 0, exactly in double: 1 -> 0.5 -> 1, 3 -> 1.5 -> 2, 5 -> 2.5 -> 3 (half to even
  // would give 0, 2, 2).
  HostOpDesc d = elementwise(HostOpKind::HardSigmoid, {1, 1, 3}, 1.0 / 256, 1.0 / 128);
  d.alpha = 1.0;
  d.beta = 0.0;
  EXPECT_EQ(runHostOp(d, {1, 3, 5}), (std::vector<int8_t>{1, 2, 3}));
  // Mul with factor 1/2: -1 -> -0.5 -> -1 and -5 -> -2.5 -> -3 (floor(v + 0.5) would give
  // 0 and -2).
  const HostOpDesc m = mul({1, 1, 4}, {1, 1, 1}, 1.0, 0.5, 1.0);
  EXPECT_EQ(runHostOp(m, {-1, -5, 1, 5}, {1}), (std::vector<int8_t>{-1, -3, 1, 3}));
}

TEST(HostOps, NearTiesResolveInDoublePrecision) {
  // s_out puts sigmoid(1) / s_out 1e-9 (relative) below or above 93.5: double arithmetic
  // resolves it to 93 and 94; float arithmetic (relative error ~6e-8) would put both on the
  // same side. x = 1/16 * 16 = 1 exactly.
  const double sig1 = 1.0 / (1.0 + std::exp(-1.0));
  const double below = 93.5 * (1 - 1e-9), above = 93.5 * (1 + 1e-9);
  EXPECT_EQ(runHostOp(elementwise(HostOpKind::Sigmoid, {1, 1, 1}, 1.0 / 16, sig1 / below), {16}),
            std::vector<int8_t>{93});
  EXPECT_EQ(runHostOp(elementwise(HostOpKind::Sigmoid, {1, 1, 1}, 1.0 / 16, sig1 / above), {16}),
            std::vector<int8_t>{94});
  // Mul's factor 1 * 1 / s_out just below and above 2.5, and the products +-1.
  const double f_below = 2.5 * (1 - 1e-12), f_above = 2.5 * (1 + 1e-12);
  EXPECT_EQ(runHostOp(mul({1, 1, 2}, {1, 1, 1}, 1, 1, 1 / f_below), {1, -1}, {1}),
            (std::vector<int8_t>{2, -2}));
  EXPECT_EQ(runHostOp(mul({1, 1, 2}, {1, 1, 1}, 1, 1, 1 / f_above), {1, -1}, {1}),
            (std::vector<int8_t>{3, -3}));
}

struct Scales {
  double in, out;
};
const Scales kScaleSets[] = {{1.0 / 16, 1.0 / 128}, {1.0 / 16, 1.0 / 16}, {0.1, 0.03},
                             {1.0 / 32, 1.0 / 64},  {0.5, 0.007},         {0.02, 0.25}};

// Every code through the op, against the formula of docs/host.md evaluated per element.
void expectMatchesFormula(HostOpKind kind, double (*formula)(double x, const HostOpDesc &d),
                          double alpha = 0.2, double beta = 0.5) {
  for (const Scales &s : kScaleSets) {
    HostOpDesc d = elementwise(kind, {2, 8, 16}, s.in, s.out);
    d.alpha = alpha;
    d.beta = beta;
    // Codes in reverse order over an HxWxC tensor: the result must not depend on position.
    std::vector<int8_t> in = allCodes();
    std::reverse(in.begin(), in.end());
    const std::vector<int8_t> out = runHostOp(d, in);
    ASSERT_EQ(out.size(), in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      const double x = s.in * double(in[i]);
      ASSERT_EQ(int(out[i]), expectRound(formula(x, d) / s.out))
          << hostOpName(kind) << " q=" << int(in[i]) << " s_in=" << s.in << " s_out=" << s.out;
    }
  }
}

TEST(HostOps, SigmoidMatchesFormulaOnAllCodes) {
  expectMatchesFormula(HostOpKind::Sigmoid,
                       [](double x, const HostOpDesc &) { return 1.0 / (1.0 + std::exp(-x)); });
}

TEST(HostOps, HardSigmoidMatchesFormulaOnAllCodes) {
  const auto formula = [](double x, const HostOpDesc &d) {
    return std::max(0.0, std::min(1.0, d.alpha * x + d.beta));
  };
  expectMatchesFormula(HostOpKind::HardSigmoid, formula);
  expectMatchesFormula(HostOpKind::HardSigmoid, formula, 1.0 / 6, 0.5);  // HardSwish's gate
  expectMatchesFormula(HostOpKind::HardSigmoid, formula, -0.3, 0.1);
}

TEST(HostOps, HardSwishMatchesFormulaOnAllCodes) {
  expectMatchesFormula(HostOpKind::HardSwish, [](double x, const HostOpDesc &) {
    return x * std::max(0.0, std::min(1.0, x / 6 + 0.5));
  });
}

// --- softmax ------------------------------------------------------------------------------

// Softmax written out per line with explicit coordinates, independent of the strides and
// tables of the implementation.
std::vector<int8_t> naiveSoftmax(Hwc hwc, int axis, double s_in, double s_out,
                                 const std::vector<int8_t> &in) {
  std::vector<int8_t> out(in.size());
  for (int y = 0; y < hwc[0]; ++y) {
    for (int x = 0; x < hwc[1]; ++x) {
      for (int c = 0; c < hwc[2]; ++c) {
        const auto along = [&](int k) {
          Hwc p{y, x, c};
          p[size_t(axis)] = k;
          return int(in[at(hwc, p[0], p[1], p[2])]);
        };
        int m = -128;
        for (int k = 0; k < hwc[size_t(axis)]; ++k) m = std::max(m, along(k));
        double sum = 0;
        for (int k = 0; k < hwc[size_t(axis)]; ++k) sum += std::exp(s_in * (along(k) - m));
        const double e = std::exp(s_in * (int(in[at(hwc, y, x, c)]) - m));
        out[at(hwc, y, x, c)] = int8_t(expectRound(e / sum / s_out));
      }
    }
  }
  return out;
}

TEST(HostOps, SoftmaxHandValues) {
  // Line (16, 0) with s_in = 1/16: e = (1, e^-1), sum 1.367879; 0.731059 * 128 = 93.58 ->
  // 94 and 0.268941 * 128 = 34.42 -> 34. Line (127, -128) with s_in = 1: e^-255 is
  // negligible: 1 * 128 saturates to 127, the other is 0.
  EXPECT_EQ(runHostOp(softmax({1, 1, 2}, 2, 1.0 / 16, 1.0 / 128), {16, 0}),
            (std::vector<int8_t>{94, 34}));
  EXPECT_EQ(runHostOp(softmax({1, 1, 2}, 2, 1.0, 1.0 / 128), {127, -128}),
            (std::vector<int8_t>{127, 0}));
  // Three lines along H of a 3x1x2 tensor; column c = 0 is (1, 0, 0) with s_in = ln 4:
  // e = (1, 1/4, 1/4) / 1.5 -> (0.6667, 0.1667, 0.1667) * 100 -> (67, 17, 17).
  // Column c = 1 is constant: 1/3 * 100 = 33.3 -> 33.
  EXPECT_EQ(runHostOp(softmax({3, 1, 2}, 0, std::log(4.0), 0.01), {1, 5, 0, 5, 0, 5}),
            (std::vector<int8_t>{67, 33, 17, 33, 17, 33}));
}

TEST(HostOps, SoftmaxOfTwoIsSigmoidOfTheDifference) {
  // For q >= 0, softmax of (q, 0) takes max = q and computes 1 / (1 + exp(-s_in q)): the
  // sigmoid's arithmetic exactly, so the two agree bit for bit on every such code.
  const double s_in = 0.07, s_out = 1.0 / 128;
  const std::vector<int8_t> codes = allCodes();
  const std::vector<int8_t> sig =
      runHostOp(elementwise(HostOpKind::Sigmoid, {1, 1, 256}, s_in, s_out), codes);
  for (int q = 0; q <= 127; ++q) {
    const std::vector<int8_t> y = runHostOp(softmax({1, 1, 2}, 2, s_in, s_out), {int8_t(q), 0});
    EXPECT_EQ(y[0], sig[size_t(q + 128)]) << "q=" << q;
  }
}

TEST(HostOps, SoftmaxOfUniformLineIsOneOverN) {
  // Lines constant along the axis (values vary across lines): every output is
  // round(1 / n / s_out) with n the extent of the axis: 128/2 = 64, 128/3 = 42.7 -> 43,
  // 128/5 = 25.6 -> 26.
  const Hwc hwc{2, 3, 5};
  const int expected[3] = {64, 43, 26};
  for (int axis = 0; axis < 3; ++axis) {
    std::vector<int8_t> in(count(hwc));
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x)
        for (int c = 0; c < 5; ++c) {
          Hwc p{y, x, c};
          p[size_t(axis)] = 0;  // the value ignores the position along the axis
          in[at(hwc, y, x, c)] = int8_t(p[0] * 37 + p[1] * 11 + p[2] * 5 - 60);
        }
    const std::vector<int8_t> out = runHostOp(softmax(hwc, axis, 0.1, 1.0 / 128), in);
    EXPECT_EQ(out, std::vector<int8_t>(in.size(), int8_t(expected[axis]))) << "axis " << axis;
  }
}

TEST(HostOps, SoftmaxMatchesNaiveAndIsMonotoneAlongEachAxis) {
  const Hwc hwc{4, 5, 6};
  const std::vector<int8_t> in = randomTensor(hwc, 7);
  for (int axis = 0; axis < 3; ++axis) {
    for (const Scales &s : kScaleSets) {
      const std::vector<int8_t> out = runHostOp(softmax(hwc, axis, s.in, s.out), in);
      ASSERT_EQ(out, naiveSoftmax(hwc, axis, s.in, s.out, in)) << "axis " << axis;
    }
    // Within a line a larger input never gives a smaller output (s_in = 1/16 spreads the
    // probabilities over several codes, so the check is not vacuous).
    const std::vector<int8_t> out = runHostOp(softmax(hwc, axis, 1.0 / 16, 1.0 / 128), in);
    int distinct_outputs = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      for (size_t j = 0; j < in.size(); ++j) {
        const Hwc a{int(i / 30), int(i / 6 % 5), int(i % 6)},
            b{int(j / 30), int(j / 6 % 5), int(j % 6)};
        bool same_line = true;
        for (int k = 0; k < 3; ++k) same_line &= k == axis || a[size_t(k)] == b[size_t(k)];
        if (!same_line || in[i] > in[j]) continue;
        EXPECT_LE(out[i], out[j]);
        distinct_outputs += out[i] != out[j];
      }
    }
    EXPECT_GT(distinct_outputs, 0);
  }
}

TEST(HostOps, SoftmaxAlongAnAxisCommutesWithTranspose) {
  // Softmax along C, then swapping H and C, equals swapping first and taking softmax along
  // H; likewise for W and C, and H and W.
  const Hwc hwc{3, 4, 5};
  const std::vector<int8_t> x = randomTensor(hwc, 11);
  struct Case {
    int axis;
    Hwc perm;
    int moved_axis;  // where `axis` lands after the transpose
  };
  for (const Case &k : {Case{2, {2, 1, 0}, 0}, Case{2, {0, 2, 1}, 1}, Case{0, {1, 0, 2}, 1},
                        Case{1, {2, 0, 1}, 2}}) {
    const HostOpDesc t = transpose(hwc, k.perm);
    const std::vector<int8_t> a = runHostOp(t, runHostOp(softmax(hwc, k.axis, 0.05, 0.004), x));
    const std::vector<int8_t> b =
        runHostOp(softmax(t.out_hwc, k.moved_axis, 0.05, 0.004), runHostOp(t, x));
    EXPECT_EQ(a, b) << "axis " << k.axis;
  }
}

// --- mul ------------------------------------------------------------------------------------

TEST(HostOps, MulHandValues) {
  // s_in = 1/16, s_in2 = 1/128, s_out = 1/16: factor 1/128. 64 * 64 = 4096 -> 32 (4.0 *
  // 0.5 = 2.0 = 32/16). -100 * 127 = -12700 -> -99.2 -> -99. 127 * -128 = -16256 -> -127.
  // 3 * 21 = 63 -> 0.49 -> 0.
  const HostOpDesc d = mul({1, 1, 4}, {1, 1, 4}, 1.0 / 16, 1.0 / 128, 1.0 / 16);
  EXPECT_EQ(runHostOp(d, {64, -100, 127, 3}, {64, 127, -128, 21}),
            (std::vector<int8_t>{32, -99, -127, 0}));
  // s_out = 1/64: factor 1/32: 127 * 127 / 32 = 504 saturates; -128 * 127 / 32 = -508 too.
  const HostOpDesc s = mul({1, 1, 2}, {1, 1, 2}, 1.0 / 16, 1.0 / 128, 1.0 / 64);
  EXPECT_EQ(runHostOp(s, {127, -128}, {127, 127}), (std::vector<int8_t>{127, -128}));
}

TEST(HostOps, MulBroadcastEqualsExplicitBroadcast) {
  const Hwc hwc{3, 4, 5};
  const std::vector<int8_t> x = randomTensor(hwc, 3);
  for (const Hwc &hwc2 : {Hwc{1, 1, 5}, Hwc{3, 4, 1}, Hwc{1, 1, 1}, Hwc{3, 4, 5}}) {
    const std::vector<int8_t> x2 = randomTensor(hwc2, 5);
    // The second operand repeated to the full shape by hand.
    std::vector<int8_t> full(count(hwc));
    for (int y = 0; y < hwc[0]; ++y)
      for (int w = 0; w < hwc[1]; ++w)
        for (int c = 0; c < hwc[2]; ++c)
          full[at(hwc, y, w, c)] =
              x2[at(hwc2, hwc2[0] == 1 ? 0 : y, hwc2[1] == 1 ? 0 : w, hwc2[2] == 1 ? 0 : c)];
    const std::vector<int8_t> broadcast = runHostOp(mul(hwc, hwc2, 0.05, 0.02, 0.01), x, x2);
    EXPECT_EQ(broadcast, runHostOp(mul(hwc, hwc, 0.05, 0.02, 0.01), x, full))
        << hwc2[0] << "x" << hwc2[1] << "x" << hwc2[2];
    // And against the formula: factor (0.05 * 0.02) / 0.01 on the integer product.
    for (size_t i = 0; i < x.size(); ++i)
      ASSERT_EQ(int(broadcast[i]), expectRound(double(x[i] * full[i]) * (0.05 * 0.02 / 0.01)));
  }
}

// --- transpose ------------------------------------------------------------------------------

TEST(HostOps, TransposeHandValues) {
  // 1x2x3 holding 0..5 (c fastest); perm (2, 1, 0) gives 3x2x1 with out[c][w] = in[w][c]:
  // (c, w) = (0,0) 0, (0,1) 3, (1,0) 1, (1,1) 4, (2,0) 2, (2,1) 5.
  EXPECT_EQ(runHostOp(transpose({1, 2, 3}, {2, 1, 0}), {0, 1, 2, 3, 4, 5}),
            (std::vector<int8_t>{0, 3, 1, 4, 2, 5}));
  // HWC -> CHW on 2x2x2: out[c][h][w] = in[h][w][c]; in = h*4 + w*2 + c.
  EXPECT_EQ(runHostOp(transpose({2, 2, 2}, {2, 0, 1}), {0, 1, 2, 3, 4, 5, 6, 7}),
            (std::vector<int8_t>{0, 2, 4, 6, 1, 3, 5, 7}));
}

TEST(HostOps, TransposeThenInversePermIsIdentity) {
  const Hwc hwc{2, 3, 4};
  std::vector<int8_t> x(count(hwc));
  for (size_t i = 0; i < x.size(); ++i) x[i] = int8_t(i);  // distinct values
  Hwc perm{0, 1, 2};
  int non_identity = 0;
  do {
    Hwc inverse{};
    for (int i = 0; i < 3; ++i) inverse[size_t(perm[size_t(i)])] = i;
    const HostOpDesc t = transpose(hwc, perm);
    const std::vector<int8_t> once = runHostOp(t, x);
    non_identity += once != x;
    EXPECT_EQ(runHostOp(transpose(t.out_hwc, inverse), once), x) << perm[0] << perm[1] << perm[2];
  } while (std::next_permutation(perm.begin(), perm.end()));
  EXPECT_EQ(non_identity, 5);  // every perm but (0, 1, 2) moves some element
  // A 3-cycle is its own inverse only after three applications.
  const HostOpDesc cycle = transpose(hwc, {1, 2, 0});
  const std::vector<int8_t> twice =
      runHostOp(transpose(cycle.out_hwc, {1, 2, 0}), runHostOp(cycle, x));
  EXPECT_NE(twice, x);
}

// --- validation -----------------------------------------------------------------------------

TEST(HostOps, ValidDescriptorsHaveNoProblems) {
  EXPECT_TRUE(validateHostOp(elementwise(HostOpKind::Sigmoid, {4, 5, 6}, 0.1, 0.01)).empty());
  EXPECT_TRUE(validateHostOp(softmax({1, 1, 1000}, 2, 0.1, 0.01)).empty());
  EXPECT_TRUE(validateHostOp(mul({4, 5, 6}, {4, 5, 1}, 0.1, 0.2, 0.3)).empty());
  EXPECT_TRUE(validateHostOp(transpose({4, 5, 6}, {1, 2, 0})).empty());
  EXPECT_TRUE(validateHostOp(elementwise(HostOpKind::Sigmoid, {1 << 24, 1, 128}, 1, 1)).empty());
  // Fields an op does not use are not checked: a sigmoid's perm and axis, a transpose's
  // scales.
  HostOpDesc s = elementwise(HostOpKind::Sigmoid, {4, 5, 6}, 0.1, 0.01);
  s.perm = {7, 7, 7};
  s.axis = 9;
  s.in2_hwc = {2, 2, 2};
  EXPECT_TRUE(validateHostOp(s).empty());
  HostOpDesc t = transpose({4, 5, 6}, {2, 0, 1});
  t.input_scale = 0.0;
  EXPECT_TRUE(validateHostOp(t).empty());
}

TEST(HostOps, ValidationRejectsBadDescriptors) {
  EXPECT_TRUE(hasProblem(transpose({2, 3, 4}, {0, 0, 1}), "perm"));
  EXPECT_TRUE(hasProblem(transpose({2, 3, 4}, {0, 1, 3}), "perm"));
  HostOpDesc wrong_out = transpose({2, 3, 4}, {2, 1, 0});
  wrong_out.out_hwc = {2, 3, 4};
  EXPECT_TRUE(hasProblem(wrong_out, "out_hwc"));
  HostOpDesc wrong_sig = elementwise(HostOpKind::Sigmoid, {2, 3, 4}, 0.1, 0.1);
  wrong_sig.out_hwc = {2, 4, 3};
  EXPECT_TRUE(hasProblem(wrong_sig, "out_hwc"));

  // Broadcast: H and W together, C alone.
  EXPECT_TRUE(hasProblem(mul({3, 4, 5}, {1, 4, 5}, 1, 1, 1), "broadcast"));
  EXPECT_TRUE(hasProblem(mul({3, 4, 5}, {3, 1, 1}, 1, 1, 1), "broadcast"));
  EXPECT_TRUE(hasProblem(mul({3, 4, 5}, {3, 4, 2}, 1, 1, 1), "broadcast"));

  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double bad : {0.0, -0.5, inf, nan}) {
    EXPECT_TRUE(hasProblem(elementwise(HostOpKind::HardSwish, {1, 1, 1}, bad, 1), "input_scale"));
    EXPECT_TRUE(hasProblem(softmax({1, 1, 2}, 2, 1, bad), "output_scale"));
    EXPECT_TRUE(hasProblem(mul({1, 1, 2}, {1, 1, 1}, 1, bad, 1), "input2_scale"));
  }
  // Scales whose products overflow (0 * inf would have no value).
  EXPECT_TRUE(hasProblem(elementwise(HostOpKind::Sigmoid, {1, 1, 1}, 1e307, 1), "input_scale"));
  EXPECT_TRUE(hasProblem(mul({1, 1, 1}, {1, 1, 1}, 1e200, 1e200, 1e-200), "overflows"));

  EXPECT_TRUE(hasProblem(softmax({1, 1, 2}, 3, 1, 1), "axis"));
  EXPECT_TRUE(hasProblem(softmax({1, 1, 2}, -1, 1, 1), "axis"));
  HostOpDesc hs = elementwise(HostOpKind::HardSigmoid, {1, 1, 1}, 1, 1);
  hs.beta = nan;
  EXPECT_TRUE(hasProblem(hs, "beta"));

  EXPECT_TRUE(hasProblem(elementwise(HostOpKind::Sigmoid, {0, 1, 1}, 1, 1), "in_hwc"));
  EXPECT_TRUE(hasProblem(elementwise(HostOpKind::Sigmoid, {(1 << 24) + 1, 1, 1}, 1, 1), "in_hwc"));
  EXPECT_TRUE(
      hasProblem(elementwise(HostOpKind::Sigmoid, {1 << 24, 1 << 24, 1 << 24}, 1, 1), "2^31"));
  EXPECT_TRUE(hasProblem(elementwise(HostOpKind::Sigmoid, {1 << 24, 1, 129}, 1, 1), "2^31"));
}

TEST(HostOps, RunRejectsInvalidDescriptorsAndWrongSizes) {
  EXPECT_THROW(runHostOp(transpose({1, 1, 2}, {0, 0, 1}), {1, 2}), std::invalid_argument);
  EXPECT_THROW(runHostOp(elementwise(HostOpKind::Sigmoid, {1, 1, 2}, 0, 1), {1, 2}),
               std::invalid_argument);
  const HostOpDesc sig = elementwise(HostOpKind::Sigmoid, {1, 2, 2}, 0.1, 0.01);
  EXPECT_THROW(runHostOp(sig, {1, 2, 3}), std::invalid_argument);
  EXPECT_THROW(runHostOp(sig, {1, 2, 3, 4}, {1}), std::invalid_argument);  // no second operand
  EXPECT_NO_THROW(runHostOp(sig, {1, 2, 3, 4}));
  const HostOpDesc m = mul({1, 2, 2}, {1, 1, 2}, 0.1, 0.1, 0.1);
  EXPECT_THROW(runHostOp(m, {1, 2, 3, 4}), std::invalid_argument);
  EXPECT_THROW(runHostOp(m, {1, 2, 3, 4}, {1, 2, 3, 4}), std::invalid_argument);
  EXPECT_NO_THROW(runHostOp(m, {1, 2, 3, 4}, {1, 2}));
}

}  // namespace
}  // namespace pf
