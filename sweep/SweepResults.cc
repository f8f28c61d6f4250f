#include "sweep/SweepResults.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <tuple>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/JsonNode.hh"
#include "report/ReportInputs.hh"

namespace pf::sweep {

namespace fs = std::filesystem;

const char *pointStatusName(PointStatus status) {
  switch (status) {
    case PointStatus::Scheduled:
      return "scheduled";
    case PointStatus::Infeasible:
      return "infeasible";
    case PointStatus::Missing:
      break;
  }
  return "missing";
}

int SweepResults::count(PointStatus status) const {
  return int(std::count_if(points.begin(), points.end(),
                           [&](const PointResult &p) { return p.status == status; }));
}

int SweepResults::simPassed() const {
  return int(std::count_if(points.begin(), points.end(), [](const PointResult &p) {
    return p.scheduled && p.scheduled->sim && p.scheduled->sim->passed;
  }));
}

int SweepResults::simFailed() const {
  return int(std::count_if(points.begin(), points.end(), [](const PointResult &p) {
    return p.scheduled && p.scheduled->sim && !p.scheduled->sim->passed;
  }));
}

PointPaths pointPaths(const SweepPlan &plan, const PlanPoint &point, const std::string &out_dir) {
  const fs::path out(out_dir);
  const fs::path design_dir = out / "designs" / point.design;
  const fs::path point_dir = out / "points" / point.id;
  PointPaths paths;
  paths.design = (out / plan.design(point.design).design).lexically_normal().string();
  paths.characterization = (design_dir / "characterization.json").string();
  paths.profile = (design_dir / "nets" / point.network / "profile.json").string();
  paths.status = (point_dir / "status").string();
  paths.schedule = (point_dir / "schedule.json").string();
  paths.schedule_err = (point_dir / "schedule.err").string();
  paths.gen_dir = (point_dir / "gen").string();
  if (plan.sim_periods > 0) paths.sim = (point_dir / "sim" / "report.json").string();
  return paths;
}

std::string firstMessageLine(const std::string &text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    const size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos)
      return line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    start = end + 1;
  }
  return "";
}

