// How long `powerflow schedule` took, step by step ("powerflow-schedule-timing", version 1;
// docs/formats.md): written beside the schedule as SCHEDULE.timing.json.
//
// Wall times are measurements of one run, not results: they differ from run to run, so
// they live in this file of their own and on the terminal, and the schedule file and its
// summary stay byte-identical for the same inputs (gen and sim check the schedule's hash).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/Json.hh"

namespace pf {

inline constexpr const char *kScheduleTimingFormat = "powerflow-schedule-timing";
inline constexpr int kScheduleTimingVersion = 1;

struct ScheduleTiming {
  std::string generated_by;
  std::string schedule;  // the schedule file these times are of, as written
  std::string solver;    // the solver's name (exact, discretized, ilp)
  double read_ms = 0.0;  // reading the inputs and building the instance
  double solve_ms = 0.0;
  double lower_bound_ms = 0.0;
  double baselines_ms = 0.0;
  std::vector<std::pair<std::string, double>> baseline_ms;  // label -> ms, schedule's order
  int curve_points = 0;
  double curve_ms = 0.0;
  double total_ms = 0.0;  // from the start of the command to the files' write

  bool operator==(const ScheduleTiming &other) const = default;
};

// Milliseconds are written with 0.001 ms resolution.
Json scheduleTimingToJson(const ScheduleTiming &timing);

// Throws pf::Error naming `file`, the line and the field: PF-7304 another format, PF-7305
// a missing field, PF-7306 a negative time; the field reader's numbers (core/JsonNode.hh)
// for another version, a mistyped or unknown field, a point count out of range (and
// PF-1001/PF-1008/PF-1403 for an unreadable file or JSON syntax).
ScheduleTiming scheduleTimingFromJson(const Json &json, const std::string &file);
ScheduleTiming scheduleTimingFromText(const std::string &text, const std::string &file);
ScheduleTiming readScheduleTimingFile(const std::string &path);

// The terminal's lines, e.g.
//   time: read 512.3 ms, solve 28.2 ms (exact), lower bound 9.1 ms, baselines 302.9 ms,
//   energy-vs-deadline curve 260.8 ms (12 points), total 1121.0 ms
//   time per baseline: aggressive 0.0 ms, race-to-idle 0.0 ms, ...
std::string scheduleTimingText(const ScheduleTiming &timing);

// SCHEDULE.json -> SCHEDULE.timing.json (any extension of `schedule_path` is replaced).
std::string scheduleTimingPath(const std::string &schedule_path);

}  // namespace pf
