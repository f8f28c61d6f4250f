// Synthetic chip: per-rail numbers from simple alpha-power and V^2 laws anchored at
// 1.1 V; see the header for what they are (and are not) good for.

#include "sched/Synthetic.hh"

#include <algorithm>
#include <cmath>
#include <random>

namespace pf::sched {

namespace {

constexpr double kVth = 0.35;
constexpr double kNominalV = 1.1;
// pF x V / mA = ns: the in-rush limit sets how fast a domain capacitance charges.
constexpr double kInrushMa = 10.0;

// Alpha-power law (alpha 1.3), normalised to 1 at the nominal voltage.
double speedRatio(double v) {
  return (std::pow(v - kVth, 1.3) / v) / (std::pow(kNominalV - kVth, 1.3) / kNominalV);
}
double energyRatio(double v) { return (v * v) / (kNominalV * kNominalV); }
double leakageRatio(double v) { return std::exp((v - kNominalV) / 0.25); }

std::vector<double> perRail(const std::vector<double> &rails, double nominal,
                            double (*law)(double)) {
  std::vector<double> values;
  for (double v : rails) values.push_back(nominal * law(v));
  return values;
}

void addTransitions(DomainPhysics &domain, const std::vector<double> &rails,
                    double capacitance_pf) {
  for (double v : rails) {
    domain.wake_up_time_ns.push_back(20.0 + capacitance_pf * v / kInrushMa);
    domain.wake_up_energy_pj.push_back(capacitance_pf * v * v);
  }
  for (double from : rails) {
    std::vector<double> time_ns, energy_pj;
    for (double to : rails) {
      time_ns.push_back(from == to ? 0.0
                                   : 200.0 + capacitance_pf * std::abs(to - from) / kInrushMa);
      energy_pj.push_back(capacitance_pf * to * std::max(0.0, to - from));
    }
    domain.rail_change_time_ns.push_back(time_ns);
    domain.rail_change_energy_pj.push_back(energy_pj);
  }
}

DomainPhysics basicDomain(const std::string &name, DomainClass domain_class,
                          const std::vector<double> &rails, double fmax_mhz, double leakage_nw) {
  DomainPhysics domain;
  domain.name = name;
  domain.domain_class = domain_class;
  domain.fmax_mhz = perRail(rails, fmax_mhz, speedRatio);
  domain.leakage_nw = perRail(rails, leakage_nw, leakageRatio);
  for (double leak : domain.leakage_nw) domain.gated_leakage_nw.push_back(leak * 0.005);
  return domain;
}

DomainPhysics peGroup(int index, const std::vector<double> &rails) {
  DomainPhysics domain =
      basicDomain("pe_grp" + std::to_string(index), DomainClass::PeGroup, rails, 520.0, 9000.0);
  for (double sparsity : {0.0, 0.5, 0.9})
    domain.mac_cycle.push_back(
        {sparsity, perRail(rails, 6.0 * (1.0 - 0.7 * sparsity), energyRatio)});
  domain.clock_gated_cycle_pj = perRail(rails, 0.15, energyRatio);
  addTransitions(domain, rails, 40.0);
  return domain;
}

DomainPhysics bufferBank(int index, const std::vector<double> &rails) {
  DomainPhysics domain =
      basicDomain("bank" + std::to_string(index), DomainClass::Buffer, rails, 450.0, 6000.0);
  domain.can_retain = true;
  domain.retention_leakage_nw = 450.0;
  domain.read_pj = perRail(rails, 3.2, energyRatio);
  domain.write_pj = perRail(rails, 3.8, energyRatio);
  domain.idle_cycle_pj = perRail(rails, 0.08, energyRatio);
  addTransitions(domain, rails, 25.0);
  return domain;
}

DomainPhysics alwaysOn(const std::vector<double> &rails) {
  DomainPhysics domain = basicDomain("aon", DomainClass::AlwaysOn, rails, 600.0, 3000.0);
  domain.active_cycle_pj = perRail(rails, 1.2, energyRatio);
  domain.idle_cycle_pj = perRail(rails, 0.3, energyRatio);
  addTransitions(domain, rails, 30.0);
  return domain;
}

}  // namespace

ChipModel syntheticChip(const SyntheticChipParams &params) {
  ChipModel chip;
  chip.rail_voltages_v = params.rail_voltages_v;
  chip.always_on_rail = int(params.rail_voltages_v.size()) - 1;
  chip.clock = {params.base_mhz, params.dividers, 50.0};
  chip.ext_bandwidth_bytes_per_ns = 0.4;  // 400 MB/s
  chip.domains.push_back(alwaysOn(chip.rail_voltages_v));
  for (int g = 0; g < params.pe_groups; ++g)
    chip.domains.push_back(peGroup(g, chip.rail_voltages_v));
  for (int b = 0; b < params.buffer_banks; ++b)
    chip.domains.push_back(bufferBank(b, chip.rail_voltages_v));
  return chip;
}

Workload syntheticWorkload(const ChipModel &chip, int layers, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&rng](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  Workload workload;
  workload.name = "synthetic-" + std::to_string(layers) + "-" + std::to_string(seed);
  const size_t domains = chip.domains.size();
  for (int i = 0; i < layers; ++i) {
    LayerWork layer;
    layer.name = "layer" + std::to_string(i);
    layer.compute_cycles = int64_t(std::pow(10.0, uniform(3.0, 6.0)));
    layer.clock_cycles = layer.compute_cycles + 40;  // + fetch and handshakes
    const double memory_ratio = uniform(0.05, 2.0);  // < 1 compute-bound, > 1 memory-bound
    const int64_t load_bytes = int64_t(double(layer.compute_cycles) * memory_ratio) / 8 * 8;
    layer.transfers = {{load_bytes / 8, load_bytes}, {load_bytes / 32, load_bytes / 4}};
    layer.mac_sparsity = uniform(0.0, 0.8);
    layer.uses.assign(domains, false);
    layer.keeps_data.assign(domains, false);
    layer.read_words.assign(domains, 0);
    layer.write_words.assign(domains, 0);
    for (size_t d = 0; d < domains; ++d) {
      const DomainClass domain_class = chip.domains[d].domain_class;
      if (domain_class == DomainClass::AlwaysOn) continue;
      layer.uses[d] = uniform(0.0, 1.0) < 0.6;
      if (domain_class == DomainClass::Buffer) {
        layer.keeps_data[d] = !layer.uses[d] && uniform(0.0, 1.0) < 0.3;
        if (layer.uses[d]) {
          layer.read_words[d] = int64_t(double(layer.compute_cycles) * uniform(0.05, 0.5));
          layer.write_words[d] = layer.read_words[d] / 8;
        }
      }
    }
    workload.layers.push_back(layer);
  }
  return workload;
}

}  // namespace pf::sched
