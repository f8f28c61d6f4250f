#include <gtest/gtest.h>

#include <cstdlib>

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

namespace {

using pf::ProcessOptions;
using pf::ProcessResult;

TEST(RunProcess, ACrashIsToldApartFromAFailureWithItsOutput) {
  const ProcessResult crashed =
      pf::runProcess({"sh", "-c", "echo reading cells.lib; echo half-way; kill -SEGV $$"});
  EXPECT_EQ(crashed.signal, 11);
  EXPECT_EQ(crashed.exit_status, 128 + 11);
  EXPECT_FALSE(crashed.succeeded());
  EXPECT_EQ(pf::processOutcome(crashed), "crashed (signal 11, SIGSEGV)");
  const std::string message = pf::toolFailure("Yosys", "reading the liberty files", crashed);
  EXPECT_EQ(message,
            "Yosys crashed (signal 11, SIGSEGV) while reading the liberty files; its last output "
            "lines:\n    reading cells.lib\n    half-way");
  try {
    pf::throwIfCrashedOrHung(crashed, "Yosys", "reading the liberty files", "x.ys");
    FAIL() << "a crash must throw";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1305);
    EXPECT_EQ(error.loc().file, "x.ys");
    EXPECT_EQ(error.field(), "Yosys");
  }

  const ProcessResult failed = pf::runProcess({"sh", "-c", "echo bad input; exit 1"});
  EXPECT_EQ(failed.signal, 0);
  EXPECT_EQ(pf::processOutcome(failed), "failed (exit status 1)");
  EXPECT_NO_THROW(pf::throwIfCrashedOrHung(failed, "Yosys", "x"));  // the caller's message
}

TEST(RunProcess, AHangIsKilledAtItsTimeLimitWithEverythingItStarted) {
  ProcessOptions options;
  options.time_limit_seconds = 0.3;
  // The shell starts a child that would outlive it: the whole group must go.
  const ProcessResult hung =
      pf::runProcess({"sh", "-c", "echo started; sleep 31 & sleep 31; echo never"}, options);
  EXPECT_TRUE(hung.timed_out);
  EXPECT_LT(hung.wall_seconds, 5.0);
  EXPECT_EQ(hung.output, "started\n");
  EXPECT_EQ(pf::processOutcome(hung),
            "hung: killed after the 0.3 s time limit (POWERFLOW_TOOL_TIMEOUT_S sets it)");
  try {
    pf::throwIfCrashedOrHung(hung, "OpenSTA", "timing 3 corners");
    FAIL() << "a hang must throw";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1306);
    EXPECT_NE(error.message().find("OpenSTA hung"), std::string::npos) << error.message();
  }
  // Nothing of the group is left: the background sleep was killed too.
  const ProcessResult left = pf::runProcess({"sh", "-c", "pgrep -f '^sleep 31$' || true"});
  EXPECT_EQ(left.output, "");
}

TEST(RunProcess, TheEnvironmentReplacesEveryTimeLimit) {
  ::setenv("POWERFLOW_TOOL_TIMEOUT_S", "0.2", 1);
  const ProcessResult hung = pf::runProcess({"sleep", "30"});  // the default limit: an hour
  EXPECT_TRUE(hung.timed_out);
  EXPECT_DOUBLE_EQ(hung.time_limit_seconds, 0.2);
  ::setenv("POWERFLOW_TOOL_TIMEOUT_S", "soon", 1);
  try {
    pf::runProcess({"true"});
    FAIL() << "a malformed limit must be refused";
  } catch (const pf::Error &error) {
    EXPECT_EQ(error.id(), 1304);
    EXPECT_EQ(error.field(), "POWERFLOW_TOOL_TIMEOUT_S");
  }
  ::unsetenv("POWERFLOW_TOOL_TIMEOUT_S");
  EXPECT_FALSE(pf::runProcess({"true"}).timed_out);
}

TEST(RunProcess, OutputTailKeepsTheLastLines) {
  EXPECT_EQ(pf::outputTail("a\nb\nc\n", 2), "b\nc\n");
  EXPECT_EQ(pf::outputTail("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(pf::outputTail("a\n", 5), "a\n");
  EXPECT_EQ(pf::outputTail("", 5), "");
}

}  // namespace
