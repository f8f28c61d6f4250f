// The co-simulation's checks can fail, each caught by the check meant for it, and bad
// input is refused with a message, a non-zero exit and no report. All on the default
// flow: KWS on the design's three rails, 10 ms period, 2 ms deadline, two periods.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "sched/io/ScheduleFile.hh"
#include "tests/cosim/SimFlow.hh"

namespace pf::test {
namespace {

namespace fs = std::filesystem;

FlowCase defaultCase(const std::string &name) {
  FlowCase flow_case;
  flow_case.name = name;
  flow_case.network = "nets/mlperf_tiny_kws_dscnn.toml";
  return flow_case;
}

// profile, schedule and gen of the default flow; the sim's reference run passes.
void prepare(const SimFlow &flow) {
  StageRun run = flow.profile();
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.schedule(2000);
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.gen();
  ASSERT_EQ(run.status, 0) << run.output;
}

std::vector<std::string> failures(const SimFlow &flow) {
  std::vector<std::string> lines;
  const Json report = flow.readJson("sim/report.json");
  for (const Json &f : report.at("failures").asArray()) lines.push_back(f.asString());
  return lines;
}

bool anyContains(const std::vector<std::string> &lines, const std::string &text) {
  for (const std::string &line : lines)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

// The ROM image's word for the listing line whose source ends with `source`.
int romAddress(const SimFlow &flow, const std::string &source) {
  std::istringstream listing(readText(flow.file("gen/pf_pwrseq.lst")));
  std::string line;
  while (std::getline(listing, line)) {
    if (line.size() < source.size() ||
        line.compare(line.size() - source.size(), source.size(), source))
      continue;
    return std::stoi(line.substr(0, 5));
  }
  return -1;
}

// A copy of the ROM image with word `address` replaced.
std::string patchedRom(const SimFlow &flow, int address, uint32_t word, const std::string &name) {
  std::istringstream image(readText(flow.file("gen/pf_pwrseq.memh")));
  std::string line, out;
  int index = 0;
  while (std::getline(image, line)) {
    if (!line.empty() && line[0] != '/') {
      if (index == address) line = fmt::format("{:08x}", word);
      ++index;
    }
    out += line + "\n";
  }
  writeText(flow.file(name), out);
  return flow.file(name);
}

TEST(SimChecks, DefaultFlowPasses) {
  const SimFlow flow(defaultCase("reference"));
  prepare(flow);
  const StageRun run = flow.sim();
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_TRUE(flow.readJson("sim/report.json").at("passed").asBool());
  // Progress on the terminal: a line per period simulated.
  EXPECT_NE(run.output.find("sim: period 1/2 done ("), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("sim: period 2/2 done ("), std::string::npos) << run.output;
}

// A schedule that gates a bank holding a live tensor (ResNet-8: the shortcut's tensor
// waits in a bank across a convolution that does not use it, in retention): switched
// off instead, the tensor is lost and the layer that adds it computes garbage.
TEST(SimChecks, GatingALiveBankCorruptsOutputs) {
  FlowCase flow_case = defaultCase("live_bank");
  flow_case.network = "nets/mlperf_tiny_ic_resnet8.toml";
  const SimFlow flow(flow_case);
  prepare(flow);
  ScheduleFile schedule = readScheduleFile(flow.file("schedule.json"));
  bool gated = false;
  for (ScheduleLayer &layer : schedule.layers) {
    for (size_t d = 0; d < layer.domains.size() && !gated; ++d) {
      if (!layer.keeps_data[d] || layer.uses[d]) continue;
      ASSERT_NE(layer.domains[d].mode, sched::DomainMode::Off) << "the schedule loses it already";
      layer.domains[d] = {sched::DomainMode::Off, -1};
      gated = true;
    }
    if (gated) break;
  }
  ASSERT_TRUE(gated) << "no layer keeps a tensor in a bank it does not use";
  writeText(flow.file("gated.json"), scheduleFileToJson(schedule).dump());
  StageRun run = flow.gen("gated.json", "gen_gated");
  ASSERT_EQ(run.status, 0) << run.output;
  run = flow.sim({}, "gen_gated", "gated.json");
  EXPECT_EQ(run.status, 1) << run.output;
  const std::vector<std::string> lines = failures(flow);
  EXPECT_TRUE(anyContains(lines, "output")) << run.output;
  EXPECT_FALSE(anyContains(lines, "monitor")) << run.output;
}

// A ROM whose program skips a layer (its RUN replaced by a WAIT): the golden check.
TEST(SimChecks, SkippedLayerFailsGolden) {
  const SimFlow flow(defaultCase("skip_layer"));
  prepare(flow);
  const int address = romAddress(flow, "layer 3 ds2_dw: run 1 descriptors");
  ASSERT_GE(address, 0);
  const std::string rom = patchedRom(flow, address, 0x70000001u, "skip.memh");  // WAIT 1
  const StageRun run = flow.sim({"--rom", rom});
  EXPECT_EQ(run.status, 1) << run.output;
  const std::vector<std::string> lines = failures(flow);
  EXPECT_TRUE(anyContains(lines, "layer ds2_dw output: the layer did not run")) << run.output;
}

// A deadline the run cannot meet: the schedule says 2 ms, a ROM that waits 2 ms
// before the first layer makes it late.
TEST(SimChecks, LateRunFailsDeadline) {
  const SimFlow flow(defaultCase("deadline"));
  prepare(flow);
  const int address = romAddress(flow, "layer 0 conv1: boundary in: divider switch");
  ASSERT_GE(address, 0);
  // WAIT 65535 at the slowest clock used here is far beyond the 13 us of slack.
  const std::string rom = patchedRom(flow, address, 0x7000ffffu, "late.memh");
  const StageRun run = flow.sim({"--rom", rom});
  EXPECT_EQ(run.status, 1) << run.output;
  const std::vector<std::string> lines = failures(flow);
  EXPECT_TRUE(anyContains(lines, "deadline missed")) << run.output;
  EXPECT_FALSE(anyContains(lines, "output")) << run.output;
}

// The isolation monitor: a mutant sequencer that releases isolation when the switch
// closes, before power-good (the generated one cannot: its rule is proven, docs/proofs.md).
TEST(SimChecks, EarlyIsolationReleaseCaughtByMonitor) {
  const SimFlow flow(defaultCase("iso_mutant"));
  prepare(flow);
  const std::string path = flow.file("gen/pf_pwrseq.v");
  std::string text = readText(path);
  const std::string anchor = "sw_n[d] = 1'b1;";
  const size_t at = text.find(anchor);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + anchor.size(), " iso_n[d] = 1'b0;");
  writeText(path, text);
  rehashManifest(flow.file("gen"), "sequencer");
  const StageRun run = flow.sim({}, "gen", "schedule.json", flow.file("work"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_TRUE(anyContains(failures(flow), "monitor isolation-released-unpowered")) << run.output;
}

// A clock too fast for a rail: a mutant sequencer without its DVFS guard (DIV_MIN all 0)
// and a ROM whose every DIV selects the fastest clock: the fmax monitor. The generated
// sequencer refuses the same ROM (a DIV that is an illegal use).
TEST(SimChecks, ClockAboveFmaxCaughtByMonitor) {
  const SimFlow flow(defaultCase("fmax"));
  prepare(flow);
  std::string rom_text = readText(flow.file("gen/pf_pwrseq.memh"));
  rom_text =
      std::regex_replace(rom_text, std::regex("^6000000[0-7]$", std::regex::multiline), "60000000");
  writeText(flow.file("fast.memh"), rom_text);
  StageRun run = flow.sim({"--rom", flow.file("fast.memh")});
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_TRUE(anyContains(failures(flow), "monitor sequencer-error")) << run.output;

  const std::string path = flow.file("gen/pf_pwrseq.v");
  const std::string text = std::regex_replace(
      readText(path), std::regex("DIV_MIN = (\\d+)'h[0-9a-f]+"), "DIV_MIN = $1'h0");
  writeText(path, text);
  rehashManifest(flow.file("gen"), "sequencer");
  run = flow.sim({"--rom", flow.file("fast.memh")}, "gen", "schedule.json", flow.file("work"));
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_TRUE(anyContains(failures(flow), "monitor clock-above-fmax")) << run.output;
}

// Header switches far slower than characterized (a what-if, here a fault): the
// sequencer's power-good timeout fires, and the monitor names it.
TEST(SimChecks, SlowSwitchCaughtAsPowerGoodTimeout) {
  const SimFlow flow(defaultCase("slow_switch"));
  prepare(flow);
  const StageRun run = flow.sim({"--switch-slowdown", "1000"});
  EXPECT_EQ(run.status, 1) << run.output;
  EXPECT_TRUE(anyContains(failures(flow), "monitor power-good-timeout")) << run.output;
}

// Bad input: a message naming what is wrong, a non-zero exit, and no report.
class SimBadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    flow_ = new SimFlow(defaultCase("bad_input"));
    prepare(*flow_);
  }
  static void TearDownTestSuite() { delete flow_; }
  void expectRefused(const StageRun &run, const std::string &text) {
    EXPECT_NE(run.status, 0) << run.output;
    EXPECT_NE(run.output.find(text), std::string::npos) << run.output;
    EXPECT_FALSE(fs::exists(flow_->file("sim/report.json"))) << run.output;
  }
  static SimFlow *flow_;
};
SimFlow *SimBadInput::flow_ = nullptr;

TEST_F(SimBadInput, ZeroPeriods) { expectRefused(flow_->sim({"--periods", "0"}), "--periods"); }

TEST_F(SimBadInput, UnwritableOutput) {
  writeText(flow_->file("a_file"), "");
  expectRefused(flow_->sim({"--out", flow_->file("a_file/sim")}), "cannot write");
}

TEST_F(SimBadInput, MissingCharacterization) {
  const StageRun run =
      flow_->powerflow({"sim", "--characterization", flow_->file("nowhere.json"), "--profile",
                        flow_->file("profile.json"), "--schedule", flow_->file("schedule.json"),
                        "--gen", flow_->file("gen"), "--out", flow_->file("sim")});
  expectRefused(run, "nowhere.json");
}

TEST_F(SimBadInput, SequencerForOtherRails) {
  // gen for two rails, simulated against the design's three.
  FlowCase two = defaultCase("bad_input_r2");
  two.rails = "0.6 1.1";
  const SimFlow other(two);
  ASSERT_EQ(other.profile().status, 0);
  ASSERT_EQ(other.schedule(2000).status, 0);
  ASSERT_EQ(other.gen().status, 0);
  expectRefused(flow_->sim({"--gen", other.file("gen")}), "re-run powerflow");
}

TEST_F(SimBadInput, EditedSystemTop) {
  fs::copy(flow_->file("gen"), flow_->file("gen_edited"), fs::copy_options::recursive);
  writeText(flow_->file("gen_edited/pf_system.v"),
            readText(flow_->file("gen_edited/pf_system.v")) + "// edited\n");
  expectRefused(flow_->sim({"--gen", flow_->file("gen_edited")}), "differs from the file");
}

}  // namespace
}  // namespace pf::test
