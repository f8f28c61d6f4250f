// ScheduleTiming <-> JSON; the reader refuses what the writer would not write.
#include "sched/io/ScheduleTiming.hh"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "core/Files.hh"
#include "core/JsonNode.hh"

namespace pf {

namespace {

// The reader's numbers for the field reader's problems; the others are core's.
void timingMessage(const JsonProblem &problem) {
  if (problem.kind == JsonProblem::Kind::Format)
    problem.raise(7304, "expected \"{}\", found {} (this is not a {} file)");
  if (problem.kind == JsonProblem::Kind::Missing) problem.raise(7305, "required field is missing");
}

// 0.001 ms: finer than any clock this is measured with matters for.
double roundedMs(double ms) { return std::round(ms * 1000.0) / 1000.0; }

double msFrom(const JsonNode &node) {
  const double ms = node.number();
  if (!(ms >= 0.0)) node.fail(7306, fmt::format("{} ms: a time is not negative", ms));
  return ms;
}

}  // namespace

Json scheduleTimingToJson(const ScheduleTiming &timing) {
  Json json = Json::object();
  json.set("format", kScheduleTimingFormat);
  json.set("version", kScheduleTimingVersion);
  json.set("generated_by", timing.generated_by);
  json.set("schedule", timing.schedule);
  json.set("solver", timing.solver);
  json.set("read_ms", roundedMs(timing.read_ms));
  json.set("solve_ms", roundedMs(timing.solve_ms));
  json.set("lower_bound_ms", roundedMs(timing.lower_bound_ms));
  json.set("baselines_ms", roundedMs(timing.baselines_ms));
  Json baselines = Json::array();
  for (const auto &[name, ms] : timing.baseline_ms) {
    Json baseline = Json::object();
    baseline.set("name", name);
    baseline.set("ms", roundedMs(ms));
    baselines.push(std::move(baseline));
  }
  json.set("baseline_ms", std::move(baselines));
  json.set("curve_points", timing.curve_points);
  json.set("curve_ms", roundedMs(timing.curve_ms));
  json.set("total_ms", roundedMs(timing.total_ms));
  return json;
}

ScheduleTiming scheduleTimingFromJson(const Json &json, const std::string &file) {
  const JsonNode root(json, file, timingMessage);
  root.checkFormat(kScheduleTimingFormat, {kScheduleTimingVersion});
  const JsonObject top = root.object({"format", "version", "generated_by", "schedule", "solver",
                                      "read_ms", "solve_ms", "lower_bound_ms", "baselines_ms",
                                      "baseline_ms", "curve_points", "curve_ms", "total_ms"});
  ScheduleTiming timing;
  timing.generated_by = top["generated_by"].string();
  timing.schedule = top["schedule"].string();
  timing.solver = top["solver"].string();
  timing.read_ms = msFrom(top["read_ms"]);
  timing.solve_ms = msFrom(top["solve_ms"]);
  timing.lower_bound_ms = msFrom(top["lower_bound_ms"]);
  timing.baselines_ms = msFrom(top["baselines_ms"]);
  for (const JsonNode &node : top["baseline_ms"].items()) {
    const JsonObject baseline = node.object({"name", "ms"});
    timing.baseline_ms.emplace_back(baseline["name"].string(), msFrom(baseline["ms"]));
  }
  timing.curve_points = int(top["curve_points"].integer(0, 1'000'000));
  timing.curve_ms = msFrom(top["curve_ms"]);
  timing.total_ms = msFrom(top["total_ms"]);
  return timing;
}

ScheduleTiming scheduleTimingFromText(const std::string &text, const std::string &file) {
  return scheduleTimingFromJson(parseJson(text, file), file);
}

ScheduleTiming readScheduleTimingFile(const std::string &path) {
  return scheduleTimingFromText(readTextFile(path), path);
}

// Printed from the values the file holds, so the terminal and the file agree exactly.
std::string scheduleTimingText(const ScheduleTiming &timing) {
  std::string per_baseline;
  for (const auto &[name, ms] : timing.baseline_ms)
    per_baseline +=
        fmt::format("{}{} {:.1f} ms", per_baseline.empty() ? "" : ", ", name, roundedMs(ms));
  return fmt::format(
      "time: read {:.1f} ms, solve {:.1f} ms ({}), lower bound {:.1f} ms, baselines {:.1f} ms, "
      "energy-vs-deadline curve {:.1f} ms ({} points), total {:.1f} ms\n"
      "time per baseline: {}\n",
      roundedMs(timing.read_ms), roundedMs(timing.solve_ms), timing.solver,
      roundedMs(timing.lower_bound_ms), roundedMs(timing.baselines_ms), roundedMs(timing.curve_ms),
      timing.curve_points, roundedMs(timing.total_ms), per_baseline);
}

std::string scheduleTimingPath(const std::string &schedule_path) {
  return std::filesystem::path(schedule_path).replace_extension(".timing.json").string();
}

}  // namespace pf
