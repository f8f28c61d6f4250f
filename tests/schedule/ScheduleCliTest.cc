// `powerflow schedule` end to end on the default design and KWS network, with a
// stand-in characterization (every design domain, six corners; numbers of the right
// order, not a physical model): outputs, determinism, exact vs ILP on the dumped
// instance, exact vs baselines, and every refusal writing nothing.
// (tests/schedule/ScheduleRealTest.cc runs the same on the real characterization.)
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/Files.hh"
#include "core/Json.hh"
#include "core/Subprocess.hh"
#include "sched/io/ScheduleFile.hh"
#include "sched/io/ScheduleTiming.hh"
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

  // A hand-written instance of two layers on two domains (aon, pe), each layer fast
  // (10 ticks, `fast_pj`) or slow (20 ticks, 0 pJ), idle clocked on (`clocked_pj_per_tick`)
  // or gated (0 pJ), every transition 1 tick and 0 pJ, tick 10 ns.
  static std::string tinyInstance(const std::string &name, double fast_pj,
                                  double clocked_pj_per_tick, int deadline_ticks,
                                  int period_ticks) {
    auto state = [](const char *state_name, int pe_rail, int divider, int point) {
      Json domains = Json::array();
      domains.push(parseJson(R"({"mode": "on", "rail": 1})", "aon"));
      domains.push(pe_rail < 0
                       ? parseJson(R"({"mode": "off", "rail": -1})", "pe")
                       : parseJson(fmt::format(R"({{"mode": "on", "rail": {}}})", pe_rail), "pe"));
      Json json = Json::object();
      json.set("name", state_name);
      json.set("domains", std::move(domains));
      json.set("clock_divider", divider);
      json.set("operating_point", point);
      json.set("gates_unused", false);
      return json;
    };
    auto option = [](int state_index, int ticks, double pj) {
      Json json = Json::object();
      json.set("state", state_index);
      json.set("time_ticks", ticks);
      json.set("dynamic_pj", pj);
      json.set("leakage_pj", 0.0);
      return json;
    };
    auto idle = [](int state_index, const char *kind, double pj_per_tick) {
      Json json = Json::object();
      json.set("state", state_index);
      json.set("kind", kind);
      json.set("power_pj_per_tick", pj_per_tick);
      return json;
    };
    Json root = parseJson(R"({"format": "powerflow-instance", "version": 1, "generated_by": "hand",
        "name": "tiny", "tick_ns": 10, "domains": ["aon", "pe"], "rail_voltages_v": [0.6, 1.1],
        "operating_points": [{"name": "fast", "clock_divider": 1},
                             {"name": "slow", "clock_divider": 2}],
        "aggressive_point": 0})",
                          "tiny");
    root.set("deadline_ticks", deadline_ticks);
    root.set("period_ticks", period_ticks);
    Json states = Json::array(), layers = Json::array(), idles = Json::array();
    states.push(state("idle: on", 1, 1, -1));
    states.push(state("idle: pe off", -1, 0, -1));
    states.push(state("fast", 1, 1, 0));
    states.push(state("slow", 0, 2, 1));
    for (const char *layer_name : {"l0", "l1"}) {
      Json options = Json::array();
      options.push(option(2, 10, fast_pj));
      options.push(option(3, 20, 0.0));
      Json layer = Json::object();
      layer.set("name", layer_name);
      layer.set("options", std::move(options));
      layers.push(std::move(layer));
    }
    idles.push(idle(0, "clocked_on", clocked_pj_per_tick));
    idles.push(idle(1, "power_gated", 0.0));
    Json transitions = Json::array();
    for (int boundary = 0; boundary < 3; ++boundary)
      transitions.push(parseJson(R"({"from_count": 2, "to_count": 2, "time_ticks": [1, 1, 1, 1],
                                     "energy_pj": [0, 0, 0, 0]})",
                                 "matrix"));
    root.set("states", std::move(states));
    root.set("layers", std::move(layers));
    root.set("idle", std::move(idles));
    root.set("transitions", std::move(transitions));
    writeFileAtomic(path(name), root.dump());
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
  EXPECT_EQ(text1.find("time: "), std::string::npos) << text1;
  // The times go to the terminal and the timing file, the same numbers in both.
  const ScheduleTiming timing = readScheduleTimingFile(path("s1.timing.json"));
  EXPECT_NE(first.output.find(scheduleTimingText(timing)), std::string::npos) << first.output;

  EXPECT_EQ(one.at("format").asString(), "powerflow-schedule");
  EXPECT_EQ(one.at("solver").at("status").asString(), "optimal");
  const double busy_ns = one.at("totals").at("busy_ns").asNumber();
  EXPECT_LE(busy_ns, 3000e3);
  EXPECT_EQ(one.at("layers").asArray().size(), 11u);
  EXPECT_GT(one.at("schedule_space_log10").asNumber(), 11.0);
}

