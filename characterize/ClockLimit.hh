// The design's fastest clock against the characterized fmax of every domain, each on the
// rail it runs on at the aggressive operating point (the scheduler's: PE groups and buffer
// banks on the top rail, the always-on domain on its own rail, the fastest divider;
// sched/InstanceBuilder.hh). When a domain cannot take that clock the scheduler offers no
// option there (its baselines say "no option at the aggressive operating point for layer
// N"); this says which domain limits the clock, on which rail, its fmax, and what to change.
//
// Pure: the design and the table in, no tool. Used by characterize (a warning in the table,
// its summary and on the terminal) and usable by any stage that has both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "core/Design.hh"

namespace pf {

// A domain whose fmax on its rail is below the fastest clock.
struct ClockLimit {
  std::string domain;
  DomainKind kind = DomainKind::AlwaysOn;
  double rail_v = 0;       // the rail it runs on at the aggressive operating point
  std::string rail_field;  // "rails.always_on_v" or "rails.voltages_v" (the top rail)
  double fmax_mhz = 0;     // on that rail
};

struct ClockCheck {
  double clock_mhz = 0;            // clock.base_mhz / the fastest divider
  int64_t divider = 0;             // the fastest divider
  std::vector<ClockLimit> limits;  // lowest fmax first; empty if every domain takes the clock
};

// Empty `limits` when the design has no [clock] table or a rail has no characterized corner
// (the schedule stage refuses that one itself). Rails match corners within 1 mV.
ClockCheck checkClockAgainstFmax(const DesignSpec &design, const Characterization &table);

// PF-5055, located at clock.base_mhz in the design file, if a domain limits the clock:
// which one, on which rail, its fmax, what the scheduler loses, and what to change (lower
// base_mhz to a value that fits, or raise the domain's rail to the lowest characterized
// voltage whose fmax takes the clock).
std::optional<CharacterizationWarning> clockLimitWarning(const DesignSpec &design,
                                                         const Characterization &table);

}  // namespace pf
