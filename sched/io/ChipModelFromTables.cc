#include "sched/io/ChipModelFromTables.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pf {

namespace {

// Corner voltages are written with a few decimals; rails match within 1 mV.
constexpr double kVoltageMatchV = 1e-3;

class TableAccess {
 public:
  TableAccess(const std::string &file, std::vector<int> corner_of_rail)
      : file_(file), corner_of_rail_(std::move(corner_of_rail)) {}

  [[noreturn]] void fail(int id, const std::string &field, const std::string &message) const {
    throw Error(id, {file_, 0, 0}, field, message);
  }

  // The per-corner vector `values` resampled at the rails.
  std::vector<double> atRails(const std::vector<double> &values, const std::string &field) const {
    std::vector<double> result;
    for (int corner : corner_of_rail_) {
      if (size_t(corner) >= values.size()) fail(7102, field, "has no value for every corner");
      result.push_back(values[corner]);
    }
    return result;
  }

  std::vector<std::vector<double>> matrixAtRails(const std::vector<std::vector<double>> &values,
                                                 const std::string &field) const {
    std::vector<std::vector<double>> result;
    for (int corner : corner_of_rail_) {
      if (size_t(corner) >= values.size()) fail(7107, field, "has no row for every corner");
      result.push_back(atRails(values[corner], field));
    }
    return result;
  }

  std::vector<double> operation(const DomainCharacterization &domain, const std::string &op_class,
                                double sparsity = 0) const {
    const OperationEnergy *found = domain.findOperation(op_class, sparsity);
    if (!found)
      fail(7103, "domains." + domain.name + ".operations",
           fmt::format("no '{}' energy; re-run powerflow characterize with this design", op_class));
    return atRails(found->energy_pj, "domains." + domain.name + ".operations." + op_class);
  }

