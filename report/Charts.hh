// The report's charts other than the timeline, each one SVG from typed stage files.
// Pure: no I/O. Rows per layer (a long network makes a tall chart, never crowded labels).
#pragma once

#include <string>

#include "characterize/Characterization.hh"
#include "sched/io/ScheduleFile.hh"

namespace pf::report {

// Per layer (and idle) two stacked bars: by domain, and by dynamic / leakage / transition.
std::string energyPerLayerSvg(const ScheduleFile &schedule);

// The optimum and every baseline; infeasible ones apart, hatched, never ranked as cheaper.
std::string baselinesSvg(const ScheduleFile &schedule);

// The energy-versus-deadline curve with the schedule's own point marked.
std::string paretoSvg(const ScheduleFile &schedule);

// fmax, leakage and energy per operation against voltage, a line per domain (domains with
// equal numbers share a line).
std::string characterizationSvg(const Characterization &table);

// The fill of design domain `d` of `domains` (by kind: always-on grey, PE groups orange,
// activation banks blue, weight banks green, others violet).
std::string domainColor(const std::vector<std::string> &domains, size_t d);

}  // namespace pf::report
