// The co-simulation regression matrix (issue: sim, item 8): rails R = 1..4 x three MLPerf
// Tiny networks x two deadlines, each scheduled, generated and co-simulated for two
// periods with every check: outputs bit-exact, monitors silent, deadlines met, per-layer
// cycles equal to the profile's (less memory-bandwidth stalls), energy within 1 % per
// period. Rails per R (every one a characterized corner of the stub PDK; the always-on
// domain stays at 1.1 V):
//   R=1: 1.1 V;  R=2: 0.6 1.1 V;  R=3: 0.6 0.8 1.1 V (the design's);  R=4: 0.6 0.7 0.9 1.1 V.
// Deadlines: tight = 1.15x and loose = 3x the network's minimum latency on those rails.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "sched/io/ScheduleFile.hh"
#include "sim/cosim/SimReportFile.hh"
#include "tests/cosim/SimFlow.hh"

namespace pf::test {
namespace {

const char *const kRails[] = {"1.1", "0.6 1.1", "0.6 0.8 1.1", "0.6 0.7 0.9 1.1"};
const char *const kNetworks[] = {"kws_dscnn", "ic_resnet8", "vww_mobilenetv1_025"};

using MatrixParam = std::tuple<int, int, bool>;  // rails index, network index, tight

class SimMatrix : public ::testing::TestWithParam<MatrixParam> {};

TEST_P(SimMatrix, AllChecksPass) {
  const auto [rails, network, tight] = GetParam();
  FlowCase flow_case;
  flow_case.name =
      fmt::format("r{}_{}_{}", rails + 1, kNetworks[network], tight ? "tight" : "loose");
  flow_case.network = fmt::format("nets/mlperf_tiny_{}.toml", kNetworks[network]);
  flow_case.rails = kRails[rails];
  flow_case.period_us = 10000;
  const SimFlow flow(flow_case);
  StageRun run = flow.profile();
  ASSERT_EQ(run.status, 0) << run.output;
  // The minimum latency on these rails: a schedule with the whole period as deadline.
  run = flow.schedule(flow_case.period_us, "probe.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const double min_busy_us = flow.readJson("probe.json").at("min_busy_ns").asNumber() / 1000.0;
  const double deadline_us = std::min(flow_case.period_us, (tight ? 1.15 : 3.0) * min_busy_us);
  run = flow.schedule(deadline_us);
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.gen();
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.sim();
  EXPECT_EQ(run.status, 0) << run.output;
  const Json report = flow.readJson("sim/report.json");
  EXPECT_TRUE(report.at("passed").asBool()) << run.output;
  EXPECT_TRUE(report.at("monitor_violations").asArray().empty());
  const Json::Array &periods = report.at("by_period").asArray();
  ASSERT_EQ(periods.size(), 2u);
  for (const Json &period : periods) {
    EXPECT_TRUE(period.at("outputs_bit_exact").asBool());
    EXPECT_TRUE(period.at("deadline_met").asBool());
    EXPECT_TRUE(period.at("cycles_match_profile").asBool());
    EXPECT_LE(std::abs(period.at("relative_difference").asNumber()), 0.01);
    for (const Json &layer : period.at("layers").asArray()) {
      const Json &measured = layer.at("cycles");
      const Json &profile = layer.at("profile_cycles");
      EXPECT_EQ(measured.at("total").asNumber() - layer.at("memory_stall_cycles").asNumber(),
                profile.at("total").asNumber())
          << layer.at("name").asString();
      EXPECT_EQ(measured.at("compute").asNumber(), profile.at("compute").asNumber());
    }
  }
  // The supplies the sequencer set, as measured, are the schedule's in every layer and idle.
  const SimReportFile typed = readSimReportFile(flow.file("sim/report.json"));
  const ScheduleFile schedule = readScheduleFile(flow.file("schedule.json"));
  for (const SimPeriodReport &period : typed.by_period) {
    ASSERT_EQ(period.layers.size(), schedule.layers.size());
    for (size_t i = 0; i < schedule.layers.size(); ++i)
      EXPECT_EQ(period.layers[i].domains, schedule.layers[i].domains) << schedule.layers[i].name;
    EXPECT_EQ(period.idle_domains, schedule.idle.domains);
    EXPECT_EQ(period.idle_clock_stopped, schedule.idle.clock_divider == 0);
  }
  // Every component difference is listed with its cause.
  for (const Json &component : report.at("component_differences_period0").asArray())
    EXPECT_FALSE(component.at("reason").asString().empty())
        << component.at("where").asString() << " " << component.at("domain").asString();
}

std::string matrixName(const ::testing::TestParamInfo<MatrixParam> &info) {
  const auto [rails, network, tight] = info.param;
  return fmt::format("R{}_{}_{}", rails + 1, kNetworks[network], tight ? "tight" : "loose");
}

INSTANTIATE_TEST_SUITE_P(Matrix, SimMatrix,
                         ::testing::Combine(::testing::Range(0, 4), ::testing::Range(0, 3),
                                            ::testing::Bool()),
                         matrixName);

}  // namespace
}  // namespace pf::test
