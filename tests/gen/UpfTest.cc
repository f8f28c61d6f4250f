// UPF writer (gen/Upf.cc) checked by the real reader: tclsh sources each written file
// through gen/upf_check.tcl, and its summary is compared with the spec, which is built
// from rtl/design.toml so the two cannot drift apart. Mutated files must be refused.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"
#include "gen/Upf.hh"

namespace pf::gen {
namespace {

namespace fs = std::filesystem;

constexpr const char *kChecker = PF_SOURCE_DIR "/gen/upf_check.tcl";

// ---- the spec ----------------------------------------------------------------------------------

// Rail of domain `i` (0 = always-on) in layer `k`: every rail, off and retention occur.
int railIn(const UpfSpec &spec, size_t i, int k) {
  const auto rails = static_cast<int>(spec.rail_voltages_v.size());
  const UpfDomain &d = spec.domains[i];
  if (d.kind == "always_on") return spec.always_on_rail;
  const int pick = (static_cast<int>(i) + k) % (rails + 2);
  if (pick == rails) return kUpfOff;
  if (pick == rails + 1) return d.kind == "sram_bank" ? kUpfRetention : kUpfOff;
  return pick;
}

UpfSpec specFromDesign(const DesignSpec &design, std::vector<double> rails, int aon_rail) {
  UpfSpec spec;
  spec.scope_top = "pf_top";  // the generated wrapper, with the design as u_accel
  spec.generated_by = "powerflow gen --design rtl/design.toml --upf out/pf_top.upf";
  spec.rail_voltages_v = std::move(rails);
  spec.always_on_rail = aon_rail;
  for (const DomainSpec &domain : design.domains) {
    UpfDomain d{domain.name,     domainKindName(domain.kind), {}, {}, domain.pgood_port,
                domain.iso_port, domain.retention_port};
    for (const std::string &instance : domain.instances)
      d.elements.push_back(upfElementPath("u_accel", instance));
    if (domain.kind != DomainKind::AlwaysOn)
      for (size_t r = 0; r < spec.rail_voltages_v.size(); ++r)
        d.switch_ctrl.push_back(fmt::format("{}_sw[{}]", domain.name, r));
    spec.domains.push_back(d);
  }
  for (int k = 0; k < static_cast<int>(spec.rail_voltages_v.size()) + 2; ++k) {
    UpfPowerState state{fmt::format("layer{}", k), {}};
    for (size_t i = 0; i < spec.domains.size(); ++i)
      state.rail_of_domain.push_back(railIn(spec, i, k));
    spec.states.push_back(state);
  }
  UpfPowerState idle{"idle", {}};
  for (const UpfDomain &d : spec.domains)
    idle.rail_of_domain.push_back(d.kind == "always_on"   ? spec.always_on_rail
                                  : d.kind == "sram_bank" ? kUpfRetention
                                                          : kUpfOff);
  spec.states.push_back(idle);
  return spec;
}

const DesignSpec &design() {
  static const DesignSpec spec = readDesign(PF_SOURCE_DIR "/rtl/design.toml");
  return spec;
}

UpfSpec defaultSpec() {
  return specFromDesign(design(), design().rail_voltages_v, design().always_on_rail);
}

// ---- running the checker
// -------------------------------------------------------------------------

class UpfCheck : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("pf_upf_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::string path(const std::string &name) { return (dir_ / name).string(); }

  static ProcessResult check(const std::string &name, const std::string &text) {
    writeFileAtomic(path(name), text);
    return runProcess({"tclsh", kChecker, path(name)});
  }

  static fs::path dir_;
};

fs::path UpfCheck::dir_;

// Top-level words of a Tcl list as the checker prints them (braced or bare words).
std::vector<std::string> tclWords(const std::string &text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == text.size()) return words;
    if (text[i] == '{') {
      size_t depth = 1, start = ++i;
      for (; i < text.size() && depth > 0; ++i)
        depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
      words.push_back(text.substr(start, i - 1 - start));
    } else {
      const size_t start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      words.push_back(text.substr(start, i - start));
    }
  }
}

// A summary line "kind name key value key value ..." as {name, key -> value}.
struct Fact {
  std::string name;
  std::map<std::string, std::string> attr;
  std::vector<std::string> words;  // everything after the kind
};

using Summary = std::multimap<std::string, Fact>;

