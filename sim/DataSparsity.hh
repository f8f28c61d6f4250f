// Operand sparsity measured on data: per mapped layer, the fraction of zero weights and
// of zero input activations in the network data NetData generates (random parameters,
// the golden value of every tensor). The co-simulation prices its MAC cycles with it, and
// `powerflow profile --sparsity-from-data SEED` puts it into the profile, so the schedule
// is priced with the activity of representative data rather than with an assumption
// (after ReLU about half of the activations are zero).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/NetData.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"

namespace pf {

struct LayerSparsity {
  double weight = 0.0;      // zero weights
  double activation = 0.0;  // zero input activations (all inputs of the layer)
  double operand = 0.0;     // 1 - (1 - weight)(1 - activation), as the profile defines it
};

// One entry per accelerator layer (Mapping::layers).
std::vector<LayerSparsity> dataSparsity(const Mapping &mapping, const NetData &data);

// Replaces the profile's sparsity by that of the data of `seed` (profile.layers must be
// mappedStages(mapping), in order; host layers keep 0) and records the source.
void applyDataSparsity(Profile &profile, const Mapping &mapping, uint32_t seed);

}  // namespace pf
