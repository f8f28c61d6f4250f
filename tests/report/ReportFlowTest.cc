// `powerflow report` end to end with the real binary and the real Chromium: the default
// flow (KWS every 20 ms, deadline 2 ms) profiled, scheduled, generated and co-simulated
// for one period, its page opened in headless Chromium; ResNet-101's page from the
// schedule alone; inconsistent inputs refused; the README picture current.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/Files.hh"
#include "report/browser/Browser.hh"
#include "sched/io/ScheduleFile.hh"
#include "tests/cosim/SimFlow.hh"

namespace pf::test {
namespace {

namespace fs = std::filesystem;

class DefaultFlowReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    flow_ = new SimFlow({"report_default", "nets/mlperf_tiny_kws_dscnn.toml", "", 20000, 2000, 1});
    for (StageRun run : {flow_->profile(), flow_->schedule(2000), flow_->gen(), flow_->sim()})
      ASSERT_EQ(run.status, 0) << run.output;
  }
  static void TearDownTestSuite() {
    delete flow_;
    flow_ = nullptr;
  }

  // The report of this flow's files into `out` (relative to the flow's directory).
  static StageRun report(const std::string &out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"report",
                                     "--schedule",
                                     flow_->file("schedule.json"),
                                     "--characterization",
                                     SimFlow::characterization(),
                                     "--profile",
                                     flow_->file("profile.json"),
                                     "--gen",
                                     flow_->file("gen"),
                                     "--sim",
                                     flow_->file("sim/report.json"),
                                     "--out",
                                     flow_->file(out)};
    return flow_->powerflow(withOptions(args, extra));
  }

  static SimFlow *flow_;
};

SimFlow *DefaultFlowReport::flow_ = nullptr;

// Opens `page` in headless Chromium (a window `height` px tall, the screenshot saved as
// screenshots/NAME.png in the build tree for a person to look at) and checks what every
// report page must satisfy: loaded, no console message, no request, no overlapping label.
browser::PageLoad openCleanPage(const std::string &page, int height, const std::string &name) {
  browser::LoadOptions options;
  options.width = 1500;
  options.height = height;
  options.screenshot_path = PF_REPORT_TEST_OUT "/screenshots/" + name + ".png";
  fs::create_directories(PF_REPORT_TEST_OUT "/screenshots");
  const browser::PageLoad load = browser::loadPage(page, options);
  EXPECT_TRUE(load.loaded) << browser::describe(load);
  EXPECT_TRUE(load.console_messages.empty()) << browser::describe(load);
  EXPECT_TRUE(load.requests.empty()) << browser::describe(load);
  EXPECT_TRUE(load.failed_requests.empty()) << browser::describe(load);
  EXPECT_TRUE(load.overlaps.empty()) << browser::describe(load);
  EXPECT_TRUE(load.screenshot_saved);
  return load;
}

size_t transitionCount(const ScheduleFile &schedule) {
  size_t changes = schedule.idle.transition_in.changes.size();
  for (const ScheduleLayer &layer : schedule.layers) changes += layer.transition_in.changes.size();
  return changes;
}

TEST_F(DefaultFlowReport, PageLoadsCleanInChromiumWithEveryBarTheScheduleHas) {
  StageRun run = report("report");
  ASSERT_EQ(run.status, 0) << run.output;
  const browser::PageLoad load =
      openCleanPage(flow_->file("report/index.html"), 2600, "default_flow");
  ASSERT_TRUE(load.loaded);
  EXPECT_GT(load.labels_checked, 100);
  // What the schedule says: a state bar per layer and domain (and per domain for the idle
  // state until the next tick), a mark per change of supply.
  const ScheduleFile schedule = readScheduleFile(flow_->file("schedule.json"));
  const size_t domains = schedule.domains.size();
  ASSERT_GT(transitionCount(schedule), 0u);
  EXPECT_EQ(browser::countElements(load.dom, "rect", "state"),
            int((schedule.layers.size() + 1) * domains));
  EXPECT_EQ(browser::countElements(load.dom, "rect", "transition"), int(transitionCount(schedule)));
  EXPECT_EQ(browser::countElements(load.dom, "rect", "mismatch"), 0);
  // Drawn from the co-simulation, every section present.
  EXPECT_NE(load.dom.find("measured in the co-simulation"), std::string::npos);
  for (const char *id : {"timeline", "layer-energy", "period-energy", "baselines", "pareto",
                         "characterization", "provenance"})
    EXPECT_NE(load.dom.find(fmt::format("<section id=\"{}\">", id)), std::string::npos) << id;
}

TEST_F(DefaultFlowReport, TwoRunsGiveByteIdenticalPages) {
  // The same command twice (the page names its command line, output directory included).
  ASSERT_EQ(report("twice").status, 0);
  const std::string first = readTextFile(flow_->file("twice/index.html"));
  fs::remove_all(flow_->file("twice"));
  ASSERT_EQ(report("twice").status, 0);
  EXPECT_GT(first.size(), 10000u);
  EXPECT_EQ(first, readTextFile(flow_->file("twice/index.html")));
}

