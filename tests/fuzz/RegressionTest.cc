// The fuzz targets' findings (fuzz/README.md), each input kept in regressions/ and read
// by the reader it once crashed, hung or leaked: now a clean pf::Error with its number.
// Also every reader a fuzz target covers refuses an empty file that way.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "characterize/Characterization.hh"
#include "characterize/Corners.hh"
#include "characterize/PowerModel.hh"
#include "characterize/liberty/Liberty.hh"
#include "core/Design.hh"
#include "core/Files.hh"
#include "core/Json.hh"
#include "core/Toml.hh"
#include "gen/Manifest.hh"
#include "gen/Microcode.hh"
#include "net/Network.hh"
#include "net/onnx/OnnxReader.hh"
#include "pdk_stub/ProcessReader.hh"
#include "sched/io/InstanceJson.hh"
#include "sched/io/ScheduleFile.hh"
#include "sched/io/ScheduleTiming.hh"
#include "sim/cosim/SimReportFile.hh"
#include "workload/Profile.hh"

namespace fs = std::filesystem;

namespace {

std::string regression(const std::string &name) {
  return std::string(PF_SOURCE_DIR) + "/tests/fuzz/regressions/" + name;
}

// `read` must throw pf::Error `id`, and nothing else.
void expectRefusal(int id, const std::function<void()> &read) {
  try {
    read();
    ADD_FAILURE() << "accepted; expected PF-" << id;
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), id) << error.formatted();
  }
}

class EmptyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pf-fuzz-regression-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string empty(const std::string &name) {
    const std::string path = (dir_ / name).string();
    pf::writeFileAtomic(path, "");
    return path;
  }
  fs::path dir_;
};

TEST_F(EmptyFile, EveryFuzzedReaderRefusesItWithANumberedError) {
  // A TOML file without the required tables: a missing field (PF-1102) or, for the
  // network and the liberty file, the reader's own message.
  expectRefusal(1102, [&] { pf::readDesign(empty("design.toml")); });
  expectRefusal(1102, [&] { pf::pdk::readProcessFile(empty("process.toml")); });
  expectRefusal(5111, [&] { pf::liberty::readLiberty(empty("x.lib")); });
  // JSON: an empty file is a syntax error.
  expectRefusal(1403, [&] { pf::parseJson("", "x.json"); });
  expectRefusal(1403, [&] { pf::readProfile(empty("profile.json")); });
  expectRefusal(1403, [&] { pf::readCharacterization(empty("c.json")); });
  expectRefusal(1403, [&] { pf::readScheduleFile(empty("schedule.json")); });
  expectRefusal(1403, [&] { pf::readScheduleTimingFile(empty("t.json")); });
  expectRefusal(1403, [&] { pf::readSimReportFile(empty("report.json")); });
  expectRefusal(1403, [&] { pf::gen::readGenManifest(empty("manifest.json")); });
}

// fuzz/schedule_timing.cc, 2026-12-05: 3,987 bytes of '[' (and a few others) overflowed
// the stack of the recursive JSON parser (ASan: stack-overflow in JsonParser::parseValue).
// The parser now refuses nesting beyond 128 levels; every JSON reader stands on it.
TEST(FuzzRegression, DeeplyNestedJsonIsRefusedNotAStackOverflow) {
  const std::string path = regression("schedule_timing-deep-nesting.json");
  expectRefusal(1411, [&] { pf::readScheduleTimingFile(path); });
  expectRefusal(1411, [&] { pf::readScheduleFile(path); });
  expectRefusal(1411, [&] { pf::readProfile(path); });
  expectRefusal(1411, [&] { pf::readCharacterization(path); });
  expectRefusal(1411, [&] { pf::readSimReportFile(path); });
  expectRefusal(1411, [&] { pf::gen::readGenManifest(path); });
}

// The checked-in seeds (fuzz/corpus/) are files of their format, as the writers write
// them: a seed the reader refuses would only teach the fuzzer refusals.
TEST(FuzzSeeds, CheckedInSimReportIsRead) {
  const pf::SimReportFile report = pf::readSimReportFile(
      std::string(PF_SOURCE_DIR) + "/fuzz/corpus/sim_report/kws_one_period.json");
  EXPECT_EQ(report.periods, 1);
}

}  // namespace
