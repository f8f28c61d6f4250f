// The schedule file as a read format (sched/io/ScheduleFile.hh), on schedules the CLI
// writes for the default design and KWS on the stand-in characterization: the typed
// model round-trips byte for byte, its fields agree with the instance, the profile and
// the workload they were made from, and malformed files are refused with the field named.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "core/Error.hh"
#include "core/Hash.hh"
#include "sched/io/InstanceJson.hh"
#include "sched/io/ScheduleFile.hh"
#include "sched/io/ScheduleTiming.hh"
#include "sched/io/WorkloadFromProfile.hh"
#include "tests/core/JsonRefusal.hh"
#include "tests/schedule/ScheduleCliFixture.hh"

namespace pf {
namespace {

using sched::DomainMode;

// Writes, once per test process: f.json (KWS from design + characterization + profile,
// the instance dumped to fi.json), g.json (re-solved from fi.json: not physical) and
// v.json (VWW, profile pv.json: layers with several descriptors; KWS has one per layer).
class ScheduleFileCli : public test::ScheduleCliFixture {
 protected:
  static void SetUpTestSuite() {
    ScheduleCliFixture::SetUpTestSuite();
    require(schedule({"--period-us", "20000", "--deadline-us", "2500", "--out", path("f.json"),
                      "--dump-instance", path("fi.json")}),
            "schedule of KWS");
    require(runProcess({POWERFLOW_BIN, "schedule", "--instance", path("fi.json"), "--pareto-points",
                        "3", "--out", path("g.json")}),
            "schedule of the dumped KWS instance");
    require(runProcess({POWERFLOW_BIN, "profile",
                        PF_SOURCE_DIR "/nets/mlperf_tiny_vww_mobilenetv1_025.toml", "--design",
                        kDesign, "--out", path("pv.json")}),
            "profile of VWW");
    require(schedule({"--period-us", "1000000", "--out", path("v.json")}, kDesign, path("pv.json")),
            "schedule of VWW");
  }

  static sched::Instance instance() {
    return instanceFromJson(readJson("fi.json"), path("fi.json"));
  }
};

// `json` with the value at the dotted `field` (e.g. "layers[1].domains[0].rail")
// replaced by `value`, or removed when there is none.
Json edited(const Json &json, const std::string &field, const std::optional<Json> &value) {
  if (field.front() == '[') {
    const size_t close = field.find(']');
    const size_t index = std::stoul(field.substr(1, close - 1));
    std::string rest = field.substr(close + 1);
    if (!rest.empty() && rest.front() == '.') rest.erase(0, 1);
    Json::Array array = json.asArray();
    if (!rest.empty())
      array.at(index) = edited(array.at(index), rest, value);
    else if (value)
      array.at(index) = *value;
    else
      array.erase(array.begin() + long(index));
    return Json(std::move(array));
  }
  const size_t end = field.find_first_of(".[");
  const std::string key = field.substr(0, end);
  std::string rest = end == std::string::npos ? "" : field.substr(end);
  if (!rest.empty() && rest.front() == '.') rest.erase(0, 1);
  Json::Object object = json.asObject();
  auto member = std::find_if(object.begin(), object.end(),
                             [&key](const auto &entry) { return entry.first == key; });
  if (!rest.empty()) {
    member->second = edited(member->second, rest, value);
  } else if (!value) {
    EXPECT_NE(member, object.end()) << key;
    if (member != object.end()) object.erase(member);
  } else if (member != object.end()) {
    member->second = *value;
  } else {
    object.emplace_back(key, *value);
  }
  return Json(std::move(object));
}

// `read` refuses `json` with message `id` naming `field` of bad.json.
template <typename Reader>
void expectRefusedBy(Reader read, const Json &json, int id, const std::string &field) {
  try {
    read(json, "bad.json");
    ADD_FAILURE() << "accepted; expected PF-" << id << " at " << field;
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), id) << error.formatted();
    EXPECT_EQ(error.field(), field) << error.formatted();
    EXPECT_EQ(error.loc().file, "bad.json");
  }
}

void expectRefused(const Json &json, int id, const std::string &field) {
  expectRefusedBy(scheduleFileFromJson, json, id, field);
}

// The domain states before each boundary: idle, then each layer's.
const std::vector<sched::DomainState> &statesBefore(const ScheduleFile &file, size_t layer) {
  return layer == 0 ? file.idle.domains : file.layers[layer - 1].domains;
}