Summary parseSummary(const std::string &output) {
  Summary summary;
  size_t start = 0;
  while (start < output.size()) {
    const size_t end = output.find('\n', start);
    const std::vector<std::string> words =
        tclWords(output.substr(start, end == std::string::npos ? end : end - start));
    start = end == std::string::npos ? output.size() : end + 1;
    if (words.size() < 2) continue;
    Fact fact{words[1], {}, {words.begin() + 1, words.end()}};
    for (size_t i = 2; i + 1 < words.size(); i += 2) fact.attr[words[i]] = words[i + 1];
    summary.emplace(words[0], fact);
  }
  return summary;
}

std::vector<Fact> facts(const Summary &summary, const std::string &kind) {
  std::vector<Fact> out;
  for (auto [it, end] = summary.equal_range(kind); it != end; ++it) out.push_back(it->second);
  return out;
}

const Fact *factFor(const Summary &summary, const std::string &kind, const std::string &domain) {
  for (auto [it, end] = summary.equal_range(kind); it != end; ++it)
    if (it->second.attr.count("domain") && it->second.attr.at("domain") == domain)
      return &it->second;
  return nullptr;
}

std::map<std::string, std::string> pairs(const std::string &list) {
  const std::vector<std::string> words = tclWords(list);
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < words.size(); i += 2) out[words[i]] = words[i + 1];
  return out;
}

// ---- cross-checks of the summary against the spec
// ------------------------------------------------

void expectSupplies(const UpfSpec &spec, const Summary &summary) {
  std::map<std::string, double> volts;
  for (const Fact &f : facts(summary, "supply")) volts[f.name] = std::stod(f.words.at(1));
  EXPECT_EQ(volts.size(), spec.rail_voltages_v.size() + 1);  // the rails and ground
  EXPECT_EQ(volts["VSS"], 0.0);
  for (size_t r = 0; r < spec.rail_voltages_v.size(); ++r)
    EXPECT_NEAR(volts[fmt::format("VDD_R{}", r)], spec.rail_voltages_v[r], 1e-9) << r;
}

void expectDomains(const UpfSpec &spec, const Summary &summary) {
  const std::vector<Fact> domains = facts(summary, "domain");
  ASSERT_EQ(domains.size(), spec.domains.size());
  std::vector<std::string> rails;
  for (size_t r = 0; r < spec.rail_voltages_v.size(); ++r)
    rails.push_back(fmt::format("VDD_R{}", r));
  for (size_t i = 0; i < spec.domains.size(); ++i) {
    const UpfDomain &d = spec.domains[i];
    SCOPED_TRACE(d.name);
    EXPECT_EQ(domains[i].name, d.name);
    EXPECT_EQ(tclWords(domains[i].attr.at("elements")), d.elements);
    EXPECT_EQ(domains[i].attr.at("scope"), i == 0 ? "1" : "0");
    const Fact *sw = factFor(summary, "switch", d.name);
    const Fact *iso = factFor(summary, "isolation", d.name);
    const Fact *ret = factFor(summary, "retention", d.name);
    const Fact *ls = factFor(summary, "level_shifter", d.name);
    if (d.kind == "always_on") {
      EXPECT_FALSE(sw || iso || ret || ls);
      EXPECT_EQ(domains[i].attr.at("primary"), fmt::format("SS_R{}", spec.always_on_rail));
      continue;
    }
    ASSERT_TRUE(sw && iso);
    EXPECT_EQ(tclWords(sw->attr.at("ctrl")), d.switch_ctrl);
    EXPECT_EQ(tclWords(sw->attr.at("inputs")), rails);
    EXPECT_EQ(sw->attr.at("ack"), d.pgood);
    EXPECT_EQ(iso->attr.at("signal"), d.iso);
    EXPECT_EQ(iso->attr.at("sense"), "high");
    EXPECT_EQ(iso->attr.at("clamp"), "0");
    EXPECT_EQ(iso->attr.at("applies_to"), "outputs");
    EXPECT_EQ(ls != nullptr, spec.rail_voltages_v.size() > 1);
    EXPECT_EQ(ret != nullptr, d.kind == "sram_bank");
    if (ret) {
      EXPECT_EQ(tclWords(ret->attr.at("save")), (std::vector<std::string>{d.retention, "high"}));
      EXPECT_EQ(ret->attr.at("supply"), fmt::format("SS_R{}", spec.always_on_rail));
    }
  }
}

