// Networks as users have them, end to end (issue 12): each ONNX test model of nets/tests/
// (all end in a host softmax; the fire modules concatenate, the DS-CNN pools 25x5 in two
// passes, one is in onnxruntime's default uint8 QDQ form) is profiled, scheduled, generated and
// co-simulated for two periods with every check of the matrix (outputs bit-exact, the
// host's layers included, monitors silent, deadlines met, cycles equal the profile's,
// energy within 1 % per period); and the schedule gates the accelerator while the host
// works.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/cosim/SimFlow.hh"

namespace pf::test {
namespace {

// The ONNX forms (nets/tests/onnx/), as a user has them: each reads as its TOML
// (tests/net/OnnxReaderTest.cc), the last in onnxruntime's default uint8 QDQ form.
const char *const kHostNetworks[] = {"test_cnn_softmax",        "test_mobilenetv3_block",
                                     "test_transpose_max_pool", "test_squeezenet_fire",
                                     "test_dscnn_pool25x5",     "test_cnn_softmax_qdq_u8"};

class SimHost : public ::testing::TestWithParam<int> {};

// Is every PE group of the design off in this schedule entry's power state?
bool peGroupsOff(const Json &layer) {
  int pe_groups = 0;
  for (const Json &domain : layer.at("domains").asArray()) {
    if (domain.at("name").asString().rfind("pe_grp", 0) != 0) continue;
    ++pe_groups;
    if (domain.at("mode").asString() != "off") return false;
  }
  return pe_groups > 0;
}

TEST_P(SimHost, AllChecksPassAndTheAcceleratorIsGatedDuringHostSegments) {
  const std::string network = kHostNetworks[GetParam()];
  FlowCase flow_case;
  flow_case.name = "host_" + network;
  flow_case.network = "nets/tests/onnx/" + network + ".onnx";
  flow_case.period_us = 1e6;  // for the probe of the minimum latency
  const SimFlow flow(flow_case);
  StageRun run = flow.powerflow({"net", "show", flow_case.network});  // from the source tree
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("on the host processor (docs/host.md): "), std::string::npos)
      << run.output;
  run = flow.profile();
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.schedule(1e6, "probe.json");
  ASSERT_EQ(run.status, 0) << run.output;
  const double min_busy_us = flow.readJson("probe.json").at("min_busy_ns").asNumber() / 1000.0;
  // A period twice the minimum latency, the deadline 1.3 times it: room to slow and gate.
  flow_case.period_us = std::ceil(2.0 * min_busy_us);
  const SimFlow timed(flow_case);
  run = timed.profile();
  ASSERT_EQ(run.status, 0) << run.output;
  run = timed.schedule(std::ceil(1.3 * min_busy_us));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_NE(run.output.find("host segments:"), std::string::npos) << run.output;

  const Json schedule = timed.readJson("schedule.json");
  // Gating pays when the segment is long against the boundary's own cost (the sequencer's
  // instructions, the wake-up after it): every segment of 100 us or more has the PE array
  // off. (A few-us softmax may keep it on: the optimum, not a rule.)
  int host_layers = 0, long_segments = 0, gated = 0;
  for (const Json &layer : schedule.at("layers").asArray()) {
    if (layer.at("host").isNull()) continue;
    ++host_layers;
    EXPECT_EQ(layer.at("descriptors").at("count").asNumber(), 0);
    const double host_ns = layer.at("host").at("time_ns").asNumber();
    EXPECT_GT(host_ns, 0.0);
    if (host_ns < 100e3) continue;
    ++long_segments;
    gated += peGroupsOff(layer);
  }
  EXPECT_GT(host_layers, 0);
  EXPECT_EQ(gated, long_segments) << "a long host segment with the PE array left on";

  run = timed.gen();
  ASSERT_EQ(run.status, 0) << run.output;
  run = timed.sim();
  EXPECT_EQ(run.status, 0) << run.output;
  const Json report = timed.readJson("sim/report.json");
  EXPECT_TRUE(report.at("passed").asBool()) << run.output;
  EXPECT_TRUE(report.at("monitor_violations").asArray().empty());
  for (const Json &period : report.at("by_period").asArray()) {
    EXPECT_TRUE(period.at("outputs_bit_exact").asBool());
    EXPECT_TRUE(period.at("deadline_met").asBool());
    EXPECT_LE(std::abs(period.at("relative_difference").asNumber()), 0.01);
    int host_ran = 0;
    for (const Json &layer : period.at("layers").asArray())
      host_ran += layer.at("golden_ok").asBool() && layer.at("cycles").at("total").asNumber() == 0;
    EXPECT_GE(host_ran, host_layers) << "host layers checked against the golden model";
  }
}

INSTANTIATE_TEST_SUITE_P(TestNetworks, SimHost, ::testing::Range(0, 6),
                         [](const ::testing::TestParamInfo<int> &param_info) {
                           return std::string(kHostNetworks[param_info.param]);
                         });

}  // namespace
}  // namespace pf::test
