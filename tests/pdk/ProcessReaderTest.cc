// Reading pdk_stub/process.toml: values, and errors that name file, line and field; the
// `powerflow pdk` command writes nothing when its input is bad.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/Error.hh"
#include "core/Files.hh"
#include "pdk_stub/PdkCommand.hh"
#include "pdk_stub/ProcessReader.hh"

namespace pf::pdk {
namespace {

namespace fs = std::filesystem;

const std::string kProcessPath = PF_SOURCE_DIR "/pdk_stub/process.toml";

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("pf_pdk_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string &name) const { return (path_ / name).string(); }
  const fs::path &path() const { return path_; }

 private:
  fs::path path_;
};

std::string committedProcessText() { return readTextFile(kProcessPath); }

// Replaces the first occurrence of `from` (which must exist) by `to`.
std::string replaced(std::string text, const std::string &from, const std::string &to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

int lineOf(const std::string &text, const std::string &needle) {
  const size_t at = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

std::string writeFile(const TempDir &dir, const std::string &name, const std::string &text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

// Expects readProcessFile(path) to throw pf::Error with these properties.
void expectError(const std::string &path, int id, int line, const std::string &field) {
  try {
    readProcessFile(path);
    ADD_FAILURE() << "no error for " << path;
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), id) << error.what();
    EXPECT_EQ(error.loc().file, path) << error.what();
    EXPECT_EQ(error.loc().line, line) << error.what();
    EXPECT_EQ(error.field(), field) << error.what();
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos);
  }
}

TEST(PdkProcessReader, ReadsCommittedProcess) {
  const ProcessParams p = readProcessFile(kProcessPath);
  EXPECT_EQ(p.name, "pf40lp");
  EXPECT_DOUBLE_EQ(p.nominal_vdd_v, 1.1);
  EXPECT_EQ(p.corners_v, (std::vector<double>{0.6, 0.7, 0.8, 0.9, 1.0, 1.1}));
  EXPECT_DOUBLE_EQ(p.device.dibl_v_per_v, 0.070);  // converted from mV/V
  EXPECT_DOUBLE_EQ(p.device.subthreshold_slope_v_per_dec, 0.095);
  ASSERT_EQ(p.sram.macros.size(), 2u);
  EXPECT_EQ(p.sram.macros[0].name, "pf40_sram_2048x64");
  EXPECT_EQ(p.sram.macros[1].words, 256);
  EXPECT_EQ(p.sram.macros[1].bits, 512);
  EXPECT_EQ(p.axes.slew_index_ns.size(), 5u);
}

TEST(PdkProcessReader, CornerBelowThresholdNamesFileLineAndElement) {
  TempDir dir;
  const std::string text =
      replaced(committedProcessText(), "corners_v = [0.60, 0.70, 0.80, 0.90, 1.00, 1.10]",
               "corners_v = [0.60, 0.70,\n  0.45, 0.90, 1.00, 1.10]");
  const std::string path = writeFile(dir, "below.toml", text);
  expectError(path, 2001, lineOf(text, "0.45, 0.90"), "operating.corners_v[2]");
}

TEST(PdkProcessReader, CornersMustIncrease) {
  TempDir dir;
  const std::string text = replaced(committedProcessText(), "0.80, 0.90", "0.90, 0.80");
  expectError(writeFile(dir, "order.toml", text), 2002, lineOf(text, "corners_v = ["),
              "operating.corners_v[3]");
}

TEST(PdkProcessReader, MalformedTomlNamesLine) {
  TempDir dir;
  const std::string text = replaced(committedProcessText(), "alpha = 1.30", "alpha = = 1.30");
  expectError(writeFile(dir, "malformed.toml", text), 1101, lineOf(text, "alpha = = 1.30"), "");
}

TEST(PdkProcessReader, MissingFieldNamesTableAndField) {
  TempDir dir;
  const std::string text = replaced(committedProcessText(), "alpha = 1.30\n", "");
  expectError(writeFile(dir, "missing.toml", text), 1102, lineOf(text, "[device]"), "device.alpha");
}

TEST(PdkProcessReader, OutOfRangeAndUnknownFields) {
  TempDir dir;
  const std::string range_text = replaced(committedProcessText(), "alpha = 1.30", "alpha = 3.0");
  expectError(writeFile(dir, "range.toml", range_text), 1103, lineOf(range_text, "alpha = 3.0"),
              "device.alpha");
  const std::string typo_text =
      replaced(committedProcessText(), "alpha = 1.30", "alpha = 1.30\nalhpa = 1.3");
  expectError(writeFile(dir, "typo.toml", typo_text), 1104, lineOf(typo_text, "alhpa"),
              "device.alhpa");
}

TEST(PdkProcessReader, SramMacroChecks) {
  TempDir dir;
  const std::string text = replaced(committedProcessText(), "words = 2048", "words = 2000");
  expectError(writeFile(dir, "words.toml", text), 2004, lineOf(text, "words = 2000"),
              "sram.macros[0].words");
}

TEST(PdkCommand, BadInputWritesNoFile) {
  TempDir dir;
  const std::string text =
      replaced(committedProcessText(), "corners_v = [0.60,", "corners_v = [0.40,");
  const std::string params = writeFile(dir, "bad.toml", text);
  const fs::path out = dir.path() / "out";
  fs::create_directories(out);
  int status = 0;
  try {
    status = runPdkCommand({"--params", params, "--out", out.string()});
  } catch (const Error &error) {
    status = 1;  // what the CLI edge does
    EXPECT_EQ(error.id(), 2001);
    EXPECT_EQ(error.field(), "operating.corners_v[0]");
  }
  EXPECT_NE(status, 0);
  EXPECT_TRUE(fs::is_empty(out)) << "a failed run must not write any file";
}

TEST(PdkCommand, UsageErrorsAndHelp) {
  EXPECT_EQ(runPdkCommand({"--help"}), 0);
  EXPECT_THROW(runPdkCommand({"--bogus"}), cli::UsageError);
  EXPECT_THROW(runPdkCommand({"--params"}), cli::UsageError);
  EXPECT_NE(pdkCommandLine().help().find("--params"), std::string::npos);
  EXPECT_NE(pdkCommandLine().summary(), "");
}

}  // namespace
}  // namespace pf::pdk
