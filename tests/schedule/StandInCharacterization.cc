#include "tests/schedule/StandInCharacterization.hh"

#include <algorithm>
#include <cmath>
#include <string>

namespace pf::test {

namespace {

const std::vector<double> kCornersV = {0.6, 0.7, 0.8, 0.9, 1.0, 1.1};

std::vector<double> scaled(const std::vector<double> &corners_v, double at_nominal,
                           double exponent) {
  std::vector<double> values;
  for (double v : corners_v) values.push_back(at_nominal * std::pow(v / 1.1, exponent));
  return values;
}

DomainCharacterization standInDomain(const DomainSpec &spec, const std::vector<double> &corners_v) {
  DomainCharacterization domain;
  domain.name = spec.name;
  domain.kind = spec.kind;
  domain.fmax_mhz = scaled(corners_v, spec.kind == DomainKind::AlwaysOn ? 260 : 420, 1.8);
  domain.critical_path_ns = scaled(corners_v, 2.4, -1.8);
  domain.leakage_nw = scaled(corners_v, spec.kind == DomainKind::SramBank ? 3700 : 12000, 3.0);
  domain.gated_leakage_nw = scaled(corners_v, 50, 3.0);
  domain.wake_up_time_ns = scaled(corners_v, 60, 1.0);
  domain.wake_up_energy_pj = scaled(corners_v, 45, 2.0);
  for (double from : corners_v) {
    std::vector<double> time, energy;
    for (double to : corners_v) {
      time.push_back(from == to ? 0.0 : 200 + 4000 * std::abs(to - from));
      energy.push_back(40 * to * std::max(0.0, to - from));
    }
    domain.rail_change_time_ns.push_back(time);
    domain.rail_change_energy_pj.push_back(energy);
  }
  switch (spec.kind) {
    case DomainKind::AlwaysOn:
      domain.operations = {{"active_cycle", 0, scaled(corners_v, 9, 2)},
                           {"idle_clocked_cycle", 0, scaled(corners_v, 2, 2)}};
      break;
    case DomainKind::PeGroup:
      domain.operations = {{"mac_cycle", 0, scaled(corners_v, 12, 2)},
                           {"mac_cycle", 0.9, scaled(corners_v, 4, 2)},
                           {"idle_clocked_cycle", 0, scaled(corners_v, 1, 2)},
                           {"clock_gated_cycle", 0, scaled(corners_v, 0.2, 2)}};
      break;
    case DomainKind::SramBank:
      domain.retention_leakage_nw = 400;
      domain.operations = {{"read", 0, scaled(corners_v, 4, 2)},
                           {"write", 0, scaled(corners_v, 5, 2)},
                           {"idle_clocked_cycle", 0, scaled(corners_v, 0.1, 2)}};
      break;
  }
  return domain;
}

}  // namespace

Characterization standInCharacterization(const DesignSpec &design) {
  return standInCharacterization(design, kCornersV);
}

Characterization standInCharacterization(const DesignSpec &design,
                                         const std::vector<double> &corners_v) {
  Characterization table;
  table.generated_by = "stand-in for tests/schedule";
  table.design = design.name;
  for (double v : corners_v) table.corners.push_back({"v" + std::to_string(v), v});
  table.level_shifter_delay_ns.assign(corners_v.size(), 0.3);
  for (const DomainSpec &spec : design.domains)
    table.domains.push_back(standInDomain(spec, corners_v));
  // The power sequencer's cost, of the order characterize/SequencerCost gives on the stub PDK.
  SequencerCharacterization &seq = table.sequencer;
  seq.present = true;
  seq.module = "pf_pwrseq";
  seq.rails = int(design.rail_voltages_v.size());
  seq.domains = int(design.domains.size()) - design.countDomains(DomainKind::AlwaysOn);
  seq.cells = 3600, seq.flip_flops = 570, seq.area_um2 = 6400, seq.data_activity = 0.1;
  seq.leakage_nw = scaled(corners_v, 6100, 3.0);
  seq.clock_energy_pj = scaled(corners_v, 3.1, 2.0);
  seq.energy_per_cycle_pj = scaled(corners_v, 4.6, 2.0);
  return table;
}

}  // namespace pf::test
