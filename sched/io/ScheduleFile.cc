// ScheduleFile <-> JSON. The writer and the reader walk the same fields in the same
// order; the reader refuses anything the writer would not have written (unknown fields
// included), so a file read without error is written back byte for byte.
#include "sched/io/ScheduleFile.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/JsonNode.hh"

namespace pf {

int ScheduleClock::dividerIndex(int divider) const {
  const auto found = std::find(dividers.begin(), dividers.end(), divider);
  return found == dividers.end() ? -1 : int(found - dividers.begin());
}

int ScheduleFile::domainIndex(const std::string &name) const {
  const auto found = std::find(domains.begin(), domains.end(), name);
  return found == domains.end() ? -1 : int(found - domains.begin());
}

namespace {

using sched::DomainMode;
using sched::DomainState;

// ---------------------------------------------------------------------------------------
// Writer

Json stateJson(const DomainState &state) {
  Json json = Json::object();
  json.set("mode", sched::domainModeName(state.mode));
  json.set("rail", state.rail);
  return json;
}

Json domainStatesJson(const ScheduleFile &file, const std::vector<DomainState> &states) {
  Json json = Json::array();
  for (size_t d = 0; d < states.size(); ++d) {
    Json entry = Json::object();
    entry.set("name", file.domains[d]);
    entry.set("mode", sched::domainModeName(states[d].mode));
    entry.set("rail", states[d].rail);
    json.push(std::move(entry));
  }
  return json;
}

Json domainNamesJson(const ScheduleFile &file, const std::vector<bool> &flags) {
  Json json = Json::array();
  for (size_t d = 0; d < flags.size(); ++d)
    if (flags[d]) json.push(file.domains[d]);
  return json;
}

Json splitsJson(const ScheduleFile &file, const std::vector<sched::DomainEnergySplit> &splits) {
  Json json = Json::object();
  for (size_t d = 0; d < splits.size(); ++d) {
    Json split = Json::object();
    split.set("dynamic_pj", splits[d].dynamic_pj);
    split.set("leakage_pj", splits[d].leakage_pj);
    split.set("transition_pj", splits[d].transition_pj);
    json.set(file.domains[d], std::move(split));
  }
  return json;
}

Json transitionJson(const ScheduleFile &file, const ScheduleTransition &transition) {
  Json changes = Json::array();
  for (const sched::DomainChange &change : transition.changes) {
    Json entry = Json::object();
    entry.set("domain", file.domains[change.domain]);
    entry.set("from", stateJson(change.from));
    entry.set("to", stateJson(change.to));
    if (file.physical) {
      entry.set("time_ns", change.time_ns);
      entry.set("energy_pj", change.energy_pj);
      entry.set("lookahead", change.lookahead);
    }
    changes.push(std::move(entry));
  }
  Json json = Json::object();
  json.set("time_ns", transition.time_ns);
  json.set("energy_pj", transition.energy_pj);
  json.set("clock_divider_changes", transition.clock_divider_changes);
  json.set("changes", std::move(changes));
  return json;
}

Json cyclesJson(const PhaseCycles &cycles) {
  Json json = Json::object();
  json.set("fetch", cycles.fetch);
  json.set("load", cycles.load);
  json.set("compute", cycles.compute);
  json.set("store", cycles.store);
  json.set("control", cycles.control);
  json.set("total", cycles.total);
  return json;
}

Json layerJson(const ScheduleFile &file, const ScheduleLayer &layer) {
  Json json = Json::object();
  json.set("name", layer.name);
  json.set("option", layer.option);
  json.set("state", layer.state);
  json.set("clock_divider", layer.clock_divider);
  if (file.physical) json.set("clock_mhz", layer.clock_mhz);
  json.set("domains", domainStatesJson(file, layer.domains));
  json.set("transition_in", transitionJson(file, layer.transition_in));
  json.set("start_ns", layer.start_ns);
  json.set("end_ns", layer.end_ns);
  json.set("dynamic_pj", layer.dynamic_pj);
  json.set("leakage_pj", layer.leakage_pj);
  if (!file.physical) return json;
  json.set("uses", domainNamesJson(file, layer.uses));
  json.set("keeps_data", domainNamesJson(file, layer.keeps_data));
  Json descriptors = Json::object();
  descriptors.set("first_addr", int64_t(layer.descriptors.first_addr));
  descriptors.set("count", layer.descriptors.count);
  json.set("descriptors", std::move(descriptors));
  json.set("cycles", cyclesJson(layer.cycles));
  json.set("by_domain", splitsJson(file, layer.by_domain));
  if (layer.host) {
    Json host = Json::object();
    host.set("op", layer.host->op);
    host.set("time_ns", layer.host->time_ns);
    host.set("energy_pj", layer.host->energy_pj);
    json.set("host", std::move(host));
  } else {
    json.set("host", Json());
  }
  return json;
}

Json idleJson(const ScheduleFile &file) {
  const ScheduleIdle &idle = file.idle;
  Json json = Json::object();
  json.set("option", idle.option);
  json.set("state", idle.state);
  json.set("kind", sched::idleKindName(idle.kind));
  json.set("clock_divider", idle.clock_divider);
  json.set("domains", domainStatesJson(file, idle.domains));
  json.set("power_uw", idle.power_uw);
  json.set("transition_in", transitionJson(file, idle.transition_in));
  json.set("idle_ns", idle.idle_ns);
  json.set("idle_pj", idle.idle_pj);
  if (file.physical) json.set("by_domain", splitsJson(file, idle.by_domain));
  return json;
}

Json clockJson(const ScheduleClock &clock) {
  Json dividers = Json::array();
  for (int divider : clock.dividers) dividers.push(divider);
  Json json = Json::object();
  json.set("base_mhz", clock.base_mhz);
  json.set("dividers", std::move(dividers));
  json.set("switch_time_ns", clock.switch_time_ns);
  json.set("sleep_timer_khz", clock.sleep_timer_khz);
  return json;
}

Json solverJson(const ScheduleSolver &solver) {
  Json json = Json::object();
  json.set("name", sched::solverKindName(solver.kind));
  json.set("status", sched::solveStatusName(solver.status));
  json.set("labels_created", solver.labels_created);
  json.set("labels_dominated", solver.labels_dominated);
  json.set("labels_pruned", solver.labels_pruned);
  json.set("peak_labels", solver.peak_labels);
  json.set("nodes", solver.nodes);
  json.set("ilp_columns", solver.ilp_columns);
  json.set("ilp_columns_fixed", solver.ilp_columns_fixed);
  if (!solver.message.empty()) json.set("message", solver.message);
  return json;
}

Json totalsJson(const ScheduleTotals &totals) {
  Json json = Json::object();
  json.set("busy_ns", totals.busy_ns);
  json.set("slack_ns", totals.slack_ns);
  json.set("layer_dynamic_pj", totals.layer_dynamic_pj);
  json.set("layer_leakage_pj", totals.layer_leakage_pj);
  json.set("transition_pj", totals.transition_pj);
  json.set("idle_pj", totals.idle_pj);
  json.set("total_pj", totals.total_pj);
  return json;
}

// A ratio of energies without a finite value (NaN in the model: a nonzero energy over
// a zero one) is null in the file.
Json ratioJson(double ratio) { return std::isnan(ratio) ? Json() : Json(ratio); }

Json baselineJson(const ScheduleBaseline &row) {
  Json json = Json::object();
  json.set("name", row.name);
  json.set("available", row.available);
  if (row.available) {
    json.set("feasible", row.feasible);
    json.set("energy_pj", row.energy_pj);
    json.set("busy_ns", row.busy_ns);
    json.set("energy_vs_schedule", ratioJson(row.energy_vs_schedule));
  }
  if (!row.note.empty()) json.set("note", row.note);
  return json;
}

Json pointJson(const SchedulePoint &point) {
  Json json = Json::object();
  json.set("deadline_ns", point.deadline_ns);
  json.set("feasible", point.feasible);
  if (point.feasible) {
    json.set("energy_pj", point.energy_pj);
    json.set("busy_ns", point.busy_ns);
  }
  return json;
}

void setPhysicalHeader(const ScheduleFile &file, Json &json) {
  json.set("design_name", file.design_name);
  Json hashes = Json::object();
  hashes.set("design", file.input_hashes.design);
  hashes.set("characterization", file.input_hashes.characterization);
  hashes.set("profile", file.input_hashes.profile);
  json.set("input_hashes", std::move(hashes));
}

// ---------------------------------------------------------------------------------------
// Reader

// The reader's numbers for the field reader's problems; the others are core's.
void scheduleMessage(const JsonProblem &problem) {
  if (problem.kind == JsonProblem::Kind::Format)
    problem.raise(7301, "expected \"{}\", found {} (this is not a {} file)");
  if (problem.kind == JsonProblem::Kind::Missing) problem.raise(7302, "required field is missing");
}

using Node = JsonNode;
using Object = JsonObject;

constexpr int64_t kMaxCount = int64_t(1) << 53;  // exact in a double

template <typename Enum, size_t N>
Enum enumFrom(const Node &node, const Enum (&values)[N], const char *(*name)(Enum)) {
  std::string expected;
  for (Enum value : values) {
    if (node.string() == name(value)) return value;
    expected += fmt::format("{}\"{}\"", expected.empty() ? "" : ", ", name(value));
  }
  node.fail(7307, fmt::format("unknown value \"{}\" (expected {})", node.string(), expected));
}

DomainMode domainModeFrom(const Node &node) {
  static const DomainMode kModes[] = {DomainMode::On, DomainMode::Off, DomainMode::Retention};
  return enumFrom(node, kModes, sched::domainModeName);
}

// Everything the reader checks against the file's own header.
struct Context {
  const ScheduleFile &file;