// Each system state, resolved down to volts: domain state -> supply-set state -> power.
void expectStates(const UpfSpec &spec, const Summary &summary) {
  std::map<std::string, std::string> set_power;  // "SS_x ON_R1" -> "0.8"
  for (const Fact &f : facts(summary, "set_state"))
    set_power[f.name + " " + f.words.at(1)] = pairs(f.words.at(2)).at("power");
  std::map<std::string, std::map<std::string, std::string>> domain_state;
  for (const Fact &f : facts(summary, "domain_state"))
    domain_state[f.name + " " + f.words.at(1)] = pairs(f.words.at(2));
  const std::vector<Fact> states = facts(summary, "state");
  ASSERT_EQ(states.size(), spec.states.size());
  for (size_t s = 0; s < spec.states.size(); ++s) {
    SCOPED_TRACE(spec.states[s].name);
    EXPECT_EQ(states[s].name, spec.states[s].name);
    const std::map<std::string, std::string> given = pairs(states[s].words.at(1));
    if (spec.domains.size() == 1)  // nothing to switch: the always-on supply's one state
      EXPECT_EQ(given,
                (std::map<std::string, std::string>{{fmt::format("SS_R{}", spec.always_on_rail),
                                                     fmt::format("ON_R{}", spec.always_on_rail)}}));
    else
      EXPECT_EQ(given.size(), spec.domains.size() - 1);  // every domain but the always-on one
    for (size_t i = 1; i < spec.domains.size(); ++i) {
      const UpfDomain &d = spec.domains[i];
      const int rail = spec.states[s].rail_of_domain[i];
      const std::string state = given.at(d.name);
      const std::string set = "SS_" + d.name;
      const std::map<std::string, std::string> terms = domain_state.at(d.name + " " + state);
      const std::string power = set_power.at(set + " " + terms.at(set));
      if (rail >= 0) {
        EXPECT_EQ(state, fmt::format("ON_R{}", rail)) << d.name;
        EXPECT_NEAR(std::stod(power), spec.rail_voltages_v[rail], 1e-9) << d.name;
      } else {
        EXPECT_EQ(state, rail == kUpfOff ? "OFF" : "RET") << d.name;
        EXPECT_EQ(power, "off") << d.name;
      }
      if (!d.retention.empty()) {
        EXPECT_EQ(terms.at(d.retention), rail == kUpfRetention ? "1" : "0") << d.name;
      }
    }
  }
}

void expectAccepted(const UpfSpec &spec, const ProcessResult &result) {
  ASSERT_EQ(result.exit_status, 0) << result.output;
  const Summary summary = parseSummary(result.output);
  ASSERT_EQ(facts(summary, "top").size(), 1u);
  EXPECT_EQ(facts(summary, "top")[0].name, spec.scope_top);
  EXPECT_EQ(facts(summary, "version")[0].name, "2.1");
  expectSupplies(spec, summary);
  expectDomains(spec, summary);
  expectStates(spec, summary);
}

// ---- tests
// ----------------------------------------------------------------------------------------

TEST_F(UpfCheck, DefaultDesignIsAcceptedAndMatchesTheSpec) {
  const UpfSpec spec = defaultSpec();
  ASSERT_EQ(spec.domains.size(), 13u);
  ASSERT_EQ(spec.rail_voltages_v, (std::vector<double>{0.6, 0.8, 1.1}));
  EXPECT_EQ(checkUpfSpec(spec), std::vector<std::string>{});
  expectAccepted(spec, check("default.upf", writeUpf(spec)));
}

TEST_F(UpfCheck, OneRailHasNoLevelShifters) {
  const UpfSpec spec = specFromDesign(design(), {1.1}, 0);
  const std::string text = writeUpf(spec);
  EXPECT_EQ(text.find("set_level_shifter"), std::string::npos);
  expectAccepted(spec, check("r1.upf", text));
}

TEST_F(UpfCheck, EightRails) {
  const UpfSpec spec = specFromDesign(design(), {0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.0, 1.1}, 7);
  expectAccepted(spec, check("r8.upf", writeUpf(spec)));
}

TEST_F(UpfCheck, AlwaysOnOnALowerRail) {
  const UpfSpec spec = specFromDesign(design(), {0.6, 0.8, 1.1}, 1);
  expectAccepted(spec, check("aon_mid.upf", writeUpf(spec)));
}

