// sim/VerilatorBuild: the cache key (command, written files, hashed files), reuse, the
// error on failure, and two builders of one folder at once. The "verilator" here is bash
// (argv[0] also answers --version), so the tests need no compiler and take no time.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "core/Error.hh"
#include "sim/VerilatorBuild.hh"

namespace pf {
namespace {

namespace fs = std::filesystem;

fs::path scratchRoot() {
  return fs::temp_directory_path() / ("pf_sim_test_" + std::to_string(::getpid()));
}

fs::path freshDir(const std::string &name) {
  const fs::path dir = scratchRoot() / name;
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir;
}

// Removes the scratch folders of this process after the tests.
class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override { fs::remove_all(scratchRoot()); }
};
const auto *const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

std::string slurp(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int builds(const fs::path &dir) {  // lines in the build log the fake build appends to
  std::ifstream in(dir / "builds.log");
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

// Appends to builds.log, then "compiles" input.txt (a written file) and the hashed file
// into out/product.
VerilatorBuild fakeBuild(const fs::path &hashed, const std::string &input) {
  VerilatorBuild build;
  build.argv = {"bash", "-c",
                "echo built >> builds.log && sleep 0.2 && mkdir -p out && "
                "cat input.txt " +
                    hashed.string() + " > out/product"};
  build.hashed_files = {hashed.string()};
  build.written_files = {{"input.txt", input}};
  build.product = "out/product";
  build.what = "test model";
  return build;
}

TEST(VerilatorBuild, BuildsOnceAndReusesUntilAnInputChanges) {
  const fs::path dir = freshDir("reuse");
  const fs::path hashed = dir.parent_path() / "reuse_source.v";
  std::ofstream(hashed) << "module a; endmodule\n";

  const VerilatorBuildOutcome first = buildWithVerilator(fakeBuild(hashed, "one\n"), dir);
  EXPECT_FALSE(first.reused);
  EXPECT_GT(first.build_seconds, 0.0);
  EXPECT_EQ(fs::path(first.product_path), fs::absolute(dir / "out" / "product"));
  EXPECT_EQ(slurp(first.product_path), "one\nmodule a; endmodule\n");
  EXPECT_TRUE(fs::exists(dir / "build.key"));

  const VerilatorBuildOutcome again = buildWithVerilator(fakeBuild(hashed, "one\n"), dir);
  EXPECT_TRUE(again.reused);
  EXPECT_EQ(again.build_seconds, 0.0);
  EXPECT_EQ(builds(dir), 1);

  // A written file, a hashed file's contents, the command: each rebuilds.
  EXPECT_FALSE(buildWithVerilator(fakeBuild(hashed, "two\n"), dir).reused);
  EXPECT_EQ(slurp(dir / "out" / "product"), "two\nmodule a; endmodule\n");
  std::ofstream(hashed) << "module b; endmodule\n";
  EXPECT_FALSE(buildWithVerilator(fakeBuild(hashed, "two\n"), dir).reused);
  EXPECT_EQ(slurp(dir / "out" / "product"), "two\nmodule b; endmodule\n");
  VerilatorBuild other = fakeBuild(hashed, "two\n");
  other.argv.back() += " && true";
  EXPECT_FALSE(buildWithVerilator(other, dir).reused);
  EXPECT_EQ(builds(dir), 4);

  // A missing product is rebuilt even with a matching key.
  fs::remove(dir / "out" / "product");
  EXPECT_FALSE(buildWithVerilator(other, dir).reused);
  EXPECT_EQ(builds(dir), 5);
}

TEST(VerilatorBuild, FailureThrowsItsNumberWithTheOutputTail) {
  const fs::path dir = freshDir("failure");
  VerilatorBuild build;
  build.argv = {"bash", "-c", "for i in $(seq 2000); do echo line $i; done; echo the-end; exit 3"};
  build.product = "never";
  build.what = "test model";
  try {
    buildWithVerilator(build, dir);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.id(), 9113);
    EXPECT_EQ(e.loc().file, dir.string());
    EXPECT_EQ(e.field(), "verilator");
    const std::string head = "test model build failed (exit 3):\n";
    EXPECT_EQ(e.message().substr(0, head.size()), head);
    EXPECT_EQ(e.message().size(), head.size() + 3000);
    EXPECT_NE(e.message().find("the-end"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir / "build.key"));
}

TEST(VerilatorBuild, UnreadableHashedFileIsAnError) {
  const fs::path dir = freshDir("missing");
  VerilatorBuild build = fakeBuild(dir.parent_path() / "no_such_file.v", "x");
  EXPECT_THROW(buildWithVerilator(build, dir), Error);
}

TEST(VerilatorBuild, ConcurrentBuildersOfOneFolderBuildOnce) {
  const fs::path dir = freshDir("concurrent");
  const fs::path hashed = dir.parent_path() / "concurrent_source.v";
  std::ofstream(hashed) << "module c; endmodule\n";
  // Separate lock file descriptions, so threads exclude each other as processes do.
  VerilatorBuildOutcome outcomes[4];
  std::thread threads[4];
  for (int i = 0; i < 4; ++i)
    threads[i] =
        std::thread([&, i] { outcomes[i] = buildWithVerilator(fakeBuild(hashed, "same\n"), dir); });
  for (std::thread &t : threads) t.join();
  int reused = 0;
  for (const VerilatorBuildOutcome &o : outcomes) reused += o.reused ? 1 : 0;
  EXPECT_EQ(reused, 3);
  EXPECT_EQ(builds(dir), 1);
  EXPECT_EQ(slurp(dir / "out" / "product"), "same\nmodule c; endmodule\n");
}

TEST(VerilatorBuild, ToolVersion) {
  EXPECT_NE(verilatorVersion("bash").find("bash"), std::string::npos);
  EXPECT_THROW(verilatorVersion("/nonexistent/verilator"), Error);
}

}  // namespace
}  // namespace pf
