#include "sim/DataSparsity.hh"

#include <fmt/format.h>

#include <algorithm>

namespace pf {

namespace {

struct ZeroCount {
  int64_t zeros = 0;
  int64_t values = 0;
  void add(const std::vector<int8_t> &v) {
    zeros += std::count(v.begin(), v.end(), int8_t(0));
    values += int64_t(v.size());
  }
  double fraction() const { return values > 0 ? double(zeros) / double(values) : 0.0; }
};

}  // namespace

std::vector<LayerSparsity> dataSparsity(const Mapping &mapping, const NetData &data) {
  std::vector<LayerSparsity> sparsity;
  for (size_t i = 0; i < mapping.layers.size(); ++i) {
    ZeroCount weights, inputs;
    weights.add(data.params[i].weights);
    for (int input : mapping.layers[i].inputs) inputs.add(data.values[size_t(input)]);
    LayerSparsity s{weights.fraction(), inputs.fraction(), 0.0};
    s.operand = 1.0 - (1.0 - s.weight) * (1.0 - s.activation);
    sparsity.push_back(s);
  }
  return sparsity;
}

void applyDataSparsity(Profile &profile, const Mapping &mapping, uint32_t seed) {
  const std::vector<LayerSparsity> sparsity =
      dataSparsity(mapping, makeNetData(mapping, kNetworkWeightSeed, seed));
  const std::vector<MappedStage> stages = mappedStages(mapping);
  for (size_t i = 0; i < profile.layers.size() && i < stages.size(); ++i) {
    if (stages[i].host) continue;  // no MACs: the host's cost does not depend on zeros
    const LayerSparsity &s = sparsity[size_t(stages[i].index)];
    profile.layers[i].weight_sparsity = s.weight;
    profile.layers[i].activation_sparsity = s.activation;
    profile.layers[i].operand_sparsity = s.operand;
  }
  profile.sparsity_source =
      fmt::format("data: weights seed {}, input seed {}", kNetworkWeightSeed, seed);
}

}  // namespace pf
