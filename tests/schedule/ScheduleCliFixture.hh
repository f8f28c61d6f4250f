// The fixture of the `powerflow schedule` CLI tests: a scratch directory holding a
// stand-in characterization of the default design (c.json) and the KWS profile
// (p.json), and helpers to run the command and read what it wrote.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "core/Design.hh"
#include "core/Files.hh"
#include "core/Json.hh"
#include "core/Subprocess.hh"
#include "tests/schedule/StandInCharacterization.hh"

namespace pf::test {

class ScheduleCliFixture : public ::testing::Test {
 protected:
  static constexpr const char *kDesign = PF_SOURCE_DIR "/rtl/design.toml";

  static void SetUpTestSuite() {
    setup_error_.clear();
    dir_ = std::filesystem::temp_directory_path() / ("pf_schedule_cli_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const DesignSpec design = readDesign(kDesign);
    writeFileAtomic(path("c.json"), characterizationToJson(standInCharacterization(design)).dump());
    require(runProcess({POWERFLOW_BIN, "profile", PF_SOURCE_DIR "/nets/mlperf_tiny_kws_dscnn.toml",
                        "--design", kDesign, "--out", path("p.json")}),
            "profile of KWS");
  }

  // The scratch folder goes with the suite unless a test failed (then it is kept to look at).
  static void TearDownTestSuite() {
    if (!::testing::UnitTest::GetInstance()->Failed()) std::filesystem::remove_all(dir_);
  }

  // A failed suite set-up fails every test (gtest would report them skipped).
  void SetUp() override { ASSERT_EQ(setup_error_, "") << "test suite set-up failed"; }

  // Records a command of the suite set-up that failed.
  static void require(const ProcessResult &result, const std::string &what) {
    if (result.exit_status != 0)
      setup_error_ +=
          what + " exited with " + std::to_string(result.exit_status) + ":\n" + result.output;
  }

  static std::string path(const std::string &name) { return (dir_ / name).string(); }

  // `powerflow schedule` on the fixture's characterization and profile.
  static ProcessResult schedule(std::vector<std::string> extra, const std::string &design = kDesign,
                                const std::string &profile = path("p.json")) {
    std::vector<std::string> argv = {
        POWERFLOW_BIN, "schedule", "--design",        design, "--characterization", path("c.json"),
        "--profile",   profile,    "--pareto-points", "4"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return runProcess(argv);
  }

  static Json readJson(const std::string &name) {
    return parseJson(readTextFile(path(name)), path(name));
  }

  static inline std::filesystem::path dir_;
  static inline std::string setup_error_;
};

}  // namespace pf::test
