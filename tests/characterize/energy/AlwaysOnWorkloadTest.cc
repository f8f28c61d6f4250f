// The always-on energy workload and its RTL recorder, without the gate-level part:
// the workload's layers are valid and carry data; the recorder refuses a top it cannot
// drive, naming the port. (The recorder on the real RTL: AlwaysOnRecorderTest.cc.)
#include <gtest/gtest.h>

#include <algorithm>

#include "characterize/energy/AcceleratorWorkload.hh"
#include "characterize/energy/RtlRecorder.hh"
#include "core/Error.hh"
#include "golden/Packing.hh"

namespace pf::energy {
namespace {

TEST(AcceleratorWorkload, LayersAreValidPackedAndCarryData) {
  const AcceleratorWorkload w = makeAcceleratorWorkload(AccelConfig{});
  ASSERT_EQ(w.layers.size(), 4u);
  std::vector<LayerOp> ops;
  for (const WorkloadLayer &layer : w.layers) {
    ops.push_back(layer.desc.op);
    EXPECT_TRUE(validate(layer.desc, w.config).empty())
        << layer.name << ": " << formatProblems(validate(layer.desc, w.config));
    // The descriptor in the image decodes to the layer.
    std::array<uint32_t, kDescriptorWords> words{};
    for (int i = 0; i < kDescriptorWords; ++i)
      for (int b = 0; b < 4; ++b)
        words[size_t(i)] |= uint32_t(w.memory.at(layer.desc_addr + 4 * i + b)) << (8 * b);
    EXPECT_EQ(encodeDescriptor(decodeDescriptor(words)), encodeDescriptor(layer.desc))
        << layer.name;
    // Every phase runs: loads, compute, store.
    EXPECT_GT(layer.desc.act_dma_words, 0) << layer.name;
    EXPECT_GT(layer.desc.out_dma_words, 0) << layer.name;
    // Outputs neither all zero nor all saturated: the requantisation keeps data moving.
    const auto nonzero = std::count_if(layer.expected.begin(), layer.expected.end(),
                                       [](int8_t v) { return v != 0; });
    const auto saturated = std::count(layer.expected.begin(), layer.expected.end(), int8_t{127});
    EXPECT_GT(nonzero, int64_t(layer.expected.size() / 4)) << layer.name;
    EXPECT_LT(saturated, int64_t(layer.expected.size() / 4)) << layer.name;
  }
  EXPECT_EQ(ops,
            (std::vector<LayerOp>{LayerOp::Conv, LayerOp::DwConv, LayerOp::MaxPool, LayerOp::Add}));
}

TEST(AcceleratorWorkload, DeterministicAndFitsAnotherConfiguration) {
  EXPECT_EQ(makeAcceleratorWorkload(AccelConfig{}).memory,
            makeAcceleratorWorkload(AccelConfig{}).memory);
  EXPECT_NE(makeAcceleratorWorkload(AccelConfig{}, 1).memory,
            makeAcceleratorWorkload(AccelConfig{}, 2).memory);
  AccelConfig wide;  // the second parameter set of the RTL regression
  wide.rows = 16;
  wide.cols = 32;
  wide.act_banks = 2;
  wide.w_banks = 2;
  wide.w_bank_words = 64;
  for (const WorkloadLayer &layer : makeAcceleratorWorkload(wide).layers)
    EXPECT_TRUE(validate(layer.desc, wide).empty()) << layer.name;
}

TEST(AcceleratorWorkload, TooSmallBuffersAreRefused) {
  AccelConfig tiny;
  tiny.act_banks = 1;
  tiny.act_bank_words = 64;
  try {
    makeAcceleratorWorkload(tiny);
    FAIL() << "accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 5361);
    EXPECT_NE(error.message().find("data buffer"), std::string::npos) << error.message();
  }
}

RecorderSpec contractSpec() {
  RecorderSpec spec;
  spec.top = "accel";
  spec.ports = {{"clk", 1, true},
                {"rst_n", 1, true},
                {"start", 1, true},
                {"desc_addr", 32, true},
                {"dma_req_ready", 1, true},
                {"dma_rsp_valid", 1, true},
                {"dma_rsp_rdata", 64, true},
                {"busy", 1, false},
                {"done", 1, false},
                {"err_code", 4, false},
                {"phase", 3, false},
                {"dma_req_valid", 1, false},
                {"dma_req_we", 1, false},
                {"dma_req_addr", 32, false},
                {"dma_req_wdata", 64, false}};
  return spec;
}

void expectRefused(const RecorderSpec &spec, const std::string &field, int id) {
  try {
    recorderWrapperVerilog(spec);
    FAIL() << "accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), id);
    EXPECT_EQ(error.field(), field) << error.message();
  }
}

TEST(RtlRecorder, WrapperTiesControlsAndReadsHierarchicalSignals) {
  RecorderSpec spec = contractSpec();
  spec.ports.push_back({"pgood", 4, true});
  spec.tied_inputs["pgood"] = 0b1011;
  spec.recorded = {{"u_bank.rdata", 5, 64, true}, {"start", 0, 1, false}};
  const std::string v = recorderWrapperVerilog(spec);
  EXPECT_NE(v.find("assign p_pgood = 4'd11;"), std::string::npos) << v;
  EXPECT_NE(v.find("{1'b0"), std::string::npos) << v;
  EXPECT_NE(v.find("p_start, dut.u_bank.rdata[5]}"), std::string::npos) << v;
}

TEST(RtlRecorder, TopWithoutTheContractIsRefusedNamingThePort) {
  RecorderSpec missing = contractSpec();
  missing.ports.erase(missing.ports.begin() + 2);  // start
  expectRefused(missing, "start", 5369);
  RecorderSpec narrow = contractSpec();
  narrow.ports[3].width = 16;  // desc_addr
  expectRefused(narrow, "desc_addr", 5362);
  RecorderSpec untied = contractSpec();
  untied.ports.push_back({"test_mode", 1, true});
  expectRefused(untied, "test_mode", 5368);
}

}  // namespace
}  // namespace pf::energy
