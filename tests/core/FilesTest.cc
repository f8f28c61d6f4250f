#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/Error.hh"
#include "core/Files.hh"

namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string &name) {
  const fs::path dir =
      fs::temp_directory_path() / ("pf_files_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(OutputSet, WritesNothingUntilCommit) {
  const fs::path dir = freshDir("commit");
  pf::OutputSet outputs;
  outputs.add((dir / "a.txt").string(), "alpha");
  outputs.add((dir / "sub" / "b.txt").string(), "beta");
  EXPECT_FALSE(fs::exists(dir / "a.txt"));
  outputs.commit();
  EXPECT_EQ(pf::readTextFile((dir / "a.txt").string()), "alpha");
  EXPECT_EQ(pf::readTextFile((dir / "sub" / "b.txt").string()), "beta");
}

TEST(OutputSet, FailedStagingLeavesNoFiles) {
  const fs::path dir = freshDir("failure");
  fs::create_directories(dir / "blocker.txt");  // a directory where a file must go
  pf::OutputSet outputs;
  outputs.add((dir / "a.txt").string(), "alpha");
  outputs.add((dir / "blocker.txt").string(), "cannot be written");
  EXPECT_THROW(outputs.commit(), pf::Error);
  EXPECT_FALSE(fs::exists(dir / "a.txt"));
  for (const auto &entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename(), "blocker.txt") << "left behind: " << entry.path();
}

TEST(ReadTextFile, MissingFileNamesThePath) {
  try {
    pf::readTextFile("/nonexistent/powerflow.toml");
    FAIL() << "no error";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1001);
    EXPECT_NE(error.formatted().find("/nonexistent/powerflow.toml"), std::string::npos);
  }
}

}  // namespace