TEST_F(ScheduleFileCli, WriteReadWriteIsByteIdentical) {
  for (const char *name : {"f.json", "g.json", "v.json"}) {
    const std::string text = readTextFile(path(name));
    const ScheduleFile file = readScheduleFile(path(name));
    EXPECT_EQ(scheduleFileToJson(file).dump(), text) << name;
  }
  EXPECT_TRUE(readScheduleFile(path("f.json")).physical);
  EXPECT_FALSE(readScheduleFile(path("g.json")).physical);
  EXPECT_EQ(readJson("f.json").at("version").asNumber(), kScheduleVersion);
}

// The run's wall times beside the schedule: one per baseline of the schedule, in its
// order; the steps add up to no more than the total; write -> read -> write is identical.
TEST_F(ScheduleFileCli, TimingFileNamesTheScheduleAndEveryBaseline) {
  const std::string timing_path = scheduleTimingPath(path("f.json"));
  EXPECT_EQ(timing_path, path("f.timing.json"));
  const ScheduleTiming timing = readScheduleTimingFile(timing_path);
  EXPECT_EQ(scheduleTimingToJson(timing).dump(), readTextFile(timing_path));
  const ScheduleFile file = readScheduleFile(path("f.json"));
  EXPECT_EQ(timing.schedule, path("f.json"));
  EXPECT_EQ(timing.generated_by, file.generated_by);
  EXPECT_EQ(timing.solver, sched::solverKindName(file.solver.kind));
  ASSERT_EQ(timing.baseline_ms.size(), file.baselines.size());
  for (size_t i = 0; i < file.baselines.size(); ++i)
    EXPECT_EQ(timing.baseline_ms[i].first, file.baselines[i].name);
  EXPECT_EQ(timing.curve_points, int(file.pareto.size()));
  const double steps_ms = timing.read_ms + timing.solve_ms + timing.lower_bound_ms +
                          timing.baselines_ms + timing.curve_ms;
  EXPECT_GT(timing.read_ms, 0.0);
  EXPECT_LE(steps_ms, timing.total_ms + 0.01);  // each rounded to 0.001 ms
}

TEST_F(ScheduleFileCli, MalformedTimingFilesAreRefusedWithTheFieldNamed) {
  const Json good = readJson("f.timing.json");
  expectRefusedBy(scheduleTimingFromJson, edited(good, "version", Json(2)), 1409, "version");
  expectRefusedBy(scheduleTimingFromJson, edited(good, "format", Json("powerflow-schedule")), 7304,
                  "format");
  expectRefusedBy(scheduleTimingFromJson, edited(good, "solve_ms", std::nullopt), 7305, "solve_ms");
  expectRefusedBy(scheduleTimingFromJson, edited(good, "wall_s", Json(1.0)), 1405, "wall_s");
  expectRefusedBy(scheduleTimingFromJson, edited(good, "baseline_ms[1].ms", Json(-1.0)), 7306,
                  "baseline_ms[1].ms");
  expectRefusedBy(scheduleTimingFromJson, edited(good, "curve_points", Json(-1)), 1406,
                  "curve_points");
}

TEST_F(ScheduleFileCli, LayerAndIdleStatesAreTheInstancesChosenOptions) {
  const sched::Instance problem = instance();
  const ScheduleFile physical = readScheduleFile(path("f.json"));
  const ScheduleFile dumped = readScheduleFile(path("g.json"));
  for (const ScheduleFile *file : {&physical, &dumped}) {
    EXPECT_EQ(file->domains, problem.domain_names);
    EXPECT_EQ(file->rail_voltages_v, problem.rail_voltages_v);
    ASSERT_EQ(int(file->layers.size()), problem.layerCount());
    for (size_t i = 0; i < file->layers.size(); ++i) {
      const ScheduleLayer &layer = file->layers[i];
      ASSERT_LT(size_t(layer.option), problem.layers[i].options.size());
      const sched::PowerState &state =
          problem.states[problem.layers[i].options[layer.option].state];
      EXPECT_EQ(layer.name, problem.layers[i].name);
      EXPECT_EQ(layer.state, state.name);
      EXPECT_EQ(layer.domains, state.domains) << layer.name;
      EXPECT_EQ(layer.clock_divider, state.clock_divider) << layer.name;
      // The same instance and solver choose the same option with or without physics.
      EXPECT_EQ(layer.option, physical.layers[i].option) << layer.name;
    }
    const sched::IdleOption &idle = problem.idle.at(size_t(file->idle.option));
    EXPECT_EQ(file->idle.kind, idle.kind);
    EXPECT_EQ(file->idle.domains, problem.states[idle.state].domains);
    EXPECT_EQ(file->idle.clock_divider, problem.states[idle.state].clock_divider);
  }
  // The physical file maps every divider to the design's clock.
  for (const ScheduleLayer &layer : physical.layers) {
    EXPECT_GE(physical.clock.dividerIndex(layer.clock_divider), 0);
    EXPECT_DOUBLE_EQ(layer.clock_mhz, physical.clock.base_mhz / layer.clock_divider);
  }
  EXPECT_EQ(physical.clock.dividers, (std::vector<int>{1, 2, 3, 4, 6, 8}));  // rtl/design.toml
}