TEST_F(UpfCheck, OnlyTheAlwaysOnDomain) {
  UpfSpec spec = defaultSpec();
  spec.domains.resize(1);
  spec.states = {{"idle", {spec.always_on_rail}}, {"run", {spec.always_on_rail}}};
  expectAccepted(spec, check("aon_only.upf", writeUpf(spec)));
}

TEST_F(UpfCheck, WritingIsDeterministic) {
  const UpfSpec spec = defaultSpec();
  const std::string first = writeUpf(spec);
  EXPECT_EQ(first, writeUpf(defaultSpec()));
  EXPECT_EQ(first.rfind("# Generated by powerflow", 0), 0u);
  EXPECT_NE(first.find(spec.generated_by), std::string::npos);
}

struct Mutation {
  const char *name;
  std::string from, to;  // first occurrence of `from` becomes `to`
  std::string message;   // expected in the checker's error
  std::string at;        // the error's line is the line holding the first occurrence of this
};

// Each mutation breaks one rule; the checker must name the file, the line and the rule.
TEST_F(UpfCheck, RefusesBrokenFiles) {
  const std::string good = writeUpf(defaultSpec());
  const std::vector<Mutation> mutations = {
      {"drop_required_option", "create_power_switch sw_pe_grp1 \\\n  -domain pe_grp1 \\\n",
       "create_power_switch sw_pe_grp1 \\\n",
       "create_power_switch: missing required option -domain", "create_power_switch sw_pe_grp1"},
      {"misspelt_command", "create_power_domain pe_grp2", "create_power_domian pe_grp2",
       "create_power_domian: unknown command", "create_power_domian pe_grp2"},
      {"undeclared_supply_net", "{vin_r1 VDD_R1}", "{vin_r1 VDD_R7}",
       "supply net 'VDD_R7' is not declared", "create_power_switch sw_pe_grp0"},
      {"unknown_option", "-clamp_value 0", "-clamp 0", "set_isolation: unknown option -clamp",
       "set_isolation iso_pe_grp0"},
      {"tcl_outside_upf", "upf_version 2.1\n", "upf_version 2.1\nset x 1\n", "set: unknown command",
       "set x 1"},
      {"wrong_arity", "set_design_top pf_top", "set_design_top pf_top extra",
       "set_design_top: expects 1 positional argument", "set_design_top"},
      {"overlapping_switch_states", "{ON_R0 vin_r0 {ctrl_r0 && !ctrl_r1 && !ctrl_r2}}",
       "{ON_R0 vin_r0 {!ctrl_r1 && !ctrl_r2}}",
       "states 'ON_R0' and 'OFF' can hold at the same time", "create_power_switch sw_pe_grp0"},
      {"state_of_unknown_supply", "SS_pe_grp0 == ON_R1}", "SS_pe_grp9 == ON_R1}",
       "'SS_pe_grp9' is not a declared supply set or power domain", "add_power_state pe_grp0"},
  };
  for (const Mutation &m : mutations) {
    SCOPED_TRACE(m.name);
    std::string text = good;
    const size_t at = text.find(m.from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, m.from.size(), m.to);
    const ProcessResult result = check(std::string(m.name) + ".upf", text);
    EXPECT_NE(result.exit_status, 0) << result.output;
    EXPECT_NE(result.output.find("upf_check: error: " + path(std::string(m.name) + ".upf") + ":"),
              std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find(m.message), std::string::npos) << result.output;
    const size_t where = text.find(m.at);
    ASSERT_NE(where, std::string::npos);
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(where), '\n');
    EXPECT_NE(result.output.find(fmt::format(".upf:{}: ", line)), std::string::npos)
        << result.output;
  }
}

TEST_F(UpfCheck, MissingIsolationIsNamed) {
  std::string text = writeUpf(defaultSpec());
  const size_t start = text.find("set_isolation iso_w_bank3");
  ASSERT_NE(start, std::string::npos);
  text.erase(start, text.find("\nset_", start) + 1 - start);
  const ProcessResult result = check("no_iso.upf", text);
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("switchable domain 'w_bank3' has no isolation strategy"),
            std::string::npos)
      << result.output;
}

TEST_F(UpfCheck, MissingRetentionControlIsNamed) {
  std::string text = writeUpf(defaultSpec());
  const size_t start = text.find("set_retention_control ret_act_bank1");
  ASSERT_NE(start, std::string::npos);
  text.erase(start, text.find("\nset_", start) + 1 - start);
  const ProcessResult result = check("no_retctl.upf", text);
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_NE(result.output.find("'ret_act_bank1' has no set_retention_control"), std::string::npos)
      << result.output;
}

