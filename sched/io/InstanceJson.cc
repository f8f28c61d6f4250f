#include "sched/io/InstanceJson.hh"

#include <fmt/format.h>

#include <cmath>

#include "core/Error.hh"
#include "core/JsonNode.hh"

namespace pf {

namespace {

using sched::DomainMode;
using sched::IdleKind;

Json domainJson(const sched::DomainState &domain) {
  Json json = Json::object();
  json.set("mode", sched::domainModeName(domain.mode));
  json.set("rail", domain.rail);
  return json;
}

Json stateJson(const sched::PowerState &state) {
  Json json = Json::object();
  json.set("name", state.name);
  Json domains = Json::array();
  for (const sched::DomainState &domain : state.domains) domains.push(domainJson(domain));
  json.set("domains", std::move(domains));
  json.set("clock_divider", state.clock_divider);
  json.set("operating_point", state.operating_point);
  json.set("gates_unused", state.gates_unused);
  return json;
}

Json stageJson(const sched::Stage &stage) {
  Json options = Json::array();
  for (const sched::LayerOption &option : stage.options) {
    Json json = Json::object();
    json.set("state", option.state);
    json.set("time_ticks", option.time);
    json.set("dynamic_pj", option.dynamic_pj);
    json.set("leakage_pj", option.leakage_pj);
    options.push(std::move(json));
  }
  Json json = Json::object();
  json.set("name", stage.name);
  json.set("options", std::move(options));
  return json;
}

Json matrixJson(const sched::TransitionMatrix &matrix) {
  Json json = Json::object();
  json.set("from_count", matrix.from_count);
  json.set("to_count", matrix.to_count);
  Json time = Json::array();
  for (sched::Ticks ticks : matrix.time) time.push(ticks);
  json.set("time_ticks", std::move(time));
  json.set("energy_pj", Json::numbers(matrix.energy_pj));
  return json;
}

}  // namespace

Json instanceToJson(const sched::Instance &instance, const std::string &generated_by) {
  Json json = Json::object();
  json.set("format", kInstanceFormat);
  json.set("version", kInstanceVersion);
  json.set("generated_by", generated_by);
  json.set("name", instance.name);
  json.set("tick_ns", instance.tick_ns);
  json.set("deadline_ticks", instance.deadline);
  json.set("period_ticks", instance.period);
  Json domains = Json::array();
  for (const std::string &name : instance.domain_names) domains.push(name);
  json.set("domains", std::move(domains));
  json.set("rail_voltages_v", Json::numbers(instance.rail_voltages_v));
  Json points = Json::array();
  for (const sched::OperatingPoint &point : instance.operating_points) {
    Json entry = Json::object();
    entry.set("name", point.name);
    entry.set("clock_divider", point.clock_divider);
    points.push(std::move(entry));
  }
  json.set("operating_points", std::move(points));
  json.set("aggressive_point", instance.aggressive_point);
  Json states = Json::array();
  for (const sched::PowerState &state : instance.states) states.push(stateJson(state));
  json.set("states", std::move(states));
  Json layers = Json::array();
  for (const sched::Stage &stage : instance.layers) layers.push(stageJson(stage));
  json.set("layers", std::move(layers));
  Json idle = Json::array();
  for (const sched::IdleOption &option : instance.idle) {
    Json entry = Json::object();
    entry.set("state", option.state);
    entry.set("kind", sched::idleKindName(option.kind));
    entry.set("power_pj_per_tick", option.power_pj_per_tick);
    idle.push(std::move(entry));
  }
  json.set("idle", std::move(idle));
  Json transitions = Json::array();
  for (const sched::TransitionMatrix &matrix : instance.transitions)
    transitions.push(matrixJson(matrix));
  json.set("transitions", std::move(transitions));
  return json;
}

namespace {

// The reader's number for the field reader's problems (another format: PF-7201; the
// others are core's); what validateInstance() finds is PF-7202.
void instanceMessage(const JsonProblem &problem) {
  if (problem.kind == JsonProblem::Kind::Format)
    problem.raise(7201, "expected \"{}\", found {} (this is not a {} file)");
}
constexpr int64_t kMaxTicks = int64_t(1) << 53;  // sums of them stay exact in a double

int64_t ticksFrom(const JsonNode &node) { return node.integer(-kMaxTicks, kMaxTicks); }
int indexFrom(const JsonNode &node) { return int(node.integer(-1, 1'000'000'000)); }

DomainMode modeFrom(const JsonNode &node) {
  static_assert(int(DomainMode::Off) == 0 && int(DomainMode::Retention) == 1 &&
                int(DomainMode::On) == 2);
  return DomainMode(node.oneOf({"off", "retention", "on"}));
}

IdleKind idleKindFrom(const JsonNode &node) {
  static_assert(int(IdleKind::ClockedOn) == 0 && int(IdleKind::ClockGated) == 1 &&
                int(IdleKind::PowerGated) == 2);
  return IdleKind(node.oneOf({"clocked_on", "clock_gated", "power_gated"}));
}

sched::PowerState stateFrom(const JsonNode &node) {
  const JsonObject field =
      node.object({"name", "domains", "clock_divider", "operating_point", "gates_unused"});
  sched::PowerState state;
  state.name = field["name"].string();
  for (const JsonNode &item : field["domains"].items()) {
    const JsonObject domain = item.object({"mode", "rail"});
    state.domains.push_back({modeFrom(domain["mode"]), indexFrom(domain["rail"])});
  }
  state.clock_divider = indexFrom(field["clock_divider"]);
  state.operating_point = indexFrom(field["operating_point"]);
  state.gates_unused = field["gates_unused"].boolean();
  return state;
}

sched::Stage stageFrom(const JsonNode &node) {
  const JsonObject field = node.object({"name", "options"});
  sched::Stage stage;
  stage.name = field["name"].string();
  for (const JsonNode &item : field["options"].items()) {
    const JsonObject option = item.object({"state", "time_ticks", "dynamic_pj", "leakage_pj"});
    stage.options.push_back({indexFrom(option["state"]), ticksFrom(option["time_ticks"]),
                             option["dynamic_pj"].number(), option["leakage_pj"].number()});
  }
  return stage;
}

sched::TransitionMatrix matrixFrom(const JsonNode &node) {
  const JsonObject field = node.object({"from_count", "to_count", "time_ticks", "energy_pj"});
  sched::TransitionMatrix matrix;
  matrix.from_count = indexFrom(field["from_count"]);
  matrix.to_count = indexFrom(field["to_count"]);
  for (const JsonNode &time : field["time_ticks"].items()) matrix.time.push_back(ticksFrom(time));
  for (const JsonNode &energy : field["energy_pj"].items())
    matrix.energy_pj.push_back(energy.number());
  return matrix;
}

void readHeader(const JsonObject &root, sched::Instance &instance) {
  instance.name = root["name"].string();
  instance.tick_ns = root["tick_ns"].number();
  instance.deadline = ticksFrom(root["deadline_ticks"]);
  instance.period = ticksFrom(root["period_ticks"]);
  for (const JsonNode &domain : root["domains"].items())
    instance.domain_names.push_back(domain.string());
  for (const JsonNode &rail : root["rail_voltages_v"].items())
    instance.rail_voltages_v.push_back(rail.number());
  for (const JsonNode &item : root["operating_points"].items()) {
    const JsonObject point = item.object({"name", "clock_divider"});
    instance.operating_points.push_back(
        {point["name"].string(), indexFrom(point["clock_divider"])});
  }
  instance.aggressive_point = indexFrom(root["aggressive_point"]);
}

}  // namespace

sched::Instance instanceFromJson(const Json &json, const std::string &file) {
  const JsonNode node(json, file, instanceMessage);
  node.checkFormat(kInstanceFormat, {kInstanceVersion});
  const JsonObject root =
      node.object({"format", "version", "generated_by", "name", "tick_ns", "deadline_ticks",
                   "period_ticks", "domains", "rail_voltages_v", "operating_points",
                   "aggressive_point", "states", "layers", "idle", "transitions"});
  root["generated_by"].string();
  sched::Instance instance;
  readHeader(root, instance);
  for (const JsonNode &state : root["states"].items()) instance.states.push_back(stateFrom(state));
  for (const JsonNode &layer : root["layers"].items()) instance.layers.push_back(stageFrom(layer));
  for (const JsonNode &item : root["idle"].items()) {
    const JsonObject idle = item.object({"state", "kind", "power_pj_per_tick"});
    instance.idle.push_back(
        {indexFrom(idle["state"]), idleKindFrom(idle["kind"]), idle["power_pj_per_tick"].number()});
  }
  for (const JsonNode &matrix : root["transitions"].items())
    instance.transitions.push_back(matrixFrom(matrix));
  const std::vector<sched::InstanceProblem> problems = sched::validateInstance(instance);
  if (!problems.empty())
    throw Error(7202, {file, 0, 0}, problems.front().where, problems.front().reason);
  return instance;
}

sched::Instance instanceFromText(const std::string &text, const std::string &file) {
  return instanceFromJson(parseJson(text, file), file);
}

}  // namespace pf
