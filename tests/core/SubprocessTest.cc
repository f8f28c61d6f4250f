#include <gtest/gtest.h>

#include "core/Error.hh"
#include "core/Subprocess.hh"

namespace {

TEST(RunProcess, CapturesOutputAndExitStatus) {
  const pf::ProcessResult result = pf::runProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exit_status, 3);
  EXPECT_NE(result.output.find("out"), std::string::npos);
  EXPECT_NE(result.output.find("err"), std::string::npos);
  EXPECT_GT(result.peak_rss_kib, 0);
}

TEST(RunProcess, RunsInWorkingDirectory) {
  const pf::ProcessResult result = pf::runProcess({"pwd"}, "/");
  EXPECT_EQ(result.output, "/\n");
}

TEST(RunProcess, MissingProgramIsAnError) {
  EXPECT_THROW(pf::runProcess({"powerflow-no-such-program"}), pf::Error);
}

}  // namespace
