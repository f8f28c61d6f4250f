#include "flows/schedule/ScheduleCommand.hh"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>

#include "characterize/Characterization.hh"
#include "characterize/ClockLimit.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Progress.hh"
#include "sched/Baselines.hh"
#include "sched/io/ChipModelFromTables.hh"
#include "sched/io/InstanceJson.hh"
#include "sched/io/ScheduleReport.hh"
#include "sched/io/ScheduleTiming.hh"
#include "sched/io/WorkloadFromProfile.hh"
#include "workload/Profile.hh"

namespace pf {

const char *const kScheduleCommandSummary =
    "energy-minimal power-state schedule of a network (exact solver, ILP oracle, baselines)";
const char *const kScheduleCommandHelp =
    "usage: powerflow schedule --period-us P [--deadline-us D] [--design FILE]\n"
    "                          [--characterization FILE] [--profile FILE] [--out FILE]\n"
    "                          [--solver exact|ilp|discretized|brute] [--tick-ns T]\n"
    "                          [--bucket-ticks N] [--super-block-n N] [--pareto-points N]\n"
    "                          [--dump-instance FILE] [--rails \"V1 V2 ...\"]\n"
    "       powerflow schedule --instance FILE [--out FILE] [--solver ...]\n"
    "\n"
    "Chooses, for every layer of the profiled network, the power state of every domain\n"
    "(rail or off/retention) and the clock divider, and the idle state for the rest of\n"
    "the period, so that the energy per period is minimal and the layers finish within\n"
    "the deadline (docs/schedule.md). Writes the schedule file (JSON, docs/formats.md),\n"
    "a text summary next to it (.txt) with every baseline policy compared against the\n"
    "schedule, the energy-versus-deadline curve and solver statistics.\n"
    "\n"
    "  --period-us P          the network runs once every P microseconds (required)\n"
    "  --deadline-us D        the layers must finish within D us of the period start\n"
    "                         (default: the period)\n"
    "  --design FILE          design description with [clock] and [memory] (default "
    "rtl/design.toml)\n"
    "  --characterization F   from powerflow characterize (default out/characterization.json)\n"
    "  --profile FILE         from powerflow profile (default out/profile.json)\n"
    "  --out FILE             schedule file (default out/schedule.json)\n"
    "  --solver NAME          exact (default; proven optimal), ilp (CBC), discretized\n"
    "                         (time buckets, the published formulation), brute (tiny only)\n"
    "  --tick-ns T            integer time unit; durations round up, limits down (default 10)\n"
    "  --bucket-ticks N       bucket width of the discretized solver (default D / 10,000)\n"
    "  --super-block-n N      super-block baseline: block time > N x switch time (default 4)\n"
    "  --pareto-points N      points of the energy-vs-deadline curve (default 12; 0: none)\n"
    "  --dump-instance FILE   also write the instance (docs/formats.md) for other solvers\n"
    "  --rails \"V1 V2 ...\"    solve on these rail voltages instead of the design's (1..8,\n"
    "                         ascending; each needs a characterized corner)\n"
    "  --instance FILE        solve a dumped instance instead of design + tables + profile\n"
    "\n"
    "Refused, with nothing written: a deadline above the period or below the minimum\n"
    "latency (the message gives the minimum), a rail with no characterization, a domain\n"
    "the characterization does not know.\n";

namespace {

struct Arguments {
  std::string design = "rtl/design.toml";
  std::string characterization = "out/characterization.json";
  std::string profile = "out/profile.json";
  std::string instance;
  std::string out = "out/schedule.json";
  std::string dump_instance;
  std::string rails;  // --rails: replaces the design's rail voltages
  std::optional<double> period_us;
  std::optional<double> deadline_us;
  bool deadline_defaulted = false;  // no --deadline-us: the deadline is the period
  double tick_ns = 10.0;
  sched::SolverKind solver = sched::SolverKind::Exact;
  int64_t bucket_ticks = 0;  // 0: D / 10,000 (at least 1)
  int super_block_n = 4;
  int pareto_points = 12;
  std::string command_line;
};

double parseNumber(const std::string &flag, const std::string &value) {
  try {
    size_t used = 0;
    const double number = std::stod(value, &used);
    if (used == value.size() && std::isfinite(number)) return number;
  } catch (const std::exception &) {
  }
  throw Error(1203, {}, flag, fmt::format("'{}' is not a number", value));
}

int parseCount(const std::string &flag, const std::string &value, int min) {
  const double number = parseNumber(flag, value);
  if (number != std::floor(number) || number < min || number > 1e9)
    throw Error(1203, {}, flag, fmt::format("'{}' is not an integer >= {}", value, min));
  return int(number);
}

sched::SolverKind parseSolver(const std::string &value) {
  for (sched::SolverKind kind : {sched::SolverKind::Exact, sched::SolverKind::Ilp,
                                 sched::SolverKind::Discretized, sched::SolverKind::Brute})
    if (value == sched::solverKindName(kind)) return kind;
  throw Error(1203, {}, "--solver",
              fmt::format("unknown solver '{}' (exact, ilp, discretized, brute)", value));
}

void applyOption(Arguments &parsed, const std::string &flag, const std::string &value) {
  if (flag == "--design")
    parsed.design = value;
  else if (flag == "--characterization")
    parsed.characterization = value;
  else if (flag == "--profile")
    parsed.profile = value;
  else if (flag == "--instance")
    parsed.instance = value;
  else if (flag == "--out")
    parsed.out = value;
  else if (flag == "--dump-instance")
    parsed.dump_instance = value;
  else if (flag == "--rails")
    parsed.rails = value;
  else if (flag == "--period-us")
    parsed.period_us = parseNumber(flag, value);
  else if (flag == "--deadline-us")
    parsed.deadline_us = parseNumber(flag, value);
  else if (flag == "--tick-ns")
    parsed.tick_ns = parseNumber(flag, value);
  else if (flag == "--solver")
    parsed.solver = parseSolver(value);
  else if (flag == "--bucket-ticks")
    parsed.bucket_ticks = parseCount(flag, value, 1);
  else if (flag == "--super-block-n")
    parsed.super_block_n = parseCount(flag, value, 1);
  else if (flag == "--pareto-points")
    parsed.pareto_points = parseCount(flag, value, 0);
  else
    throw Error(1204, {}, flag, "unknown option (see powerflow schedule --help)");
}

Arguments parseArguments(const std::vector<std::string> &args) {
  Arguments parsed;
  parsed.command_line = "powerflow schedule";
  for (const std::string &arg : args) parsed.command_line += " " + arg;
  for (size_t i = 0; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) throw Error(1202, {}, args[i], "expects a value");
    applyOption(parsed, args[i], args[i + 1]);
  }
  if (!parsed.instance.empty()) {
    if (!parsed.rails.empty())
      throw Error(7007, {}, "--rails",
                  "a dumped instance carries its own rails (re-dump it with --rails)");
    if (parsed.period_us || parsed.deadline_us)
      throw Error(
          7007, {}, parsed.period_us ? "--period-us" : "--deadline-us",
          "a dumped instance carries its own period and deadline (edit its period_ticks and "
          "deadline_ticks instead)");
    return parsed;
  }
  if (!parsed.period_us)
    throw Error(7001, {}, "--period-us", "the period is required (see powerflow schedule --help)");
  if (!(*parsed.period_us > 0)) throw Error(7002, {}, "--period-us", "must be > 0");
  if (!parsed.deadline_us) {
    parsed.deadline_us = parsed.period_us;
    parsed.deadline_defaulted = true;
  }
  if (!(*parsed.deadline_us > 0)) throw Error(7002, {}, "--deadline-us", "must be > 0");
  if (*parsed.deadline_us > *parsed.period_us)
    throw Error(7003, {}, "--deadline-us",
                fmt::format("deadline {} us exceeds the period {} us", *parsed.deadline_us,
                            *parsed.period_us));
  if (!(parsed.tick_ns > 0)) throw Error(7002, {}, "--tick-ns", "must be > 0");
  return parsed;
}

// Everything the instance was built from, kept for the physical parts of the schedule
// file (per-domain energy, transitions, descriptors, input hashes).
struct ScheduleProblem {
  sched::Instance instance;
  std::optional<DesignSpec> design;
  std::optional<sched::ChipModel> chip;
  std::optional<Profile> profile;
  std::optional<sched::Workload> workload;
  ScheduleInputHashes input_hashes;
  std::vector<std::pair<std::string, std::string>> inputs;
  std::vector<std::string> warnings;  // "warning PF-NNNN: ..."
};

ScheduleProblem problemFromTables(const Arguments &args) {
  ScheduleProblem problem;
  problem.design = readDesign(args.design);
  if (!args.rails.empty()) overrideRails(*problem.design, args.rails, "--rails");
  const Characterization table = readCharacterization(args.characterization);
  try {
    problem.chip = chipModelFromTables(*problem.design, table, args.characterization);
  } catch (const Error &error) {
    // A rail of --rails, not of the design file, has no characterization.
    if (error.id() != 7101 || args.rails.empty()) throw;
    throw Error(7101, {}, "--rails", error.message());
  }
  // A clock no domain can take on its rail leaves the aggressive baseline without options:
  // say which domain limits it and what to change (on the rails of this run, --rails too).
  if (const auto warning = clockLimitWarning(*problem.design, table))
    problem.warnings.push_back(warning->text);
  // Read once: the same bytes are parsed and hashed (ResNet-101's profile is 52 MB).
  const std::string profile_text = readTextFile(args.profile);
  problem.profile = parseProfile(profile_text, args.profile);
  problem.workload = workloadFromProfile(*problem.profile, *problem.design, args.profile);
  const sched::BuildOptions options{args.tick_ns, *args.period_us * 1e3, *args.deadline_us * 1e3};
  const std::vector<sched::BuildProblem> problems =
      sched::checkBuildInputs(*problem.chip, *problem.workload, options);
  if (!problems.empty())
    throw Error(7004, {args.profile, 0, 0}, problems.front().field, problems.front().reason);
  problem.instance = sched::buildInstance(*problem.chip, *problem.workload, options);
  problem.input_hashes = {sha256Hex(readTextFile(args.design)),
                          sha256Hex(readTextFile(args.characterization)), sha256Hex(profile_text)};
  problem.inputs = {{"design", args.design},
                    {"characterization", args.characterization},
                    {"profile", args.profile}};
  return problem;
}

std::optional<SchedulePhysics> physicsOf(const ScheduleProblem &problem,
                                         const std::string &profile_file) {
  if (!problem.chip) return std::nullopt;
  return SchedulePhysics{&*problem.design,  &*problem.chip, &*problem.workload,
                         &*problem.profile, profile_file,   problem.input_hashes};
}

ScheduleProblem problemFromDump(const Arguments &args) {
  ScheduleProblem problem;
  problem.instance =
      instanceFromJson(parseJson(readTextFile(args.instance), args.instance), args.instance);
  problem.inputs = {{"instance", args.instance}};
  return problem;
}

double us(const sched::Instance &instance, sched::Ticks ticks) {
  return double(ticks) * instance.tick_ns / 1e3;
}

// Where the period and the deadline came from, as the user gave them, for the
// messages that refuse them: the flags, or the fields of a dumped instance.
struct Limits {
  SourceLoc loc;  // the instance file; none for flags
  std::string period_field, deadline_field;
  std::string deadline_note;  // how the deadline was set when it was not given
};

Limits limitsOf(const Arguments &args) {
  if (!args.instance.empty()) return {{args.instance, 0, 0}, "period_ticks", "deadline_ticks", ""};
  if (args.deadline_defaulted)
    // The deadline is the period: name the flag that set it.
    return {
        {}, "--period-us", "--period-us", " (--deadline-us not given: the deadline is the period)"};
  return {{}, "--period-us", "--deadline-us", ""};
}

// Returns the minimum busy time (for the report) when the deadline can be met.
sched::Ticks refuseImpossibleDeadline(const sched::Instance &instance, const Limits &limits) {
  const sched::Ticks min_busy = sched::minimumBusyTime(instance);
  if (min_busy > instance.deadline)
    throw Error(
        7005, limits.loc, limits.deadline_field,
        fmt::format(
            "deadline {:.6g} us{} is below the minimum latency of {} on this design: {:.6g} us "
            "(every layer at the fastest clock, no avoidable transitions)",
            us(instance, instance.deadline), limits.deadline_note, instance.name,
            us(instance, min_busy)));
  return min_busy;
}

// A solver that finds no schedule: the limits when no schedule meets them (the deadline
// alone is checked before), else the solver or its bucket width.
[[noreturn]] void explainNoSchedule(const sched::Instance &instance, const Arguments &args,
                                    const sched::SolveResult &result) {
  const std::string solver = sched::solverKindName(args.solver);
  if (result.status == sched::SolveStatus::Infeasible) {
    const sched::SolveResult exact =
        args.solver == sched::SolverKind::Exact ? result : sched::solveExact(instance, true);
    if (exact.status == sched::SolveStatus::Infeasible) {
      const Limits limits = limitsOf(args);
      throw Error(
          7006, limits.loc, limits.period_field,
          fmt::format("no schedule meets the deadline of {:.6g} us{} and is back in an idle state "
                      "within the period of {:.6g} us (minimum latency {:.6g} us); a longer "
                      "period leaves room for the way into idle",
                      us(instance, instance.deadline), limits.deadline_note,
                      us(instance, instance.period),
                      us(instance, sched::minimumBusyTime(instance))));
    }
  }
  // The discretized DP finds a schedule whenever one exists (sched/Discretized.cc); what
  // can stop it is the size of its tables at narrow buckets.
  if (args.solver == sched::SolverKind::Discretized &&
      result.status == sched::SolveStatus::TooLarge)
    throw Error(7006, {}, "--bucket-ticks",
                fmt::format("solver discretized: {}; use wider buckets", result.message));
  throw Error(
      7006, {}, "--solver",
      fmt::format(
          "solver {} found no schedule ({}): {}{}", solver, sched::solveStatusName(result.status),
          result.message,
          result.status == sched::SolveStatus::Infeasible ? " (the exact solver finds one)" : ""));
}

sched::SolveResult solveOrExplain(const sched::Instance &instance, const Arguments &args) {
  sched::SolveOptions options;
  options.kind = args.solver;
  options.bucket_ticks = args.bucket_ticks > 0
                             ? args.bucket_ticks
                             : std::max<sched::Ticks>(1, instance.deadline / 10000);
  const sched::SolveResult result = sched::solve(instance, options);
  if (result.status == sched::SolveStatus::Optimal || result.status == sched::SolveStatus::Feasible)
    return result;
  explainNoSchedule(instance, args, result);
}

std::vector<ParetoPoint> paretoCurve(const sched::Instance &instance, sched::Ticks min_busy,
                                     int points) {
  std::vector<sched::Ticks> deadlines;
  for (int p = 0; p < points; ++p) {
    const double fraction = points == 1 ? 1.0 : double(p) / double(points - 1);
    deadlines.push_back(min_busy +
                        sched::Ticks(std::llround(fraction * double(instance.period - min_busy))));
  }
  // One solver for all deadlines: what does not depend on D is built once.
  const std::vector<sched::SolveResult> results = sched::solveExactAtDeadlines(instance, deadlines);
  std::vector<ParetoPoint> curve;
  for (size_t p = 0; p < deadlines.size(); ++p) {
    const bool feasible = results[p].status == sched::SolveStatus::Optimal;
    curve.push_back({deadlines[p], feasible, feasible ? results[p].evaluation.total_pj : 0.0,
                     feasible ? results[p].evaluation.busy_time : 0});
  }
  return curve;
}

// The rows, and each baseline's wall time.
std::vector<BaselineRow> baselineRows(const sched::Instance &instance, int super_block_n,
                                      std::vector<std::pair<std::string, double>> &times_ms) {
  std::vector<BaselineRow> rows;
  for (const sched::BaselineResult &result : sched::runAllBaselines(instance, {super_block_n})) {
    rows.push_back({result.label, result.available, result.evaluation, result.note});
    times_ms.emplace_back(result.label, result.wall_ms);
  }
  return rows;
}

// Ends a step on the terminal; returns its wall time in milliseconds.
double finishStep(std::optional<ProgressStep> &step) {
  const double ms = step->seconds() * 1e3;
  step->done();
  step.reset();
  return ms;
}

std::string summaryPath(const std::string &out) {
  return std::filesystem::path(out).replace_extension(".txt").string();
}

}  // namespace

