#include "golden/HostOps.hh"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pf {

namespace {

using Hwc = std::array<int, 3>;

constexpr int kMaxDim = 1 << 24;
constexpr int64_t kMaxElements = int64_t(1) << 31;

// --- shapes -------------------------------------------------------------------------------

bool dimsInRange(const Hwc &hwc) {
  return std::all_of(hwc.begin(), hwc.end(), [](int d) { return d >= 1 && d <= kMaxDim; });
}

// Only for dimensions in range: h * w <= 2^48, so the product cannot overflow once h * w
// has been checked against the element limit.
int64_t elementCount(const Hwc &hwc) {
  const int64_t plane = int64_t(hwc[0]) * hwc[1];
  return plane > kMaxElements ? kMaxElements + 1 : plane * hwc[2];
}

std::string formatHwc(const Hwc &hwc) { return fmt::format("{}x{}x{}", hwc[0], hwc[1], hwc[2]); }

// Every value 0, 1, 2 exactly once.
bool isPermutation(const Hwc &perm) {
  Hwc seen{0, 0, 0};
  for (int axis : perm) {
    if (axis < 0 || axis > 2 || seen[size_t(axis)]++) return false;
  }
  return true;
}

Hwc permuted(const Hwc &hwc, const Hwc &perm) {
  return {hwc[size_t(perm[0])], hwc[size_t(perm[1])], hwc[size_t(perm[2])]};
}

// Element strides of an unpadded HWC tensor (c fastest).
std::array<size_t, 3> strides(const Hwc &hwc) {
  return {size_t(hwc[1]) * size_t(hwc[2]), size_t(hwc[2]), 1};
}

// Mul's second operand: each of C and the (H, W) pair is 1 or as the first operand.
bool broadcasts(const Hwc &in2, const Hwc &in) {
  const bool hw = (in2[0] == 1 && in2[1] == 1) || (in2[0] == in[0] && in2[1] == in[1]);
  const bool c = in2[2] == 1 || in2[2] == in[2];
  return hw && c;
}

// --- validation ---------------------------------------------------------------------------

void checkShape(const char *name, const Hwc &hwc, std::vector<std::string> &problems) {
  if (!dimsInRange(hwc)) {
    problems.push_back(
        fmt::format("{} = {}: every dimension must be in 1..{}", name, formatHwc(hwc), kMaxDim));
  } else if (elementCount(hwc) > kMaxElements) {
    problems.push_back(fmt::format("{} = {}: more than 2^31 elements", name, formatHwc(hwc)));
  }
}

bool positiveFinite(double value) { return value > 0.0 && std::isfinite(value); }

// An input scale must also keep the real value of every code finite (128 s), so that no
// op ever computes inf - inf or 0 * inf: the reference has no NaN anywhere.
void checkInputScale(const char *name, double scale, std::vector<std::string> &problems) {
  if (!positiveFinite(scale) || !std::isfinite(scale * 128.0))
    problems.push_back(
        fmt::format("{} = {} is not a positive scale with 128 * scale finite", name, scale));
}

void checkScales(const HostOpDesc &d, std::vector<std::string> &problems) {
  checkInputScale("input_scale", d.input_scale, problems);
  if (!positiveFinite(d.output_scale))
    problems.push_back(fmt::format("output_scale = {} is not positive and finite", d.output_scale));
  if (d.kind != HostOpKind::Mul) return;
  checkInputScale("input2_scale", d.input2_scale, problems);
  // The factor can still overflow, and 0 * inf (a zero product) has no value.
  if (positiveFinite(d.input_scale) && positiveFinite(d.input2_scale) &&
      positiveFinite(d.output_scale) &&
      !std::isfinite(d.input_scale * d.input2_scale / d.output_scale))
    problems.push_back("input_scale * input2_scale / output_scale overflows a double");
}

// What the output shape must be; false when a bad perm (reported on its own) leaves it open.
bool expectedOutput(const HostOpDesc &d, Hwc &out) {
  if (d.kind != HostOpKind::Transpose) {
    out = d.in_hwc;
    return true;
  }
  if (!isPermutation(d.perm)) return false;
  out = permuted(d.in_hwc, d.perm);
  return true;
}

void checkOpFields(const HostOpDesc &d, std::vector<std::string> &problems) {
  switch (d.kind) {
    case HostOpKind::Softmax:
      if (d.axis < 0 || d.axis > 2)
        problems.push_back(fmt::format("axis = {} is not 0 (H), 1 (W) or 2 (C)", d.axis));
      break;
    case HostOpKind::HardSigmoid:
      if (!std::isfinite(d.alpha) || !std::isfinite(d.beta))
        problems.push_back(
            fmt::format("alpha = {}, beta = {}: both must be finite", d.alpha, d.beta));
      break;
    case HostOpKind::Mul:
      checkShape("in2_hwc", d.in2_hwc, problems);
      if (!broadcasts(d.in2_hwc, d.in_hwc))
        problems.push_back(fmt::format(
            "in2_hwc = {} does not broadcast to in_hwc = {} (HxWxC, 1x1xC, HxWx1 or 1x1x1)",
            formatHwc(d.in2_hwc), formatHwc(d.in_hwc)));
      break;
    case HostOpKind::Transpose:
      if (!isPermutation(d.perm))
        problems.push_back(fmt::format("perm = [{}, {}, {}] is not a permutation of [0, 1, 2]",
                                       d.perm[0], d.perm[1], d.perm[2]));
      break;
    default:
      break;
  }
}

// --- arithmetic ---------------------------------------------------------------------------

// The one rounding rule of every host op: half away from zero (std::round), then saturate
// to int8. Validation rules out every descriptor that could produce a NaN here.
int8_t roundToInt8(double value) {
  if (std::isnan(value)) throw std::logic_error("host op: NaN despite a valid descriptor");
  return static_cast<int8_t>(std::clamp(std::round(value), -128.0, 127.0));
}

// Elementwise ops are a function of the int8 code alone: a table of all 256 codes is both
// the fastest form and exactly what an MCU host would store.
using Table = std::array<int8_t, 256>;

template <class RealFn>
Table buildTable(const HostOpDesc &d, RealFn real) {
  Table table{};
  for (int q = -128; q <= 127; ++q)
    table[size_t(q + 128)] = roundToInt8(real(d.input_scale * q) / d.output_scale);
  return table;
}

Table elementwiseTable(const HostOpDesc &d) {
  switch (d.kind) {
    case HostOpKind::Sigmoid:
      return buildTable(d, [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
    case HostOpKind::HardSigmoid:
      return buildTable(d, [&](double x) { return std::clamp(d.alpha * x + d.beta, 0.0, 1.0); });
    case HostOpKind::HardSwish:
      return buildTable(d, [](double x) { return x * std::clamp(x / 6.0 + 0.5, 0.0, 1.0); });
    default:
      throw std::logic_error("elementwiseTable: not an elementwise op");
  }
}

std::vector<int8_t> runElementwise(const HostOpDesc &d, const std::vector<int8_t> &in) {
  const Table table = elementwiseTable(d);
  std::vector<int8_t> out(in.size());
  std::transform(in.begin(), in.end(), out.begin(),
                 [&](int8_t q) { return table[size_t(q + 128)]; });
  return out;
}

// exp(s_in * (q - max)) depends only on max - q in 0..255: tabulated once, the values are
// the very doubles a per-element std::exp would give.
std::array<double, 256> softmaxExpTable(double input_scale) {
  std::array<double, 256> table{};
  for (int k = 0; k < 256; ++k) table[size_t(k)] = std::exp(input_scale * double(-k));
  return table;
}

// One line of `n` elements `stride` apart starting at `base`. The sum runs in increasing
// index order so that the result does not depend on the summation order of a compiler.
void softmaxLine(const std::vector<int8_t> &in, std::vector<int8_t> &out, size_t base,
                 size_t stride, size_t n, const std::array<double, 256> &exps,
                 double output_scale) {
  int max = -128;
  for (size_t k = 0; k < n; ++k) max = std::max(max, int(in[base + k * stride]));
  double sum = 0.0;
  for (size_t k = 0; k < n; ++k) sum += exps[size_t(max - in[base + k * stride])];
  for (size_t k = 0; k < n; ++k) {
    const size_t i = base + k * stride;
    out[i] = roundToInt8(exps[size_t(max - in[i])] / sum / output_scale);
  }
}

std::vector<int8_t> runSoftmax(const HostOpDesc &d, const std::vector<int8_t> &in) {
  const auto axis = size_t(d.axis);
  const size_t a = axis == 0 ? 1 : 0, b = axis == 2 ? 1 : 2;  // the two other axes
  const std::array<size_t, 3> st = strides(d.in_hwc);
  const std::array<double, 256> exps = softmaxExpTable(d.input_scale);
  std::vector<int8_t> out(in.size());
  for (size_t i = 0; i < size_t(d.in_hwc[a]); ++i) {
    for (size_t j = 0; j < size_t(d.in_hwc[b]); ++j) {
      softmaxLine(in, out, i * st[a] + j * st[b], st[axis], size_t(d.in_hwc[axis]), exps,
                  d.output_scale);
    }
  }
  return out;
}

std::vector<int8_t> runMul(const HostOpDesc &d, const std::vector<int8_t> &in,
                           const std::vector<int8_t> &in2) {
  // One factor for the whole tensor, so that y depends on the integer product q1 q2 only.
  const double factor = d.input_scale * d.input2_scale / d.output_scale;
  const Hwc &s = d.in_hwc, &s2 = d.in2_hwc;
  std::vector<int8_t> out(in.size());
  size_t i = 0;
  for (int y = 0; y < s[0]; ++y) {
    for (int x = 0; x < s[1]; ++x) {
      // A broadcast axis of extent 1 always reads index 0.
      const size_t row2 =
          (size_t(s2[0] == 1 ? 0 : y) * size_t(s2[1]) + (s2[1] == 1 ? 0 : x)) * size_t(s2[2]);
      for (int c = 0; c < s[2]; ++c, ++i) {
        const int product = int(in[i]) * int(in2[row2 + (s2[2] == 1 ? 0 : c)]);
        out[i] = roundToInt8(double(product) * factor);
      }
    }
  }
  return out;
}

std::vector<int8_t> runTranspose(const HostOpDesc &d, const std::vector<int8_t> &in) {
  // Output axis i walks input axis perm[i]: its stride is that input axis's stride.
  const std::array<size_t, 3> in_st = strides(d.in_hwc);
  const std::array<size_t, 3> st = {in_st[size_t(d.perm[0])], in_st[size_t(d.perm[1])],
                                    in_st[size_t(d.perm[2])]};
  const Hwc out_hwc = permuted(d.in_hwc, d.perm);
  std::vector<int8_t> out(in.size());
  size_t o = 0;
  for (size_t i0 = 0; i0 < size_t(out_hwc[0]); ++i0) {
    for (size_t i1 = 0; i1 < size_t(out_hwc[1]); ++i1) {
      for (size_t i2 = 0; i2 < size_t(out_hwc[2]); ++i2)
        out[o++] = in[i0 * st[0] + i1 * st[1] + i2 * st[2]];
    }
  }
  return out;
}

void checkSize(const char *what, const std::vector<int8_t> &tensor, int64_t expected) {
  if (int64_t(tensor.size()) != expected)
    throw std::invalid_argument(
        fmt::format("runHostOp: {} has {} elements, expected {}", what, tensor.size(), expected));
}

}  // namespace

const char *hostOpName(HostOpKind kind) {
  switch (kind) {
    case HostOpKind::Softmax:
      return "softmax";
    case HostOpKind::Sigmoid:
      return "sigmoid";
    case HostOpKind::HardSigmoid:
      return "hard_sigmoid";
    case HostOpKind::HardSwish:
      return "hard_swish";
    case HostOpKind::Mul:
      return "mul";
    case HostOpKind::Transpose:
      return "transpose";
  }
  return "?";
}

std::vector<std::string> validateHostOp(const HostOpDesc &desc) {
  std::vector<std::string> problems;
  checkShape("in_hwc", desc.in_hwc, problems);
  checkOpFields(desc, problems);
  // Transpose moves codes and never reads a scale.
  if (desc.kind != HostOpKind::Transpose) checkScales(desc, problems);
  Hwc expected{};
  if (expectedOutput(desc, expected) && desc.out_hwc != expected)
    problems.push_back(fmt::format("out_hwc = {} but {} of in_hwc = {} gives {}",
                                   formatHwc(desc.out_hwc), hostOpName(desc.kind),
                                   formatHwc(desc.in_hwc), formatHwc(expected)));
  return problems;
}

std::vector<int8_t> runHostOp(const HostOpDesc &desc, const std::vector<int8_t> &input,
                              const std::vector<int8_t> &input2) {
  const std::vector<std::string> problems = validateHostOp(desc);
  if (!problems.empty())
    throw std::invalid_argument(
        fmt::format("runHostOp: invalid {}: {}", hostOpName(desc.kind), fmt::join(problems, "; ")));
  checkSize("input", input, elementCount(desc.in_hwc));
  // Only Mul has a second operand; one given to another op is a caller's mistake.
  checkSize("input2", input2, desc.kind == HostOpKind::Mul ? elementCount(desc.in2_hwc) : 0);
  switch (desc.kind) {
    case HostOpKind::Softmax:
      return runSoftmax(desc, input);
    case HostOpKind::Sigmoid:
    case HostOpKind::HardSigmoid:
    case HostOpKind::HardSwish:
      return runElementwise(desc, input);
    case HostOpKind::Mul:
      return runMul(desc, input, input2);
    case HostOpKind::Transpose:
      return runTranspose(desc, input);
  }
  throw std::logic_error("runHostOp: unknown op");
}

}  // namespace pf