namespace {

// ---- collecting ------------------------------------------------------------------------

PointStatus readStatus(const PointPaths &paths, const PlanPoint &point) {
  if (!fs::exists(paths.status)) return PointStatus::Missing;
  const std::string word = firstMessageLine(readTextFile(paths.status));
  if (word == "scheduled") return PointStatus::Scheduled;
  if (word == "infeasible") return PointStatus::Infeasible;
  throw Error(11301, {paths.status, 1, 0}, "status",
              fmt::format("point {}: the status '{}' is neither 'scheduled' nor 'infeasible' "
                          "(the workflow writes one of them last; re-run powerflow sweep)",
                          point.id, escapeControlBytes(word)));
}

// Period and deadline are whole ticks in the schedule (the scheduler rounds the deadline
// down), so they match the plan's to within one tick.
void checkSchedulePoint(const ScheduleFile &s, const PlanPoint &point, const PointPaths &paths) {
  const double tolerance_ns = std::max(s.tick_ns, 1e-6);
  const bool same_period = std::abs(s.period_ns - point.period_us * 1e3) < tolerance_ns;
  const bool same_deadline = std::abs(s.deadline_ns - point.deadline_us * 1e3) < tolerance_ns;
  const bool same_rails = point.rails_v.empty() || s.rail_voltages_v == point.rails_v;
  if (same_period && same_deadline && same_rails) return;
  const std::string field = !same_period     ? "period_ns"
                            : !same_deadline ? "deadline_ns"
                                             : "rail_voltages_v";
  throw Error(
      11302, {paths.schedule, 0, 0}, field,
      fmt::format("point {}: the schedule is of period {} us, deadline {} us, rails {} V, "
                  "not the point's (period {} us, deadline {} us, rails {} V): re-run "
                  "powerflow sweep",
                  point.id, s.period_ns / 1e3, s.deadline_ns / 1e3,
                  fmt::join(s.rail_voltages_v, " / "), point.period_us, point.deadline_us,
                  point.rails_v.empty() ? "of the design"
                                        : fmt::format("{}", fmt::join(point.rails_v, " / "))));
}

void checkScheduleDesign(const ScheduleFile &s, const PlanPoint &point, const PointPaths &paths) {
  const std::string hash = sha256Hex(readTextFile(paths.design));
  if (s.input_hashes.design == hash) return;
  throw Error(
      11303, {paths.schedule, 0, 0}, "input_hashes.design",
      fmt::format("point {}: the schedule was made from another design file than {} "
                  "(recorded SHA-256 {}…, the file's {}…): re-run powerflow sweep",
                  point.id, paths.design, s.input_hashes.design.substr(0, 12), hash.substr(0, 12)));
}

// Every domain's area and the sequencer's (SweepResults.hh says what that includes).
double areaUm2(const Characterization &c) {
  double area = c.sequencer.present ? c.sequencer.area_um2 : 0.0;
  for (const DomainCharacterization &domain : c.domains) area += domain.area_um2;
  return area;
}

std::optional<BaselineResult> bestBaseline(const ScheduleFile &s) {
  const ScheduleBaseline *best = nullptr;
  for (const ScheduleBaseline &b : s.baselines)
    if (b.available && b.feasible && (!best || b.energy_pj < best->energy_pj)) best = &b;
  if (!best) return std::nullopt;
  const double saving = best->energy_pj > 0 ? 1.0 - s.totals.total_pj / best->energy_pj : 0.0;
  return BaselineResult{best->name, best->energy_pj / 1e6, saving};
}

SimResult simResult(const SimReportFile &sim) {
  SimResult r;
  r.passed = sim.passed;
  r.periods = sim.periods;
  r.outputs_bit_exact = !sim.by_period.empty();
  r.deadline_met = !sim.by_period.empty();
  for (const SimPeriodReport &period : sim.by_period) {
    r.max_abs_relative_difference =
        std::max(r.max_abs_relative_difference, std::abs(period.relative_difference));
    r.outputs_bit_exact = r.outputs_bit_exact && period.outputs_bit_exact;
    r.deadline_met = r.deadline_met && period.deadline_met;
  }
  r.failures = sim.failures;
  return r;
}

ScheduledResult scheduledResult(const SweepPlan &plan, const PlanPoint &point,
                                const PointPaths &paths) {
  const report::ReportInputs in = report::loadReportInputs(
      {paths.schedule, paths.characterization, paths.profile, paths.gen_dir, paths.sim});
  const ScheduleFile &s = in.schedule;
  checkSchedulePoint(s, point, paths);
  checkScheduleDesign(s, point, paths);
  ScheduledResult r;
  r.rail_voltages_v = s.rail_voltages_v;
  r.energy_uj = s.totals.total_pj / 1e6;
  r.busy_us = s.totals.busy_ns / 1e3;
  r.min_latency_us = s.min_busy_ns / 1e3;
  r.area_um2 = areaUm2(*in.characterization);
  r.best_baseline = bestBaseline(s);
  if (in.sim) {
    if (in.sim->periods != plan.sim_periods)
      throw Error(11304, {paths.sim, 0, 0}, "periods",
                  fmt::format("point {}: {} periods were co-simulated, the plan asks for {}: "
                              "re-run powerflow sweep",
                              point.id, in.sim->periods, plan.sim_periods));
    r.sim = simResult(*in.sim);
  }
  return r;
}

PointResult collectPoint(const SweepPlan &plan, const PlanPoint &point,
                         const std::string &out_dir) {
  const PointPaths paths = pointPaths(plan, point, out_dir);
  PointResult r;
  r.id = point.id;
  r.design = point.design;
  r.parameters = plan.design(point.design).parameters;
  r.network = point.network;
  r.rails_v = point.rails_v;
  r.period_us = point.period_us;
  r.deadline_us = point.deadline_us;
  r.status = readStatus(paths, point);
  if (r.status == PointStatus::Scheduled) r.scheduled = scheduledResult(plan, point, paths);
  if (r.status == PointStatus::Infeasible)
    r.message = escapeControlBytes(firstMessageLine(readTextFile(paths.schedule_err)));
  return r;
}

}  // namespace

