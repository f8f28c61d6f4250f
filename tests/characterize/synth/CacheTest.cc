// Stage caches of synthesize() and analyzeTiming() on the tiny 3-domain design: the RTL
// and the stub libraries are copied to a scratch directory so each test can change one
// input and check that exactly the stages depending on it run again.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "characterize/synth/Synth.hh"
#include "core/Design.hh"
#include "core/Files.hh"

namespace {

namespace fs = std::filesystem;
using pf::synth::SynthesisResult;
using pf::synth::TimingResult;

const std::string kSourceDir = PF_SOURCE_DIR;
const std::string kDataDir = kSourceDir + "/tests/characterize/synth/data";
const std::string kLibDir = kSourceDir + "/pdk_stub/lib";
const std::vector<std::string> kTags = {"v0p60", "v0p80", "v1p10"};

void expectSameSynthesis(const SynthesisResult &a, const SynthesisResult &b, bool with_costs) {
  EXPECT_EQ(a.top, b.top);
  EXPECT_EQ(a.netlist_file, b.netlist_file);
  EXPECT_EQ(a.sta_netlist_file, b.sta_netlist_file);
  EXPECT_EQ(a.synthesis_liberty, b.synthesis_liberty);
  ASSERT_EQ(a.domains.size(), b.domains.size());
  for (size_t d = 0; d < a.domains.size(); ++d) {
    const auto &x = a.domains[d];
    const auto &y = b.domains[d];
    EXPECT_EQ(x.domain, y.domain);
    EXPECT_EQ(x.kind, y.kind) << x.domain;
    EXPECT_EQ(x.modules, y.modules) << x.domain;
    EXPECT_EQ(x.macro, y.macro) << x.domain;
    EXPECT_EQ(x.cells, y.cells) << x.domain;
    EXPECT_EQ(x.area_um2, y.area_um2) << x.domain;
    EXPECT_EQ(x.netlist_file, y.netlist_file) << x.domain;
    EXPECT_EQ(x.cell_counts, y.cell_counts) << x.domain;
    EXPECT_EQ(x.sram_pins.clock, y.sram_pins.clock) << x.domain;
    EXPECT_EQ(x.sram_pins.chip_enable, y.sram_pins.chip_enable) << x.domain;
    EXPECT_EQ(x.sram_pins.chip_enable_active_low, y.sram_pins.chip_enable_active_low);
    EXPECT_EQ(x.sram_pins.write_enable, y.sram_pins.write_enable) << x.domain;
    EXPECT_EQ(x.sram_pins.write_enable_active_low, y.sram_pins.write_enable_active_low);
    EXPECT_EQ(x.sram_pins.rtl_ports, y.sram_pins.rtl_ports) << x.domain;
  }
  EXPECT_EQ(a.total_cells, b.total_cells);
  EXPECT_EQ(a.total_area_um2, b.total_area_um2);
  EXPECT_EQ(a.max_fanout_before, b.max_fanout_before);
  EXPECT_EQ(a.max_fanout_after, b.max_fanout_after);
  EXPECT_EQ(a.buffers_inserted, b.buffers_inserted);
  EXPECT_EQ(a.buffer_cell, b.buffer_cell);
  EXPECT_EQ(a.level_shifter_cell, b.level_shifter_cell);
  EXPECT_EQ(a.clock_port, b.clock_port);
  EXPECT_EQ(a.async_reset_ports, b.async_reset_ports);
  EXPECT_EQ(a.domain_instance_paths, b.domain_instance_paths);
  if (with_costs) {
    EXPECT_EQ(a.yosys_wall_seconds, b.yosys_wall_seconds);
    EXPECT_EQ(a.yosys_peak_rss_kib, b.yosys_peak_rss_kib);
    EXPECT_EQ(a.netlist_pass_wall_seconds, b.netlist_pass_wall_seconds);
  }
}

void expectSameTiming(const TimingResult &a, const TimingResult &b, bool with_costs) {
  EXPECT_EQ(a.voltages_v, b.voltages_v);
  EXPECT_EQ(a.level_shifter_delay_ns, b.level_shifter_delay_ns);
  EXPECT_EQ(a.endpoints, b.endpoints);
  EXPECT_EQ(a.script_file, b.script_file);
  EXPECT_EQ(a.log_file, b.log_file);
  ASSERT_EQ(a.domains.size(), b.domains.size());
  for (size_t d = 0; d < a.domains.size(); ++d) {
    const auto &x = a.domains[d];
    const auto &y = b.domains[d];
    EXPECT_EQ(x.domain, y.domain);
    EXPECT_EQ(x.voltages_v, y.voltages_v) << x.domain;
    EXPECT_EQ(x.critical_path_ns, y.critical_path_ns) << x.domain;
    EXPECT_EQ(x.fmax_mhz, y.fmax_mhz) << x.domain;
    EXPECT_EQ(x.critical_crosses_domain, y.critical_crosses_domain) << x.domain;
    EXPECT_EQ(x.internal_path_ns, y.internal_path_ns) << x.domain;
    EXPECT_EQ(x.crossing_path_ns, y.crossing_path_ns) << x.domain;
    EXPECT_EQ(x.critical_startpoint, y.critical_startpoint) << x.domain;
    EXPECT_EQ(x.critical_endpoint, y.critical_endpoint) << x.domain;
  }
  if (with_costs) {
    EXPECT_EQ(a.sta_wall_seconds, b.sta_wall_seconds);
    EXPECT_EQ(a.sta_peak_rss_kib, b.sta_peak_rss_kib);
  }
}

// The tiny design and three stub corners, all copied to a scratch directory.
class SynthCache : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    root_ = fs::temp_directory_path().string() + "/pf_synth_cache_" + std::to_string(::getpid()) +
            "_" + test;
    fs::remove_all(root_);
    fs::create_directories(root_ + "/lib");
    fs::copy(kDataDir, root_ + "/rtl", fs::copy_options::recursive);
    for (const std::string &tag : kTags) {
      pf::synth::LibertyCorner corner;
      corner.voltage_v = std::stod(tag.substr(1, 1) + "." + tag.substr(3, 2));
      corner.std_cell_liberty = root_ + "/lib/pf40lp_std_" + tag + ".lib";
      corner.sram_liberty = root_ + "/lib/pf40lp_sram_" + tag + ".lib";
      fs::copy_file(kLibDir + "/pf40lp_std_" + tag + ".lib", corner.std_cell_liberty);
      fs::copy_file(kLibDir + "/pf40lp_sram_" + tag + ".lib", corner.sram_liberty);
      corners_.push_back(corner);
    }
    design_ = pf::readDesign(root_ + "/rtl/tiny.toml");
    options_.work_dir = root_ + "/work";
    options_.max_fanout = 8;
    options_.progress = [this](const std::string &line) { messages_.push_back(line); };
  }
  void TearDown() override {
    if (!std::getenv("PF_KEEP_WORK")) fs::remove_all(root_);
  }

  SynthesisResult synthesize() {
    messages_.clear();
    return pf::synth::synthesize(design_, corners_, options_);
  }
  TimingResult analyzeTiming(const SynthesisResult &synthesis) {
    messages_.clear();
    return pf::synth::analyzeTiming(design_, corners_, synthesis, options_);
  }
  // Whether the last call ran a tool: its progress lines name it.
  bool said(const std::string &start) const {
    return std::any_of(messages_.begin(), messages_.end(),
                       [&](const std::string &line) { return line.rfind(start, 0) == 0; });
  }
  bool ranYosys() const { return said("synthesizing ") || said("checking liberty files"); }
  bool ranSta() const { return said("timing 3 corners with OpenSTA"); }

  // Appends to a file (a content change both parsers accept for .v and .lib).
  static void append(const std::string &path, const std::string &text) {
    std::ofstream(path, std::ios::app) << text;
  }

  std::string root_;
  pf::DesignSpec design_;
  std::vector<pf::synth::LibertyCorner> corners_;
  pf::synth::SynthOptions options_;
  std::vector<std::string> messages_;
};