// A base clock above the always-on domain's fmax on its rail (260 MHz at 1.1 V in the
// stand-in table): the aggressive baseline has no option, and the summary and the terminal
// say which domain limits the clock, on which rail, and what to change; the default clock
// gets no such warning.
TEST_F(ScheduleCli, ClockAboveFmaxIsExplained) {
  const std::string design = designVariant("fast.toml", "base_mhz = 240.0", "base_mhz = 400.0");
  const ProcessResult fast = schedule(
      {"--period-us", "20000", "--deadline-us", "3000", "--out", path("fast.json")}, design);
  ASSERT_EQ(fast.exit_status, 0) << fast.output;
  const std::string summary = readTextFile(path("fast.txt"));
  EXPECT_NE(summary.find("warning PF-5055"), std::string::npos) << summary;
  EXPECT_NE(summary.find("clock.base_mhz"), std::string::npos) << summary;
  EXPECT_NE(summary.find("'aon'"), std::string::npos) << summary;
  EXPECT_NE(fast.output.find("warning PF-5055"), std::string::npos) << fast.output;
  EXPECT_EQ(readScheduleFile(path("fast.json")).baselines.front().name, "aggressive");
  EXPECT_FALSE(readScheduleFile(path("fast.json")).baselines.front().available);
  const ProcessResult today =
      schedule({"--period-us", "20000", "--deadline-us", "3000", "--out", path("slow.json")});
  ASSERT_EQ(today.exit_status, 0) << today.output;
  EXPECT_EQ(today.output.find("PF-5055"), std::string::npos) << today.output;
}

// Transition physics other than today's are named in the summary (with the note that gen
// and sim refuse such a design); today's are not mentioned.
TEST_F(ScheduleCli, SummaryNamesTransitionPhysicsOtherThanTodays) {
  const std::string design = designVariant("pll.toml", "[memory]",
                                           "[transitions]\nclock_change = \"pll\"\n"
                                           "pll_relock_us = 20\n\n[memory]");
  const ProcessResult pll = schedule(
      {"--period-us", "20000", "--deadline-us", "3000", "--out", path("pll.json")}, design);
  ASSERT_EQ(pll.exit_status, 0) << pll.output;
  EXPECT_NE(readTextFile(path("pll.txt"))
                .find("transition physics: rail change power_mux, clock change pll (relock 20 "
                      "us) (docs/transitions.md; gen and sim refuse this design)"),
            std::string::npos)
      << readTextFile(path("pll.txt"));
  const ProcessResult today =
      schedule({"--period-us", "20000", "--deadline-us", "3000", "--out", path("today.json")});
  ASSERT_EQ(today.exit_status, 0) << today.output;
  EXPECT_EQ(readTextFile(path("today.txt")).find("transition physics"), std::string::npos);
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
  EXPECT_EQ(result.exit_status, 2);  // a usage error (core/Cli.hh)
  EXPECT_NE(result.output.find("error PF-1211: powerflow schedule: option '--deadline-us': cannot "
                               "be used with '--instance': a dumped instance carries its own "
                               "period and deadline"),
            std::string::npos)
      << result.output;
  EXPECT_FALSE(fs::exists(path("no5.json")));
  // The inputs it was built from are refused too, not silently ignored.
  for (const char *input : {"--design", "--characterization", "--profile", "--tick-ns"}) {
    const ProcessResult ignored =
        runProcess({POWERFLOW_BIN, "schedule", "--instance", path("d_instance.json"), input, "1",
                    "--out", path("no6.json")});
    EXPECT_EQ(ignored.exit_status, 2) << input;
    EXPECT_NE(ignored.output.find(fmt::format("error PF-1211: powerflow schedule: option '{}': "
                                              "cannot be used with '--instance': a dumped "
                                              "instance was built from them already",
                                              input)),
              std::string::npos)
        << ignored.output;
    EXPECT_FALSE(fs::exists(path("no6.json")));
  }
}

