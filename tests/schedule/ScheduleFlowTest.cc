// The edge of the schedule stage: chip model from design + characterization, the
// instance file round trip and their located errors, and the per-domain boundary
// physics the schedule file reports against the transition matrices the solvers use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/Error.hh"
#include "sched/Synthetic.hh"
#include "sched/io/ChipModelFromTables.hh"
#include "sched/io/InstanceJson.hh"
#include "tests/core/JsonRefusal.hh"

namespace pf {
namespace {

DomainSpec domainSpec(const std::string &name, DomainKind kind) {
  DomainSpec domain;
  domain.name = name;
  domain.kind = kind;
  return domain;
}

DesignSpec smallDesign() {
  DesignSpec design;
  design.source_file = "small.toml";
  design.rail_voltages_v = {0.6, 1.1};
  design.always_on_rail = 1;
  design.clock.given = true;
  design.clock.base_mhz = 200.0;
  design.clock.dividers = {1, 2, 4};
  design.clock.switch_time_ns = 30.0;
  design.memory.given = true;
  design.memory.bandwidth_mb_per_s = 400.0;
  design.domains = {domainSpec("aon", DomainKind::AlwaysOn), domainSpec("pe0", DomainKind::PeGroup),
                    domainSpec("bank0", DomainKind::SramBank)};
  return design;
}

DomainCharacterization characterized(const std::string &name, DomainKind kind) {
  DomainCharacterization domain;
  domain.name = name;
  domain.kind = kind;
  // Three corners: 0.6, 0.8, 1.1 V.
  domain.fmax_mhz = {90, 200, 300};
  domain.leakage_nw = {100, 200, 400};
  domain.gated_leakage_nw = {1, 2, 4};
  domain.wake_up_time_ns = {30, 31, 32};
  domain.wake_up_energy_pj = {5, 9, 15};
  domain.rail_change_time_ns = {{0, 300, 310}, {300, 0, 305}, {310, 305, 0}};
  domain.rail_change_energy_pj = {{0, 7, 12}, {0, 0, 6}, {0, 0, 0}};
  switch (kind) {
    case DomainKind::AlwaysOn:
      domain.operations = {{"active_cycle", 0, {1, 2, 3}},
                           {"idle_clocked_cycle", 0, {0.2, 0.4, 0.6}}};
      break;
    case DomainKind::PeGroup:
      domain.operations = {{"mac_cycle", 0.5, {2, 4, 6}},
                           {"mac_cycle", 0, {3, 6, 9}},
                           {"clock_gated_cycle", 0, {0.1, 0.2, 0.3}}};
      break;
    case DomainKind::SramBank:
      domain.retention_leakage_nw = 20;
      domain.operations = {{"read", 0, {1, 2, 3}},
                           {"write", 0, {1.5, 2.5, 3.5}},
                           {"idle_clocked_cycle", 0, {0.1, 0.1, 0.1}}};
      break;
  }
  return domain;
}

Characterization smallTable() {
  Characterization table;
  table.corners = {{"v0p60", 0.6}, {"v0p80", 0.8}, {"v1p10", 1.1}};
  table.domains = {characterized("aon", DomainKind::AlwaysOn),
                   characterized("pe0", DomainKind::PeGroup),
                   characterized("bank0", DomainKind::SramBank)};
  table.sequencer.present = true;  // the power sequencer, at each corner
  table.sequencer.leakage_nw = {100, 200, 400};
  table.sequencer.clock_energy_pj = {0.5, 0.9, 1.7};
  table.sequencer.energy_per_cycle_pj = {0.7, 1.2, 2.3};
  return table;
}

Error errorOf(const DesignSpec &design, const Characterization &table) {
  try {
    chipModelFromTables(design, table, "c.json");
  } catch (const Error &error) {
    return error;
  }
  ADD_FAILURE() << "accepted";
  return Error(0, {}, "", "");
}

TEST(ChipModelFromTables, PicksTheCornersOfTheRails) {
  const sched::ChipModel chip = chipModelFromTables(smallDesign(), smallTable(), "c.json");
  ASSERT_EQ(chip.domains.size(), 3u);
  EXPECT_EQ(chip.domains[1].fmax_mhz, (std::vector<double>{90, 300}));  // corners 0 and 2
  EXPECT_EQ(chip.domains[1].rail_change_time_ns[0][1], 310);
  ASSERT_EQ(chip.domains[1].mac_cycle.size(), 2u);
  EXPECT_EQ(chip.domains[1].mac_cycle[0].sparsity, 0.0);  // sorted by sparsity
  EXPECT_EQ(chip.domains[1].mac_cycle[0].energy_pj, (std::vector<double>{3, 9}));
  EXPECT_TRUE(chip.domains[2].can_retain);
  EXPECT_DOUBLE_EQ(chip.ext_bandwidth_bytes_per_ns, 0.4);
  EXPECT_EQ(chip.clock.dividers, (std::vector<int>{1, 2, 4}));
}

TEST(ChipModelFromTables, RailWithoutCharacterizationIsNamed) {
  DesignSpec design = smallDesign();
  design.rail_voltages_v = {0.6, 0.9};
  const Error error = errorOf(design, smallTable());
  EXPECT_EQ(error.id(), 7101);
  EXPECT_EQ(error.field(), "rails.voltages_v[1]");
  EXPECT_EQ(error.loc().file, "small.toml");
  EXPECT_NE(error.message().find("0.9 V"), std::string::npos) << error.message();
}

TEST(ChipModelFromTables, UncharacterizedDomainIsNamed) {
  DesignSpec design = smallDesign();
  design.domains.push_back(domainSpec("pe9", DomainKind::PeGroup));
  const Error error = errorOf(design, smallTable());
  EXPECT_EQ(error.id(), 7105);
  EXPECT_NE(error.message().find("'pe9'"), std::string::npos);
}

TEST(ChipModelFromTables, MissingEnergyIsNamed) {
  Characterization table = smallTable();
  table.domains[2].operations.pop_back();
  const Error error = errorOf(smallDesign(), table);
  EXPECT_EQ(error.id(), 7103);
  EXPECT_EQ(error.field(), "domains.bank0.operations");
}

TEST(ChipModelFromTables, DesignWithoutClockIsRefused) {
  DesignSpec design = smallDesign();
  design.clock.given = false;
  const Error error = errorOf(design, smallTable());
  EXPECT_EQ(error.id(), 7104);
  EXPECT_EQ(error.field(), "clock");
}

sched::Instance syntheticInstance() {
  const sched::ChipModel chip = sched::syntheticChip();
  return sched::buildInstance(chip, sched::syntheticWorkload(chip, 5, 11), {10.0, 2e7, 1e7});
}

TEST(InstanceJson, RoundTripIsExact) {
  const Json json = instanceToJson(syntheticInstance(), "test");
  const sched::Instance back = instanceFromJson(parseJson(json.dump(), "i.json"), "i.json");
  EXPECT_EQ(instanceToJson(back, "test").dump(), json.dump());
}

TEST(InstanceJson, BadFieldIsNamed) {
  Json json = instanceToJson(syntheticInstance(), "test");
  std::string text = json.dump();
  const size_t at = text.find("\"time_ticks\": ");
  text.replace(at, 14, "\"time_ticks\": -");
  try {
    instanceFromJson(parseJson(text, "i.json"), "i.json");
    FAIL() << "accepted a negative time";
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), 7202);
    EXPECT_EQ(error.field(), "layers[0].options[0].time");
    EXPECT_EQ(error.loc().file, "i.json");
  }
  json.set("format", "something-else");
  try {
    instanceFromJson(json, "i.json");
    FAIL();
  } catch (const Error &error) {
    EXPECT_EQ(error.field(), "format");
  }
}