TEST_F(SynthCache, SecondRunIsIdenticalAndRunsNoTool) {
  const SynthesisResult first = synthesize();
  EXPECT_FALSE(first.from_cache);
  EXPECT_TRUE(ranYosys());
  EXPECT_TRUE(fs::exists(options_.work_dir + "/synthesis.cache.json"));
  const TimingResult first_timing = analyzeTiming(first);
  EXPECT_FALSE(first_timing.from_cache);
  EXPECT_TRUE(ranSta());

  const SynthesisResult second = synthesize();
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(messages_, std::vector<std::string>{"synthesis: up to date (cache)"});
  expectSameSynthesis(first, second, true);  // costs: those of the run that made the cache
  const TimingResult second_timing = analyzeTiming(second);
  EXPECT_TRUE(second_timing.from_cache);
  EXPECT_EQ(messages_, std::vector<std::string>{"timing: up to date (cache)"});
  expectSameTiming(first_timing, second_timing, true);
}

TEST_F(SynthCache, OtherCornerLibertyRerunsTimingOnly) {
  const SynthesisResult first = synthesize();
  const TimingResult first_timing = analyzeTiming(first);
  // The 0.6 V library is not the synthesis corner (1.1 V is): only STA depends on it.
  append(corners_[0].std_cell_liberty, "\n/* edited after synthesis */\n");
  const SynthesisResult second = synthesize();
  EXPECT_TRUE(second.from_cache);
  EXPECT_FALSE(ranYosys());
  const TimingResult second_timing = analyzeTiming(second);
  EXPECT_FALSE(second_timing.from_cache);
  EXPECT_TRUE(ranSta());
  expectSameTiming(first_timing, second_timing, false);  // a comment: same numbers
  EXPECT_TRUE(analyzeTiming(second).from_cache);

  // The synthesis corner's SRAM library is a synthesis input.
  append(corners_[2].sram_liberty, "\n/* edited */\n");
  const SynthesisResult third = synthesize();
  EXPECT_FALSE(third.from_cache);
  EXPECT_TRUE(ranYosys());
  expectSameSynthesis(first, third, false);
}

