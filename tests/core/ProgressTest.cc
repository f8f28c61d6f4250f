// The terminal progress sink: the layout of steps, sub-steps and lines, the outcome of a
// step, and silence without a sink.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <stdexcept>

#include "core/Progress.hh"

namespace {

// Wall times vary: "done in 0.0 s" -> "done in T s", "after 0.0 s" -> "after T s".
std::string withoutTimes(const std::string &text) {
  return std::regex_replace(text, std::regex(R"((in|after) [0-9]+\.[0-9] s)"), "$1 T s");
}

TEST(Progress, StepBeginAndEndShareOneLine) {
  std::ostringstream out;
  pf::StreamProgress sink(out);
  {
    pf::ProgressStep step(&sink, "characterize: " + pf::progressCount(2, 5) + " timing (OpenSTA)");
    EXPECT_EQ(out.str(), "characterize: 2/5 timing (OpenSTA) ...");  // visible while it runs
    step.done();
  }
  pf::ProgressStep(&sink, "characterize: 3/5 energy (Verilator)").cached();
  EXPECT_EQ(withoutTimes(out.str()),
            "characterize: 2/5 timing (OpenSTA) ... done in T s\n"
            "characterize: 3/5 energy (Verilator) ... (cached)\n");
}

TEST(Progress, LinesInsideAStepAreIndentedAndTheEndRepeatsTheStep) {
  std::ostringstream out;
  pf::StreamProgress sink(out);
  pf::ProgressStep outer(&sink, "characterize: 1/2 energy");
  pf::progressLine(&sink, "a note");
  {
    pf::ProgressStep inner(&sink, "build (Verilator)");
    inner.done("reused");
  }
  pf::ProgressStep(&sink, "run").done();
  outer.done();
  pf::progressLine(&sink, "sim: period 1/3 done");
  EXPECT_EQ(withoutTimes(out.str()),
            "characterize: 1/2 energy ...\n"
            "  a note\n"
            "  build (Verilator) ... done in T s (reused)\n"
            "  run ... done in T s\n"
            "characterize: 1/2 energy ... done in T s\n"
            "sim: period 1/3 done\n");
}

TEST(Progress, AStepLeftByAnExceptionFails) {
  std::ostringstream out;
  {
    pf::StreamProgress sink(out);
    try {
      pf::ProgressStep step(&sink, "synthesis (Yosys)");
      throw std::runtime_error("Yosys failed");
    } catch (const std::runtime_error &) {
    }
    sink.begin("left open");  // a sink that goes first ends the open line
  }
  EXPECT_EQ(withoutTimes(out.str()),
            "synthesis (Yosys) ... failed after T s\n"
            "left open ...\n");
}

TEST(Progress, NoSinkIsSilent) {
  pf::ProgressStep step(nullptr, "nothing");
  pf::progressLine(nullptr, "nothing either");
  step.done();
  step.done();  // a second end is ignored
  SUCCEED();
}

TEST(Progress, EndsOnlyOnce) {
  std::ostringstream out;
  pf::StreamProgress sink(out);
  {
    pf::ProgressStep step(&sink, "step");
    step.cached();
    step.done();
  }
  EXPECT_EQ(out.str(), "step ... (cached)\n");
}

}  // namespace