  int railCount() const { return int(file.rail_voltages_v.size()); }
  int domainCount() const { return int(file.domains.size()); }

  int domainNamed(const Node &node) const {
    const int index = file.domainIndex(node.string());
    if (index < 0) node.fail(7308, fmt::format("\"{}\" is not one of the domains", node.string()));
    return index;
  }

  // A clock divider of a state: 0 (stopped) or, in a physical file, one of the design's.
  int divider(const Node &node, bool running) const {
    const int divider = int(node.integer(running ? 1 : 0, 1'000'000));
    if (file.physical && divider != 0 && file.clock.dividerIndex(divider) < 0)
      node.fail(7309, fmt::format("divider {} is not one of clock.dividers", divider));
    return divider;
  }
};

// {"mode", "rail"} of an object whose fields the caller checked.
DomainState stateFrom(const Context &context, const Object &object) {
  DomainState state;
  state.mode = domainModeFrom(object["mode"]);
  const Node rail = object["rail"];
  const int64_t index = rail.integer(-1'000'000, 1'000'000);
  if (state.mode != DomainMode::On) {
    if (index != -1) rail.fail(7313, fmt::format("{} must be -1: the domain is not on", index));
    return state;
  }
  if (index < 0 || index >= context.railCount())
    rail.fail(7303, fmt::format("{} is not an index into rail_voltages_v ({} rails)", index,
                                context.railCount()));
  state.rail = int(index);
  return state;
}

DomainState modeRailFrom(const Context &context, const Node &node) {
  return stateFrom(context, node.object({"mode", "rail"}));
}

std::vector<DomainState> domainStatesFrom(const Context &context, const Node &node) {
  const std::vector<Node> items = node.items();
  if (int(items.size()) != context.domainCount())
    node.fail(7314, fmt::format("{} entries, expected one per domain ({})", items.size(),
                                context.domainCount()));
  std::vector<DomainState> states;
  for (size_t d = 0; d < items.size(); ++d) {
    const Object item = items[d].object({"name", "mode", "rail"});
    const Node name = item["name"];
    if (name.string() != context.file.domains[d])
      name.fail(7315, fmt::format("expected \"{}\" (the domains' order)", context.file.domains[d]));
    states.push_back(stateFrom(context, item));
  }
  return states;
}

std::vector<bool> domainFlagsFrom(const Context &context, const Node &node) {
  std::vector<bool> flags(context.file.domains.size(), false);
  for (const Node &item : node.items()) {
    const int d = context.domainNamed(item);
    if (flags[d]) item.fail(7316, fmt::format("\"{}\" is listed twice", item.string()));
    flags[d] = true;
  }
  return flags;
}

// An object keyed by domain name (every domain once, in the domains' order).
std::vector<sched::DomainEnergySplit> splitsFrom(const Context &context, const Node &node) {
  const auto members = node.members();
  if (int(members.size()) != context.domainCount())
    node.fail(7314, fmt::format("{} entries, expected one per domain ({})", members.size(),
                                context.domainCount()));
  std::vector<sched::DomainEnergySplit> splits;
  for (size_t d = 0; d < members.size(); ++d) {
    const auto &[name, entry] = members[d];
    if (name != context.file.domains[d])
      entry.fail(7315,
                 fmt::format("expected \"{}\" (the domains' order)", context.file.domains[d]));
    const Object split = entry.object({"dynamic_pj", "leakage_pj", "transition_pj"});
    splits.push_back({split["dynamic_pj"].number(), split["leakage_pj"].number(),
                      split["transition_pj"].number()});
  }
  return splits;
}

sched::DomainChange changeFrom(const Context &context, const Node &node, int previous) {
  const bool physical = context.file.physical;
  const Object object =
      physical ? node.object({"domain", "from", "to", "time_ns", "energy_pj", "lookahead"})
               : node.object({"domain", "from", "to"});
  sched::DomainChange change;
  const Node domain = object["domain"];
  change.domain = context.domainNamed(domain);
  if (change.domain <= previous)
    domain.fail(7317, "changes must be in the domains' order, each domain once");
  change.from = modeRailFrom(context, object["from"]);
  change.to = modeRailFrom(context, object["to"]);
  if (change.from == change.to) node.fail(7318, "from and to are the same state");
  if (physical) {
    change.time_ns = object["time_ns"].number();
    change.energy_pj = object["energy_pj"].number();
    change.lookahead = object["lookahead"].boolean();
  }
  return change;
}

ScheduleTransition transitionFrom(const Context &context, const Node &node) {
  const Object object = node.object({"time_ns", "energy_pj", "clock_divider_changes", "changes"});
  ScheduleTransition transition;
  transition.time_ns = object["time_ns"].number();
  transition.energy_pj = object["energy_pj"].number();
  transition.clock_divider_changes = object["clock_divider_changes"].boolean();
  int previous = -1;
  for (const Node &change : object["changes"].items()) {
    transition.changes.push_back(changeFrom(context, change, previous));
    previous = transition.changes.back().domain;
  }
  return transition;
}

PhaseCycles cyclesFrom(const Node &node) {
  const Object object = node.object({"fetch", "load", "compute", "store", "control", "total"});
  PhaseCycles cycles;
  cycles.fetch = object["fetch"].integer(0, kMaxCount);
  cycles.load = object["load"].integer(0, kMaxCount);
  cycles.compute = object["compute"].integer(0, kMaxCount);
  cycles.store = object["store"].integer(0, kMaxCount);
  cycles.control = object["control"].integer(0, kMaxCount);
  cycles.total = object["total"].integer(0, kMaxCount);
  if (cycles.total != cycles.fetch + cycles.load + cycles.compute + cycles.store + cycles.control)
    object["total"].fail(7319, "is not the sum of the phases");
  return cycles;
}

ScheduleDescriptors descriptorsFrom(const Node &node) {
  const Object object = node.object({"first_addr", "count"});
  return {uint32_t(object["first_addr"].integer(0, UINT32_MAX)),
          object["count"].integer(0, kMaxCount)};
}

std::optional<ScheduleHost> hostFrom(const Node &node) {
  if (node.isNull()) return std::nullopt;
  const Object object = node.object({"op", "time_ns", "energy_pj"});
  ScheduleHost host{object["op"].string(), object["time_ns"].number(),
                    object["energy_pj"].number()};
  if (!(host.time_ns > 0.0)) object["time_ns"].fail(7320, "must be > 0");
  if (!(host.energy_pj >= 0.0)) object["energy_pj"].fail(7321, "must be >= 0");
  return host;
}

ScheduleLayer layerFrom(const Context &context, const Node &node) {
  const bool physical = context.file.physical;
  std::vector<std::string_view> fields = {
      "name",          "option",   "state",  "clock_divider", "domains",
      "transition_in", "start_ns", "end_ns", "dynamic_pj",    "leakage_pj"};
  if (physical)
    fields.insert(fields.end(), {"clock_mhz", "uses", "keeps_data", "descriptors", "cycles",
                                 "by_domain", "host"});
  const Object object = node.object(fields);
  ScheduleLayer layer;
  layer.name = object["name"].string();
  layer.option = int(object["option"].integer(0, 1'000'000'000));
  layer.state = object["state"].string();
  layer.clock_divider = context.divider(object["clock_divider"], true);
  if (physical) layer.clock_mhz = object["clock_mhz"].number();
  layer.domains = domainStatesFrom(context, object["domains"]);
  layer.transition_in = transitionFrom(context, object["transition_in"]);
  layer.start_ns = object["start_ns"].number();
  layer.end_ns = object["end_ns"].number();
  layer.dynamic_pj = object["dynamic_pj"].number();
  layer.leakage_pj = object["leakage_pj"].number();
  if (!physical) return layer;
  layer.uses = domainFlagsFrom(context, object["uses"]);
  layer.keeps_data = domainFlagsFrom(context, object["keeps_data"]);
  layer.descriptors = descriptorsFrom(object["descriptors"]);
  layer.cycles = cyclesFrom(object["cycles"]);
  layer.by_domain = splitsFrom(context, object["by_domain"]);
  layer.host = hostFrom(object["host"]);
  if (layer.host && layer.descriptors.count != 0)
    object["descriptors"].fail(7322, "a host segment runs no descriptors");
  return layer;
}

ScheduleIdle idleFrom(const Context &context, const Node &node) {
  const bool physical = context.file.physical;
  std::vector<std::string_view> fields = {"option",        "state",   "kind",
                                          "clock_divider", "domains", "power_uw",
                                          "transition_in", "idle_ns", "idle_pj"};
  if (physical) fields.push_back("by_domain");
  const Object object = node.object(fields);
  static const sched::IdleKind kKinds[] = {sched::IdleKind::ClockedOn, sched::IdleKind::ClockGated,
                                           sched::IdleKind::PowerGated};
  ScheduleIdle idle;
  idle.option = int(object["option"].integer(0, 1'000'000'000));
  idle.state = object["state"].string();
  idle.kind = enumFrom(object["kind"], kKinds, sched::idleKindName);
  idle.clock_divider = context.divider(object["clock_divider"], false);
  idle.domains = domainStatesFrom(context, object["domains"]);
  idle.power_uw = object["power_uw"].number();
  idle.transition_in = transitionFrom(context, object["transition_in"]);
  idle.idle_ns = object["idle_ns"].number();
  idle.idle_pj = object["idle_pj"].number();
  if (physical) idle.by_domain = splitsFrom(context, object["by_domain"]);
  return idle;
}

ScheduleClock clockFrom(const Node &node) {
  const Object object = node.object({"base_mhz", "dividers", "switch_time_ns", "sleep_timer_khz"});
  ScheduleClock clock;
  clock.base_mhz = object["base_mhz"].number();
  for (const Node &divider : object["dividers"].items())
    clock.dividers.push_back(int(divider.integer(1, 1'000'000)));
  if (clock.dividers.empty()) object["dividers"].fail(7323, "at least one divider expected");
  clock.switch_time_ns = object["switch_time_ns"].number();
  clock.sleep_timer_khz = object["sleep_timer_khz"].number();
  return clock;
}

ScheduleSolver solverFrom(const Node &node) {
  const Object object =
      node.object({"name", "status", "labels_created", "labels_dominated", "labels_pruned",
                   "peak_labels", "nodes", "ilp_columns", "ilp_columns_fixed", "message"});
  static const sched::SolverKind kKinds[] = {sched::SolverKind::Exact, sched::SolverKind::Ilp,
                                             sched::SolverKind::Discretized,
                                             sched::SolverKind::Brute};
  static const sched::SolveStatus kStatuses[] = {
      sched::SolveStatus::Optimal, sched::SolveStatus::Feasible, sched::SolveStatus::Infeasible,
      sched::SolveStatus::TooLarge, sched::SolveStatus::Failed};
  ScheduleSolver solver;
  solver.kind = enumFrom(object["name"], kKinds, sched::solverKindName);
  solver.status = enumFrom(object["status"], kStatuses, sched::solveStatusName);
  solver.labels_created = object["labels_created"].integer(0, kMaxCount);
  solver.labels_dominated = object["labels_dominated"].integer(0, kMaxCount);
  solver.labels_pruned = object["labels_pruned"].integer(0, kMaxCount);
  solver.peak_labels = object["peak_labels"].integer(0, kMaxCount);
  solver.nodes = object["nodes"].integer(0, kMaxCount);
  solver.ilp_columns = object["ilp_columns"].integer(0, kMaxCount);
  solver.ilp_columns_fixed = object["ilp_columns_fixed"].integer(0, kMaxCount);
  if (const auto message = object.find("message")) solver.message = message->string();
  return solver;
}

ScheduleTotals totalsFrom(const Node &node) {
  const Object object = node.object({"busy_ns", "slack_ns", "layer_dynamic_pj", "layer_leakage_pj",
                                     "transition_pj", "idle_pj", "total_pj"});
  return {object["busy_ns"].number(),          object["slack_ns"].number(),
          object["layer_dynamic_pj"].number(), object["layer_leakage_pj"].number(),
          object["transition_pj"].number(),    object["idle_pj"].number(),
          object["total_pj"].number()};
}

double ratioFrom(const Node &node) {
  return node.isNull() ? std::numeric_limits<double>::quiet_NaN() : node.number();
}

// The fields of a baseline row depend on whether it is available.
ScheduleBaseline baselineFrom(const Node &node) {
  const bool available = node.object({"name", "available", "feasible", "energy_pj", "busy_ns",
                                      "energy_vs_schedule", "note"})["available"]
                             .boolean();
  const Object object = available ? node.object({"name", "available", "feasible", "energy_pj",
                                                 "busy_ns", "energy_vs_schedule", "note"})
                                  : node.object({"name", "available", "note"});
  ScheduleBaseline row;
  row.name = object["name"].string();
  row.available = available;
  if (row.available) {
    row.feasible = object["feasible"].boolean();
    row.energy_pj = object["energy_pj"].number();
    row.busy_ns = object["busy_ns"].number();
    row.energy_vs_schedule = ratioFrom(object["energy_vs_schedule"]);
  }
  if (const auto note = object.find("note")) row.note = note->string();
  return row;
}

SchedulePoint pointFrom(const Node &node) {
  const bool feasible =
      node.object({"deadline_ns", "feasible", "energy_pj", "busy_ns"})["feasible"].boolean();
  const Object object = feasible ? node.object({"deadline_ns", "feasible", "energy_pj", "busy_ns"})
                                 : node.object({"deadline_ns", "feasible"});
  SchedulePoint point;
  point.deadline_ns = object["deadline_ns"].number();
  point.feasible = feasible;
  if (point.feasible) {
    point.energy_pj = object["energy_pj"].number();
    point.busy_ns = object["busy_ns"].number();
  }
  return point;
}

std::string hashFrom(const Node &node) {
  const std::string &hash = node.string();
  const bool hex = std::all_of(hash.begin(), hash.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (hash.size() != 64 || !hex) node.fail(7324, "expected 64 lower-case hex digits (SHA-256)");
  return hash;
}

// The top level's fields: a physical file has more.
Object topFrom(const Node &root) {
  std::vector<std::string_view> fields = {"format",
                                          "version",
                                          "generated_by",
                                          "inputs",
                                          "physical",
                                          "network",
                                          "tick_ns",
                                          "period_ns",
                                          "deadline_ns",
                                          "rail_voltages_v",
                                          "domains",
                                          "schedule_space_log10",
                                          "min_busy_ns",
                                          "solver",
                                          "totals",
                                          "energy_lower_bound_pj",
                                          "gap_to_lower_bound",
                                          "layers",
                                          "idle",
                                          "baselines",
                                          "pareto"};
  std::vector<std::string_view> physical_fields = fields;
  physical_fields.insert(physical_fields.end(),
                         {"design_name", "input_hashes", "clock", "energy_by_domain"});
  const bool physical = root.object(physical_fields)["physical"].boolean();
  return root.object(physical ? physical_fields : fields);
}

void readHeader(const Object &root, ScheduleFile &file) {
  file.generated_by = root["generated_by"].string();
  for (const auto &[role, path] : root["inputs"].members())  // free keys: the input roles
    file.inputs.emplace_back(role, path.string());
  file.physical = root["physical"].boolean();
  if (file.physical) {
    file.design_name = root["design_name"].string();
    const Object hashes = root["input_hashes"].object({"design", "characterization", "profile"});
    file.input_hashes = {hashFrom(hashes["design"]), hashFrom(hashes["characterization"]),
                         hashFrom(hashes["profile"])};
  }
  file.network = root["network"].string();
  file.tick_ns = root["tick_ns"].number();
  file.period_ns = root["period_ns"].number();
  file.deadline_ns = root["deadline_ns"].number();
  for (const Node &rail : root["rail_voltages_v"].items())
    file.rail_voltages_v.push_back(rail.number());
  if (file.rail_voltages_v.empty())
    root["rail_voltages_v"].fail(7325, "at least one rail expected");
  for (const Node &domain : root["domains"].items()) {
    if (file.domainIndex(domain.string()) >= 0) domain.fail(7326, "duplicate domain name");
    file.domains.push_back(domain.string());
  }
  if (file.domains.empty()) root["domains"].fail(7327, "at least one domain expected");
  if (file.physical) file.clock = clockFrom(root["clock"]);
}

}  // namespace

Json scheduleFileToJson(const ScheduleFile &file) {
  Json json = Json::object();
  json.set("format", kScheduleFormat);
  json.set("version", kScheduleVersion);
  json.set("generated_by", file.generated_by);
  Json inputs = Json::object();
  for (const auto &[role, path] : file.inputs) inputs.set(role, path);
  json.set("inputs", std::move(inputs));
  json.set("physical", file.physical);
  if (file.physical) setPhysicalHeader(file, json);
  json.set("network", file.network);
  json.set("tick_ns", file.tick_ns);
  json.set("period_ns", file.period_ns);
  json.set("deadline_ns", file.deadline_ns);
  json.set("rail_voltages_v", Json::numbers(file.rail_voltages_v));
  Json domains = Json::array();
  for (const std::string &domain : file.domains) domains.push(domain);
  json.set("domains", std::move(domains));
  if (file.physical) json.set("clock", clockJson(file.clock));
  json.set("schedule_space_log10", file.schedule_space_log10);
  json.set("min_busy_ns", file.min_busy_ns);
  json.set("solver", solverJson(file.solver));
  json.set("totals", totalsJson(file.totals));
  json.set("energy_lower_bound_pj", file.energy_lower_bound_pj);
  json.set("gap_to_lower_bound", ratioJson(file.gap_to_lower_bound));
  if (file.physical) json.set("energy_by_domain", splitsJson(file, file.energy_by_domain));
  Json layers = Json::array();
  for (const ScheduleLayer &layer : file.layers) layers.push(layerJson(file, layer));
  json.set("layers", std::move(layers));
  json.set("idle", idleJson(file));
  Json baselines = Json::array();
  for (const ScheduleBaseline &row : file.baselines) baselines.push(baselineJson(row));
  json.set("baselines", std::move(baselines));
  Json pareto = Json::array();
  for (const SchedulePoint &point : file.pareto) pareto.push(pointJson(point));
  json.set("pareto", std::move(pareto));
  return json;
}

ScheduleFile scheduleFileFromJson(const Json &json, const std::string &file_name) {
  const Node node(json, file_name, scheduleMessage);
  node.checkFormat(kScheduleFormat, {kScheduleVersion}, "re-run `powerflow schedule`");
  const Object root = topFrom(node);
  ScheduleFile file;
  readHeader(root, file);
  const Context context{file};
  file.schedule_space_log10 = root["schedule_space_log10"].number();
  file.min_busy_ns = root["min_busy_ns"].number();
  file.solver = solverFrom(root["solver"]);
  file.totals = totalsFrom(root["totals"]);
  file.energy_lower_bound_pj = root["energy_lower_bound_pj"].number();
  file.gap_to_lower_bound = ratioFrom(root["gap_to_lower_bound"]);
  if (file.physical) file.energy_by_domain = splitsFrom(context, root["energy_by_domain"]);
  for (const Node &layer : root["layers"].items()) file.layers.push_back(layerFrom(context, layer));
  if (file.layers.empty()) root["layers"].fail(7328, "at least one layer expected");
  file.idle = idleFrom(context, root["idle"]);
  for (const Node &row : root["baselines"].items()) file.baselines.push_back(baselineFrom(row));
  for (const Node &point : root["pareto"].items()) file.pareto.push_back(pointFrom(point));
  return file;
}

ScheduleFile scheduleFileFromText(const std::string &text, const std::string &file) {
  return scheduleFileFromJson(parseJson(text, file), file);
}

ScheduleFile readScheduleFile(const std::string &path) {
  return scheduleFileFromText(readTextFile(path), path);
}

}  // namespace pf
