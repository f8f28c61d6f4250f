// The proofs on the ROM that `powerflow gen` compiles from a real schedule, for every
// rail count the issue names: KWS scheduled on 1, 2, 4 and 8 rails (a stand-in
// characterization at eight corners), generated, and the generated sequencer proven by
// k-induction with that ROM image (gen/Formal.hh, docs/proofs.md). Three rails are the
// default design's own (0.6, 0.8, 1.1 V): DefaultScheduleRomIsProven below proves the ROM
// of the default flow on them, with the real characterization.
#include <gtest/gtest.h>

#include "gen/Formal.hh"
#include "gen/Manifest.hh"
#include "tests/schedule/ScheduleCliFixture.hh"

namespace pf::test {
namespace {

namespace fs = std::filesystem;

class FormalSchedule : public ScheduleCliFixture,
                       public ::testing::WithParamInterface<std::string> {
 protected:
  static void SetUpTestSuite() {
    ScheduleCliFixture::SetUpTestSuite();
    const std::vector<double> corners = {0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.0, 1.1};
    writeFileAtomic(
        path("c8.json"),
        characterizationToJson(standInCharacterization(readDesign(kDesign), corners)).dump());
  }
};

TEST_P(FormalSchedule, GeneratedRomIsProven) {
  const std::string rails = GetParam();
  const std::string tag = std::to_string(std::count(rails.begin(), rails.end(), ' ') + 1);
  const std::string schedule_file = path("s" + tag + ".json"), out = path("g" + tag);
  const ProcessResult solved =
      runProcess({POWERFLOW_BIN, "schedule", "--design", kDesign, "--characterization",
                  path("c8.json"), "--profile", path("p.json"), "--period-us", "20000",
                  "--pareto-points", "0", "--rails", rails, "--out", schedule_file});
  ASSERT_EQ(solved.exit_status, 0) << solved.output;
  const ProcessResult generated = runProcess(
      {POWERFLOW_BIN, "gen", "--design", kDesign, "--characterization", path("c8.json"),
       "--schedule", schedule_file, "--rails", rails, "--rom-depth", "256", "--out", out});
  ASSERT_EQ(generated.exit_status, 0) << generated.output;
  const gen::GenManifest manifest = gen::readGenManifest(out + "/manifest.json");
  ASSERT_EQ(std::to_string(manifest.sequencer.rails), tag);
  gen::ProofOptions options;
  options.work_dir = out + "/proof";
  options.rom_image = gen::readRomImage(readTextFile(out + "/pf_pwrseq.memh"), "pf_pwrseq.memh");
  const gen::ProofResult result = gen::proveSequencer(manifest.sequencer, options);
  EXPECT_TRUE(result.passed) << result.report();
}

INSTANTIATE_TEST_SUITE_P(Rails, FormalSchedule,
                         ::testing::Values("1.1", "0.7 1.1", "0.6 0.75 0.9 1.1",
                                           "0.6 0.65 0.7 0.75 0.8 0.9 1.0 1.1"),
                         [](const auto &rails_info) {
                           const std::string &rails = rails_info.param;
                           return "R" +
                                  std::to_string(std::count(rails.begin(), rails.end(), ' ') + 1);
                         });

#ifdef PF_CHARACTERIZATION_FIXTURE
// The default flow exactly: the real characterization of the default design (the
// characterize.default_design fixture), KWS at the Makefile's period and deadline on the
// design's three rails, generated with the default ROM depth, proven with that ROM.
TEST_F(ScheduleCliFixture, DefaultScheduleRomIsProven) {
  const std::string table = PF_CHARACTERIZATION_FIXTURE;
  const ProcessResult solved =
      runProcess({POWERFLOW_BIN, "schedule", "--design", kDesign, "--characterization", table,
                  "--profile", path("p.json"), "--period-us", "20000", "--deadline-us", "2000",
                  "--pareto-points", "0", "--out", path("s_default.json")});
  ASSERT_EQ(solved.exit_status, 0) << solved.output;
  const ProcessResult generated =
      runProcess({POWERFLOW_BIN, "gen", "--design", kDesign, "--characterization", table,
                  "--schedule", path("s_default.json"), "--out", path("g_default")});
  ASSERT_EQ(generated.exit_status, 0) << generated.output;
  const gen::GenManifest manifest = gen::readGenManifest(path("g_default/manifest.json"));
  EXPECT_EQ(manifest.sequencer.rails, 3);
  EXPECT_EQ(manifest.sequencer.rom_depth, 1024);
  gen::ProofOptions options;
  options.work_dir = path("g_default/proof");
  options.rom_image =
      gen::readRomImage(readTextFile(path("g_default/pf_pwrseq.memh")), "pf_pwrseq.memh");
  const gen::ProofResult result = gen::proveSequencer(manifest.sequencer, options);
  EXPECT_TRUE(result.passed) << result.report();
}
#endif

}  // namespace
}  // namespace pf::test