// The line of the first occurrence of `needle` in `text` (1-based).
int lineOf(const std::string &text, const std::string &needle) {
  const size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n')) + 1;
}

// `text` with the first `from` replaced by `to` is refused with `id`, naming the file,
// the line of `to` (or `line` when given) and `field`.
void expectInstanceRefused(const std::string &text, const std::string &from, const std::string &to,
                           int id, const std::string &field, const std::string &needle,
                           int line = 0) {
  std::string bad = text;
  const size_t at = bad.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  bad.replace(at, from.size(), to);
  try {
    instanceFromText(bad, "i.json");
    ADD_FAILURE() << "accepted; expected PF-" << id << " at " << field;
  } catch (const Error &error) {
    EXPECT_EQ(error.id(), id) << error.formatted();
    EXPECT_EQ(error.loc().file, "i.json");
    EXPECT_EQ(error.loc().line, line > 0 ? line : lineOf(bad, to)) << error.formatted();
    EXPECT_GT(error.loc().column, 0) << error.formatted();
    EXPECT_EQ(error.field(), field) << error.formatted();
    EXPECT_NE(error.message().find(needle), std::string::npos) << error.formatted();
  }
}

// Every refusal names the file, the line and the JSON path (docs/formats.md, "JSON files").
TEST(InstanceJson, RefusalsNameFileLineAndPath) {
  const std::string good = instanceToJson(syntheticInstance(), "test").dump();
  expectInstanceRefused(good, "\"tick_ns\":", "\"ticks_ns\":", 1405, "ticks_ns",
                        "unknown field (did you mean 'tick_ns'?); the fields here are: format");
  expectInstanceRefused(good, "\"dynamic_pj\":", "\"dynamic\":", 1405,
                        "layers[0].options[0].dynamic", "did you mean 'dynamic_pj'?");
  expectInstanceRefused(good, "\"gates_unused\":", "\"gates_unused\": true, \"colour\":", 1405,
                        "states[0].colour", "unknown field");
  expectInstanceRefused(good, "\"powerflow-instance\"", "\"powerflow-schedule\"", 7201, "format",
                        "expected \"powerflow-instance\", found \"powerflow-schedule\"");
  expectInstanceRefused(good, "\"version\": 1", "\"version\": 2", 1409, "version",
                        "version 2 is not supported: this powerflow reads powerflow-instance "
                        "version 1");
  expectInstanceRefused(good, "\"time_ticks\": ", "\"time_ticks\": 1.5e", 1401,
                        "layers[0].options[0].time_ticks", "expected an integer, found");
  expectInstanceRefused(good, "\"deadline_ticks\": ", "\"deadline_ticks\": 99999999999999999", 1406,
                        "deadline_ticks", "is out of range: expected an integer in");
  expectInstanceRefused(good, "\"mode\": \"", "\"mode\": \"x", 1410, "states[0].domains[0].mode",
                        "unknown value");
  {  // a missing field: the line of its object
    const std::string from = "\"aggressive_point\": ";
    std::string bad = good;
    const size_t at = bad.find(from);
    bad.replace(at, bad.find('\n', at) + 1 - at, "");
    try {
      instanceFromText(bad, "i.json");
      ADD_FAILURE() << "accepted without aggressive_point";
    } catch (const Error &error) {
      EXPECT_EQ(error.id(), 1402) << error.formatted();
      EXPECT_EQ(error.loc().line, 1) << error.formatted();
      EXPECT_EQ(error.field(), "aggressive_point");
    }
  }
  test::expectTruncatedRefused(instanceFromText, good);
}