TEST_F(SynthCache, RtlOrOptionChangeRerunsSynthesis) {
  const SynthesisResult first = synthesize();
  append(root_ + "/rtl/tiny_top.v", "\n// edited\n");
  const SynthesisResult second = synthesize();
  EXPECT_FALSE(second.from_cache);
  EXPECT_TRUE(ranYosys());
  expectSameSynthesis(first, second, false);  // a comment: same netlist
  EXPECT_TRUE(synthesize().from_cache);

  options_.max_fanout = 6;
  const SynthesisResult third = synthesize();
  EXPECT_FALSE(third.from_cache);
  EXPECT_LE(third.max_fanout_after, 6);
  // Timing-only options leave synthesis cached.
  options_.clock_period_ns = 500;
  EXPECT_TRUE(synthesize().from_cache);
}

TEST_F(SynthCache, CorruptOrStaleCacheIsIgnored) {
  const SynthesisResult first = synthesize();
  const TimingResult first_timing = analyzeTiming(first);
  const std::string synth_cache = options_.work_dir + "/synthesis.cache.json";
  const std::string timing_cache = options_.work_dir + "/timing.cache.json";

  // Truncated: not JSON any more.
  const std::string text = pf::readTextFile(synth_cache);
  std::ofstream(synth_cache, std::ios::trunc) << text.substr(0, text.size() / 2);
  SynthesisResult again = synthesize();
  EXPECT_FALSE(again.from_cache);
  expectSameSynthesis(first, again, false);
  EXPECT_TRUE(synthesize().from_cache);  // rewritten

  // Right key, wrong types inside.
  std::string timing_text = pf::readTextFile(timing_cache);
  const size_t at = timing_text.find("\"endpoints\": ");
  ASSERT_NE(at, std::string::npos);
  timing_text.insert(at + 13, "\"many\", \"was\": ");
  std::ofstream(timing_cache, std::ios::trunc) << timing_text;
  TimingResult timing_again = analyzeTiming(again);
  EXPECT_FALSE(timing_again.from_cache);
  expectSameTiming(first_timing, timing_again, false);

  // Not an object at all, then an empty file.
  std::ofstream(synth_cache, std::ios::trunc) << "[1, 2, 3]\n";
  EXPECT_FALSE(synthesize().from_cache);
  std::ofstream(timing_cache, std::ios::trunc) << "";
  EXPECT_FALSE(analyzeTiming(again).from_cache);

  // A netlist the entry names is gone: recompute rather than return a dangling path.
  fs::remove(first.domains[1].netlist_file);
  again = synthesize();
  EXPECT_FALSE(again.from_cache);
  EXPECT_TRUE(fs::exists(first.domains[1].netlist_file));
}

}  // namespace