// docs/timeline.svg (the README picture) is this flow's timeline: `make timeline-picture`
// rewrites it after an intended change.
TEST_F(DefaultFlowReport, ReadmePictureIsCurrent) {
  ASSERT_EQ(report("picture", {"--timeline-svg", flow_->file("picture/timeline.svg")}).status, 0);
  EXPECT_EQ(readTextFile(flow_->file("picture/timeline.svg")),
            readTextFile(PF_SOURCE_DIR "/docs/timeline.svg"))
      << "docs/timeline.svg is not current: run `make timeline-picture` and commit it";
}

// A sim report of another schedule: refused, no page.
TEST_F(DefaultFlowReport, SimReportOfAnotherScheduleIsRefusedWithNoPage) {
  StageRun run = flow_->schedule(3000, "other_schedule.json");
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow_->powerflow({"report", "--schedule", flow_->file("other_schedule.json"), "--sim",
                          flow_->file("sim/report.json"), "--out", flow_->file("refused")});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find("PF-9506"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("input_sha256.schedule"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(flow_->file("refused/index.html")));
  // A characterization other than the schedule's: refused too.
  writeText(flow_->file("edited_c.json"), readTextFile(SimFlow::characterization()) + "\n");
  run =
      flow_->powerflow({"report", "--schedule", flow_->file("schedule.json"), "--characterization",
                        flow_->file("edited_c.json"), "--out", flow_->file("refused")});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.output.find("PF-9503"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(flow_->file("refused/index.html")));
}

// A sim report whose measured supply differs from the schedule's (planted: one domain of
// the first layer measured off): drawn as measured, outlined and listed, never silently.
TEST_F(DefaultFlowReport, MeasuredSupplyDifferentFromTheScheduleIsFlagged) {
  Json sim = flow_->readJson("sim/report.json");
  Json planted = Json::object();
  planted.set("name", "pe_grp0");
  planted.set("mode", "off");
  planted.set("rail", -1);
  Json::Array layers = sim.at("by_period").asArray()[0].at("layers").asArray();
  Json::Array domains = layers[0].at("domains").asArray();
  ASSERT_EQ(domains[1].at("name").asString(), "pe_grp0");
  ASSERT_EQ(domains[1].at("mode").asString(), "on");
  domains[1] = planted;
  layers[0].set("domains", Json(domains));
  Json::Array periods = sim.at("by_period").asArray();
  periods[0].set("layers", Json(layers));
  sim.set("by_period", Json(periods));
  writeText(flow_->file("planted_sim.json"), sim.dump());
  const StageRun run = report("planted", {"--sim", flow_->file("planted_sim.json")});
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("1 supplies measured different from the schedule"), std::string::npos)
      << run.output;
  const std::string page = readTextFile(flow_->file("planted/index.html"));
  EXPECT_EQ(browser::countElements(page, "rect", "mismatch"), 1);
  EXPECT_NE(page.find("pe_grp0: measured off, scheduled on"), std::string::npos);
}

// A schedule alone: the page says what is missing where it would have been drawn.
TEST_F(DefaultFlowReport, MissingInputsAreNamedInTheirSections) {
  StageRun run = flow_->powerflow(
      {"report", "--schedule", flow_->file("schedule.json"), "--out", flow_->file("alone")});
  ASSERT_EQ(run.status, 0) << run.output;
  const std::string page = readTextFile(flow_->file("alone/index.html"));
  EXPECT_NE(page.find("No characterization was given (--characterization)"), std::string::npos);
  EXPECT_NE(page.find("No co-simulation report (--sim)"), std::string::npos);
  EXPECT_NE(page.find("Times from the schedule (no co-simulation given)"), std::string::npos);
  EXPECT_NE(run.output.find("report: sim: not given (--sim)"), std::string::npos) << run.output;
}

// ResNet-101 (140 layers on the accelerator): folded into rows, no label on another, small.
TEST(LongNetworkReport, ResNet101PageIsReadableAndSmall) {
  const SimFlow flow({"report_resnet101", "nets/resnet101.toml", "", 1000000, 1000000, 1});
  StageRun run = flow.profile();
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.schedule(1000000);
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.powerflow({"report", "--schedule", flow.file("schedule.json"), "--characterization",
                        SimFlow::characterization(), "--out", flow.file("report")});
  ASSERT_EQ(run.status, 0) << run.output;
  const std::string page = flow.file("report/index.html");
  EXPECT_LT(fs::file_size(page), 2u * 1024 * 1024);
  const ScheduleFile schedule = readScheduleFile(flow.file("schedule.json"));
  EXPECT_GE(schedule.layers.size(), 140u);
  const browser::PageLoad load = openCleanPage(page, 1200, "resnet101");
  ASSERT_TRUE(load.loaded);
  EXPECT_GT(load.labels_checked, 400);
  EXPECT_EQ(browser::countElements(load.dom, "rect", "state"),
            int((schedule.layers.size() + 1) * schedule.domains.size()));
}

}  // namespace
}  // namespace pf::test