TEST_F(ScheduleFileCli, TimelineIsTheTransitionsAndLayersInOrder) {
  const ScheduleFile file = readScheduleFile(path("f.json"));
  double now_ns = 0.0;
  for (const ScheduleLayer &layer : file.layers) {
    now_ns += layer.transition_in.time_ns;
    EXPECT_DOUBLE_EQ(layer.start_ns, now_ns) << layer.name;
    EXPECT_GT(layer.end_ns, layer.start_ns) << layer.name;
    now_ns = layer.end_ns;
  }
  EXPECT_DOUBLE_EQ(file.totals.busy_ns, now_ns);
  EXPECT_DOUBLE_EQ(file.period_ns,
                   file.totals.busy_ns + file.idle.transition_in.time_ns + file.idle.idle_ns);
}

TEST_F(ScheduleFileCli, DescriptorsAndCyclesAreTheProfiles) {
  int64_t chained = 0;  // descriptors after the first of their layer
  for (const auto &[schedule_file, profile_file] :
       {std::pair{"f.json", "p.json"}, std::pair{"v.json", "pv.json"}}) {
    const ScheduleFile file = readScheduleFile(path(schedule_file));
    const Profile profile = readProfile(path(profile_file));
    ASSERT_EQ(file.layers.size(), profile.layers.size());
    for (size_t i = 0; i < file.layers.size(); ++i) {
      const ScheduleLayer &layer = file.layers[i];
      const LayerProfile &source = profile.layers[i];
      ASSERT_FALSE(source.descriptors.empty());
      EXPECT_EQ(layer.descriptors.count, int64_t(source.descriptors.size())) << layer.name;
      for (size_t k = 0; k < source.descriptors.size(); ++k)
        EXPECT_EQ(layer.descriptors.first_addr + 64 * k, source.descriptors[k].desc_addr)
            << layer.name << " " << k;
      chained += layer.descriptors.count - 1;
      EXPECT_EQ(layer.cycles, source.cycles) << layer.name;
    }
    // The mapper lays the layers' chains out one after the other.
    for (size_t i = 1; i < file.layers.size(); ++i)
      EXPECT_EQ(
          file.layers[i].descriptors.first_addr,
          file.layers[i - 1].descriptors.first_addr + 64 * file.layers[i - 1].descriptors.count);
  }
  EXPECT_GT(chained, 0);
}

TEST_F(ScheduleFileCli, DesignNameAndInputHashesAreTheInputs) {
  const ScheduleFile file = readScheduleFile(path("v.json"));
  EXPECT_EQ(file.design_name, readDesign(kDesign).name);
  EXPECT_EQ(file.input_hashes.design, sha256Hex(readTextFile(kDesign)));
  EXPECT_EQ(file.input_hashes.characterization, sha256Hex(readTextFile(path("c.json"))));
  EXPECT_EQ(file.input_hashes.profile, sha256Hex(readTextFile(path("pv.json"))));
  EXPECT_NE(file.input_hashes.profile, readScheduleFile(path("f.json")).input_hashes.profile);
}

