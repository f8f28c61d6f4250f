// A small real workload of the accelerator (docs/accelerator.md) for energy
// characterization of its always-on domain: representative layers built and packed with
// golden/ into one external-memory image, with the golden outputs to check the run.
//
// The layers are what a compiled network is made of: a 3x3 convolution, a 3x3
// depthwise convolution, a 2x2 max pool and a residual add, each loading its inputs from
// external memory and storing its output (fetch, load, compute and store phases all
// occur). Activations look like ReLU outputs (half zero), weights are uniform int8.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "golden/Layer.hh"

namespace pf::energy {

struct WorkloadLayer {
  std::string name;  // "conv3x3", "depthwise3x3", "maxpool2x2", "add"
  LayerDesc desc;
  uint32_t desc_addr = 0;        // byte address of its descriptor
  std::vector<int8_t> expected;  // golden output, unpadded HWC
};

struct AcceleratorWorkload {
  AccelConfig config;
  std::vector<uint8_t> memory;  // external-memory image from address 0
  std::vector<WorkloadLayer> layers;
};

// Deterministic for a given config and seed. Throws pf::Error PF-5361 if a layer does not
// fit the accelerator's buffers (golden validate() names the field).
AcceleratorWorkload makeAcceleratorWorkload(const AccelConfig &config, uint64_t seed = 1);

// Bytes of `layer`'s output as the accelerator stored it in `memory` that differ from the
// golden output (0: correct).
int64_t outputMismatches(const AcceleratorWorkload &workload, const WorkloadLayer &layer,
                         const std::vector<uint8_t> &memory);

}  // namespace pf::energy
