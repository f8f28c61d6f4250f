// Corner-set reader: the stub's corner set reads; bad corner sets are refused with
// file, line and field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "characterize/Characterize.hh"
#include "characterize/Corners.hh"
#include "core/Design.hh"
#include "core/Error.hh"

namespace fs = std::filesystem;

namespace {

const std::string kLibDir = PF_SOURCE_DIR "/pdk_stub/lib/";

std::string writeCornerSet(const std::string &text) {
  const fs::path dir = fs::temp_directory_path() / ("pf_corner_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "corners.toml";
  std::ofstream(path) << text;
  return path.string();
}

pf::Error expectError(const std::string &text) {
  const std::string path = writeCornerSet(text);
  try {
    pf::readCornerSet(path);
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.loc().file, path);
    return error;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return pf::Error(0, {}, "", "");
}

TEST(CornerSet, ReadsTheStub) {
  const pf::CornerSet set = pf::readCornerSet(PF_SOURCE_DIR "/pdk_stub/corners.toml");
  ASSERT_EQ(set.corners.size(), 6u);
  EXPECT_DOUBLE_EQ(set.corners.front().voltage_v, 0.6);
  EXPECT_EQ(set.synthesisCorner().name, "v1p10");
  EXPECT_TRUE(fs::exists(set.corners[2].std_liberty.at(0)));
  EXPECT_TRUE(fs::exists(set.power_model));
}

TEST(CornerSet, SortsByVoltageAndNamesCorners) {
  const pf::CornerSet set =
      pf::readCornerSet(writeCornerSet("[[corner]]\nvoltage_v = 1.1\nliberty = [\"" + kLibDir +
                                       "pf40lp_std_v1p10.lib\"]\n"
                                       "[[corner]]\nvoltage_v = 0.6\nliberty = [\"" +
                                       kLibDir + "pf40lp_std_v0p60.lib\"]\n"));
  ASSERT_EQ(set.corners.size(), 2u);
  EXPECT_EQ(set.corners[0].name, "v0p60");
  EXPECT_EQ(set.corners[1].name, "v1p10");
  EXPECT_EQ(set.synthesis_corner, "v1p10");
}

TEST(CornerSet, CornerWithoutVoltageIsNamed) {
  const pf::Error error = expectError("[[corner]]\nvoltage_v = 1.1\nliberty = [\"" + kLibDir +
                                      "pf40lp_std_v1p10.lib\"]\n"
                                      "[[corner]]\nname = \"slow\"\nliberty = [\"" +
                                      kLibDir + "pf40lp_std_v0p60.lib\"]\n");
  EXPECT_EQ(error.id(), 5001);
  EXPECT_EQ(error.field(), "corner[1].voltage_v");
  EXPECT_EQ(error.loc().line, 4);  // the [[corner]] that lacks it
}

TEST(CornerSet, MissingLibertyFileIsNamed) {
  const pf::Error error = expectError("[[corner]]\nvoltage_v = 0.9\nliberty = [\"nothere.lib\"]\n");
  EXPECT_EQ(error.id(), 5003);
  EXPECT_EQ(error.field(), "corner[0].liberty");
  EXPECT_NE(error.message().find("nothere.lib"), std::string::npos);
}

TEST(CornerSet, DuplicateVoltageRefused) {
  const std::string corner =
      "[[corner]]\nvoltage_v = 0.9\nliberty = [\"" + kLibDir + "pf40lp_std_v0p90.lib\"]\n";
  EXPECT_EQ(expectError(corner + corner).id(), 5004);
}

TEST(CornerSet, UnknownSynthesisCornerRefused) {
  const pf::Error error =
      expectError("synthesis_corner = \"ff\"\n[[corner]]\nvoltage_v = 0.9\nliberty = [\"" +
                  kLibDir + "pf40lp_std_v0p90.lib\"]\n");
  EXPECT_EQ(error.id(), 5008);
  EXPECT_EQ(error.loc().line, 1);
}

TEST(CornerSet, MissingPowerModelRefused) {
  const pf::Error error =
      expectError("power_model = \"nothere.toml\"\n[[corner]]\nvoltage_v = 0.9\nliberty = [\"" +
                  kLibDir + "pf40lp_std_v0p90.lib\"]\n");
  EXPECT_EQ(error.id(), 5007);
  EXPECT_EQ(error.field(), "power_model");
}

TEST(CornerSet, NoCornersRefused) {
  EXPECT_EQ(expectError("synthesis_corner = \"x\"\n").id(), 5006);
}

}  // namespace

// The characterization's input hash names the design's sources by their place beside the
// file list, however the design file was named: a sweep names rtl/design.toml relative to
// its own folder, the test fixture by its absolute path, and both must find one table.
TEST(CharacterizationInputs, HashDoesNotDependOnHowTheDesignFileIsNamed) {
  const std::string absolute = PF_SOURCE_DIR "/rtl/design.toml";
  const pf::CornerSet corners = pf::readCornerSet(PF_SOURCE_DIR "/pdk_stub/corners.toml");
  const pf::CharacterizeOptions options;
  const std::string by_absolute =
      pf::characterizationInputsHash(pf::readDesign(absolute), corners, options);
  const std::filesystem::path here = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::temp_directory_path());
  const std::string relative =
      std::filesystem::path(absolute).lexically_relative(std::filesystem::current_path()).string();
  const std::string by_relative =
      pf::characterizationInputsHash(pf::readDesign(relative), corners, options);
  std::filesystem::current_path(here);
  EXPECT_EQ(by_relative, by_absolute) << relative;
}
