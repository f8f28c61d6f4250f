// The fastest clock against every domain's fmax on its rail (ClockLimit.hh).
#include "characterize/ClockLimit.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/Toml.hh"

namespace pf {

namespace {

constexpr double kVoltageMatchV = 1e-3;  // rails match corners as the schedule stage does

int cornerAt(const Characterization &table, double voltage_v) {
  for (size_t c = 0; c < table.corners.size(); ++c)
    if (std::abs(table.corners[c].voltage_v - voltage_v) < kVoltageMatchV) return int(c);
  return -1;
}

// The line of clock.base_mhz; the [clock] table's if the file cannot be read again.
SourceLoc baseClockLocation(const DesignSpec &design) {
  try {
    const toml::table file = parseTomlFile(design.source_file);
    return TomlReader(file, design.source_file).requireTable("clock").locationOf("base_mhz");
  } catch (const Error &) {
    return design.clock.loc.file.empty() ? SourceLoc{design.source_file} : design.clock.loc;
  }
}

// What would let `limit` take the clock by raising its rail: the lowest characterized
// voltage whose fmax does, said as a change to the design's rails; nullopt if none does.
std::optional<std::string> raiseAdvice(const DesignSpec &design, const Characterization &table,
                                       const ClockLimit &limit, double clock_mhz) {
  const DomainCharacterization &domain = *table.findDomain(limit.domain);
  auto fmaxAt = [&](int corner) {
    return corner >= 0 && size_t(corner) < domain.fmax_mhz.size() ? domain.fmax_mhz[size_t(corner)]
                                                                  : 0.0;
  };
  if (limit.kind == DomainKind::AlwaysOn)
    for (double rail_v : design.rail_voltages_v)
      if (rail_v > limit.rail_v && fmaxAt(cornerAt(table, rail_v)) >= clock_mhz)
        return fmt::format("raise rails.always_on_v to {:.2f} V ({}'s fmax there: {:.1f} MHz)",
                           rail_v, limit.domain, fmaxAt(cornerAt(table, rail_v)));
  for (size_t c = 0; c < table.corners.size(); ++c) {
    const double corner_v = table.corners[c].voltage_v;
    if (corner_v <= limit.rail_v + kVoltageMatchV || fmaxAt(int(c)) < clock_mhz) continue;
    return limit.kind == DomainKind::AlwaysOn
               ? fmt::format(
                     "add a rail at {:.2f} V to rails.voltages_v and set "
                     "rails.always_on_v to it ({}'s fmax there: {:.1f} MHz)",
                     corner_v, limit.domain, fmaxAt(int(c)))
               : fmt::format(
                     "raise the top rail of rails.voltages_v to {:.2f} V ({}'s fmax "
                     "there: {:.1f} MHz)",
                     corner_v, limit.domain, fmaxAt(int(c)));
  }
  return std::nullopt;
}

// "547.8 MHz at 1.10 V": the domain's fastest characterized corner.
std::string fastestCorner(const Characterization &table, const std::string &name) {
  const DomainCharacterization &domain = *table.findDomain(name);
  size_t fastest = 0;
  for (size_t c = 1; c < domain.fmax_mhz.size() && c < table.corners.size(); ++c)
    if (domain.fmax_mhz[c] > domain.fmax_mhz[fastest]) fastest = c;
  if (domain.fmax_mhz.empty() || table.corners.empty()) return "no fmax";
  return fmt::format("{:.1f} MHz at {:.2f} V", domain.fmax_mhz[fastest],
                     table.corners[fastest].voltage_v);
}

}  // namespace

ClockCheck checkClockAgainstFmax(const DesignSpec &design, const Characterization &table) {
  ClockCheck check;
  if (!design.clock.given || design.clock.dividers.empty() || design.rail_voltages_v.empty() ||
      design.always_on_rail < 0 || size_t(design.always_on_rail) >= design.rail_voltages_v.size())
    return check;
  check.divider = *std::min_element(design.clock.dividers.begin(), design.clock.dividers.end());
  check.clock_mhz = design.clock.base_mhz / double(check.divider);
  const double top_v = design.rail_voltages_v.back();
  const double always_on_v = design.rail_voltages_v[size_t(design.always_on_rail)];
  for (const DomainCharacterization &domain : table.domains) {
    const bool always_on = domain.kind == DomainKind::AlwaysOn;
    const double rail_v = always_on ? always_on_v : top_v;
    const int corner = cornerAt(table, rail_v);
    if (corner < 0 || size_t(corner) >= domain.fmax_mhz.size()) continue;
    const double fmax_mhz = domain.fmax_mhz[size_t(corner)];
    if (check.clock_mhz > fmax_mhz)  // the scheduler's test (sched/InstanceBuilder.cc)
      check.limits.push_back({domain.name, domain.kind, rail_v,
                              always_on ? "rails.always_on_v" : "rails.voltages_v", fmax_mhz});
  }
  std::stable_sort(
      check.limits.begin(), check.limits.end(),
      [](const ClockLimit &a, const ClockLimit &b) { return a.fmax_mhz < b.fmax_mhz; });
  return check;
}

std::optional<CharacterizationWarning> clockLimitWarning(const DesignSpec &design,
                                                         const Characterization &table) {
  const ClockCheck check = checkClockAgainstFmax(design, table);
  if (check.limits.empty()) return std::nullopt;
  const ClockLimit &limit = check.limits.front();
  const bool always_on = limit.kind == DomainKind::AlwaysOn;
  std::string text = fmt::format(
      "the fastest clock, {:.1f} MHz (base_mhz {} / divider {}), is above the fmax of {} '{}' "
      "on its rail ({} {:.2f} V): {:.1f} MHz. ",
      check.clock_mhz, design.clock.base_mhz, check.divider,
      always_on ? "the always-on domain" : fmt::format("the {} domain", domainKindName(limit.kind)),
      limit.domain, always_on ? "rails.always_on_v =" : "top rail of rails.voltages_v,",
      limit.rail_v, limit.fmax_mhz);
  text += always_on
              ? "No layer can run at the aggressive operating point (the top rails at the fastest "
                "divider), so the schedule's baselines that run there are unavailable (\"no "
                "option at the aggressive operating point\")"
              : fmt::format(
                    "Layers that use '{}' cannot run at the aggressive operating point "
                    "(the top rails at the fastest divider), so the schedule's baselines "
                    "that run there are unavailable (\"no option at the aggressive "
                    "operating point\")",
                    limit.domain);
  const auto usable = std::find_if(
      design.clock.dividers.begin(), design.clock.dividers.end(),
      [&](int64_t divider) { return design.clock.base_mhz / double(divider) <= limit.fmax_mhz; });
  text += usable == design.clock.dividers.end()
              ? fmt::format(", and no divider in clock.dividers brings the clock under {:.1f} MHz",
                            limit.fmax_mhz)
              : fmt::format(", and the fastest divider it takes is {} ({:.1f} MHz)", *usable,
                            design.clock.base_mhz / double(*usable));
  const double fits_mhz = std::floor(limit.fmax_mhz * double(check.divider) * 10.0) / 10.0;
  const std::optional<std::string> raise = raiseAdvice(design, table, limit, check.clock_mhz);
  text += raise ? fmt::format(". To change it: lower clock.base_mhz to {:.1f} MHz or less, or {}",
                              fits_mhz, *raise)
                : fmt::format(
                      ". To change it: lower clock.base_mhz to {:.1f} MHz or less (no "
                      "characterized corner is fast enough to raise {}'s rail to: its "
                      "fastest is {})",
                      fits_mhz, limit.domain, fastestCorner(table, limit.domain));
  if (check.limits.size() > 1) {
    text += ". The clock is also above the fmax of";
    for (size_t i = 1; i < check.limits.size(); ++i)
      text += fmt::format("{} '{}' ({:.1f} MHz at {:.2f} V)", i == 1 ? "" : ",",
                          check.limits[i].domain, check.limits[i].fmax_mhz, check.limits[i].rail_v);
  }
  return characterizationWarning(5055, baseClockLocation(design), "clock.base_mhz", text);
}

}  // namespace pf
