// `powerflow schedule` end to end on the default design and KWS network, with a
// stand-in characterization (every design domain, six corners; numbers of the right
// order, not a physical model): outputs, determinism, exact vs ILP on the dumped
// instance, exact vs baselines, and every refusal writing nothing.
// (tests/schedule/ScheduleRealTest.cc runs the same on the real characterization.)
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/Files.hh"
#include "core/Json.hh"
#include "core/Subprocess.hh"
#include "tests/schedule/ScheduleCliFixture.hh"

namespace pf {
namespace {

namespace fs = std::filesystem;

class ScheduleCli : public test::ScheduleCliFixture {
 protected:
  // A copy of the default design with `from` replaced by `to`, file lists made absolute.
  static std::string designVariant(const std::string &name, const std::string &from,
                                   const std::string &to) {
    std::string text = readTextFile(PF_SOURCE_DIR "/rtl/design.toml");
    auto replace = [&text](const std::string &a, const std::string &b) {
      const size_t at = text.find(a);
      EXPECT_NE(at, std::string::npos) << a;
      if (at != std::string::npos) text.replace(at, a.size(), b);
    };
    replace("\"pf_accel.f\"", "\"" PF_SOURCE_DIR "/rtl/pf_accel.f\"");
    replace("\"pf_accel_syn.f\"", "\"" PF_SOURCE_DIR "/rtl/pf_accel_syn.f\"");
    replace(from, to);
    writeFileAtomic(path(name), text);
    return path(name);
  }
};

TEST_F(ScheduleCli, WritesAnOptimalScheduleDeterministically) {
  const ProcessResult first = schedule({"--period-us", "20000", "--deadline-us", "3000", "--out",
                                        path("s1.json"), "--dump-instance", path("i.json")});
  ASSERT_EQ(first.exit_status, 0) << first.output;
  const ProcessResult second =
      schedule({"--period-us", "20000", "--deadline-us", "3000", "--out", path("s2.json")});
  ASSERT_EQ(second.exit_status, 0) << second.output;
  // Same inputs, same bytes (the command line differs only in --out and the dump).
  Json one = readJson("s1.json"), two = readJson("s2.json");
  one.set("generated_by", "");
  two.set("generated_by", "");
  EXPECT_EQ(one.dump(), two.dump());
  EXPECT_TRUE(fs::exists(path("s1.txt")));
  // The summary: the energy-versus-deadline curve and the solver's statistics, and no
  // wall time (the files are byte-identical); the terminal gets the times.
  const std::string text1 = readTextFile(path("s1.txt")), text2 = readTextFile(path("s2.txt"));
  EXPECT_EQ(text1, text2);
  EXPECT_NE(text1.find("energy versus deadline (exact optima)"), std::string::npos) << text1;
  EXPECT_NE(text1.find("solver exact: "), std::string::npos) << text1;
  EXPECT_EQ(text1.find("time: solve"), std::string::npos) << text1;
  EXPECT_NE(first.output.find("time: solve "), std::string::npos) << first.output;

  EXPECT_EQ(one.at("format").asString(), "powerflow-schedule");
  EXPECT_EQ(one.at("solver").at("status").asString(), "optimal");
  const double busy_ns = one.at("totals").at("busy_ns").asNumber();
  EXPECT_LE(busy_ns, 3000e3);
  EXPECT_EQ(one.at("layers").asArray().size(), 11u);
  EXPECT_GT(one.at("schedule_space_log10").asNumber(), 11.0);
}

TEST_F(ScheduleCli, ExactIsNeverWorseThanABaselineAndMatchesTheIlp) {
  ASSERT_EQ(schedule({"--period-us", "20000", "--deadline-us", "2500", "--out", path("e.json"),
                      "--dump-instance", path("e_instance.json")})
                .exit_status,
            0);
  const Json exact = readJson("e.json");
  const double optimum = exact.at("totals").at("total_pj").asNumber();
  int feasible_baselines = 0;
  for (const Json &row : exact.at("baselines").asArray()) {
    if (!row.at("available").asBool() || !row.at("feasible").asBool()) continue;
    ++feasible_baselines;
    EXPECT_LE(optimum, row.at("energy_pj").asNumber() * (1 + 1e-12)) << row.at("name").asString();
  }
  EXPECT_GE(feasible_baselines, 2);
  const ProcessResult ilp =
      runProcess({POWERFLOW_BIN, "schedule", "--instance", path("e_instance.json"), "--solver",
                  "ilp", "--pareto-points", "0", "--out", path("ilp.json")});
  ASSERT_EQ(ilp.exit_status, 0) << ilp.output;
  const Json oracle = readJson("ilp.json");
  EXPECT_EQ(oracle.at("solver").at("status").asString(), "optimal");
  EXPECT_NEAR(oracle.at("totals").at("total_pj").asNumber(), optimum, 1e-7 * optimum);
}

TEST_F(ScheduleCli, ADumpedInstanceKeepsItsOwnLimits) {
  ASSERT_EQ(schedule({"--period-us", "20000", "--out", path("d.json"), "--dump-instance",
                      path("d_instance.json")})
                .exit_status,
            0);
  const ProcessResult result =
      runProcess({POWERFLOW_BIN, "schedule", "--instance", path("d_instance.json"), "--deadline-us",
                  "100", "--out", path("no5.json")});
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("PF-7007"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(path("no5.json")));
}

TEST_F(ScheduleCli, DeadlineAbovePeriodIsRefusedAndNothingWritten) {
  const ProcessResult result =
      schedule({"--period-us", "1000", "--deadline-us", "2000", "--out", path("no1.json")});
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("PF-7003"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("--deadline-us"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("no1.json")));
}

TEST_F(ScheduleCli, DeadlineBelowTheMinimumLatencyGivesTheMinimum) {
  const ProcessResult result =
      schedule({"--period-us", "20000", "--deadline-us", "10", "--out", path("no2.json"),
                "--dump-instance", path("no2_instance.json")});
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("PF-7005"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("minimum latency"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("no2.json")));
  EXPECT_FALSE(fs::exists(path("no2_instance.json")));
}

TEST_F(ScheduleCli, RailWithoutCharacterizationIsNamed) {
  const std::string design = designVariant("rail.toml", "[0.6, 0.8, 1.1]", "[0.6, 0.85, 1.1]");
  const ProcessResult result =
      schedule({"--period-us", "20000", "--out", path("no3.json")}, design);
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("PF-7101"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("rails.voltages_v[1]"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("no3.json")));
}

TEST_F(ScheduleCli, UnknownDomainIsNamed) {
  const std::string design = designVariant(
      "domain.toml", "[[domain]]\nname = \"aon\"",
      "[[domain]]\nname = \"x_bank9\"\nkind = \"sram_bank\"\ninstances = [\"u_x.u_sram\"]\nmacro = "
      "\"pf40_sram_256x512\"\nwords = 256\nbits = 512\npgood = \"x_pgood\"\niso = "
      "\"x_iso\"\nretention = "
      "\"x_ret\"\n\n[[domain]]\nname = \"aon\"");
  const ProcessResult result =
      schedule({"--period-us", "20000", "--out", path("no4.json")}, design);
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("PF-7105"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("'x_bank9'"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("no4.json")));
}

}  // namespace
}  // namespace pf
