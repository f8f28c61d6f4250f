#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/Error.hh"
#include "core/FileList.hh"

namespace fs = std::filesystem;

namespace {

fs::path scratch() {
  const fs::path dir =
      fs::temp_directory_path() / ("pf_filelist_test_" + std::to_string(::getpid()));
  fs::create_directories(dir / "src");
  std::ofstream(dir / "src" / "a.v") << "module a; endmodule\n";
  std::ofstream(dir / "src" / "b.v") << "module b; endmodule\n";
  return dir;
}

TEST(FileList, ResolvesAgainstTheListAndSkipsCommentsAndOptions) {
  const fs::path dir = scratch();
  std::ofstream(dir / "files.f")
      << "# sources\n  src/a.v  \n// next\n+incdir+inc\n-DFOO\n\nsrc/b.v\r\n";
  const std::vector<std::string> files = pf::readFileList((dir / "files.f").string());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], (dir / "src" / "a.v").lexically_normal().string());
  EXPECT_EQ(files[1], (dir / "src" / "b.v").lexically_normal().string());
}

TEST(FileList, MissingSourceNamesListAndLine) {
  const fs::path dir = scratch();
  std::ofstream(dir / "bad.f") << "src/a.v\nsrc/nothere.v\n";
  try {
    pf::readFileList((dir / "bad.f").string());
    FAIL();
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1006);
    EXPECT_EQ(error.loc().line, 2);
    EXPECT_NE(error.message().find("nothere.v"), std::string::npos);
  }
}

TEST(FileList, MissingOrEmptyListRefused) {
  const fs::path dir = scratch();
  std::ofstream(dir / "empty.f") << "# nothing\n";
  EXPECT_THROW(pf::readFileList((dir / "empty.f").string()), pf::Error);
  EXPECT_THROW(pf::readFileList((dir / "none.f").string()), pf::Error);
}

// A binary "source" (a wrong path in the list) is refused before any tool reads it:
// Yosys would take such a file silently up to its first NUL byte (docs/tools.md).
TEST(FileList, BinarySourceIsRefusedNamingTheSourceAndTheByte) {
  const fs::path dir = scratch();
  std::ofstream(dir / "src" / "c.v", std::ios::binary) << "module c; endmodule\n"
                                                       << std::string("\0\x01", 2);
  std::ofstream(dir / "bin.f") << "src/a.v\nsrc/c.v\n";
  try {
    pf::readFileList((dir / "bin.f").string());
    FAIL() << "a binary source must be refused";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1008);
    EXPECT_EQ(error.loc().file, (dir / "src" / "c.v").lexically_normal().string());
    EXPECT_EQ(error.loc().line, 2);
    EXPECT_EQ(error.message(), "is not a text file (byte 0x00 at offset 20)");
  }
}

}  // namespace