SweepResults collectResults(const SweepPlan &plan, const std::string &out_dir) {
  SweepResults results;
  results.name = plan.name;
  results.sim_periods = plan.sim_periods;
  for (const PlanPoint &point : plan.points) {
    try {
      results.points.push_back(collectPoint(plan, point, out_dir));
    } catch (const Error &error) {
      // The stage readers name the file, not the point: say which point it was.
      if (error.message().rfind("point " + point.id + ": ", 0) == 0) throw;
      throw Error(error.id(), error.loc(), error.field(),
                  fmt::format("point {}: {}", point.id, error.message()));
    }
  }
  return results;
}

// ---- the Pareto front -----------------------------------------------------------------

std::vector<size_t> paretoFront(const std::vector<std::pair<double, double>> &points) {
  std::vector<size_t> order(points.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return std::tie(points[a], a) < std::tie(points[b], b); });
  // In (area, energy) order a point is dominated exactly when an earlier point of another
  // value has energy <= its own; equal points share their fate.
  std::vector<size_t> front;
  double best_energy = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < order.size();) {
    size_t end = k;
    while (end < order.size() && points[order[end]] == points[order[k]]) ++end;
    if (points[order[k]].second < best_energy) {
      front.insert(front.end(), order.begin() + long(k), order.begin() + long(end));
      best_energy = points[order[k]].second;
    }
    k = end;
  }
  return front;
}

// ---- results.json ----------------------------------------------------------------------