 private:
  const std::string &file_;
  std::vector<int> corner_of_rail_;
};

std::vector<int> cornersOfRails(const DesignSpec &design, const Characterization &table,
                                const std::string &file) {
  std::vector<int> corners;
  for (size_t r = 0; r < design.rail_voltages_v.size(); ++r) {
    const double rail_v = design.rail_voltages_v[r];
    int found = -1;
    for (size_t c = 0; c < table.corners.size(); ++c)
      if (std::abs(table.corners[c].voltage_v - rail_v) < kVoltageMatchV) found = int(c);
    if (found < 0) {
      std::string characterized;
      for (const CornerInfo &corner : table.corners)
        characterized += fmt::format("{}{} V", characterized.empty() ? "" : ", ", corner.voltage_v);
      throw Error(7101, {design.source_file, 0, 0}, fmt::format("rails.voltages_v[{}]", r),
                  fmt::format("rail {} V has no characterization in {} (characterized: {})", rail_v,
                              file, characterized));
    }
    corners.push_back(found);
  }
  return corners;
}

sched::DomainClass domainClass(DomainKind kind) {
  switch (kind) {
    case DomainKind::AlwaysOn:
      return sched::DomainClass::AlwaysOn;
    case DomainKind::PeGroup:
      return sched::DomainClass::PeGroup;
    case DomainKind::SramBank:
      return sched::DomainClass::Buffer;
  }
  return sched::DomainClass::AlwaysOn;
}

void fillTransitions(const TableAccess &access, const DomainCharacterization &source,
                     sched::DomainPhysics &domain) {
  const std::string field = "domains." + source.name;
  const size_t rails = domain.fmax_mhz.size();
  if (domain.domain_class == sched::DomainClass::AlwaysOn) {
    // Never switched: zero costs keep the builder's tables uniform.
    domain.gated_leakage_nw = domain.leakage_nw;
    domain.wake_up_time_ns.assign(rails, 0.0);
    domain.wake_up_energy_pj.assign(rails, 0.0);
    domain.rail_change_time_ns.assign(rails, std::vector<double>(rails, 0.0));
    domain.rail_change_energy_pj.assign(rails, std::vector<double>(rails, 0.0));
    return;
  }
  domain.gated_leakage_nw = access.atRails(source.gated_leakage_nw, field + ".gated_leakage_nw");
  domain.wake_up_time_ns = access.atRails(source.wake_up_time_ns, field + ".wake_up_time_ns");
  domain.wake_up_energy_pj = access.atRails(source.wake_up_energy_pj, field + ".wake_up_energy_pj");
  domain.rail_change_time_ns =
      access.matrixAtRails(source.rail_change_time_ns, field + ".rail_change_time_ns");
  domain.rail_change_energy_pj =
      access.matrixAtRails(source.rail_change_energy_pj, field + ".rail_change_energy_pj");
}

void fillEnergies(const TableAccess &access, const DomainCharacterization &source,
                  sched::DomainPhysics &domain) {
  switch (domain.domain_class) {
    case sched::DomainClass::AlwaysOn:
      domain.active_cycle_pj = access.operation(source, "active_cycle");
      domain.idle_cycle_pj = access.operation(source, "idle_clocked_cycle");
      return;
    case sched::DomainClass::PeGroup:
      for (const OperationEnergy &operation : source.operations)
        if (operation.op_class == "mac_cycle")
          domain.mac_cycle.push_back(
              {operation.sparsity, access.operation(source, "mac_cycle", operation.sparsity)});
      if (domain.mac_cycle.empty()) access.operation(source, "mac_cycle");  // throws the message
      std::sort(domain.mac_cycle.begin(), domain.mac_cycle.end(),
                [](const auto &a, const auto &b) { return a.sparsity < b.sparsity; });
      domain.clock_gated_cycle_pj = access.operation(source, "clock_gated_cycle");
      return;
    case sched::DomainClass::Buffer:
      domain.read_pj = access.operation(source, "read");
      domain.write_pj = access.operation(source, "write");
      domain.idle_cycle_pj = access.operation(source, "idle_clocked_cycle");
      domain.can_retain = source.retention_leakage_nw > 0;
      domain.retention_leakage_nw = source.retention_leakage_nw;
      return;
  }
}

sched::DomainPhysics domainPhysics(const TableAccess &access, const DomainSpec &spec,
                                   const DomainCharacterization &source) {
  sched::DomainPhysics domain;
  domain.name = spec.name;
  domain.domain_class = domainClass(spec.kind);
  domain.fmax_mhz = access.atRails(source.fmax_mhz, "domains." + spec.name + ".fmax_mhz");
  domain.leakage_nw = access.atRails(source.leakage_nw, "domains." + spec.name + ".leakage_nw");
  fillTransitions(access, source, domain);
  fillEnergies(access, source, domain);
  return domain;
}

// The power sequencer lives in the always-on domain and is clocked with it: its leakage
// and its energy per cycle add to the domain's in every state (and in the idle sleep, at
// the period timer's clock, like the rest of the domain).
void addSequencer(const TableAccess &access, const Characterization &table,
                  sched::ChipModel &chip) {
  if (!table.sequencer.present)
    access.fail(7106, "sequencer",
                "the characterization has no power sequencer entry (written before the "
                "sequencer was characterized); re-run powerflow characterize");
  const std::vector<double> leakage_nw =
      access.atRails(table.sequencer.leakage_nw, "sequencer.leakage_nw");
  const std::vector<double> cycle_pj =
      access.atRails(table.sequencer.energy_per_cycle_pj, "sequencer.energy_per_cycle_pj");
  for (sched::DomainPhysics &domain : chip.domains) {
    if (domain.domain_class != sched::DomainClass::AlwaysOn) continue;
    for (size_t r = 0; r < leakage_nw.size(); ++r) {
      domain.leakage_nw[r] += leakage_nw[r];
      domain.gated_leakage_nw[r] += leakage_nw[r];
      domain.active_cycle_pj[r] += cycle_pj[r];
      domain.idle_cycle_pj[r] += cycle_pj[r];
    }
    return;  // one sequencer, in the first always-on domain
  }
}

// The design's [transitions] (docs/transitions.md) in the scheduler's units.
sched::TransitionPhysics transitionPhysics(const TransitionSpec &spec) {
  sched::TransitionPhysics physics;
  if (spec.rail_change == RailChangeModel::Regulator) {
    physics.rail_change = sched::RailChange::Regulator;
    physics.regulator.ramp_v_per_us = spec.regulator_ramp_v_per_us;
    physics.regulator.settle_ns = spec.regulator_settle_us * 1000.0;
    physics.regulator.capacitance_pf = spec.regulator_capacitance_uf * 1e6;
    physics.regulator.efficiency_ratio = spec.regulator_efficiency_ratio;
  }
  physics.pll = spec.clock_change == ClockChangeModel::Pll;
  return physics;
}

void requireSystemTables(const DesignSpec &design) {
  if (!design.clock.given)
    throw Error(7104, {design.source_file, 0, 0}, "clock",
                "the design has no [clock] table (base_mhz, dividers, switch_time_ns); the "
                "schedule needs it "
                "(docs/formats.md, design description)");
  if (!design.memory.given)
    throw Error(7108, {design.source_file, 0, 0}, "memory",
                "the design has no [memory] table (bandwidth_mb_per_s); the schedule needs it");
}

}  // namespace

sched::ChipModel chipModelFromTables(const DesignSpec &design, const Characterization &table,
                                     const std::string &characterization_file) {
  requireSystemTables(design);
  const TableAccess access(characterization_file,
                           cornersOfRails(design, table, characterization_file));
  sched::ChipModel chip;
  chip.rail_voltages_v = design.rail_voltages_v;
  chip.always_on_rail = design.always_on_rail;
  chip.clock.base_mhz = design.clock.base_mhz;
  for (int64_t divider : design.clock.dividers) chip.clock.dividers.push_back(int(divider));
  chip.clock.switch_time_ns = design.clock.switch_time_ns;
  chip.clock.sleep_timer_mhz = design.clock.sleep_timer_khz / 1e3;
  chip.ext_bandwidth_bytes_per_ns = design.memory.bandwidth_mb_per_s * 1e6 / 1e9;
  chip.transitions = transitionPhysics(design.transitions);
  if (chip.transitions.pll) chip.clock.switch_time_ns = design.transitions.pll_relock_us * 1000.0;
  for (const DomainSpec &spec : design.domains) {
    const DomainCharacterization *source = table.findDomain(spec.name);
    if (!source)
      access.fail(
          7105, "domains",
          fmt::format(
              "domain '{}' of design {} is not characterized; re-run powerflow characterize",
              spec.name, design.source_file));
    chip.domains.push_back(domainPhysics(access, spec, *source));
  }
  addSequencer(access, table, chip);
  return chip;
}

}  // namespace pf