// Every boundary of a synthetic instance, every pair of options: the per-domain changes
// the schedule file lists add up to the matrix energy, and their visible time (look-ahead
// included) rounds up to the matrix time.
TEST(BoundaryChanges, AgreeWithTheTransitionMatrices) {
  const sched::ChipModel chip = sched::syntheticChip();
  const sched::Workload workload = sched::syntheticWorkload(chip, 6, 5);
  const sched::Instance instance = sched::buildInstance(chip, workload, {10.0, 2e7, 1e7});
  auto stateOf = [&instance](int stage, int option) -> const sched::PowerState & {
    const bool idle = stage < 0 || stage == instance.layerCount();
    return instance
        .states[idle ? instance.idle[option].state : instance.layers[stage].options[option].state];
  };
  int hidden = 0, shortened = 0;
  for (int boundary = 0; boundary <= instance.layerCount(); ++boundary) {
    const sched::TransitionMatrix &matrix = instance.transitions[boundary];
    const sched::LayerWork *from_layer = boundary == 0 ? nullptr : &workload.layers[boundary - 1];
    for (int a = 0; a < matrix.from_count; ++a) {
      for (int b = 0; b < matrix.to_count; ++b) {
        const sched::PowerState &from = stateOf(boundary - 1, a), &to = stateOf(boundary, b);
        double energy_pj = 0.0, longest_ns = 0.0;
        for (const sched::DomainChange &change :
             sched::boundaryChanges(chip, from, to, from_layer)) {
          EXPECT_NE(change.from, change.to);
          EXPECT_EQ(change.lookahead, from_layer && !from_layer->uses[change.domain]);
          energy_pj += change.energy_pj;
          longest_ns = std::max(longest_ns, change.time_ns);
          hidden += change.lookahead;
        }
        const double visible_ns = sched::boundaryVisibleNs(chip, from, to, from_layer);
        ASSERT_EQ(energy_pj, matrix.energyAt(a, b)) << boundary << " " << a << " " << b;
        ASSERT_EQ(sched::Ticks(std::ceil(visible_ns / instance.tick_ns - 1e-9)),
                  matrix.timeAt(a, b))
            << boundary << " " << a << " " << b;
        const double clock_ns =
            from.clock_divider != to.clock_divider ? chip.clock.switch_time_ns : 0;
        shortened += visible_ns < longest_ns + clock_ns;
      }
    }
  }
  EXPECT_GT(hidden, 0);
  EXPECT_GT(shortened, 0);  // look-ahead hides latency somewhere
}

}  // namespace
}  // namespace pf
