// Bit-exact reference of one pf_accel layer ("Layer semantics" in docs/accelerator.md).
#pragma once

#include <cstdint>
#include <vector>

#include "golden/Layer.hh"

namespace pf {

// Requantisation shared by every op except MAXPOOL: 64-bit product, round-half-up
// arithmetic right shift, clamp to [act_min, act_max].
int8_t requantize(int32_t acc, uint16_t scale, uint8_t shift, int act_min, int act_max);

// The unpadded HWC output (out_h * out_w * out_c) the accelerator must produce.
// Preconditions: validate(desc, cfg) and validateTensors(desc, tensors) are empty; the
// function throws std::invalid_argument on tensors of the wrong size.
std::vector<int8_t> runReference(const LayerDesc &desc, const LayerTensors &tensors);

}  // namespace pf