namespace {

Json simToJson(const SimResult &sim) {
  Json failures = Json::array();
  for (const std::string &f : sim.failures) failures.push(f);
  return Json(Json::Object{{"passed", sim.passed},
                           {"periods", sim.periods},
                           {"max_abs_relative_difference", sim.max_abs_relative_difference},
                           {"outputs_bit_exact", sim.outputs_bit_exact},
                           {"deadline_met", sim.deadline_met},
                           {"failures", failures}});
}

Json scheduledToJson(const ScheduledResult &s) {
  Json baseline = nullptr;
  if (s.best_baseline)
    baseline = Json(Json::Object{{"name", s.best_baseline->name},
                                 {"energy_uj", s.best_baseline->energy_uj},
                                 {"saving", s.best_baseline->saving}});
  return Json(Json::Object{{"rail_voltages_v", Json::numbers(s.rail_voltages_v)},
                           {"energy_uj", s.energy_uj},
                           {"busy_us", s.busy_us},
                           {"min_latency_us", s.min_latency_us},
                           {"area_um2", s.area_um2},
                           {"best_baseline", baseline},
                           {"sim", s.sim ? simToJson(*s.sim) : Json(nullptr)}});
}

Json pointToJson(const PointResult &p) {
  Json parameters = Json::object();
  for (const auto &[name, value] : p.parameters) parameters.set(name, value);
  Json point(Json::Object{{"id", p.id},
                          {"design", p.design},
                          {"parameters", parameters},
                          {"network", p.network},
                          {"rails_v", Json::numbers(p.rails_v)},
                          {"period_us", p.period_us},
                          {"deadline_us", p.deadline_us},
                          {"status", pointStatusName(p.status)}});
  if (p.scheduled) point.set("schedule", scheduledToJson(*p.scheduled));
  if (p.status == PointStatus::Infeasible) point.set("message", p.message);
  return point;
}

void resultsMessage(const JsonProblem &problem) {
  if (problem.kind == JsonProblem::Kind::Format)
    problem.raise(11306, "expected \"{}\", found {} (this is not a {} file)");
}

std::vector<double> positives(const JsonNode &node) {
  std::vector<double> values;
  for (const JsonNode &v : node.items()) values.push_back(v.positive());
  return values;
}

SimResult simFromJson(const JsonNode &node) {
  const JsonObject o = node.object({"passed", "periods", "max_abs_relative_difference",
                                    "outputs_bit_exact", "deadline_met", "failures"});
  SimResult sim;
  sim.passed = o["passed"].boolean();
  sim.periods = int(o["periods"].integer(1, 1000));
  sim.max_abs_relative_difference = o["max_abs_relative_difference"].number(0, 1e300);
  sim.outputs_bit_exact = o["outputs_bit_exact"].boolean();
  sim.deadline_met = o["deadline_met"].boolean();
  for (const JsonNode &f : o["failures"].items()) sim.failures.push_back(f.string());
  return sim;
}

ScheduledResult scheduledFromJson(const JsonNode &node) {
  const JsonObject o = node.object({"rail_voltages_v", "energy_uj", "busy_us", "min_latency_us",
                                    "area_um2", "best_baseline", "sim"});
  ScheduledResult s;
  s.rail_voltages_v = positives(o["rail_voltages_v"]);
  s.energy_uj = o["energy_uj"].number(0, 1e300);
  s.busy_us = o["busy_us"].number(0, 1e300);
  s.min_latency_us = o["min_latency_us"].number(0, 1e300);
  s.area_um2 = o["area_um2"].number(0, 1e300);
  if (const std::optional<JsonNode> b = o.findNonNull("best_baseline")) {
    const JsonObject bo = b->object({"name", "energy_uj", "saving"});
    s.best_baseline = BaselineResult{bo["name"].string(), bo["energy_uj"].number(0, 1e300),
                                     bo["saving"].number()};
  }
  if (const std::optional<JsonNode> sim = o.findNonNull("sim")) s.sim = simFromJson(*sim);
  // Both are required even when null: what is read is what the writer writes.
  (void)o["best_baseline"];
  (void)o["sim"];
  return s;
}

PointResult pointFromJson(const JsonNode &node) {
  const JsonObject o = node.object({"id", "design", "parameters", "network", "rails_v", "period_us",
                                    "deadline_us", "status", "schedule", "message"});
  PointResult p;
  p.id = o["id"].string();
  p.design = o["design"].string();
  for (const auto &[name, value] : o["parameters"].members())
    p.parameters[name] = value.integer(INT64_MIN, INT64_MAX);
  p.network = o["network"].string();
  p.rails_v = positives(o["rails_v"]);
  p.period_us = o["period_us"].positive();
  p.deadline_us = o["deadline_us"].positive();
  p.status = PointStatus(o["status"].oneOf({"scheduled", "infeasible", "missing"}));
  const bool scheduled = p.status == PointStatus::Scheduled;
  const bool infeasible = p.status == PointStatus::Infeasible;
  if (o.has("schedule") != scheduled || o.has("message") != infeasible)
    o.fail(11307, fmt::format("point {} is {}: it has {} schedule and {} message (a scheduled "
                              "point has a schedule, an infeasible one a message, a missing one "
                              "neither)",
                              p.id, pointStatusName(p.status), o.has("schedule") ? "a" : "no",
                              o.has("message") ? "a" : "no"));
  if (scheduled) p.scheduled = scheduledFromJson(o["schedule"]);
  if (infeasible) p.message = o["message"].string();
  return p;
}

}  // namespace

Json resultsToJson(const SweepResults &results) {
  Json root = Json::object();
  root.set("format", kResultsFormat);
  root.set("version", kResultsVersion);
  root.set("name", results.name);
  root.set("sim_periods", results.sim_periods);
  Json points = Json::array();
  for (const PointResult &p : results.points) points.push(pointToJson(p));
  root.set("points", points);
  return root;
}

