#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Json.hh"
#include "core/Toml.hh"

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

// The pf::Error `read` throws (a test failure and PF-0000 if it throws none).
template <typename Read>
pf::Error fileErrorOf(Read read) {
  try {
    read();
  } catch (const pf::Error &error) {
    return error;
  }
  ADD_FAILURE() << "no error";
  return pf::Error(0, {}, "", "");
}

TEST(ReadTextFile, DirectoryIsNamedAsADirectory) {
  const fs::path dir = freshDir("directory");
  const std::string path = dir.string();
  const pf::Error as_file = fileErrorOf([&] { pf::readTextFile(path); });
  const pf::Error as_toml = fileErrorOf([&] { pf::parseTomlFile(path); });
  const pf::Error as_json = fileErrorOf([&] { pf::parseJson(pf::readTextFile(path), path); });
  for (const pf::Error &error : {as_file, as_toml, as_json}) {
    EXPECT_EQ(error.id(), 1009);
    EXPECT_EQ(error.formatted(), "error PF-1009: " + path + ": is a directory, not a file");
  }
}

TEST(ReadTextFile, BinaryInputIsNamedWithItsFirstControlByte) {
  const fs::path dir = freshDir("binary");
  const std::string toml = (dir / "design.toml").string();
  const std::string json = (dir / "schedule.json").string();
  pf::writeFileAtomic(toml, "[design]\nname = \"a\x01\"\n");
  pf::writeFileAtomic(json, std::string("\177ELF\2\1\1\0\0", 9));
  const pf::Error from_toml = fileErrorOf([&] { pf::parseTomlFile(toml); });
  EXPECT_EQ(from_toml.id(), 1008);
  EXPECT_EQ(from_toml.formatted(),
            "error PF-1008: " + toml + ":2:10: is not a text file (byte 0x01 at offset 18)");
  const pf::Error from_json = fileErrorOf([&] { pf::parseJson(pf::readTextFile(json), json); });
  EXPECT_EQ(from_json.id(), 1008);
  EXPECT_EQ(from_json.formatted(),
            "error PF-1008: " + json + ":1:1: is not a text file (byte 0x7f at offset 0)");
  // readTextFile itself reads any bytes (ONNX models and hashed inputs are binary).
  EXPECT_EQ(pf::readTextFile(json).size(), 9u);
}

TEST(ReadTextFile, ControlBytesAreEscapedForMessages) {
  EXPECT_EQ(pf::escapeControlBytes(std::string("a\0b\tc\x1b[31m\x7f", 11)),
            "a\\x00b\\x09c\\x1b[31m\\x7f");
}

}  // namespace