TEST_F(ScheduleCli, DeadlineAbovePeriodIsRefusedAndNothingWritten) {
  const ProcessResult result =
      schedule({"--period-us", "1000", "--deadline-us", "2000", "--out", path("no1.json")});
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("PF-7003"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("--deadline-us"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("no1.json")));
  EXPECT_FALSE(fs::exists(path("no1.txt")));
  EXPECT_FALSE(fs::exists(path("no1.timing.json")));
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

// A flag named in a refusal is one the user passed: with --period-us alone the deadline
// is the period, and --rails, not the design file, holds an uncharacterized rail.
TEST_F(ScheduleCli, RefusalsNameTheFlagTheUserGave) {
  const ProcessResult period_only = schedule({"--period-us", "10", "--out", path("no6.json")});
  EXPECT_EQ(period_only.exit_status, 1);
  EXPECT_NE(period_only.output.find(
                "error PF-7005: field '--period-us': deadline 10 us (--deadline-us not given: the "
                "deadline is the period) is below the minimum latency"),
            std::string::npos)
      << period_only.output;
  const ProcessResult rails =
      schedule({"--period-us", "20000", "--rails", "0.6 0.85", "--out", path("no7.json")});
  EXPECT_EQ(rails.exit_status, 1);
  EXPECT_NE(
      rails.output.find("error PF-7101: field '--rails': rail 0.85 V has no characterization"),
      std::string::npos)
      << rails.output;
  EXPECT_FALSE(fs::exists(path("no6.json")));
  EXPECT_FALSE(fs::exists(path("no7.json")));
}

// Busy time 22 ticks fits the deadline, the way into idle (1 tick) does not fit the period:
// the period is named, not the solver.
TEST_F(ScheduleCli, AnInfeasibleInstanceNamesItsPeriodNotTheSolver) {
  const std::string instance = tinyInstance("tight.json", 1.0, 1.0, 22, 22);
  const ProcessResult result =
      runProcess({POWERFLOW_BIN, "schedule", "--instance", instance, "--out", path("no8.json")});
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("error PF-7006: " + instance +
                               ": field 'period_ticks': no schedule meets the deadline of 0.22 us "
                               "and is back in an idle state within the period of 0.22 us"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(result.output.find("--solver"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(path("no8.json")));
}

// An optimum of exactly 0 pJ is solved and reported: the gap to a 0 pJ bound is 0, a
// baseline that also takes 0 pJ is 1x the optimum, one that takes more has no finite
// ratio (null in the file, "inf" in the summary), and the reader takes what was written.
TEST_F(ScheduleCli, AZeroEnergyOptimumIsSolvedAndReported) {
  for (const bool costly_baselines : {false, true}) {
    SCOPED_TRACE(costly_baselines ? "costly baselines" : "every energy 0");
    const std::string name = costly_baselines ? "zero_costly" : "zero_all";
    const std::string instance = tinyInstance(name + "_instance.json", costly_baselines ? 5.0 : 0.0,
                                              costly_baselines ? 0.1 : 0.0, 60, 100);
    const ProcessResult result =
        runProcess({POWERFLOW_BIN, "schedule", "--instance", instance, "--pareto-points", "2",
                    "--out", path(name + ".json")});
    ASSERT_EQ(result.exit_status, 0) << result.output;
    const Json json = readJson(name + ".json");
    EXPECT_EQ(json.at("totals").at("total_pj").asNumber(), 0.0);
    EXPECT_EQ(json.at("energy_lower_bound_pj").asNumber(), 0.0);
    EXPECT_EQ(json.at("gap_to_lower_bound").asNumber(), 0.0);
    int costly = 0;
    for (const Json &row : json.at("baselines").asArray()) {
      if (!row.at("available").asBool()) continue;
      const std::string baseline = row.at("name").asString();
      if (row.at("energy_pj").asNumber() > 0.0) {
        ++costly;
        EXPECT_TRUE(row.at("energy_vs_schedule").isNull()) << baseline;
      } else {
        EXPECT_EQ(row.at("energy_vs_schedule").asNumber(), 1.0) << baseline;
      }
    }
    EXPECT_EQ(costly > 0, costly_baselines) << json.dump();
    const std::string text = readTextFile(path(name + ".txt"));
    const size_t row = text.find("\naggressive ");
    ASSERT_NE(row, std::string::npos) << text;
    const std::string aggressive = text.substr(row + 1, text.find('\n', row + 1) - row - 1);
    EXPECT_NE(aggressive.find(costly_baselines ? " inf " : " 1.0000 "), std::string::npos)
        << aggressive;
    EXPECT_EQ(text.find("nan"), std::string::npos) << text;
    const std::string written = readTextFile(path(name + ".json"));
    EXPECT_EQ(scheduleFileToJson(readScheduleFile(path(name + ".json"))).dump(), written);
  }
}

}  // namespace
}  // namespace pf