TEST_F(ScheduleFileCli, UsesAndLiveBanksAreTheWorkloadsAndTheStatesRespectThem) {
  const ScheduleFile file = readScheduleFile(path("f.json"));
  const DesignSpec design = readDesign(kDesign);
  const sched::Workload workload =
      workloadFromProfile(readProfile(path("p.json")), design, path("p.json"));
  ASSERT_EQ(file.layers.size(), workload.layers.size());
  int kept = 0;
  for (size_t i = 0; i < file.layers.size(); ++i) {
    const ScheduleLayer &layer = file.layers[i];
    EXPECT_EQ(layer.uses, workload.layers[i].uses) << layer.name;
    EXPECT_EQ(layer.keeps_data, workload.layers[i].keeps_data) << layer.name;
    for (size_t d = 0; d < file.domains.size(); ++d) {
      if (layer.uses[d]) {
        EXPECT_EQ(layer.domains[d].mode, DomainMode::On) << layer.name << " " << d;
      }
      if (layer.keeps_data[d]) {
        EXPECT_NE(layer.domains[d].mode, DomainMode::Off) << layer.name << " " << d;
      }
      kept += layer.keeps_data[d];
    }
  }
  EXPECT_GT(kept, 0);  // KWS keeps tensors live across layers
}

TEST_F(ScheduleFileCli, TransitionsListExactlyTheDomainsThatChange) {
  const sched::Instance problem = instance();
  const ScheduleFile physical = readScheduleFile(path("f.json"));
  const ScheduleFile dumped = readScheduleFile(path("g.json"));
  int changes = 0;
  for (size_t i = 0; i <= physical.layers.size(); ++i) {
    const bool into_idle = i == physical.layers.size();
    const ScheduleTransition &transition =
        into_idle ? physical.idle.transition_in : physical.layers[i].transition_in;
    const std::vector<sched::DomainState> &before = statesBefore(physical, i);
    const std::vector<sched::DomainState> &after =
        into_idle ? physical.idle.domains : physical.layers[i].domains;
    std::vector<int> changed;
    for (size_t d = 0; d < before.size(); ++d)
      if (before[d] != after[d]) changed.push_back(int(d));
    ASSERT_EQ(transition.changes.size(), changed.size()) << "boundary " << i;
    double energy_pj = 0.0, longest_ns = 0.0;
    for (size_t c = 0; c < changed.size(); ++c) {
      const sched::DomainChange &change = transition.changes[c];
      EXPECT_EQ(change.domain, changed[c]);
      EXPECT_EQ(change.from, before[changed[c]]);
      EXPECT_EQ(change.to, after[changed[c]]);
      energy_pj += change.energy_pj;
      if (!change.lookahead) longest_ns = std::max(longest_ns, change.time_ns);
    }
    changes += int(changed.size());
    // The per-domain physics add up to what the solver was charged.
    const int from = i == 0 ? physical.idle.option : physical.layers[i - 1].option;
    const int to = into_idle ? physical.idle.option : physical.layers[i].option;
    EXPECT_DOUBLE_EQ(transition.time_ns,
                     double(problem.transitions[i].timeAt(from, to)) * problem.tick_ns);
    EXPECT_DOUBLE_EQ(transition.energy_pj, problem.transitions[i].energyAt(from, to));
    EXPECT_NEAR(energy_pj, transition.energy_pj, 1e-9 * (1 + transition.energy_pj))
        << "boundary " << i;
    EXPECT_GE(transition.time_ns, longest_ns) << "boundary " << i;
    const int divider_before =
        i == 0 ? physical.idle.clock_divider : physical.layers[i - 1].clock_divider;
    const int divider_after =
        into_idle ? physical.idle.clock_divider : physical.layers[i].clock_divider;
    EXPECT_EQ(transition.clock_divider_changes, divider_before != divider_after);
    if (transition.clock_divider_changes) {
      EXPECT_GE(transition.time_ns, physical.clock.switch_time_ns);
    }
    // Without physics the same domains change, with no costs of their own.
    const ScheduleTransition &bare =
        into_idle ? dumped.idle.transition_in : dumped.layers[i].transition_in;
    ASSERT_EQ(bare.changes.size(), transition.changes.size());
    for (size_t c = 0; c < bare.changes.size(); ++c) {
      EXPECT_EQ(bare.changes[c].domain, transition.changes[c].domain);
      EXPECT_EQ(bare.changes[c].to, transition.changes[c].to);
      EXPECT_EQ(bare.changes[c].energy_pj, 0.0);
    }
  }
  EXPECT_GT(changes, 0);
}

