// The sweep's results (sweep/SweepResults.hh) and page (sweep/SweepPage.hh).
//
// The pure parts on hand-made results: the Pareto front, CSV quoting, the JSON round trip
// and its refusals, the page's charts and its determinism, the stage times.
//
// collectResults on a real sweep folder: one design point (the default design, written by
// the sweep's own designPointText), a stand-in characterization (no tools), the KWS
// profile, and three points made by the stages' commands run in this process (profile,
// schedule, gen: well under a second) — one scheduled, one the scheduler refuses
// (infeasible), one the workflow has not done (missing). Then the cross-checks: a file
// of another run, a schedule of another point, a status the workflow does not write.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "flows/schedule/ScheduleCommand.hh"
#include "gen/GenCommand.hh"
#include "sched/io/ScheduleFile.hh"
#include "sweep/DesignPoint.hh"
#include "sweep/SweepPage.hh"
#include "sweep/SweepPlan.hh"
#include "sweep/SweepResults.hh"
#include "sweep/SweepResultsCommand.hh"
#include "tests/core/JsonRefusal.hh"
#include "tests/schedule/StandInCharacterization.hh"
#include "workload/ProfileCommand.hh"

namespace pf::sweep {
namespace {

namespace fs = std::filesystem;

size_t occurrences(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// ---- hand-made results -----------------------------------------------------------------

PointResult scheduledPoint(const std::string &design, const std::string &network,
                           double deadline_us, double area_um2, double energy_uj) {
  PointResult p;
  p.design = design;
  p.parameters = {{"COL_GROUPS", design == "g2" ? 2 : 4}};
  p.network = network;
  p.rails_v = {0.6, 1.1};
  p.period_us = 20000;
  p.deadline_us = deadline_us;
  p.id = pointId(design, network, p.rails_v, p.period_us, deadline_us);
  p.status = PointStatus::Scheduled;
  ScheduledResult s;
  s.rail_voltages_v = p.rails_v;
  s.energy_uj = energy_uj;
  s.busy_us = deadline_us * 0.9;
  s.min_latency_us = deadline_us * 0.4;
  s.area_um2 = area_um2;
  s.best_baseline = BaselineResult{"layer-level (DAE-DVFS)", energy_uj * 1.25, 0.2};
  s.sim = SimResult{true, 1, 0.0042, true, true, {}};
  p.scheduled = s;
  return p;
}

// Three design points on two networks and two deadlines; in (kws, 2000 us) g8 is
// dominated by g4 (more area, more energy) and g2 is the smallest.
SweepResults sampleResults() {
  SweepResults r;
  r.name = "sample";
  r.sim_periods = 1;
  for (const std::string network : {"kws", "ad"})
    for (double deadline : {2000.0, 5000.0}) {
      r.points.push_back(scheduledPoint("g2", network, deadline, 500000, 3.0));
      r.points.push_back(scheduledPoint("g4", network, deadline, 600000, 2.0));
      r.points.push_back(scheduledPoint("g8", network, deadline, 700000, 2.5));
    }
  PointResult infeasible = r.points[0];
  infeasible.design = "g1";
  infeasible.deadline_us = 100;
  infeasible.id = pointId("g1", "kws", infeasible.rails_v, 20000, 100);
  infeasible.status = PointStatus::Infeasible;
  infeasible.scheduled.reset();
  infeasible.message =
      "error PF-7005: field '--deadline-us': deadline 100 us is below the minimum latency of "
      "\"kws\", on this design: 812.4 us";
  r.points.push_back(infeasible);
  PointResult missing = infeasible;
  missing.deadline_us = 2000;
  missing.id = pointId("g1", "kws", missing.rails_v, 20000, 2000);
  missing.status = PointStatus::Missing;
  missing.message.clear();
  r.points.push_back(missing);
  r.points[1].scheduled->sim = SimResult{false, 1, 0.031, true, false, {"deadline missed", "x"}};
  r.points[2].scheduled->best_baseline.reset();
  return r;
}

TEST(ParetoFront, APlantedDominatedPointIsExcluded) {
  //                  0: smallest    1: dominated by 2   2: best energy   3: dominated by 0
  const std::vector<std::pair<double, double>> points = {
      {1.0, 5.0}, {3.0, 3.0}, {2.0, 2.0}, {1.5, 5.0}};
  EXPECT_EQ(paretoFront(points), (std::vector<size_t>{0, 2}));
}

TEST(ParetoFront, EqualPointsAreBothKeptAndAnEqualValueInOneAxisIsNotEnough) {
  const std::vector<std::pair<double, double>> points = {{2.0, 2.0}, {1.0, 3.0}, {2.0, 2.0},
                                                         {2.0, 2.5}, {3.0, 2.0}, {1.0, 3.0}};
  // (2, 2.5) has the area of (2, 2) and more energy; (3, 2) the energy and more area.
  EXPECT_EQ(paretoFront(points), (std::vector<size_t>{1, 5, 0, 2}));
  EXPECT_TRUE(paretoFront({}).empty());
}

TEST(ParetoGroups, OneGroupPerNetworkPeriodAndDeadlineWithItsFront) {
  const SweepResults r = sampleResults();
  const std::vector<ParetoGroup> groups = paretoGroups(r);
  ASSERT_EQ(groups.size(), 5u);  // kws x {2000, 5000, 100}, ad x {2000, 5000}
  EXPECT_EQ(groups[0].network, "kws");
  EXPECT_EQ(groups[0].deadline_us, 100);  // by deadline within a network
  EXPECT_TRUE(groups[0].front.empty());   // only an infeasible point
  const ParetoGroup &kws = groups[1];
  EXPECT_EQ(kws.deadline_us, 2000);
  EXPECT_EQ(kws.points.size(), 4u);                   // g2, g4, g8 and the missing g1
  EXPECT_EQ(kws.front, (std::vector<size_t>{0, 1}));  // g2, g4; not g8
  EXPECT_EQ(groups[3].network, "ad");
}

TEST(ResultsCsv, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  SweepResults r = sampleResults();
  r.points[12].message = "line one\nline \"two\", and more";
  const std::string csv = resultsCsv(r);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "id,design,param:COL_GROUPS,network,rails_v,period_us,deadline_us,status,energy_uj,"
            "busy_us,min_latency_us,area_um2,best_baseline,best_baseline_energy_uj,saving,"
            "sim_passed,sim_max_abs_relative_difference,sim_outputs_bit_exact,sim_deadline_met,"
            "sim_failures,message");
  EXPECT_NE(csv.find("g2/kws/r0.6_1.1/p20000-d2000,g2,2,kws,0.6 1.1,20000,2000,scheduled,"
                     "3.000000,1800.000,800.000,500000.0,layer-level (DAE-DVFS),3.750000,0.200000,"
                     "yes,0.004200,yes,yes,,\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",\"line one\nline \"\"two\"\", and more\"\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",no,0.031000,yes,no,deadline missed; x,\n"), std::string::npos) << csv;
  // Every row has the header's columns (quoted fields aside, none of which has a comma
  // in this row).
  const std::string missing_row = csv.substr(csv.find("g1/kws/r0.6_1.1/p20000-d2000"));
  EXPECT_EQ(occurrences(missing_row, ","), occurrences(csv.substr(0, csv.find('\n')), ","));
  EXPECT_EQ(csv.back(), '\n');
}

TEST(ResultsJson, WriteReadWriteIsByteIdentical) {
  const std::string text = resultsToJson(sampleResults()).dump();
  const SweepResults read = resultsFromText(text, "results.json");
  EXPECT_EQ(resultsToJson(read).dump(), text);
  ASSERT_EQ(read.points.size(), 14u);
  EXPECT_EQ(read.points[12].status, PointStatus::Infeasible);
  EXPECT_EQ(read.points[12].message, sampleResults().points[12].message);
  EXPECT_EQ(read.points[13].status, PointStatus::Missing);
  EXPECT_FALSE(read.points[2].scheduled->best_baseline);
  EXPECT_EQ(read.points[1].scheduled->sim->failures.size(), 2u);
  EXPECT_EQ(text.find("/work"), std::string::npos);
}

TEST(ResultsJson, RefusesAnUnknownFieldAnotherFormatAndPartsAgainstTheStatus) {
  const std::string text = resultsToJson(sampleResults()).dump();
  const auto read = [](const std::string &t, const std::string &f) {
    return resultsFromText(t, f);
  };
  test::expectRefusedAt(read, test::replacedOnce(text, "\"design\": \"g2\"", "\"desing\": \"g2\""),
                        1405, test::lineOf(text, "\"design\": \"g2\""), "points[0].desing",
                        "unknown field");
  test::expectRefusedAt(read, test::replacedOnce(text, kResultsFormat, "powerflow-sweep-plan"),
                        11306, 2, "format", "powerflow-sweep-results");
  // A schedule kept for a point that says it is missing.
  const std::string status = "\"status\": \"scheduled\"";
  test::expectRefusedAt(read, test::replacedOnce(text, status, "\"status\": \"missing\""), 11307,
                        test::lineOf(text, "\"id\": \"g2/kws") - 1, "points[0]",
                        "it has a schedule");
  test::expectTruncatedRefused(read, text);
}

TEST(SweepPage, OneParetoChartPerGroupWithScheduledPointsAndTheSameBytesTwice) {
  const SweepResults r = sampleResults();
  const StageTimes times = {{"characterize", 3, 300.0, 120.0}, {"point", 14, 7.0, 1.5}};
  const std::string page = sweepPageHtml(r, times);
  EXPECT_EQ(page, sweepPageHtml(r, times));
  EXPECT_EQ(occurrences(page, "<figure class=\"pareto\">"), paretoGroups(r).size());
  EXPECT_EQ(occurrences(page, "aria-label=\"Energy per period against area"), 4u);
  EXPECT_EQ(occurrences(page, "No point of this group was scheduled"), 1u);
  // Every scheduled point a dot; the front's are green, g8 never is.
  EXPECT_EQ(
      occurrences(page, "<circle class=\"point\"") + occurrences(page, "<circle class=\"front\""),
      12u);
  EXPECT_EQ(occurrences(page, "<circle class=\"front\""), 8u);
  EXPECT_EQ(page.find("g8 · 0.6/1.1 V · 2.5 µJ · 0.7 mm² · busy 1.8 ms · Pareto"),
            std::string::npos);
  EXPECT_NE(page.find("g8 · 0.6/1.1 V · 2.5 µJ · 0.7 mm² · busy 1.8 ms (g8/kws"),
            std::string::npos);
  // The header's counts, the infeasible point's reason, the failed co-simulation.
  EXPECT_NE(page.find("14 points: 12 scheduled, 1 infeasible, 1 missing."), std::string::npos);
  EXPECT_NE(page.find("11 passed, 1 failed"), std::string::npos);
  EXPECT_NE(page.find("is below the minimum latency of &quot;kws&quot;"), std::string::npos);
  // Nothing but the stage-times section depends on the times.
  const std::string other = sweepPageHtml(r, {{"characterize", 3, 301.0, 121.0}});
  const size_t section = page.find("<section id=\"stage-times\">");
  ASSERT_NE(section, std::string::npos);
  EXPECT_EQ(other.substr(0, section), page.substr(0, section));
  EXPECT_NE(other, page);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http://", page.find("</style>")), page.find("http://www.w3.org/2000/svg"));
}

TEST(StageTimes, SumPerRuleAndRefuseAFileThatIsNotABenchmark) {
  const fs::path dir = fs::temp_directory_path() / ("pf_sweep_times_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const std::string header = "s\th:m:s\tmax_rss\tmax_vms\n";
  writeFileAtomic((dir / "benchmarks/point/g2/kws/r0.6/p1-d1.tsv").string(),
                  header + "1.5\t0:00:01\t10\t20\n");
  writeFileAtomic((dir / "benchmarks/point/g2/kws/r0.6/p1-d2.tsv").string(),
                  header + "2.25\t0:00:02\t10\t20\n");
  writeFileAtomic((dir / "benchmarks/characterize/g2.tsv").string(),
                  header + "100.0\t0:01:40\t10\t20\n");
  writeFileAtomic((dir / "benchmarks/aaa/x.tsv").string(), header + "0.5\t0\t0\t0\n");
  const StageTimes times = readStageTimes(dir.string());
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(times[0].rule, "characterize");  // the workflow's order, then by name
  EXPECT_EQ(times[1].rule, "point");
  EXPECT_EQ(times[1].jobs, 2);
  EXPECT_DOUBLE_EQ(times[1].total_s, 3.75);
  EXPECT_DOUBLE_EQ(times[1].max_s, 2.25);
  EXPECT_EQ(times[2].rule, "aaa");
  EXPECT_EQ(stageTimesCsv(times),
            "rule,jobs,total_s,max_s\ncharacterize,1,100.000,100.000\npoint,2,3.750,2.250\n"
            "aaa,1,0.500,0.500\n");
  writeFileAtomic((dir / "benchmarks/point/bad.tsv").string(), header + "soon\t0\t0\t0\n");
  try {
    readStageTimes(dir.string());
    ADD_FAILURE() << "a benchmark file without seconds was accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 11305) << error.formatted();
    EXPECT_EQ(error.loc().line, 2) << error.formatted();
  }
  EXPECT_TRUE(readStageTimes((dir / "none").string()).empty());
  fs::remove_all(dir);
}

TEST(FirstMessageLine, TheFirstLineThatSaysSomethingTrimmed) {
  EXPECT_EQ(firstMessageLine("\n  \r\n  error PF-7005: x: y \r\nmore\n"), "error PF-7005: x: y");
  EXPECT_EQ(firstMessageLine(" \n\t\n"), "");
}

// ---- a real sweep folder -----------------------------------------------------------------

class SweepFolder : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("pf_sweep_results_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    try {
      makeFolder();
    } catch (const std::exception &error) {
      setup_error_ = error.what();
    }
  }

  static void TearDownTestSuite() {
    if (!::testing::UnitTest::GetInstance()->Failed()) fs::remove_all(dir_);
  }

  void SetUp() override { ASSERT_EQ(setup_error_, "") << "test suite set-up failed"; }

  static std::string path(const std::string &relative) { return (dir_ / relative).string(); }

  static PlanPoint point(double deadline_us) {
    return {pointId("g", "kws", {}, 20000, deadline_us), "g", "kws", {}, 20000, deadline_us};
  }

  static void makeFolder() {
    const DesignPointSpec spec{"g", PF_SOURCE_DIR "/rtl/design.toml", {}, {}, "design_point[0]"};
    const std::string design = path("designs/g/design.toml");
    writeFileAtomic(design, designPointText(spec, "sweep results test"));
    writeFileAtomic(
        path("designs/g/characterization.json"),
        characterizationToJson(test::standInCharacterization(readDesign(design))).dump());
    runProfileCommand({PF_SOURCE_DIR "/nets/mlperf_tiny_kws_dscnn.toml", "--design", design,
                       "--out", path("designs/g/nets/kws/profile.json")});
    plan_.name = "test";
    plan_.sim_periods = 0;
    plan_.designs = {{"g", "designs/g/design.toml", "characterizations/g", {}}};
    plan_.networks = {{"kws", PF_SOURCE_DIR "/nets/mlperf_tiny_kws_dscnn.toml"}};
    plan_.points = {point(2000), point(1), point(5000)};  // scheduled, infeasible, missing
    for (size_t i = 0; i < 2; ++i) runPoint(plan_.points[i]);
    writeFileAtomic(path("plan.json"), planToJson(plan_).dump());
  }

  // What the workflow's point rule does: schedule; then gen, or the refusal kept.
  static void runPoint(const PlanPoint &p) {
    const PointPaths paths = pointPaths(plan_, p, dir_.string());
    const std::vector<std::string> inputs = {"--design", paths.design, "--characterization",
                                             paths.characterization};
    std::vector<std::string> schedule = inputs;
    schedule.insert(
        schedule.end(),
        {"--profile", paths.profile, "--period-us", fmt::format("{}", p.period_us), "--deadline-us",
         fmt::format("{}", p.deadline_us), "--pareto-points", "0", "--out", paths.schedule});
    try {
      runScheduleCommand(schedule);
    } catch (const Error &error) {
      writeFileAtomic(paths.schedule_err, error.formatted() + "\n");
      writeFileAtomic(paths.status, "infeasible\n");
      return;
    }
    std::vector<std::string> gen = inputs;
    gen.insert(gen.end(), {"--schedule", paths.schedule, "--out", paths.gen_dir});
    runGenCommand(gen);
    writeFileAtomic(paths.schedule_err, "");
    writeFileAtomic(paths.status, "scheduled\n");
  }

  // collectResults' error on `plan`, as text; "" when it reads the folder.
  static Error collectError(const SweepPlan &plan) {
    try {
      collectResults(plan, dir_.string());
    } catch (const Error &error) {
      return error;
    }
    return Error(0, {}, "", "accepted");
  }

  static inline fs::path dir_;
  static inline std::string setup_error_;
  static inline SweepPlan plan_;
};

TEST_F(SweepFolder, ScheduledInfeasibleAndMissingPointsAsTheWorkflowLeftThem) {
  const SweepResults r = collectResults(plan_, dir_.string());
  ASSERT_EQ(r.points.size(), 3u);
  const PointResult &ok = r.points[0];
  ASSERT_EQ(ok.status, PointStatus::Scheduled);
  const ScheduleFile schedule = readScheduleFile(path("points/" + ok.id + "/schedule.json"));
  EXPECT_DOUBLE_EQ(ok.scheduled->energy_uj, schedule.totals.total_pj / 1e6);
  EXPECT_DOUBLE_EQ(ok.scheduled->busy_us, schedule.totals.busy_ns / 1e3);
  EXPECT_LE(ok.scheduled->min_latency_us, ok.scheduled->busy_us);
  EXPECT_LE(ok.scheduled->busy_us, 2000.0);
  EXPECT_EQ(ok.scheduled->rail_voltages_v, schedule.rail_voltages_v);
  const Characterization c = readCharacterization(path("designs/g/characterization.json"));
  double area = c.sequencer.area_um2;
  for (const DomainCharacterization &d : c.domains) area += d.area_um2;
  EXPECT_DOUBLE_EQ(ok.scheduled->area_um2, area);
  ASSERT_TRUE(ok.scheduled->best_baseline);
  EXPECT_GE(ok.scheduled->best_baseline->saving, 0.0);  // the optimum is never worse
  EXPECT_FALSE(ok.scheduled->sim);                      // sim_periods 0
  const PointResult &refused = r.points[1];
  EXPECT_EQ(refused.status, PointStatus::Infeasible);
  EXPECT_EQ(refused.message.rfind("error PF-7005: ", 0), 0u) << refused.message;
  EXPECT_NE(refused.message.find("minimum latency"), std::string::npos) << refused.message;
  EXPECT_EQ(r.points[2].status, PointStatus::Missing);
  EXPECT_EQ(resultsToJson(collectResults(plan_, dir_.string())).dump(), resultsToJson(r).dump());
}

TEST_F(SweepFolder, TheCommandWritesAllFourFilesAndTheSameResultsTwice) {
  const std::string out = path("results");
  ASSERT_EQ(runSweepResultsCommand({"--dir", dir_.string()}), 0);
  for (const char *name : {"results.json", "results.csv", "stage_times.csv", "index.html"})
    EXPECT_TRUE(fs::exists(out + "/" + name)) << name;
  const std::string json = readTextFile(out + "/results.json");
  const std::string page = readTextFile(out + "/index.html");
  EXPECT_EQ(readResults(out + "/results.json").points.size(), 3u);
  EXPECT_EQ(json.find(dir_.string()), std::string::npos);  // no absolute path
  writeFileAtomic(path("benchmarks/point/x.tsv"), "s\th:m:s\n0.25\t0:00:00\n");
  ASSERT_EQ(runSweepResultsCommand({"--dir", dir_.string(), "--out", out}), 0);
  fs::remove_all(path("benchmarks"));
  EXPECT_EQ(readTextFile(out + "/results.json"), json);
  EXPECT_NE(readTextFile(out + "/index.html"), page);  // the stage times only
  EXPECT_EQ(readTextFile(out + "/stage_times.csv"),
            "rule,jobs,total_s,max_s\npoint,1,0.250,0.250\n");
}

TEST_F(SweepFolder, AFileOfAnotherRunIsRefusedNamingThePoint) {
  const std::string file = path("designs/g/characterization.json");
  const std::string text = readTextFile(file);
  writeFileAtomic(file, text + " ");  // the same table, another SHA-256
  const Error error = collectError(plan_);
  writeFileAtomic(file, text);
  EXPECT_EQ(error.id(), 9503) << error.formatted();
  EXPECT_EQ(error.message().rfind("point " + plan_.points[0].id + ": ", 0), 0u)
      << error.formatted();
}

TEST_F(SweepFolder, AScheduleOfAnotherPointOrDesignIsRefused) {
  SweepPlan other = plan_;
  other.points[0].deadline_us = 2500;  // the folder's schedule is for 2000 us
  Error error = collectError(other);
  EXPECT_EQ(error.id(), 11302) << error.formatted();
  EXPECT_EQ(error.field(), "deadline_ns") << error.formatted();
  EXPECT_NE(error.message().find("point " + plan_.points[0].id), std::string::npos);
  other = plan_;
  other.points[0].rails_v = {0.6, 1.1};
  error = collectError(other);
  EXPECT_EQ(error.id(), 11302) << error.formatted();
  EXPECT_EQ(error.field(), "rail_voltages_v") << error.formatted();
  const std::string design = path("designs/g/design.toml");
  const std::string text = readTextFile(design);
  writeFileAtomic(design, text + "\n# changed\n");
  error = collectError(plan_);
  writeFileAtomic(design, text);
  EXPECT_EQ(error.id(), 11303) << error.formatted();
}

TEST_F(SweepFolder, AStatusTheWorkflowDoesNotWriteIsRefused) {
  const std::string status = path("points/" + plan_.points[2].id + "/status");
  writeFileAtomic(status, "running\n");
  const Error error = collectError(plan_);
  fs::remove(status);
  EXPECT_EQ(error.id(), 11301) << error.formatted();
  EXPECT_EQ(error.loc().file, status);
}

}  // namespace
}  // namespace pf::sweep