int runScheduleCommand(const std::vector<std::string> &args) {
  const auto started = std::chrono::steady_clock::now();
  const Arguments parsed = parseArguments(args);
  ScheduleTiming timing;
  timing.generated_by = parsed.command_line;
  timing.schedule = parsed.out;
  timing.solver = sched::solverKindName(parsed.solver);
  // Progress on stderr (the summary goes to stdout): each step says when it ends.
  StreamProgress progress(std::cerr);
  std::optional<ProgressStep> step;
  step.emplace(&progress, "schedule: reading the inputs and building the instance");
  const ScheduleProblem problem =
      parsed.instance.empty() ? problemFromTables(parsed) : problemFromDump(parsed);
  timing.read_ms = finishStep(step);
  const sched::Instance &instance = problem.instance;
  const sched::Ticks min_busy = refuseImpossibleDeadline(instance, limitsOf(parsed));

  ScheduleReportInput report;
  report.generated_by = parsed.command_line;
  report.inputs = problem.inputs;
  report.instance = &instance;
  report.physics = physicsOf(problem, parsed.profile);
  report.solver = parsed.solver;
  report.warnings = problem.warnings;
  for (const std::string &warning : problem.warnings) fmt::print(stderr, "{}\n", warning);
  step.emplace(&progress, fmt::format("schedule: {} solve", timing.solver));
  report.result = solveOrExplain(instance, parsed);
  timing.solve_ms = finishStep(step);
  report.result.min_busy_time = min_busy;  // not every solver reports it
  step.emplace(&progress, "schedule: energy lower bound");
  report.lower_bound_pj = sched::energyLowerBound(instance);
  timing.lower_bound_ms = finishStep(step);
  step.emplace(&progress, "schedule: baselines");
  report.baselines = baselineRows(instance, parsed.super_block_n, timing.baseline_ms);
  timing.baselines_ms = finishStep(step);
  step.emplace(&progress, fmt::format("schedule: energy-versus-deadline curve ({} exact solves)",
                                      parsed.pareto_points));
  report.pareto = paretoCurve(instance, report.result.min_busy_time, parsed.pareto_points);
  timing.curve_points = int(report.pareto.size());
  timing.curve_ms = finishStep(step);

  const std::string summary = scheduleSummary(report);
  OutputSet outputs;
  outputs.add(parsed.out, scheduleFileToJson(scheduleFile(report)).dump());
  outputs.add(summaryPath(parsed.out), summary);
  if (!parsed.dump_instance.empty())
    outputs.add(parsed.dump_instance, instanceToJson(instance, parsed.command_line).dump());
  timing.total_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  outputs.add(scheduleTimingPath(parsed.out), scheduleTimingToJson(timing).dump());
  outputs.commit();
  fmt::print("{}{}", summary, scheduleTimingText(timing));
  fmt::print("wrote {}, {} and {}\n", parsed.out, summaryPath(parsed.out),
             scheduleTimingPath(parsed.out));
  return 0;
}

}  // namespace pf
