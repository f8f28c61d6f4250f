// The workload recorder on the real RTL of pf_accel (Verilator, ~10 s cold): every layer
// finishes without error, stores what the golden model computes, takes exactly the cycles
// the documented timing model predicts for the recorder's memory, and the recorded
// signals are the ones asked for (a top-level input as driven, a net deep in the
// hierarchy as the RTL computed it).
#include <gtest/gtest.h>

#include "characterize/energy/AcceleratorWorkload.hh"
#include "characterize/energy/RtlRecorder.hh"
#include "core/Design.hh"
#include "core/FileList.hh"
#include "golden/Timing.hh"

namespace pf::energy {
namespace {

// The accelerator as rtl/design.toml parameterizes it (bank and group counts set the
// widths of the power-control ports).
const DesignSpec &design() {
  static const DesignSpec spec = readDesign(PF_SOURCE_DIR "/rtl/design.toml");
  return spec;
}

int parameter(const char *name) { return int(design().parameters.at(name)); }

AccelConfig accelConfig() {
  AccelConfig cfg;
  cfg.rows = parameter("ROWS");
  cfg.cols = parameter("COLS");
  cfg.col_groups = parameter("COL_GROUPS");
  cfg.act_banks = parameter("ACT_BANKS");
  cfg.act_bank_words = parameter("ACT_BANK_WORDS");
  cfg.w_banks = parameter("W_BANKS");
  cfg.w_bank_words = parameter("W_BANK_WORDS");
  return cfg;
}

RecorderSpec acceleratorSpec() {
  const int g = parameter("COL_GROUPS"), a = parameter("ACT_BANKS"), w = parameter("W_BANKS");
  const uint64_t all_g = (1u << g) - 1, all_a = (1u << a) - 1, all_w = (1u << w) - 1;
  RecorderSpec spec;
  spec.top = "pf_accel";
  spec.rtl_files = readFileList(design().filelist);
  spec.parameters = design().parameters;
  spec.ports = {{"clk", 1, true},
                {"rst_n", 1, true},
                {"start", 1, true},
                {"desc_addr", 32, true},
                {"busy", 1, false},
                {"done", 1, false},
                {"err_code", 4, false},
                {"phase", 3, false},
                {"dma_req_valid", 1, false},
                {"dma_req_ready", 1, true},
                {"dma_req_we", 1, false},
                {"dma_req_addr", 32, false},
                {"dma_req_wdata", 64, false},
                {"dma_rsp_valid", 1, true},
                {"dma_rsp_rdata", 64, true},
                {"pe_pgood", g, true},
                {"pe_iso", g, true},
                {"pe_rst_n", g, true},
                {"pe_active", g, false},
                {"act_pgood", a, true},
                {"act_iso", a, true},
                {"act_ret", a, true},
                {"w_pgood", w, true},
                {"w_iso", w, true},
                {"w_ret", w, true},
                {"act_bank_active", a, false},
                {"w_bank_active", w, false}};
  spec.tied_inputs = {{"pe_pgood", all_g},  {"pe_iso", 0},  {"pe_rst_n", all_g},
                      {"act_pgood", all_a}, {"act_iso", 0}, {"act_ret", 0},
                      {"w_pgood", all_w},   {"w_iso", 0},   {"w_ret", 0}};
  spec.recorded = {{"start", 0, 1, false}, {"u_ctrl.st", 0, 5, true}, {"u_ctrl.st", 1, 5, true}};
  spec.checked = {{"pe_active", 0, g, false}};
  return spec;
}

class AlwaysOnRecorder : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    workload_ = makeAcceleratorWorkload(accelConfig());
    std::vector<RecorderStep> steps = {{RecorderStep::Reset, 4, 0}};
    for (const WorkloadLayer &layer : workload_.layers) {
      steps.push_back({RecorderStep::Run, 100000, layer.desc_addr});
      steps.push_back({RecorderStep::Idle, 10, 0});
    }
    trace_ = recordRtl(acceleratorSpec(), workload_.memory, memory_, steps,
                       PF_ENERGY_WORK_DIR "/aon_recorder");
  }
  static inline AcceleratorWorkload workload_;
  static inline MemoryModel memory_;
  static inline RecorderTrace trace_;
};

TEST_F(AlwaysOnRecorder, EveryLayerRunsAsTheGoldenModelSays) {
  ASSERT_EQ(trace_.runs.size(), workload_.layers.size());
  EXPECT_EQ(trace_.bad_accesses, 0);
  for (size_t i = 0; i < workload_.layers.size(); ++i) {
    const WorkloadLayer &layer = workload_.layers[i];
    const RecordedRun &run = trace_.runs[i];
    ASSERT_TRUE(run.done) << layer.name;
    EXPECT_EQ(run.err_code, 0) << layer.name;
    EXPECT_EQ(outputMismatches(workload_, layer, trace_.memory), 0) << layer.name;
    EXPECT_EQ(run.cycles, layerCycles(layer.desc, workload_.config, memory_.read_latency).total)
        << layer.name;
  }
}

TEST_F(AlwaysOnRecorder, RecordsTheRequestedSignalsEveryCycle) {
  ASSERT_EQ(trace_.cycles(), int64_t(trace_.status.size()));
  ASSERT_EQ(trace_.recorded.size(), size_t(trace_.cycles()) * size_t(trace_.recorded_words));
  int64_t starts = 0;
  for (int64_t c = 0; c < trace_.cycles(); ++c) {
    const bool start = trace_.bit(trace_.recorded, trace_.recorded_words, c, 0);
    starts += start;
    const bool busy = trace_.status[size_t(c)] & CycleStatus::kBusy;
    // pf_ctrl's state register (two low bits) is S_IDLE (0) exactly when not busy.
    const bool idle_state = !trace_.bit(trace_.recorded, trace_.recorded_words, c, 1) &&
                            !trace_.bit(trace_.recorded, trace_.recorded_words, c, 2);
    if (!busy) {
      EXPECT_TRUE(idle_state) << "cycle " << c;
    }
    // The PE groups are active in compute only (pe_active checked bit 0: group 0).
    if (trace_.bit(trace_.checked, trace_.checked_words, c, 0)) {
      EXPECT_EQ(CycleStatus::phase(trace_.status[size_t(c)]), 3) << "cycle " << c;
    }
  }
  EXPECT_EQ(starts, int64_t(workload_.layers.size()));
  for (const RecordedRun &run : trace_.runs)
    EXPECT_TRUE(trace_.bit(trace_.recorded, trace_.recorded_words, run.first_cycle, 0));
}

}  // namespace
}  // namespace pf::energy
