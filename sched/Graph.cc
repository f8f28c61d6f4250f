// The layered graph of the schedules (sched/Graph.hh): steps priced once, for every
// idle option, so the exact solver's inner loops read two numbers per step.
#include "sched/Graph.hh"

#include <algorithm>

namespace pf::sched::detail {

namespace {

constexpr int kTile = 16;

Arc reduced(Ticks time, double energy, double power) {
  return {time, energy - power * double(time)};
}

Arc plus(const Arc &a, const Arc &b) { return {a.time + b.time, a.reduced + b.reduced}; }

Arc layerArc(const Instance &instance, int layer, int option, double power) {
  const LayerOption &chosen = instance.layers[size_t(layer)].options[size_t(option)];
  return reduced(chosen.time, chosen.energyPj(), power);
}

Arc wakeArc(const Instance &instance, int k, int option, double power) {
  const TransitionMatrix &wake = instance.transitions[0];
  return reduced(wake.timeAt(k, option), wake.energyAt(k, option), power);
}

// Going to sleep: the energy of the real duration, the time of its excess over P - D.
Arc sleepArc(const Instance &instance, int k, int option, double power) {
  const TransitionMatrix &down = instance.transitions.back();
  const Ticks time = down.timeAt(option, k);
  return {effectiveDownTime(instance, time), down.energyAt(option, k) - power * double(time)};
}

}  // namespace

Arc transitionArc(const Instance &instance, int k, int boundary, int from, int to) {
  const TransitionMatrix &matrix = instance.transitions[size_t(boundary)];
  return reduced(matrix.timeAt(from, to), matrix.energyAt(from, to),
                 instance.idle[size_t(k)].power_pj_per_tick);
}

Graph::Graph(const Instance &instance, bool backward) : backward_(backward), offset_{0} {
  const int layers = instance.layerCount();
  for (int s = 0; s < layers; ++s) {
    const int of_stage = backward ? layers - 1 - s : s;  // layer() needs every size first
    sizes_.push_back(int(instance.layers[size_t(of_stage)].options.size()));
    offset_.push_back(offset_.back() + size_t(sizes_.back()));
  }
  for (int k = 0; k < int(instance.idle.size()); ++k) {
    const double power = instance.idle[size_t(k)].power_pj_per_tick;
    power_.push_back(power);
    std::vector<Arc> &enter = enter_.emplace_back(), &leave = leave_.emplace_back();
    for (int o = 0; o < sizes_.front(); ++o) {
      const Arc into = backward ? sleepArc(instance, k, o, power) : wakeArc(instance, k, o, power);
      enter.push_back(plus(into, layerArc(instance, layer(0), o, power)));
    }
    for (int o = 0; o < sizes_.back(); ++o)
      leave.push_back(backward ? wakeArc(instance, k, o, power) : sleepArc(instance, k, o, power));
  }
  steps_.resize(size_t(layers));
  for (int s = 1; s < layers; ++s) {
    const int to_layer = layer(s), from_count = sizes_[size_t(s - 1)], to_count = sizes_[size_t(s)];
    // The instance boundary crossed, with its matrix indexed [lower layer][upper layer].
    const TransitionMatrix &matrix =
        instance.transitions[size_t(backward ? to_layer + 1 : to_layer)];
    const std::vector<LayerOption> &options = instance.layers[size_t(to_layer)].options;
    std::vector<Step> &steps = steps_[size_t(s)];
    steps.resize(size_t(from_count) * size_t(to_count));
    // In tiles: the backward graph reads the matrix transposed.
    for (int from_tile = 0; from_tile < from_count; from_tile += kTile) {
      for (int to_tile = 0; to_tile < to_count; to_tile += kTile) {
        for (int from = from_tile; from < std::min(from_count, from_tile + kTile); ++from) {
          for (int to = to_tile; to < std::min(to_count, to_tile + kTile); ++to) {
            const size_t entry = backward ? size_t(to) * size_t(from_count) + size_t(from)
                                          : size_t(from) * size_t(to_count) + size_t(to);
            const LayerOption &option = options[size_t(to)];
            steps[size_t(from) * size_t(to_count) + size_t(to)] = {
                matrix.time[entry] + option.time, matrix.energy_pj[entry] + option.energyPj()};
          }
        }
      }
    }
  }
}

Schedule Graph::schedule(int k, const std::vector<int> &options) const {
  Schedule result{k, std::vector<int>(options.size())};
  for (int s = 0; s < stages(); ++s) result.layer_options[size_t(layer(s))] = options[size_t(s)];
  return result;
}

}  // namespace pf::sched::detail