TEST_F(ScheduleFileCli, LookaheadIsWhereThePreviousLayerDoesNotUseTheDomain) {
  const ScheduleFile file = readScheduleFile(path("f.json"));
  int hidden = 0, visible = 0;
  for (size_t i = 0; i <= file.layers.size(); ++i) {
    const bool into_idle = i == file.layers.size();
    const ScheduleTransition &transition =
        into_idle ? file.idle.transition_in : file.layers[i].transition_in;
    for (const sched::DomainChange &change : transition.changes) {
      // Out of idle nothing runs before the boundary to hide a change in.
      const bool expected = i > 0 && !file.layers[i - 1].uses[change.domain];
      EXPECT_EQ(change.lookahead, expected) << "boundary " << i << " domain " << change.domain;
      (change.lookahead ? hidden : visible) += 1;
    }
  }
  EXPECT_GT(hidden, 0);
  EXPECT_GT(visible, 0);
}

TEST_F(ScheduleFileCli, MalformedFilesAreRefusedWithTheFieldNamed) {
  const Json good = readJson("f.json");
  const ScheduleFile file = scheduleFileFromJson(good, "good.json");
  expectRefused(edited(good, "version", Json(1)), 1409, "version");
  expectRefused(edited(good, "format", Json("powerflow-profile")), 7301, "format");
  expectRefused(edited(good, "layers[2].clock_divider", std::nullopt), 7302,
                "layers[2].clock_divider");
  expectRefused(edited(good, "idle.transition_in", std::nullopt), 7302, "idle.transition_in");
  expectRefused(edited(good, "colour", Json("blue")), 1405, "colour");
  expectRefused(edited(good, "layers[0].descriptors", Json(5)), 1401, "layers[0].descriptors");
  expectRefused(edited(good, "layers[0].transition_in.changes", Json::object()), 1401,
                "layers[0].transition_in.changes");
  // Not physical, yet with the physical fields: the first of them is unknown.
  expectRefused(edited(good, "physical", Json(false)), 1405, "design_name");
  // aon is on in every layer; there are three rails.
  ASSERT_EQ(file.layers[1].domains[0].mode, DomainMode::On);
  expectRefused(edited(good, "layers[1].domains[0].rail", Json(3)), 7303,
                "layers[1].domains[0].rail");
  expectRefused(edited(good, "layers[0].domains[1].mode", Json("sleep")), 7307,
                "layers[0].domains[1].mode");
  expectRefused(edited(good, "layers[0].domains[1].name", Json("pe_grp7")), 7315,
                "layers[0].domains[1].name");
  expectRefused(edited(good, "layers[0].clock_divider", Json(5)), 7309, "layers[0].clock_divider");
  expectRefused(
      edited(good, "layers[0].cycles.total", Json(double(file.layers[0].cycles.total + 1))), 7319,
      "layers[0].cycles.total");
  expectRefused(edited(good, "layers[0].uses[0]", Json("pe_grp9")), 7308, "layers[0].uses[0]");
  expectRefused(edited(good, "input_hashes.profile", Json("abc")), 7324, "input_hashes.profile");
  expectRefused(edited(good, "clock.dividers", Json::array()), 7323, "clock.dividers");
  // A domain that is off somewhere must have rail -1 there.
  for (size_t i = 0; i < file.layers.size(); ++i)
    for (size_t d = 0; d < file.domains.size(); ++d)
      if (file.layers[i].domains[d].mode == DomainMode::Off) {
        const std::string field =
            "layers[" + std::to_string(i) + "].domains[" + std::to_string(d) + "].rail";
        expectRefused(edited(good, field, Json(0)), 7313, field);
        i = file.layers.size() - 1;
        break;
      }
  // A change naming a domain the file does not have.
  for (size_t i = 0; i < file.layers.size(); ++i)
    if (!file.layers[i].transition_in.changes.empty()) {
      const std::string field = "layers[" + std::to_string(i) + "].transition_in.changes[0].domain";
      expectRefused(edited(good, field, Json("nope")), 7308, field);
      break;
    }
}

using test::expectRefusedAt;
using test::expectTruncatedRefused;
using test::lineOf;
using test::replacedOnce;

