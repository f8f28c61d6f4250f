// Energy of a co-simulated run, integrated cycle by cycle from what the RTL does, priced
// with the scheduler's own tables and functions (sched/InstanceBuilder.hh: the chip
// model from the characterization, macCycleEnergyPj, domainLeakageNw, idlePowerPjPerNs),
// so a difference between measured and predicted energy is a difference in activity or
// time, never in pricing.
//
// Per cycle of length T at the domains' current states:
//   always-on   active-cycle energy while the datapath is busy, else idle-cycle energy;
//   PE group    a MAC cycle (at the real operands' sparsity) while its clock enable
//               (pe_active) is high, else a clock-gated cycle; nothing while not on;
//   buffer bank a read or a write while accessed (bank enable, buffer write enable),
//               else an idle cycle; nothing while not on;
//   every domain: its leakage in its state times T.
// While the clock is stopped: the always-on domain's period timer (idle-cycle energy at
// the sleep clock) and every domain's leakage, as the scheduler's idle model. Transition
// events (wake-up, rail change, retention exit) are added as they happen.
#pragma once

#include <cstdint>
#include <vector>

#include "sched/InstanceBuilder.hh"
#include "sim/cosim/model/pf_cosim_abi.h"

namespace pf::sim {

// Where each unit of pf_accel sits among the design's domains.
struct DomainUnits {
  int always_on = 0;
  std::vector<int> pe_groups;  // design domain of PE column group g
  std::vector<int> act_banks;
  std::vector<int> w_banks;
};

using EnergySplit = sched::DomainEnergySplit;  // dynamic, leakage, transition (pJ)

class EnergyMeter {
 public:
  EnergyMeter(const sched::ChipModel &chip, DomainUnits units);

  // The domains' states changed (design domain order, the always-on domain included).
  void setStates(const std::vector<sched::DomainState> &states);
  // The operand sparsity of the layer now computing.
  void setSparsity(double sparsity);
  // One running clock cycle of `period_ns`; adds to `bucket` (one entry per design domain).
  void cycle(const PfCosimOut &out, double period_ns, std::vector<EnergySplit> &bucket) const;
  // `ns` with the clock stopped.
  void stopped(double ns, std::vector<EnergySplit> &bucket) const;

 private:
  void reprice();

  const sched::ChipModel &chip_;
  DomainUnits units_;
  std::vector<sched::DomainState> states_;
  double sparsity_ = 0.0;
  // Per design domain, at its current state.
  std::vector<double> leakage_pj_per_ns_;
  std::vector<double> stopped_dynamic_pj_per_ns_;
  double aon_active_pj_ = 0.0, aon_idle_pj_ = 0.0;
  std::vector<double> mac_pj_, gated_pj_;                  // per PE group
  std::vector<double> read_pj_, write_pj_, bank_idle_pj_;  // per design domain
};

}  // namespace pf::sim
