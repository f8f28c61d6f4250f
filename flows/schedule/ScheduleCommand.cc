#include "flows/schedule/ScheduleCommand.hh"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "characterize/Characterization.hh"
#include "characterize/ClockLimit.hh"
#include "core/Design.hh"
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

const cli::Spec &scheduleCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow schedule",
                "energy-minimal power-state schedule of a network (exact solver, ILP oracle, "
                "baselines)");
    s.description(
        "Chooses, for every layer of the profiled network, the power state of every domain\n"
        "(rail or off/retention) and the clock divider, and the idle state for the rest of\n"
        "the period, so that the energy per period is minimal and the layers finish within\n"
        "the deadline (docs/schedule.md). Writes the schedule file (JSON, docs/formats.md),\n"
        "a text summary next to it (.txt) with every baseline policy compared against the\n"
        "schedule, the energy-versus-deadline curve and solver statistics. With --instance it\n"
        "solves a dumped instance instead of design + tables + profile.");
    s.number("--period-us", "P", "the network runs once every P microseconds")
        .above(0)
        .requiredUnless("--instance");
    s.number("--deadline-us", "D", "the layers must finish within D us of the period start")
        .above(0)
        .defaultShown("the period");
    s.path("--design", "FILE", "design description with [clock] and [memory]")
        .defaultValue("rtl/design.toml");
    s.path("--characterization", "FILE", "from powerflow characterize")
        .defaultValue("out/characterization.json");
    s.path("--profile", "FILE", "from powerflow profile").defaultValue("out/profile.json");
    s.path("--out", "FILE", "schedule file").defaultValue("out/schedule.json");
    std::vector<std::string> solvers;
    for (sched::SolverKind kind : {sched::SolverKind::Exact, sched::SolverKind::Ilp,
                                   sched::SolverKind::Discretized, sched::SolverKind::Brute})
      solvers.push_back(sched::solverKindName(kind));
    s.choice("--solver", "", solvers,
             "exact (proven optimal), ilp (CBC), discretized (time buckets, the published "
             "formulation), brute (tiny only)")
        .defaultValue("exact");
    s.number("--tick-ns", "T", "integer time unit; durations round up, limits down")
        .above(0)
        .defaultValue("10");
    s.integer("--bucket-ticks", "N", "bucket width of the discretized solver")
        .range(1, 1e9)
        .defaultShown("D / 10,000");
    s.integer("--super-block-n", "N", "super-block baseline: block time > N x switch time")
        .range(1, 1e9)
        .defaultValue(4);
    s.integer("--pareto-points", "N", "points of the energy-vs-deadline curve; 0 for none")
        .range(0, 1e9)
        .defaultValue(12);
    s.path("--dump-instance", "FILE",
           "also write the instance (docs/formats.md) for other solvers");
    s.list("--rails", "\"V1 V2 ...\"",
           "solve on these rail voltages instead of the design's (ascending; each needs a "
           "characterized corner)")
        .count(size_t(kMinRails), size_t(kMaxRails));
    s.path("--instance", "FILE", "solve a dumped instance instead of design + tables + profile");
    s.conflict("--instance", "--rails",
               "a dumped instance carries its own rails (re-dump it with --rails)");
    for (const char *input : {"--design", "--characterization", "--profile", "--tick-ns"})
      s.conflict("--instance", input,
                 "a dumped instance was built from them already (dump it again with "
                 "--dump-instance to change them)");
    for (const char *limit : {"--period-us", "--deadline-us"})
      s.conflict("--instance", limit,
                 "a dumped instance carries its own period and deadline (edit its period_ticks "
                 "and deadline_ticks instead)");
    s.epilogue(
        "Refused, with nothing written: a deadline above the period or below the minimum\n"
        "latency (the message gives the minimum), a rail with no characterization, a domain\n"
        "the characterization does not know.\n");
    return s;
  }();
  return spec;
}

namespace {

struct Arguments {
  std::string design;
  std::string characterization;
  std::string profile;
  std::string instance;
  std::string out;
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

sched::SolverKind solverNamed(const std::string &name) {
  for (sched::SolverKind kind : {sched::SolverKind::Exact, sched::SolverKind::Ilp,
                                 sched::SolverKind::Discretized, sched::SolverKind::Brute})
    if (name == sched::solverKindName(kind)) return kind;
  throw std::logic_error("solver '" + name + "' passed the declaration");
}

// Syntax, ranges, the required period and the options a dumped instance excludes are the
// declaration's (scheduleCommandLine); what is left is about the values together.
Arguments argumentsOf(const cli::Args &args) {
  Arguments parsed;
  parsed.command_line = "powerflow schedule";
  for (const std::string &arg : args.words()) parsed.command_line += " " + arg;
  parsed.design = args.text("--design");
  parsed.characterization = args.text("--characterization");
  parsed.profile = args.text("--profile");
  parsed.instance = args.text("--instance");
  parsed.out = args.text("--out");
  parsed.dump_instance = args.text("--dump-instance");
  parsed.rails = args.text("--rails");
  parsed.period_us = args.optionalNumber("--period-us");
  parsed.deadline_us = args.optionalNumber("--deadline-us");
  parsed.tick_ns = args.number("--tick-ns");
  parsed.solver = solverNamed(args.text("--solver"));
  if (args.given("--bucket-ticks")) parsed.bucket_ticks = args.integer("--bucket-ticks");
  parsed.super_block_n = int(args.integer("--super-block-n"));
  parsed.pareto_points = int(args.integer("--pareto-points"));
  if (!parsed.instance.empty()) return parsed;
  if (!parsed.deadline_us) {
    parsed.deadline_us = parsed.period_us;
    parsed.deadline_defaulted = true;
  }
  if (*parsed.deadline_us > *parsed.period_us)
    throw Error(7003, {}, "--deadline-us",
                fmt::format("deadline {} us exceeds the period {} us", *parsed.deadline_us,
                            *parsed.period_us));
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
    throw Error(error.id(), {}, "--rails", error.message());
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
    throw Error(7009, {}, "--bucket-ticks",
                fmt::format("solver discretized: {}; use wider buckets", result.message));
  throw Error(
      7010, {}, "--solver",
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
  const std::optional<cli::Args> command_line = scheduleCommandLine().parseOrPrintHelp(args);
  if (!command_line) return 0;
  const Arguments parsed = argumentsOf(*command_line);
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
