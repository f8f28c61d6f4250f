// Design TOML reader: parse -> validate -> typed DesignSpec. See docs/formats.md.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "core/Design.hh"
#include "core/Toml.hh"

namespace pf {

namespace fs = std::filesystem;

const char *domainKindName(DomainKind kind) {
  switch (kind) {
    case DomainKind::AlwaysOn:
      return "always_on";
    case DomainKind::PeGroup:
      return "pe_group";
    case DomainKind::SramBank:
      return "sram_bank";
  }
  return "?";
}

std::string transitionsText(const TransitionSpec &transitions) {
  std::string rails = railChangeModelName(transitions.rail_change);
  if (transitions.rail_change == RailChangeModel::Regulator)
    rails +=
        fmt::format(" ({} V/us, settle {} us, {} uF, efficiency {})",
                    transitions.regulator_ramp_v_per_us, transitions.regulator_settle_us,
                    transitions.regulator_capacitance_uf, transitions.regulator_efficiency_ratio);
  std::string clock = clockChangeModelName(transitions.clock_change);
  if (transitions.clock_change == ClockChangeModel::Pll)
    clock += fmt::format(" (relock {} us)", transitions.pll_relock_us);
  return fmt::format("rail change {}, clock change {}", rails, clock);
}

const char *railChangeModelName(RailChangeModel model) {
  return model == RailChangeModel::Regulator ? "regulator" : "power_mux";
}

const char *clockChangeModelName(ClockChangeModel model) {
  return model == ClockChangeModel::Pll ? "pll" : "divider";
}

const DomainSpec *DesignSpec::findDomain(const std::string &domain_name) const {
  for (const DomainSpec &domain : domains)
    if (domain.name == domain_name) return &domain;
  return nullptr;
}

int DesignSpec::countDomains(DomainKind kind) const {
  return static_cast<int>(std::count_if(domains.begin(), domains.end(),
                                        [kind](const DomainSpec &d) { return d.kind == kind; }));
}

namespace {

DomainKind parseKind(const TomlReader &reader) {
  const std::string kind = reader.requireString("kind");
  if (kind == "always_on") return DomainKind::AlwaysOn;
  if (kind == "pe_group") return DomainKind::PeGroup;
  if (kind == "sram_bank") return DomainKind::SramBank;
  reader.fail(
      3001, "kind",
      fmt::format("unknown domain kind '{}' (expected always_on, pe_group or sram_bank)", kind));
}

// A port reference such as "pe_pgood[0]": an identifier with an optional bit index.
bool isPortReference(const std::string &text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_'))
    return false;
  size_t i = 0;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_'))
    ++i;
  if (i == text.size()) return true;
  if (text[i] != '[' || text.back() != ']' || i + 2 >= text.size()) return false;
  return std::all_of(text.begin() + static_cast<long>(i) + 1, text.end() - 1,
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string requirePort(const TomlReader &reader, const std::string &key) {
  const std::string port = reader.requireString(key);
  if (!isPortReference(port))
    reader.fail(3002, key, fmt::format("'{}' is not a port reference like name or name[3]", port));
  return port;
}

std::vector<std::string> requireNonEmptyStrings(const TomlReader &reader, const std::string &key) {
  std::vector<std::string> values = reader.stringArrayOr(key);
  if (values.empty()) reader.fail(3003, key, "needs at least one entry");
  return values;
}

DomainSpec readDomain(const TomlReader &reader) {
  DomainSpec domain;
  domain.loc = reader.locationOf("name");
  domain.name = reader.requireString("name");
  domain.kind = parseKind(reader);
  switch (domain.kind) {
    case DomainKind::AlwaysOn:
      reader.rejectUnknownKeys({"name", "kind", "modules", "instances"});
      domain.modules = requireNonEmptyStrings(reader, "modules");
      domain.instances = reader.stringArrayOr("instances");
      break;
    case DomainKind::PeGroup: {
      reader.rejectUnknownKeys(
          {"name", "kind", "instances", "columns", "pgood", "iso", "reset", "module"});
      domain.module = reader.stringOr("module", "");
      domain.instances = requireNonEmptyStrings(reader, "instances");
      for (double column : reader.requireNumberArray("columns")) {
        if (column < 0 || column != static_cast<int>(column))
          reader.fail(3004, "columns", "columns are non-negative integers");
        domain.columns.push_back(static_cast<int>(column));
      }
      if (domain.columns.empty()) reader.fail(3003, "columns", "needs at least one entry");
      domain.pgood_port = requirePort(reader, "pgood");
      domain.iso_port = requirePort(reader, "iso");
      domain.reset_port = requirePort(reader, "reset");
      break;
    }
    case DomainKind::SramBank:
      reader.rejectUnknownKeys(
          {"name", "kind", "instances", "macro", "words", "bits", "pgood", "iso", "retention"});
      domain.instances = requireNonEmptyStrings(reader, "instances");
      domain.macro = reader.requireString("macro");
      domain.words = reader.requireInteger("words");
      domain.bits = reader.requireInteger("bits");
      if (domain.words <= 0) reader.fail(3005, "words", "must be positive");
      if (domain.bits <= 0) reader.fail(3005, "bits", "must be positive");
      domain.pgood_port = requirePort(reader, "pgood");
      domain.iso_port = requirePort(reader, "iso");
      domain.retention_port = requirePort(reader, "retention");
      break;
  }
  return domain;
}

std::string resolveExistingFile(const TomlReader &reader, const std::string &key,
                                const fs::path &base_dir) {
  const std::string relative = reader.requireString(key);
  const fs::path resolved = base_dir / relative;
  if (!fs::is_regular_file(resolved))
    reader.fail(3006, key, fmt::format("file '{}' does not exist", resolved.string()));
  return resolved.lexically_normal().string();
}

void readRails(const TomlReader &root, DesignSpec &design) {
  const TomlReader rails = root.requireTable("rails");
  rails.rejectUnknownKeys({"voltages_v", "always_on_v"});
  design.rail_voltages_v = rails.requireNumberArray("voltages_v");
  const auto count = static_cast<int>(design.rail_voltages_v.size());
  if (count < kMinRails || count > kMaxRails)
    rails.fail(3007, "voltages_v",
               fmt::format("{} rails given; the hardware model allows {} to {}", count, kMinRails,
                           kMaxRails));
  for (int i = 0; i < count; ++i) {
    const double voltage_v = design.rail_voltages_v[static_cast<size_t>(i)];
    if (!(voltage_v > 0.0 && voltage_v < 5.0))
      rails.fail(3008, "voltages_v",
                 fmt::format("rail {} voltage {} V is not a plausible supply", i, voltage_v));
    if (i > 0 && !(voltage_v > design.rail_voltages_v[static_cast<size_t>(i - 1)]))
      rails.fail(3009, "voltages_v", "rail voltages must be strictly ascending");
  }
  design.always_on_rail = count - 1;
  if (rails.has("always_on_v")) {
    const double always_on_v = rails.requireNumber("always_on_v");
    const auto found =
        std::find(design.rail_voltages_v.begin(), design.rail_voltages_v.end(), always_on_v);
    if (found == design.rail_voltages_v.end())
      rails.fail(3016, "always_on_v", fmt::format("{} V is not one of the rails", always_on_v));
    design.always_on_rail = static_cast<int>(found - design.rail_voltages_v.begin());
  }
}

void readClock(const TomlReader &root, DesignSpec &design) {
  if (!root.has("clock")) return;
  const TomlReader clock = root.requireTable("clock");
  clock.rejectUnknownKeys({"base_mhz", "dividers", "switch_time_ns", "sleep_timer_khz"});
  design.clock.given = true;
  design.clock.loc = root.locationOf("clock");
  design.clock.base_mhz = clock.requireNumberIn("base_mhz", 1e-3, 1e5);
  design.clock.switch_time_ns = clock.requireNumberIn("switch_time_ns", 0.0, 1e9);
  if (clock.has("sleep_timer_khz"))
    design.clock.sleep_timer_khz = clock.requireNumberIn("sleep_timer_khz", 1e-3, 1e6);
  for (double divider : clock.requireNumberArray("dividers")) {
    if (divider < 1 || divider > 1 << 16 ||
        divider != static_cast<double>(static_cast<int64_t>(divider)))
      clock.fail(3017, "dividers",
                 fmt::format("divider {} is not an integer in 1..65536", divider));
    if (!design.clock.dividers.empty() &&
        divider <= static_cast<double>(design.clock.dividers.back()))
      clock.fail(3018, "dividers", "dividers must be strictly ascending");
    design.clock.dividers.push_back(static_cast<int64_t>(divider));
  }
  if (design.clock.dividers.empty())
    clock.fail(3022, "dividers", "at least one divider is required");
}

void readMemory(const TomlReader &root, DesignSpec &design) {
  if (!root.has("memory")) return;
  const TomlReader memory = root.requireTable("memory");
  memory.rejectUnknownKeys({"bandwidth_mb_per_s"});
  design.memory.given = true;
  design.memory.loc = root.locationOf("memory");
  design.memory.bandwidth_mb_per_s = memory.requireNumberIn("bandwidth_mb_per_s", 1e-3, 1e9);
}

// [transitions] (docs/transitions.md): which physics changes a rail and the clock, with the
// parameters of the chosen models. A parameter of a model that is not chosen is refused
// (PF-3020) rather than ignored, so a forgotten model key never goes unnoticed.
void readTransitions(const TomlReader &root, DesignSpec &design) {
  if (!root.has("transitions")) return;
  const TomlReader table = root.requireTable("transitions");
  table.rejectUnknownKeys({"rail_change", "clock_change", "regulator_ramp_v_per_us",
                           "regulator_settle_us", "regulator_capacitance_uf",
                           "regulator_efficiency_ratio", "pll_relock_us"});
  TransitionSpec &spec = design.transitions;
  spec.given = true;
  spec.loc = root.locationOf("transitions");
  const std::string rail_change = table.stringOr("rail_change", "power_mux");
  if (rail_change == "regulator")
    spec.rail_change = RailChangeModel::Regulator;
  else if (rail_change != "power_mux")
    table.fail(3019, "rail_change",
               fmt::format("unknown rail-change model '{}' (expected power_mux or regulator)",
                           rail_change));
  const std::string clock_change = table.stringOr("clock_change", "divider");
  if (clock_change == "pll")
    spec.clock_change = ClockChangeModel::Pll;
  else if (clock_change != "divider")
    table.fail(
        3027, "clock_change",
        fmt::format("unknown clock-change model '{}' (expected divider or pll)", clock_change));
  auto onlyFor = [&](const std::vector<std::string> &keys, bool chosen, const char *model,
                     const char *selector, const char *value) {
    if (chosen) return;
    for (const std::string &key : keys)
      if (table.has(key))
        table.fail(
            3020, key,
            fmt::format("a parameter of the {} model, but {} is \"{}\"", model, selector, value));
  };
  const bool regulator = spec.rail_change == RailChangeModel::Regulator;
  onlyFor({"regulator_ramp_v_per_us", "regulator_settle_us", "regulator_capacitance_uf",
           "regulator_efficiency_ratio"},
          regulator, "regulator", "rail_change", rail_change.c_str());
  onlyFor({"pll_relock_us"}, spec.clock_change == ClockChangeModel::Pll, "pll", "clock_change",
          clock_change.c_str());
  if (regulator) {
    spec.regulator_ramp_v_per_us = table.requireNumberIn("regulator_ramp_v_per_us", 1e-6, 1e4);
    spec.regulator_settle_us = table.requireNumberIn("regulator_settle_us", 0.0, 1e6);
    spec.regulator_capacitance_uf = table.requireNumberIn("regulator_capacitance_uf", 0.0, 1e5);
    spec.regulator_efficiency_ratio =
        table.requireNumberIn("regulator_efficiency_ratio", 0.01, 1.0);
  }
  if (spec.clock_change == ClockChangeModel::Pll) {
    spec.pll_relock_us = table.requireNumberIn("pll_relock_us", 0.0, 1e6);
    if (!design.clock.given)
      table.fail(3021, "clock_change",
                 "a PLL re-locks the clock of the [clock] table, which the design does not have");
  }
}

void readParameters(const TomlReader &design_table, DesignSpec &design) {
  if (!design_table.has("parameters")) return;
  const TomlReader params = design_table.requireTable("parameters");
  for (const auto &[key, node] : params.table()) {
    const std::string name(key.str());
    design.parameters[name] = params.requireInteger(name);
  }
}

void checkDomainSet(const TomlReader &root, const DesignSpec &design) {
  const std::vector<TomlReader> tables = root.tableArray("domain");
  if (design.countDomains(DomainKind::AlwaysOn) != 1)
    root.fail(3010, "domain",
              fmt::format("exactly one always_on domain is required, found {}",
                          design.countDomains(DomainKind::AlwaysOn)));
  std::set<std::string> names, ports, instances;
  std::set<int> columns;
  for (size_t i = 0; i < design.domains.size(); ++i) {
    const DomainSpec &domain = design.domains[i];
    const TomlReader &reader = tables[i];
    if (!names.insert(domain.name).second)
      reader.fail(3011, "name", fmt::format("domain name '{}' is used twice", domain.name));
    for (const std::string &instance : domain.instances)
      if (!instances.insert(instance).second)
        reader.fail(3012, "instances",
                    fmt::format("instance '{}' belongs to two domains", instance));
    for (const std::string *port :
         {&domain.pgood_port, &domain.iso_port, &domain.reset_port, &domain.retention_port})
      if (!port->empty() && !ports.insert(*port).second)
        reader.fail(3013, "pgood", fmt::format("port '{}' is used by two domain controls", *port));
    for (int column : domain.columns)
      if (!columns.insert(column).second)
        reader.fail(3014, "columns", fmt::format("column {} belongs to two PE groups", column));
  }
  if (auto cols = design.parameters.find("COLS"); cols != design.parameters.end()) {
    if (!columns.empty() && static_cast<int64_t>(columns.size()) != cols->second)
      root.fail(
          3015, "domain",
          fmt::format("PE groups cover {} columns but COLS = {}", columns.size(), cols->second));
  }
}

}  // namespace

DesignSpec readDesign(const std::string &path) {
  const toml::table table = parseTomlFile(path);
  const TomlReader root(table, path);
  root.rejectUnknownKeys({"design", "rails", "clock", "memory", "transitions", "domain"});
  DesignSpec design;
  design.source_file = path;
  const TomlReader design_table = root.requireTable("design");
  design_table.rejectUnknownKeys({"name", "top", "filelist", "synth_filelist", "parameters"});
  design.name = design_table.requireString("name");
  design.top = design_table.requireString("top");
  const fs::path base_dir = fs::path(path).parent_path();
  design.filelist = resolveExistingFile(design_table, "filelist", base_dir);
  design.synth_filelist = design_table.has("synth_filelist")
                              ? resolveExistingFile(design_table, "synth_filelist", base_dir)
                              : design.filelist;
  readParameters(design_table, design);
  readRails(root, design);
  readClock(root, design);
  readMemory(root, design);
  readTransitions(root, design);
  for (const TomlReader &domain_table : root.tableArray("domain"))
    design.domains.push_back(readDomain(domain_table));
  checkDomainSet(root, design);
  return design;
}

void overrideRails(DesignSpec &design, const std::string &voltages, const std::string &flag) {
  std::vector<double> rails;
  std::string token;
  auto take = [&] {
    if (token.empty()) return;
    size_t used = 0;
    double value = 0.0;
    try {
      value = std::stod(token, &used);
    } catch (const std::exception &) {
      used = 0;
    }
    if (used != token.size())
      throw Error(3023, {}, flag, fmt::format("'{}' is not a voltage", token));
    rails.push_back(value);
    token.clear();
  };
  for (char c : voltages) {
    if (c == ' ' || c == ',')
      take();
    else
      token += c;
  }
  take();
  if (rails.size() < size_t(kMinRails) || rails.size() > size_t(kMaxRails))
    throw Error(3024, {}, flag,
                fmt::format("{} rails given; the hardware model allows {} to {}", rails.size(),
                            kMinRails, kMaxRails));
  for (size_t i = 0; i < rails.size(); ++i) {
    if (!(rails[i] > 0.0 && rails[i] < 5.0))
      throw Error(3025, {}, flag, fmt::format("{} V is not a plausible supply", rails[i]));
    if (i > 0 && !(rails[i] > rails[i - 1]))
      throw Error(3026, {}, flag, "rail voltages must be strictly ascending");
  }
  const double always_on_v = design.rail_voltages_v[size_t(design.always_on_rail)];
  const auto found = std::find(rails.begin(), rails.end(), always_on_v);
  design.always_on_rail = found == rails.end() ? int(rails.size()) - 1 : int(found - rails.begin());
  design.rail_voltages_v = std::move(rails);
}

}  // namespace pf