// ---- spec problems
// ----------------------------------------------------------------------------------

bool mentions(const std::vector<std::string> &problems, const std::string &text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string &p) { return p.find(text) != std::string::npos; });
}

TEST(UpfSpec, RailCountOutsideOneToEight) {
  UpfSpec none = defaultSpec();
  none.rail_voltages_v.clear();
  EXPECT_TRUE(mentions(checkUpfSpec(none), "0 rails")) << checkUpfSpec(none).front();
  const UpfSpec nine = specFromDesign(design(), {0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.0, 1.1}, 8);
  EXPECT_TRUE(mentions(checkUpfSpec(nine), "9 rails"));
  EXPECT_THROW(writeUpf(nine), Error);
}

TEST(UpfSpec, DuplicateDomain) {
  UpfSpec spec = defaultSpec();
  spec.domains[2].name = spec.domains[1].name;
  EXPECT_TRUE(mentions(checkUpfSpec(spec), "name 'pe_grp0' is taken"));
}

TEST(UpfSpec, SwitchControlPerRail) {
  UpfSpec spec = defaultSpec();
  spec.domains[3].switch_ctrl.pop_back();
  EXPECT_TRUE(mentions(checkUpfSpec(spec), "pe_grp2: 2 switch_ctrl signals for 3 rails"));
}

TEST(UpfSpec, OtherProblems) {
  const auto problem = [](auto edit, const std::string &text) {
    UpfSpec spec = defaultSpec();
    edit(spec);
    const std::vector<std::string> problems = checkUpfSpec(spec);
    EXPECT_TRUE(mentions(problems, text))
        << text << "; got: " << (problems.empty() ? "" : problems[0]);
    try {
      writeUpf(spec);
      ADD_FAILURE() << "writeUpf accepted: " << text;
    } catch (const Error &e) {
      EXPECT_EQ(e.id(), 8601);
    }
  };
  problem([](UpfSpec &s) { s.rail_voltages_v = {0.8, 0.6, 1.1}; }, "strictly ascending");
  problem([](UpfSpec &s) { s.always_on_rail = 3; }, "always_on_rail 3");
  problem([](UpfSpec &s) { std::swap(s.domains[0], s.domains[1]); }, "first domain");
  problem([](UpfSpec &s) { s.domains[1].iso = "pe iso"; }, "not a net name");
  problem([](UpfSpec &s) { s.domains[5].retention.clear(); }, "act_bank0: retention '' ");
  problem([](UpfSpec &s) { s.domains[1].retention = "x"; }, "only sram_bank");
  problem([](UpfSpec &s) { s.domains[2].switch_ctrl[0] = s.domains[1].switch_ctrl[0]; },
          "used twice");
  problem([](UpfSpec &s) { s.domains[2].elements = s.domains[1].elements; }, "in two domains");
  problem([](UpfSpec &s) { s.domains[1].name = "R0"; }, "name 'VDD_R0' is taken");
  problem([](UpfSpec &s) { s.states[1].name = s.states[0].name; }, "given twice");
  problem([](UpfSpec &s) { s.states[0].rail_of_domain.pop_back(); }, "12 entries for 13 domains");
  problem([](UpfSpec &s) { s.states[0].rail_of_domain[1] = kUpfRetention; }, "has no retention");
  problem([](UpfSpec &s) { s.states[0].rail_of_domain[0] = kUpfOff; }, "always-on domain aon");
  problem([](UpfSpec &s) { s.states[0].rail_of_domain[2] = 3; }, "3 is not a rail");
  problem([](UpfSpec &s) { s.states[0].name = "layer-0"; }, "not an identifier");
  problem([](UpfSpec &s) { s.generated_by = "a\nb"; }, "one non-empty line");
  problem([](UpfSpec &s) { s.states.clear(); }, "no power states");
}

TEST(UpfSpec, ElementPaths) {
  EXPECT_EQ(upfElementPath("u_accel", "u_pe_array.g_group[0].u_group"),
            "u_accel/u_pe_array/g_group[0]/u_group");
  EXPECT_EQ(upfElementPath("", "u_act_buf.g_bank[3].u_sram"), "u_act_buf/g_bank[3]/u_sram");
}

}  // namespace
}  // namespace pf::gen
