// Bit-exact reference of the host operators (docs/host.md, "Semantics"): what the host
// processor computes between accelerator layers. The golden model of a network runs these
// where the network has a host layer, and the co-simulation runs the same functions on the
// tensors in external memory, so both agree by construction; docs/host.md states the
// arithmetic so that a host implementation can be checked against it.
//
// Tensors are int8, zero point 0, unpadded HWC (h * w * c elements, c fastest); a scale is
// the real value of one int8 step.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace pf {

enum class HostOpKind : uint8_t {
  Softmax,      // along `axis`: y = round(exp(s_in (x - max)) / sum exp(...) / s_out)
  Sigmoid,      // y = round(1 / (1 + exp(-s_in x)) / s_out)
  HardSigmoid,  // y = round(max(0, min(1, alpha s_in x + beta)) / s_out)
  HardSwish,    // y = round(s_in x * max(0, min(1, s_in x / 6 + 1/2)) / s_out)
  Mul,          // y = round(s_in x * s_in2 x2 / s_out), x2 broadcast over H and W and/or C
  Transpose,    // y[perm] = x: output axis i is input axis perm[i] (no arithmetic)
};
const char *hostOpName(HostOpKind kind);  // "softmax", "sigmoid", ... (the network op names)

struct HostOpDesc {
  HostOpKind kind = HostOpKind::Sigmoid;
  std::array<int, 3> in_hwc{1, 1, 1};
  std::array<int, 3> in2_hwc{1, 1, 1};  // Mul's second operand; H, W, C each 1 or as in_hwc
  std::array<int, 3> out_hwc{1, 1, 1};
  double input_scale = 1.0;
  double input2_scale = 1.0;
  double output_scale = 1.0;
  int axis = 2;  // Softmax: 0 = H, 1 = W, 2 = C
  std::array<int, 3> perm{0, 1, 2};
  double alpha = 0.2, beta = 0.5;  // HardSigmoid

  bool operator==(const HostOpDesc &other) const = default;
};

// Everything wrong with a descriptor (shapes, broadcast, permutation, scales positive and
// finite, axis). Empty means runHostOp accepts it.
std::vector<std::string> validateHostOp(const HostOpDesc &desc);

// The op's int8 output (out_hwc elements). Throws std::invalid_argument when
// validateHostOp is not empty or an input has the wrong size.
std::vector<int8_t> runHostOp(const HostOpDesc &desc, const std::vector<int8_t> &input,
                              const std::vector<int8_t> &input2 = {});

}  // namespace pf
