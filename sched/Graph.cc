// The layered graph of the schedules (sched/Graph.hh): steps priced once, for every
// idle option, so the exact solver's inner loops read two numbers per step.
#include "sched/Graph.hh"

#include <algorithm>
#include <utility>

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
  for (const IdleOption &idle : instance.idle) power_.push_back(idle.power_pj_per_tick);
  setEnds(instance);
  steps_.resize(size_t(layers));
  std::vector<Ticks> option_time, flipped_time;
  std::vector<double> option_energy, flipped_energy;
  for (int s = 1; s < layers; ++s) {
    const int to_layer = layer(s), from_count = sizes_[size_t(s - 1)], to_count = sizes_[size_t(s)];
    // The instance boundary crossed, with its matrix indexed [lower layer][upper layer];
    // the backward graph reads it transposed, copied in tiles first.
    const TransitionMatrix &matrix =
        instance.transitions[size_t(backward ? to_layer + 1 : to_layer)];
    const Ticks *time = matrix.time.data();
    const double *energy = matrix.energy_pj.data();
    if (backward) {
      flipped_time.resize(matrix.time.size());
      flipped_energy.resize(matrix.energy_pj.size());
      for (int from_tile = 0; from_tile < from_count; from_tile += kTile)
        for (int to_tile = 0; to_tile < to_count; to_tile += kTile)
          for (int to = to_tile; to < std::min(to_count, to_tile + kTile); ++to)
            for (int from = from_tile; from < std::min(from_count, from_tile + kTile); ++from) {
              const size_t entry = size_t(to) * size_t(from_count) + size_t(from);
              flipped_time[size_t(from) * size_t(to_count) + size_t(to)] = time[entry];
              flipped_energy[size_t(from) * size_t(to_count) + size_t(to)] = energy[entry];
            }
      time = flipped_time.data();
      energy = flipped_energy.data();
    }
    option_time.clear();
    option_energy.clear();
    for (const LayerOption &option : instance.layers[size_t(to_layer)].options) {
      option_time.push_back(option.time);
      option_energy.push_back(option.energyPj());
    }
    std::vector<Step> &steps = steps_[size_t(s)];
    steps.reserve(size_t(from_count) * size_t(to_count));  // filled in order, never zeroed
    for (int from = 0; from < from_count; ++from) {
      for (int to = 0; to < to_count; ++to) {
        const size_t entry = size_t(from) * size_t(to_count) + size_t(to);
        Step &step = steps.emplace_back();
        step.time = time[entry] + option_time[size_t(to)];
        step.energy = energy[entry] + option_energy[size_t(to)];
      }
    }
  }
}

bool Graph::setEnds(const Instance &instance) {
  std::vector<std::vector<Arc>> enter, leave;
  for (int k = 0; k < int(instance.idle.size()); ++k) {
    const double power = power_[size_t(k)];
    std::vector<Arc> &into = enter.emplace_back(), &out = leave.emplace_back();
    for (int o = 0; o < sizes_.front(); ++o) {
      const Arc arc = backward_ ? sleepArc(instance, k, o, power) : wakeArc(instance, k, o, power);
      into.push_back(plus(arc, layerArc(instance, layer(0), o, power)));
    }
    for (int o = 0; o < sizes_.back(); ++o)
      out.push_back(backward_ ? wakeArc(instance, k, o, power) : sleepArc(instance, k, o, power));
  }
  auto same = [](const std::vector<std::vector<Arc>> &x, const std::vector<std::vector<Arc>> &y) {
    if (x.size() != y.size()) return false;
    for (size_t k = 0; k < x.size(); ++k) {
      if (x[k].size() != y[k].size()) return false;
      for (size_t o = 0; o < x[k].size(); ++o)
        if (x[k][o].time != y[k][o].time || x[k][o].reduced != y[k][o].reduced) return false;
    }
    return true;
  };
  const bool changed = !same(enter, enter_) || !same(leave, leave_);
  enter_ = std::move(enter);
  leave_ = std::move(leave);
  return changed;
}

Schedule Graph::schedule(int k, const std::vector<int> &options) const {
  Schedule result{k, std::vector<int>(options.size())};
  for (int s = 0; s < stages(); ++s) result.layer_options[size_t(layer(s))] = options[size_t(s)];
  return result;
}

}  // namespace pf::sched::detail
