// The generated sequencer passes `verilator --lint-only -Wall` (no waivers) for every rail
// count 1..8 with 2, 12 and 32 switchable domains, and synthesizes in Yosys for every rail
// count with 2 and 12 domains and for 1 and 8 rails with 32 (a 32-domain synthesis takes
// ~13 s of CPU; the domain count is a loop bound the other shapes already vary).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>
#include <tuple>

#include "core/Files.hh"
#include "core/Subprocess.hh"
#include "gen/Sequencer.hh"

namespace pf::gen {
namespace {

namespace fs = std::filesystem;

// A shape with varied tables: every other domain retains, limits differ per rail.
SequencerParams shape(int rails, int domains) {
  SequencerParams params;
  params.rails = rails;
  params.domains = domains;
  params.dividers = 6;
  params.rom_depth = 256;
  params.pg_timeout_cycles = 121;
  for (int d = 0; d < domains; ++d) {
    params.has_retention.push_back(d % 2 == 1);
    for (int r = 0; r < rails; ++r) params.div_min.push_back(r == 0 ? 3 : (r == 1 ? 1 : 0));
  }
  return params;
}

class SequencerRtl : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  void SetUp() override {
    const auto [rails, domains] = GetParam();
    dir_ = fs::temp_directory_path() / ("pf_seq_rtl_" + std::to_string(getpid()) + "_" +
                                        std::to_string(rails) + "_" + std::to_string(domains));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    params_ = shape(rails, domains);
    writeFileAtomic((dir_ / "pf_pwrseq.v").string(), sequencerVerilog(params_, "test"));
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  fs::path dir_;
  SequencerParams params_;
};

TEST_P(SequencerRtl, LintsCleanWithAllWarnings) {
  const ProcessResult lint =
      runProcess({"verilator", "--lint-only", "-Wall", "pf_pwrseq.v", "--top-module", "pf_pwrseq"},
                 dir_.string());
  EXPECT_EQ(lint.exit_status, 0) << lint.output;
  EXPECT_EQ(lint.output.find("%Warning"), std::string::npos) << lint.output;
}

class SequencerSynthesis : public SequencerRtl {};

// Yosys' whole generic synthesis but its final ABC pass (-noabc: a third of the time, and
// it maps logic only, not the flip-flops counted here). ABC on the sequencer runs in every
// characterization (characterize/SequencerCost.cc, with the liberty) and in
// characterize.sequencer_cost for several shapes.
TEST_P(SequencerSynthesis, SynthesizesInYosys) {
  const ProcessResult synth = runProcess({"yosys", "-p",
                                          "read_verilog pf_pwrseq.v; synth -noabc -top pf_pwrseq; "
                                          "select -count t:*DFF*"},
                                         dir_.string());
  ASSERT_EQ(synth.exit_status, 0) << synth.output;
  // A real circuit came out: flip-flops for every domain's state, not an empty module.
  std::smatch count;
  ASSERT_TRUE(std::regex_search(synth.output, count, std::regex(R"((\d+) objects\.)")))
      << synth.output;
  EXPECT_GE(std::stoi(count[1]), params_.domains * (params_.rails + 4)) << synth.output;
}

std::string shapeName(const ::testing::TestParamInfo<std::tuple<int, int>> &shape_info) {
  return "R" + std::to_string(std::get<0>(shape_info.param)) + "_D" +
         std::to_string(std::get<1>(shape_info.param));
}

INSTANTIATE_TEST_SUITE_P(Shapes, SequencerRtl,
                         ::testing::Combine(::testing::Range(1, 9), ::testing::Values(2, 12, 32)),
                         shapeName);
INSTANTIATE_TEST_SUITE_P(Shapes, SequencerSynthesis,
                         ::testing::Combine(::testing::Range(1, 9), ::testing::Values(2, 12)),
                         shapeName);
INSTANTIATE_TEST_SUITE_P(Largest, SequencerSynthesis,
                         ::testing::Values(std::make_tuple(1, 32), std::make_tuple(8, 32)),
                         shapeName);

}  // namespace
}  // namespace pf::gen
