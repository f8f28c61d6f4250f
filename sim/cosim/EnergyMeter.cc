#include "sim/cosim/EnergyMeter.hh"

namespace pf::sim {

namespace {
constexpr double kPjPerNwNs = 1e-6;  // nW x ns
}

EnergyMeter::EnergyMeter(const sched::ChipModel &chip, DomainUnits units)
    : chip_(chip), units_(std::move(units)) {
  for (size_t d = 0; d < chip_.domains.size(); ++d)
    states_.push_back(int(d) == units_.always_on
                          ? sched::DomainState{sched::DomainMode::On, chip_.always_on_rail}
                          : sched::DomainState{sched::DomainMode::Off, -1});
  reprice();
}

void EnergyMeter::setStates(const std::vector<sched::DomainState> &states) {
  states_ = states;
  reprice();
}

void EnergyMeter::setSparsity(double sparsity) {
  if (sparsity == sparsity_) return;
  sparsity_ = sparsity;
  reprice();
}

void EnergyMeter::reprice() {
  const size_t count = chip_.domains.size();
  const int top_rail = int(chip_.rail_voltages_v.size()) - 1;
  leakage_pj_per_ns_.assign(count, 0.0);
  read_pj_.assign(count, 0.0);
  write_pj_.assign(count, 0.0);
  bank_idle_pj_.assign(count, 0.0);
  for (size_t d = 0; d < count; ++d) {
    const sched::DomainPhysics &domain = chip_.domains[d];
    leakage_pj_per_ns_[d] = sched::domainLeakageNw(domain, states_[d], top_rail) * kPjPerNwNs;
    if (states_[d].mode != sched::DomainMode::On) continue;
    const int rail = states_[d].rail;
    if (domain.domain_class == sched::DomainClass::Buffer) {
      read_pj_[d] = domain.read_pj[size_t(rail)];
      write_pj_[d] = domain.write_pj[size_t(rail)];
      bank_idle_pj_[d] = domain.idle_cycle_pj[size_t(rail)];
    }
  }
  const sched::DomainPhysics &aon = chip_.domains[size_t(units_.always_on)];
  aon_active_pj_ = aon.active_cycle_pj[size_t(chip_.always_on_rail)];
  aon_idle_pj_ = aon.idle_cycle_pj[size_t(chip_.always_on_rail)];
  mac_pj_.assign(units_.pe_groups.size(), 0.0);
  gated_pj_.assign(units_.pe_groups.size(), 0.0);
  for (size_t g = 0; g < units_.pe_groups.size(); ++g) {
    const size_t d = size_t(units_.pe_groups[g]);
    if (states_[d].mode != sched::DomainMode::On) continue;
    mac_pj_[g] = sched::macCycleEnergyPj(chip_.domains[d], states_[d].rail, sparsity_);
    gated_pj_[g] = chip_.domains[d].clock_gated_cycle_pj[size_t(states_[d].rail)];
  }
  // The scheduler's idle model with the clock stopped.
  const sched::PowerState stopped{"", states_, 0, -1, false};
  stopped_dynamic_pj_per_ns_.clear();
  for (const sched::DomainEnergy &energy : sched::idlePowerPjPerNs(chip_, stopped))
    stopped_dynamic_pj_per_ns_.push_back(energy.dynamic_pj);
}

void EnergyMeter::cycle(const PfCosimOut &out, double period_ns,
                        std::vector<EnergySplit> &bucket) const {
  for (size_t d = 0; d < bucket.size(); ++d)
    bucket[d].leakage_pj += leakage_pj_per_ns_[d] * period_ns;
  bucket[size_t(units_.always_on)].dynamic_pj += out.busy ? aon_active_pj_ : aon_idle_pj_;
  for (size_t g = 0; g < units_.pe_groups.size(); ++g)
    bucket[size_t(units_.pe_groups[g])].dynamic_pj +=
        (out.pe_active >> g & 1u) ? mac_pj_[g] : gated_pj_[g];
  auto banks = [&](const std::vector<int> &domains, uint32_t active, bool we) {
    for (size_t b = 0; b < domains.size(); ++b) {
      const size_t d = size_t(domains[b]);
      bucket[d].dynamic_pj += !(active >> b & 1u) ? bank_idle_pj_[d]
                              : we                ? write_pj_[d]
                                                  : read_pj_[d];
    }
  };
  banks(units_.act_banks, out.act_bank_active, out.act_we != 0);
  banks(units_.w_banks, out.w_bank_active, out.w_we != 0);
}

void EnergyMeter::stopped(double ns, std::vector<EnergySplit> &bucket) const {
  for (size_t d = 0; d < bucket.size(); ++d) {
    bucket[d].leakage_pj += leakage_pj_per_ns_[d] * ns;
    bucket[d].dynamic_pj += stopped_dynamic_pj_per_ns_[d] * ns;
  }
}

}  // namespace pf::sim
