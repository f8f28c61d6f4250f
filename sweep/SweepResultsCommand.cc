#include "sweep/SweepResultsCommand.hh"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "core/Files.hh"
#include "sweep/SweepPage.hh"
#include "sweep/SweepPlan.hh"
#include "sweep/SweepResults.hh"

namespace pf {

const cli::Spec &sweepResultsCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow sweep-results",
                "a sweep's results: table of every point, Pareto plots, stage times");
    s.description(
        "Reads the sweep folder DIR (plan.json and what the workflow wrote for every point)\n"
        "and writes, all or nothing, into the --out folder:\n"
        "  results.json      every point: design point, rails, period, deadline, status, and\n"
        "                    for a scheduled point energy, latency, area, best baseline and\n"
        "                    the co-simulation's verdict (same folder: same bytes)\n"
        "  results.csv       the same as a table, one row per point\n"
        "  stage_times.csv   per workflow rule: jobs, total and longest wall time (measured)\n"
        "  index.html        the page: Pareto plots of energy against area, energy against\n"
        "                    the deadline, the table, the stage times (docs/sweep.md)\n"
        "powerflow sweep runs it when its workflow is done; run it yourself on a folder whose\n"
        "workflow stopped halfway: unfinished points are listed as missing.");
    s.path("--dir", "DIR", "the sweep folder (holds plan.json)").defaultValue(".");
    s.path("--out", "DIR", "output directory").defaultShown("DIR/results");
    s.epilogue(
        "Refused, with nothing written: a point whose files are of different runs (every\n"
        "file's recorded SHA-256 of its inputs is checked, as powerflow report does), whose\n"
        "schedule is of another period, deadline, rail set or design file, whose\n"
        "co-simulation ran another number of periods than the plan's, or whose status file\n"
        "says neither scheduled nor infeasible (each names the point); a benchmark file that\n"
        "is not Snakemake's.\n");
    return s;
  }();
  return spec;
}

int runSweepResultsCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> command_line = sweepResultsCommandLine().parseOrPrintHelp(args);
  if (!command_line) return 0;
  namespace fs = std::filesystem;
  const std::string dir = command_line->text("--dir");
  const fs::path out = command_line->given("--out") ? fs::path(command_line->text("--out"))
                                                    : fs::path(dir) / "results";
  const sweep::SweepPlan plan = sweep::readPlan((fs::path(dir) / "plan.json").string());
  const sweep::SweepResults results = sweep::collectResults(plan, dir);
  const sweep::StageTimes times = sweep::readStageTimes(dir);
  OutputSet outputs;
  outputs.add((out / "results.json").string(), sweep::resultsToJson(results).dump());
  outputs.add((out / "results.csv").string(), sweep::resultsCsv(results));
  outputs.add((out / "stage_times.csv").string(), sweep::stageTimesCsv(times));
  outputs.add((out / "index.html").string(), sweep::sweepPageHtml(results, times));
  outputs.commit();
  fmt::print("sweep-results {}: {} points: {} scheduled, {} infeasible, {} missing\n", results.name,
             results.points.size(), results.count(sweep::PointStatus::Scheduled),
             results.count(sweep::PointStatus::Infeasible),
             results.count(sweep::PointStatus::Missing));
  if (results.sim_periods > 0)
    fmt::print("sweep-results: co-simulation ({} periods): {} passed, {} failed\n",
               results.sim_periods, results.simPassed(), results.simFailed());
  fmt::print("wrote {}/: results.json, results.csv, stage_times.csv, index.html\n", out.string());
  return 0;
}

}  // namespace pf
