// UPF writer: see gen/Upf.hh and docs/upf.md. Pure: no I/O, no clock, no environment.
#include "gen/Upf.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "core/Banner.hh"
#include "core/Design.hh"
#include "core/Error.hh"

namespace pf::gen {

namespace {

constexpr const char *kGround = "VSS";
constexpr size_t kMaxLine = 100;  // longer commands get one option per line

// ---- names ------------------------------------------------------------------------------

std::string railNet(int r) { return fmt::format("VDD_R{}", r); }
std::string railSet(int r) { return fmt::format("SS_R{}", r); }
std::string onState(int r) { return fmt::format("ON_R{}", r); }
std::string switchedNet(const UpfDomain &d) { return "VDD_" + d.name; }
std::string switchedSet(const UpfDomain &d) { return "SS_" + d.name; }
std::string ctrlPort(int r) { return fmt::format("ctrl_r{}", r); }
std::string inputPort(int r) { return fmt::format("vin_r{}", r); }

bool isAlwaysOn(const UpfDomain &d) { return d.kind == "always_on"; }
bool isBank(const UpfDomain &d) { return d.kind == "sram_bank"; }

bool isIdentifier(const std::string &s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// identifier ('[' digits ']')* (('/' | '.') identifier ('[' digits ']')*)*: names that are
// safe inside a Tcl brace word and unambiguous in a UPF expression.
bool isHierName(const std::string &s) {
  size_t i = 0;
  while (true) {
    const size_t start = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    if (i == start || std::isdigit(static_cast<unsigned char>(s[start]))) return false;
    while (i < s.size() && s[i] == '[') {
      const size_t digits = ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      if (i == digits || i == s.size() || s[i] != ']') return false;
      ++i;
    }
    if (i == s.size()) return true;
    if (s[i] != '/' && s[i] != '.') return false;
    ++i;
  }
}

// Shortest of 2..4 decimals that shows the value: 0.6 -> "0.60", 0.725 -> "0.725".
std::string volts(double v) {
  std::string s = fmt::format("{:.4f}", v);
  while (s.size() - s.find('.') > 3 && s.back() == '0') s.pop_back();
  return s;
}

// A Tcl word: bare when it has no character Tcl would interpret, braced otherwise
// (checkUpfSpec admits only names that brace safely).
std::string tclWord(const std::string &s) {
  const bool bare = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/' || c == '.';
  });
  return bare ? s : "{" + s + "}";
}

std::string join(const std::vector<std::string> &items, const std::string &sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

// Inside braces Tcl substitutes nothing, and the names have no space or brace.
std::string tclList(const std::vector<std::string> &items) { return "{" + join(items, " ") + "}"; }

// ---- spec problems ------------------------------------------------------------------------

void checkRails(const UpfSpec &spec, std::vector<std::string> &problems) {
  const auto rails = static_cast<int>(spec.rail_voltages_v.size());
  if (rails < kMinRails || rails > kMaxRails)
    problems.push_back(
        fmt::format("{} rails; the hardware model allows {} to {}", rails, kMinRails, kMaxRails));
  for (int r = 0; r < rails; ++r) {
    const double v = spec.rail_voltages_v[r];
    if (!std::isfinite(v) || v <= 0)
      problems.push_back(fmt::format("rail {} voltage {} is not a positive number", r, v));
    else if (r > 0 &&
             !(spec.rail_voltages_v[r - 1] < v && volts(spec.rail_voltages_v[r - 1]) != volts(v)))
      problems.push_back(
          fmt::format("rail voltages must be strictly ascending (to 0.1 mV): "
                      "rail {} is {} V after {} V",
                      r, v, spec.rail_voltages_v[r - 1]));
  }
  if (spec.always_on_rail < 0 || spec.always_on_rail >= rails)
    problems.push_back(fmt::format("always_on_rail {} is not a rail index (0..{})",
                                   spec.always_on_rail, rails - 1));
}

void checkSignal(const UpfDomain &d, const char *what, const std::string &net,
                 std::vector<std::string> &problems) {
  if (!isHierName(net))
    problems.push_back(fmt::format("domain {}: {} '{}' is not a net name", d.name, what, net));
}

void checkDomainSignals(const UpfDomain &d, int rails, std::vector<std::string> &problems) {
  if (isAlwaysOn(d)) {
    if (!d.switch_ctrl.empty() || !d.pgood.empty() || !d.iso.empty() || !d.retention.empty())
      problems.push_back(fmt::format(
          "domain {}: the always-on domain has no switch, isolation or retention signals", d.name));
    return;
  }
  if (d.elements.empty())
    problems.push_back(fmt::format("domain {}: a switchable domain needs elements", d.name));
  if (static_cast<int>(d.switch_ctrl.size()) != rails)
    problems.push_back(fmt::format("domain {}: {} switch_ctrl signals for {} rails", d.name,
                                   d.switch_ctrl.size(), rails));
  for (const std::string &ctrl : d.switch_ctrl) checkSignal(d, "switch_ctrl", ctrl, problems);
  checkSignal(d, "pgood", d.pgood, problems);
  checkSignal(d, "iso", d.iso, problems);
  if (isBank(d))
    checkSignal(d, "retention", d.retention, problems);
  else if (!d.retention.empty())
    problems.push_back(fmt::format("domain {}: only sram_bank domains have retention", d.name));
}

void checkDomains(const UpfSpec &spec, std::vector<std::string> &problems) {
  const auto rails = static_cast<int>(spec.rail_voltages_v.size());
  if (spec.domains.empty() || !isAlwaysOn(spec.domains.front()))
    problems.push_back("the first domain must be the always-on domain");
  std::set<std::string> objects = {kGround};  // supply nets, sets and domains share a space
  for (int r = 0; r < rails; ++r) objects.insert({railNet(r), railSet(r)});
  std::set<std::string> elements, drivers;
  for (size_t i = 0; i < spec.domains.size(); ++i) {
    const UpfDomain &d = spec.domains[i];
    if (!isIdentifier(d.name))
      problems.push_back(fmt::format("domain name '{}' is not an identifier", d.name));
    if (d.kind != "always_on" && d.kind != "pe_group" && d.kind != "sram_bank")
      problems.push_back(fmt::format("domain {}: unknown kind '{}'", d.name, d.kind));
    else if (i > 0 && isAlwaysOn(d))
      problems.push_back(fmt::format("domain {}: a second always-on domain", d.name));
    const std::vector<std::string> names =
        isAlwaysOn(d) ? std::vector<std::string>{d.name}
                      : std::vector<std::string>{d.name, switchedNet(d), switchedSet(d)};
    for (const std::string &name : names)
      if (!objects.insert(name).second)
        problems.push_back(fmt::format("domain {}: name '{}' is taken", d.name, name));
    for (const std::string &element : d.elements) {
      if (!isHierName(element))
        problems.push_back(fmt::format("domain {}: element '{}' is not a path", d.name, element));
      if (!elements.insert(element).second)
        problems.push_back(
            fmt::format("domain {}: element '{}' is in two domains", d.name, element));
    }
    checkDomainSignals(d, rails, problems);
    std::vector<std::string> driven = d.switch_ctrl;
    if (!d.pgood.empty()) driven.push_back(d.pgood);
    for (const std::string &net : driven)
      if (!drivers.insert(net).second)
        problems.push_back(fmt::format("domain {}: switch signal '{}' is used twice", d.name, net));
  }
  for (const UpfDomain &d : spec.domains)  // retention nets appear in logic expressions
    if (!d.retention.empty() && objects.count(d.retention))
      problems.push_back(fmt::format("domain {}: retention net '{}' is a supply or domain name",
                                     d.name, d.retention));
}

void checkState(const UpfSpec &spec, const UpfPowerState &state,
                std::vector<std::string> &problems) {
  const auto rails = static_cast<int>(spec.rail_voltages_v.size());
  if (state.rail_of_domain.size() != spec.domains.size()) {
    problems.push_back(fmt::format("state {}: {} entries for {} domains", state.name,
                                   state.rail_of_domain.size(), spec.domains.size()));
    return;
  }
  for (size_t i = 0; i < spec.domains.size(); ++i) {
    const UpfDomain &d = spec.domains[i];
    const int rail = state.rail_of_domain[i];
    if (isAlwaysOn(d) && rail != spec.always_on_rail)
      problems.push_back(fmt::format("state {}: always-on domain {} on {} instead of rail {}",
                                     state.name, d.name, rail, spec.always_on_rail));
    else if (rail >= rails || rail < kUpfRetention)
      problems.push_back(
          fmt::format("state {}: domain {}: {} is not a rail (0..{}), off ({}) or "
                      "retention ({})",
                      state.name, d.name, rail, rails - 1, kUpfOff, kUpfRetention));
    else if (rail == kUpfRetention && !isBank(d))
      problems.push_back(
          fmt::format("state {}: domain {} ({}) has no retention", state.name, d.name, d.kind));
  }
}

void checkStates(const UpfSpec &spec, std::vector<std::string> &problems) {
  if (spec.states.empty()) problems.push_back("no power states");
  std::set<std::string> names;
  for (const UpfPowerState &state : spec.states) {
    if (!isIdentifier(state.name))
      problems.push_back(fmt::format("state name '{}' is not an identifier", state.name));
    if (!names.insert(state.name).second)
      problems.push_back(fmt::format("state {} is given twice", state.name));
    checkState(spec, state, problems);
  }
}

// ---- writing ------------------------------------------------------------------------------

// A UPF command: its head ("create_power_switch sw_x") and its options, each already a
// sequence of Tcl words ("-domain x").
struct Command {
  std::string head;
  std::vector<std::string> options;
};

std::string render(const Command &c) {
  size_t length = c.head.size();
  for (const std::string &option : c.options) length += 1 + option.size();
  const std::string sep = length <= kMaxLine ? " " : " \\\n  ";
  std::string out = c.head;
  for (const std::string &option : c.options) out += sep + option;
  return out + "\n";
}

std::string supplyPorts(int rails) {
  std::string out;
  std::vector<std::string> nets = {kGround};
  for (int r = 0; r < rails; ++r) nets.push_back(railNet(r));
  for (const std::string &net : nets)
    out += render({"create_supply_port " + net, {"-direction in"}}) +
           render({"create_supply_net " + net, {}}) +
           render({"connect_supply_net " + net, {"-ports " + net}});
  for (int r = 0; r < rails; ++r)
    out += render({"create_supply_set " + railSet(r),
                   {fmt::format("-function {{power {}}}", railNet(r)),
                    fmt::format("-function {{ground {}}}", kGround)}});
  return out;
}

std::string powerSwitch(const UpfDomain &d, int rails) {
  Command c{"create_power_switch sw_" + d.name,
            {"-domain " + d.name, fmt::format("-output_supply_port {{vout {}}}", switchedNet(d))}};
  for (int r = 0; r < rails; ++r)
    c.options.push_back(fmt::format("-input_supply_port {{{} {}}}", inputPort(r), railNet(r)));
  for (int r = 0; r < rails; ++r)
    c.options.push_back(fmt::format("-control_port {{{} {}}}", ctrlPort(r), d.switch_ctrl[r]));
  // Each on state names every control port, so the states exclude each other and two
  // closed switches (a rail short) fall in no state: the 1801 error state.
  std::vector<std::string> off;
  for (int r = 0; r < rails; ++r) off.push_back("!" + ctrlPort(r));
  for (int r = 0; r < rails; ++r) {
    std::vector<std::string> on = off;
    on[r] = ctrlPort(r);
    c.options.push_back(
        fmt::format("-on_state {{{} {} {{{}}}}}", onState(r), inputPort(r), join(on, " && ")));
  }
  c.options.push_back(fmt::format("-off_state {{OFF {{{}}}}}", join(off, " && ")));
  c.options.push_back(fmt::format("-ack_port {{ack {}}}", d.pgood));
  return render(c);
}

std::string domains(const UpfSpec &spec, int rails) {
  const UpfDomain &aon = spec.domains.front();
  Command top{"create_power_domain " + aon.name, {"-include_scope"}};
  if (!aon.elements.empty()) top.options.push_back("-elements " + tclList(aon.elements));
  top.options.push_back(fmt::format("-supply {{primary {}}}", railSet(spec.always_on_rail)));
  std::string out = render(top);
  for (const UpfDomain &d : spec.domains) {
    if (isAlwaysOn(d)) continue;
    out += "\n" + render({"create_supply_net " + switchedNet(d), {}}) +
           render({"create_supply_set " + switchedSet(d),
                   {fmt::format("-function {{power {}}}", switchedNet(d)),
                    fmt::format("-function {{ground {}}}", kGround)}}) +
           render({"create_power_domain " + d.name,
                   {"-elements " + tclList(d.elements),
                    fmt::format("-supply {{primary {}}}", switchedSet(d))}}) +
           powerSwitch(d, rails);
  }
  return out;
}

// Isolation sits where the RTL has its clamps: inside a PE group (pf_pe_group's output
// mux), in the always-on buffer glue for a bank (pf_sram_buffer's read-data clamp).
std::string isolation(const UpfSpec &spec) {
  std::string out;
  for (const UpfDomain &d : spec.domains) {
    if (isAlwaysOn(d)) continue;
    out += render({"set_isolation iso_" + d.name,
                   {"-domain " + d.name, "-applies_to outputs", "-clamp_value 0",
                    "-isolation_signal " + tclWord(d.iso), "-isolation_sense high",
                    "-isolation_supply " + railSet(spec.always_on_rail),
                    std::string("-location ") + (isBank(d) ? "parent" : "self")}});
  }
  return out;
}

// The SRAM array is held from the always-on supply while the periphery switch is open;
// one active-high request both saves (high) and restores (low).
std::string retention(const UpfSpec &spec) {
  std::string out;
  for (const UpfDomain &d : spec.domains) {
    if (!isBank(d)) continue;
    out += render({"set_retention ret_" + d.name,
                   {"-domain " + d.name, "-retention_supply " + railSet(spec.always_on_rail)}}) +
           render({"set_retention_control ret_" + d.name,
                   {"-domain " + d.name, fmt::format("-save_signal {{{} high}}", d.retention),
                    fmt::format("-restore_signal {{{} low}}", d.retention)}});
  }
  return out;
}

// With one rail every domain runs at the same voltage; otherwise any switchable domain
// may differ from the always-on domain and from every other switchable domain.
std::string levelShifters(const UpfSpec &spec, int rails) {
  if (rails == 1) return "";
  std::string out;
  for (const UpfDomain &d : spec.domains)
    if (!isAlwaysOn(d))
      out += render({"set_level_shifter ls_" + d.name,
                     {"-domain " + d.name, "-applies_to both", "-rule both", "-location self"}});
  return out;
}

std::string supplyExpr(const std::string &power_volts) {
  const std::string power =
      power_volts.empty() ? "`{OFF}" : fmt::format("`{{FULL_ON, {}}}", power_volts);
  return fmt::format("power == {} && ground == `{{FULL_ON, {}}}", power, volts(0.0));
}

std::string stateOption(const std::string &name, const std::string &kind, const std::string &expr,
                        const std::string &simstate = "") {
  return fmt::format("-state {{{} -{} {{{}}}{}}}", name, kind, expr,
                     simstate.empty() ? "" : " -simstate " + simstate);
}

// Supply-set states carry the voltages; domain states name their supply-set state (and,
// for a bank, the retention request); the system states are the always-on domain's.
std::string supplyStates(const UpfSpec &spec, int rails) {
  std::string out;
  for (int r = 0; r < rails; ++r)
    out += render({"add_power_state " + railSet(r),
                   {stateOption(onState(r), "supply_expr",
                                supplyExpr(volts(spec.rail_voltages_v[r])), "NORMAL")}});
  for (const UpfDomain &d : spec.domains) {
    if (isAlwaysOn(d)) continue;
    Command c{"add_power_state " + switchedSet(d), {}};
    for (int r = 0; r < rails; ++r)
      c.options.push_back(stateOption(onState(r), "supply_expr",
                                      supplyExpr(volts(spec.rail_voltages_v[r])), "NORMAL"));
    c.options.push_back(stateOption("GATED", "supply_expr", supplyExpr(""), "CORRUPT"));
    out += render(c);
  }
  return out;
}

std::string domainStates(const UpfSpec &spec, int rails) {
  std::string out;
  for (const UpfDomain &d : spec.domains) {
    if (isAlwaysOn(d)) continue;
    const std::string ret = isBank(d) ? fmt::format(" && {} == ", d.retention) : "";
    Command c{"add_power_state " + d.name, {}};
    for (int r = 0; r < rails; ++r)
      c.options.push_back(stateOption(
          onState(r), "logic_expr",
          fmt::format("{} == {}{}", switchedSet(d), onState(r), ret.empty() ? "" : ret + "0")));
    if (isBank(d))
      c.options.push_back(
          stateOption("RET", "logic_expr", fmt::format("{} == GATED{}1", switchedSet(d), ret)));
    c.options.push_back(
        stateOption("OFF", "logic_expr",
                    fmt::format("{} == GATED{}", switchedSet(d), ret.empty() ? "" : ret + "0")));
    out += render(c);
  }
  return out;
}

std::string domainStateName(int rail) {
  if (rail == kUpfOff) return "OFF";
  if (rail == kUpfRetention) return "RET";
  return onState(rail);
}

std::string systemStates(const UpfSpec &spec) {
  Command c{"add_power_state " + spec.domains.front().name, {}};
  for (const UpfPowerState &state : spec.states) {
    std::vector<std::string> terms;
    for (size_t i = 0; i < spec.domains.size(); ++i)
      if (!isAlwaysOn(spec.domains[i]))
        terms.push_back(spec.domains[i].name + " == " + domainStateName(state.rail_of_domain[i]));
    // A design that is only the always-on domain has one possible state.
    if (terms.empty())
      terms.push_back(railSet(spec.always_on_rail) + " == " + onState(spec.always_on_rail));
    c.options.push_back(stateOption(state.name, "logic_expr", join(terms, " && ")));
  }
  return render(c);
}

std::string header(const UpfSpec &spec, int rails) {
  return generatedBanner("#", spec.generated_by) +
         fmt::format("# Power intent for {}: {} domains, {} rails. Conventions: docs/upf.md.\n",
                     spec.scope_top, spec.domains.size(), rails) +
         "upf_version 2.1\n" + "set_design_top " + spec.scope_top + "\n";
}

}  // namespace

std::vector<std::string> checkUpfSpec(const UpfSpec &spec) {
  std::vector<std::string> problems;
  if (!isIdentifier(spec.scope_top))
    problems.push_back(fmt::format("scope_top '{}' is not a module name", spec.scope_top));
  if (spec.generated_by.empty() || spec.generated_by.find('\n') != std::string::npos)
    problems.push_back("generated_by must be one non-empty line");
  checkRails(spec, problems);
  checkDomains(spec, problems);
  checkStates(spec, problems);
  return problems;
}

std::string writeUpf(const UpfSpec &spec) {
  const std::vector<std::string> problems = checkUpfSpec(spec);
  if (!problems.empty())
    throw Error(8601, {}, "upf",
                fmt::format("cannot write UPF: {}{}", problems.front(),
                            problems.size() > 1
                                ? fmt::format(" (and {} more problems)", problems.size() - 1)
                                : ""));
  const auto rails = static_cast<int>(spec.rail_voltages_v.size());
  return header(spec, rails) + "\n# Supplies: one port, net and supply set per rail.\n" +
         supplyPorts(rails) + "\n# Domains and their header switches.\n" + domains(spec, rails) +
         "\n# Isolation, retention, level shifting.\n" + isolation(spec) + retention(spec) +
         levelShifters(spec, rails) +
         "\n# Power states: supply sets, domains, then the schedule's states.\n" +
         supplyStates(spec, rails) + domainStates(spec, rails) + systemStates(spec);
}

std::string upfElementPath(const std::string &instance, const std::string &design_path) {
  std::string path = design_path;
  std::replace(path.begin(), path.end(), '.', '/');
  return instance.empty() ? path : instance + "/" + path;
}

}  // namespace pf::gen