SweepResults resultsFromText(const std::string &text, const std::string &file) {
  const Json json = parseJson(text, file);
  const JsonNode root(json, file, resultsMessage);
  root.checkFormat(kResultsFormat, {kResultsVersion}, "run `powerflow sweep-results` again");
  const JsonObject top = root.object({"format", "version", "name", "sim_periods", "points"});
  SweepResults results;
  results.name = top["name"].string();
  results.sim_periods = int(top["sim_periods"].integer(0, 1000));
  for (const JsonNode &node : top["points"].items()) results.points.push_back(pointFromJson(node));
  return results;
}

SweepResults readResults(const std::string &path) {
  return resultsFromText(readTextFile(path), path);
}

// ---- CSV -------------------------------------------------------------------------------

namespace {

// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
std::string csvField(const std::string &text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csvRow(const std::vector<std::string> &fields) {
  std::string row;
  for (size_t i = 0; i < fields.size(); ++i) row += (i ? "," : "") + csvField(fields[i]);
  return row + "\n";
}

std::string fixed(double value, int decimals) {
  const std::string text = fmt::format("{:.{}f}", value, decimals);
  return text.find_first_not_of("-0.") == std::string::npos ? text.substr(text[0] == '-') : text;
}

std::string voltages(const std::vector<double> &rails_v) {
  return fmt::format("{}", fmt::join(rails_v, " "));
}

const char *yesNo(bool value) { return value ? "yes" : "no"; }

std::vector<std::string> parameterNames(const SweepResults &results) {
  std::vector<std::string> names;
  for (const PointResult &p : results.points)
    for (const auto &[name, value] : p.parameters)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

void scheduledFields(const ScheduledResult &s, std::vector<std::string> &row) {
  row.insert(row.end(), {fixed(s.energy_uj, 6), fixed(s.busy_us, 3), fixed(s.min_latency_us, 3),
                         fixed(s.area_um2, 1)});
  if (s.best_baseline)
    row.insert(row.end(), {s.best_baseline->name, fixed(s.best_baseline->energy_uj, 6),
                           fixed(s.best_baseline->saving, 6)});
  else
    row.insert(row.end(), {"", "", ""});
  if (s.sim)
    row.insert(row.end(), {yesNo(s.sim->passed), fixed(s.sim->max_abs_relative_difference, 6),
                           yesNo(s.sim->outputs_bit_exact), yesNo(s.sim->deadline_met),
                           fmt::format("{}", fmt::join(s.sim->failures, "; "))});
  else
    row.insert(row.end(), {"", "", "", "", ""});
}

}  // namespace

std::string resultsCsv(const SweepResults &results) {
  const std::vector<std::string> parameters = parameterNames(results);
  std::vector<std::string> header = {"id", "design"};
  for (const std::string &name : parameters) header.push_back("param:" + name);
  header.insert(header.end(),
                {"network", "rails_v", "period_us", "deadline_us", "status", "energy_uj", "busy_us",
                 "min_latency_us", "area_um2", "best_baseline", "best_baseline_energy_uj", "saving",
                 "sim_passed", "sim_max_abs_relative_difference", "sim_outputs_bit_exact",
                 "sim_deadline_met", "sim_failures", "message"});
  std::string csv = csvRow(header);
  for (const PointResult &p : results.points) {
    std::vector<std::string> row = {p.id, p.design};
    for (const std::string &name : parameters) {
      const auto it = p.parameters.find(name);
      row.push_back(it == p.parameters.end() ? "" : std::to_string(it->second));
    }
    // The rails the point ran on: the plan's, or the design's as the schedule read them.
    const std::vector<double> &rails =
        p.rails_v.empty() && p.scheduled ? p.scheduled->rail_voltages_v : p.rails_v;
    row.insert(row.end(), {p.network, voltages(rails), fmt::format("{}", p.period_us),
                           fmt::format("{}", p.deadline_us), pointStatusName(p.status)});
    if (p.scheduled)
      scheduledFields(*p.scheduled, row);
    else
      row.insert(row.end(), 12, "");
    row.push_back(p.message);
    csv += csvRow(row);
  }
  return csv;
}

// ---- stage times -----------------------------------------------------------------------

namespace {

std::vector<std::string> splitTabs(const std::string &line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t tab = line.find('\t'); tab != std::string::npos; tab = line.find('\t', start)) {
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  fields.push_back(line.substr(start));
  if (!fields.empty() && !fields.back().empty() && fields.back().back() == '\r')
    fields.back().pop_back();
  return fields;
}

[[noreturn]] void notABenchmark(const std::string &path, int line) {
  throw Error(11305, {path, line, 0}, "s",
              "not a Snakemake benchmark file (a header line with an 's' column, then a row "
              "per run with its wall seconds there)");
}

// A non-negative number that is the whole field, else nullopt.
std::optional<double> secondsOf(const std::string &field) {
  try {
    size_t used = 0;
    const double value = std::stod(field, &used);
    if (used == field.size() && std::isfinite(value) && value >= 0.0) return value;
  } catch (const std::exception &) {
  }
  return std::nullopt;
}

// The wall seconds of every row of one benchmark file (one row per run of the job).
std::vector<double> benchmarkSeconds(const std::string &path) {
  const std::string text = readTextFile(path);
  std::vector<std::vector<std::string>> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) rows.push_back(splitTabs(text.substr(start, end - start)));
    start = end + 1;
  }
  if (rows.size() < 2) notABenchmark(path, int(rows.size()) + 1);
  const auto column = std::find(rows[0].begin(), rows[0].end(), "s");
  if (column == rows[0].end()) notABenchmark(path, 1);
  const size_t index = size_t(column - rows[0].begin());
  std::vector<double> seconds;
  for (size_t r = 1; r < rows.size(); ++r) {
    const std::optional<double> value =
        index < rows[r].size() ? secondsOf(rows[r][index]) : std::nullopt;
    if (!value) notABenchmark(path, int(r) + 1);
    seconds.push_back(*value);
  }
  return seconds;
}

int ruleRank(const std::string &rule) {
  static const char *const kOrder[] = {"characterize", "profile", "point"};
  for (int i = 0; i < 3; ++i)
    if (rule == kOrder[i]) return i;
  return 3;
}

}  // namespace

