// The results of a sweep: one typed row per point of the plan, read from the files the
// workflow left in the sweep folder (sweep/SweepPlan.hh says where), and the measured
// wall times of its jobs. `powerflow sweep-results` writes them as results.json
// ("powerflow-sweep-results" version 1), results.csv and stage_times.csv, and draws the
// page (sweep/SweepPage.hh) from them.
//
// results.json holds no timing and no absolute path: the same sweep folder gives the
// same bytes, wherever and however often it is read. The stage times are apart for that
// reason: they are measured, and differ from run to run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Json.hh"
#include "sweep/SweepPlan.hh"

namespace pf::sweep {

inline constexpr const char *kResultsFormat = "powerflow-sweep-results";
inline constexpr int kResultsVersion = 1;

// Scheduled: the schedule was made (and gen and sim, when planned, ran). Infeasible: the
// scheduler refused the point (deadline below the minimum latency, no way back into idle
// within the period). Missing: the workflow has not finished the point (no status file).
enum class PointStatus { Scheduled, Infeasible, Missing };
const char *pointStatusName(PointStatus status);  // "scheduled", "infeasible", "missing"

// The co-simulation of a scheduled point (when the plan has sim_periods > 0).
struct SimResult {
  bool passed = false;
  int periods = 0;
  double max_abs_relative_difference = 0.0;  // of measured energy vs predicted, over periods
  bool outputs_bit_exact = false;            // in every period
  bool deadline_met = false;                 // in every period
  std::vector<std::string> failures;         // the report's, in its order
};

// The best baseline that meets the deadline (sched/Baselines.hh): the method the optimum is
// compared with.
struct BaselineResult {
  std::string name;
  double energy_uj = 0.0;
  double saving = 0.0;  // 1 - optimum / baseline energy (0.25: the optimum spends 25 % less)
};

struct ScheduledResult {
  std::vector<double> rail_voltages_v;  // the rails the schedule used (the design's if the
                                        // point names none)
  double energy_uj = 0.0;               // the schedule's total per period
  double busy_us = 0.0;                 // its latency: the layers' end from the tick
  double min_latency_us = 0.0;          // every layer at the fastest clock (min_busy_ns)
  // The characterization's area: every domain's cells (the SRAM banks' domains are their
  // macro, with the macro's liberty area) plus the power sequencer's. Not included: power
  // switches, isolation cells, level shifters, routing and placement whitespace.
  double area_um2 = 0.0;
  std::optional<BaselineResult> best_baseline;  // none: no baseline meets the deadline
  std::optional<SimResult> sim;                 // none: not co-simulated
};

struct PointResult {
  std::string id;
  std::string design;                         // the design point's name
  std::map<std::string, int64_t> parameters;  // the design parameters the sweep replaced
  std::string network;
  std::vector<double> rails_v;  // the plan's rail set; empty: the design's own rails
  double period_us = 0.0;
  double deadline_us = 0.0;
  PointStatus status = PointStatus::Missing;
  std::optional<ScheduledResult> scheduled;  // exactly when status is Scheduled
  std::string message;  // Infeasible: the scheduler's message, one line; else empty
};

struct SweepResults {
  std::string name;  // the sweep's
  int sim_periods = 0;
  std::vector<PointResult> points;  // the plan's order

  int count(PointStatus status) const;
  int simPassed() const;  // scheduled points whose co-simulation passed
  int simFailed() const;  // ... failed
};

// Where the workflow keeps a point's files (relative to the sweep folder `out_dir`).
struct PointPaths {
  std::string design;            // designs/<design>/design.toml
  std::string characterization;  // designs/<design>/characterization.json
  std::string profile;           // designs/<design>/nets/<network>/profile.json
  std::string status;            // points/<id>/status
  std::string schedule;          // points/<id>/schedule.json
  std::string schedule_err;      // points/<id>/schedule.err
  std::string gen_dir;           // points/<id>/gen
  std::string sim;               // points/<id>/sim/report.json; "" when sim_periods is 0
};
PointPaths pointPaths(const SweepPlan &plan, const PlanPoint &point, const std::string &out_dir);

// Every point of the plan from the files in `out_dir`. A scheduled point is read through
// the report's reader (report/ReportInputs.hh: schedule, characterization, profile, gen
// manifest, sim report, each cross-checked by the hashes the files record); its errors
// are re-thrown naming the point, with their own numbers. Also refused, naming the point:
// PF-11301 a status file that says neither "scheduled" nor "infeasible", PF-11302 a
// schedule of another period, deadline or rail set than the point's, PF-11303 a schedule
// made from another design file than the point's, PF-11304 a co-simulation of another
// number of periods than the plan's.
SweepResults collectResults(const SweepPlan &plan, const std::string &out_dir);

// The first line of powerflow's stderr that says something (an error's whole line),
// trimmed; "" when there is none.
std::string firstMessageLine(const std::string &text);

// The Pareto-optimal members of `points` (area, energy): those no other point dominates
// (less or equal in both, strictly less in one). Equal points do not dominate each
// other: both are kept. Returns indices into `points`, ascending by area, then energy,
// then index.
std::vector<size_t> paretoFront(const std::vector<std::pair<double, double>> &points);

Json resultsToJson(const SweepResults &results);
// PF-11306 another format, PF-11307 a point whose parts contradict its status (a schedule
// for a point that is not scheduled, a message for one that is not infeasible, or either
// missing); the field reader's numbers (core/JsonNode.hh) for the rest, unknown fields
// included.
SweepResults resultsFromText(const std::string &text, const std::string &file);
SweepResults readResults(const std::string &path);

// One row per point under a header row (RFC 4180: fields holding a comma, a quote or a
// line break are quoted, quotes doubled; lines end in "\n"). One column per replaced
// design parameter (named param:<NAME>), numbers in fixed formats: energy in uJ with 6
// decimals (pJ), times in us with 3 (ns), area in um2 with 1.
std::string resultsCsv(const SweepResults &results);

// The measured wall time of the workflow's jobs of one rule (Snakemake's `benchmark:`
// files, benchmarks/<rule>/...tsv): run-dependent, so never part of results.json.
struct StageTime {
  std::string rule;
  int jobs = 0;
  double total_s = 0.0;
  double max_s = 0.0;
};
// characterize, profile, point first (the workflow's order), then any other rule by name.
using StageTimes = std::vector<StageTime>;

// Reads every benchmarks/<rule>/**/*.tsv under `out_dir` (none: empty); PF-11305 a file
// that is not a Snakemake benchmark (no header with an `s` column, a value that is not a
// number).
StageTimes readStageTimes(const std::string &out_dir);
std::string stageTimesCsv(const StageTimes &times);

}  // namespace pf::sweep