// Every refusal names the file, the line and the JSON path (docs/formats.md, "JSON files").
TEST_F(ScheduleFileCli, RefusalsNameFileLineAndPath) {
  const std::string good = readTextFile(path("f.json"));
  auto edited = [&](const std::string &from, const std::string &to) {
    return replacedOnce(good, from, to);
  };
  const std::string top = edited("\"network\":", "\"netwrok\":");
  expectRefusedAt(scheduleFileFromText, top, 1405, lineOf(top, "netwrok"), "netwrok",
                  "unknown field (did you mean 'network'?); the fields here are: format, version");
  // The wake-up into layer 0 turns domains on.
  const std::string nested = edited("\"lookahead\":", "\"look_ahead\":");
  expectRefusedAt(scheduleFileFromText, nested, 1405, lineOf(nested, "look_ahead"),
                  "layers[0].transition_in.changes[0].look_ahead", "did you mean 'lookahead'?");
  expectRefusedAt(scheduleFileFromText, edited("\"powerflow-schedule\"", "\"powerflow-sim\""), 7301,
                  2, "format", "expected \"powerflow-schedule\", found \"powerflow-sim\"");
  expectRefusedAt(scheduleFileFromText, edited("\"version\": 3", "\"version\": 2"), 1409, 3,
                  "version",
                  "version 2 is not supported: this powerflow reads powerflow-schedule version 3; "
                  "re-run `powerflow schedule`");
  expectTruncatedRefused(scheduleFileFromText, good);
  const std::string missing = edited("\"min_busy_ns\":", "\"min_busy\":");
  expectRefusedAt(scheduleFileFromText, missing, 1405, lineOf(missing, "min_busy\""), "min_busy",
                  "did you mean 'min_busy_ns'?");
  // The first layer's descriptor count, its digits after the inserted ones.
  const std::string huge = edited("\"count\": ", "\"count\": 9223372036854775808");
  expectRefusedAt(scheduleFileFromText, huge, 1406, lineOf(huge, "9223372036854775808"),
                  "layers[0].descriptors.count", "out of range: expected an integer in 0..");
  const std::string half = edited("\"first_addr\": 0,", "\"first_addr\": 0.5,");
  expectRefusedAt(scheduleFileFromText, half, 1401, lineOf(half, "0.5,"),
                  "layers[0].descriptors.first_addr", "expected an integer, found 0.5");
}

TEST_F(ScheduleFileCli, TimingRefusalsNameFileLineAndPath) {
  const std::string good = readTextFile(path("f.timing.json"));
  const std::string top = replacedOnce(good, "\"solver\":", "\"solve\":");
  expectRefusedAt(scheduleTimingFromText, top, 1405, lineOf(top, "\"solve\""), "solve",
                  "did you mean 'solver'?");
  const std::string nested = replacedOnce(good, "\"ms\":", "\"msec\":");
  expectRefusedAt(scheduleTimingFromText, nested, 1405, lineOf(nested, "msec"),
                  "baseline_ms[0].msec",
                  "unknown field (did you mean 'ms'?); the fields here are: name, ms");
  expectRefusedAt(scheduleTimingFromText,
                  replacedOnce(good, "\"powerflow-schedule-timing\"", "\"powerflow-schedule\""),
                  7304, 2, "format", "expected \"powerflow-schedule-timing\"");
  expectRefusedAt(scheduleTimingFromText, replacedOnce(good, "\"version\": 1", "\"version\": 7"),
                  1409, 3, "version", "version 7 is not supported");
  expectTruncatedRefused(scheduleTimingFromText, good);
  const std::string points = replacedOnce(good, "\"curve_points\": ", "\"curve_points\": 0.");
  expectRefusedAt(scheduleTimingFromText, points, 1401, lineOf(points, "curve_points"),
                  "curve_points", "expected an integer, found 0.");
}

TEST_F(ScheduleFileCli, BrokenDescriptorChainIsRefusedAndNothingWritten) {
  const Json profile = readJson("pv.json");
  const Profile typed = readProfile(path("pv.json"));
  size_t layer = 0;
  while (layer < typed.layers.size() && typed.layers[layer].descriptors.size() < 2) ++layer;
  ASSERT_LT(layer, typed.layers.size());
  const std::string field = "layers[" + std::to_string(layer) + "].descriptors[1].desc_addr";
  const double moved = double(typed.layers[layer].descriptors[1].desc_addr) + 64.0;
  writeFileAtomic(path("p_gap.json"), edited(profile, field, Json(moved)).dump());
  const ProcessResult result =
      schedule({"--period-us", "20000", "--out", path("no_gap.json")}, kDesign, path("p_gap.json"));
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("PF-7310"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(field), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(path("no_gap.json")));
}

}  // namespace
}  // namespace pf