StageTimes readStageTimes(const std::string &out_dir) {
  const fs::path root = fs::path(out_dir) / "benchmarks";
  std::map<std::string, StageTime> by_rule;
  if (!fs::is_directory(root)) return {};
  std::vector<fs::path> files;
  for (const fs::directory_entry &entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file() && entry.path().extension() == ".tsv")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // the sums do not depend on the directory's order
  for (const fs::path &file : files) {
    const std::string rule = file.lexically_relative(root).begin()->string();
    if (rule == file.filename().string()) continue;  // not under a rule's folder
    StageTime &time = by_rule[rule];
    time.rule = rule;
    for (double s : benchmarkSeconds(file.string())) {
      ++time.jobs;
      time.total_s += s;
      time.max_s = std::max(time.max_s, s);
    }
  }
  StageTimes times;
  for (const auto &[rule, time] : by_rule) times.push_back(time);
  std::stable_sort(times.begin(), times.end(), [](const StageTime &a, const StageTime &b) {
    return ruleRank(a.rule) < ruleRank(b.rule);
  });
  return times;
}

std::string stageTimesCsv(const StageTimes &times) {
  std::string csv = csvRow({"rule", "jobs", "total_s", "max_s"});
  for (const StageTime &t : times)
    csv += csvRow({t.rule, std::to_string(t.jobs), fixed(t.total_s, 3), fixed(t.max_s, 3)});
  return csv;
}

}  // namespace pf::sweep
