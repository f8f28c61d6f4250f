#include "sched/io/InstanceJson.hh"

#include <fmt/format.h>

#include <cmath>

#include "core/Error.hh"

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

// Reads fields with the dotted path of the value, so errors name e.g.
// layers[3].options[1].time_ticks.
class Field {
 public:
  Field(const Json &json, std::string path, const std::string &file)
      : json_(json), path_(std::move(path)), file_(file) {}

  Field operator[](const std::string &key) const {
    const std::string path = path_.empty() ? key : path_ + "." + key;
    const Json *found = json_.find(key);
    if (!json_.isObject()) fail("expected an object");
    if (!found) failAt(key, "required field is missing");
    return Field(*found, path, file_);
  }
  std::vector<Field> items() const {
    if (!json_.isArray()) fail("expected an array");
    std::vector<Field> result;
    const Json::Array &array = json_.asArray();
    for (size_t i = 0; i < array.size(); ++i)
      result.emplace_back(array[i], fmt::format("{}[{}]", path_, i), file_);
    return result;
  }
  double number() const {
    if (!json_.isNumber()) fail("expected a number");
    return json_.asNumber();
  }
  int64_t integer() const {
    const double value = number();
    if (value != std::floor(value) || std::abs(value) > 9e15) fail("expected an integer");
    return int64_t(value);
  }
  int index() const {
    const int64_t value = integer();
    if (value < -1 || value > 1'000'000'000) fail("index out of range");
    return int(value);
  }
  bool boolean() const {
    if (!json_.isBool()) fail("expected true or false");
    return json_.asBool();
  }
  const std::string &string() const {
    if (!json_.isString()) fail("expected a string");
    return json_.asString();
  }
  [[noreturn]] void fail(const std::string &message) const { failPath(path_, message); }
  [[noreturn]] void failAt(const std::string &key, const std::string &message) const {
    failPath(path_.empty() ? key : path_ + "." + key, message);
  }

 private:
  [[noreturn]] void failPath(const std::string &path, const std::string &message) const {
    throw Error(7201, {file_, 0, 0}, path, message);
  }

  const Json &json_;
  std::string path_;
  const std::string &file_;
};

DomainMode modeFrom(const Field &field) {
  for (DomainMode mode : {DomainMode::Off, DomainMode::Retention, DomainMode::On})
    if (field.string() == sched::domainModeName(mode)) return mode;
  field.fail("expected \"off\", \"retention\" or \"on\"");
}

IdleKind idleKindFrom(const Field &field) {
  for (IdleKind kind : {IdleKind::ClockedOn, IdleKind::ClockGated, IdleKind::PowerGated})
    if (field.string() == sched::idleKindName(kind)) return kind;
  field.fail("expected \"clocked_on\", \"clock_gated\" or \"power_gated\"");
}

sched::PowerState stateFrom(const Field &field) {
  sched::PowerState state;
  state.name = field["name"].string();
  for (const Field &domain : field["domains"].items())
    state.domains.push_back({modeFrom(domain["mode"]), domain["rail"].index()});
  state.clock_divider = field["clock_divider"].index();
  state.operating_point = field["operating_point"].index();
  state.gates_unused = field["gates_unused"].boolean();
  return state;
}

sched::Stage stageFrom(const Field &field) {
  sched::Stage stage;
  stage.name = field["name"].string();
  for (const Field &option : field["options"].items())
    stage.options.push_back({option["state"].index(), option["time_ticks"].integer(),
                             option["dynamic_pj"].number(), option["leakage_pj"].number()});
  return stage;
}

sched::TransitionMatrix matrixFrom(const Field &field) {
  sched::TransitionMatrix matrix;
  matrix.from_count = field["from_count"].index();
  matrix.to_count = field["to_count"].index();
  for (const Field &time : field["time_ticks"].items()) matrix.time.push_back(time.integer());
  for (const Field &energy : field["energy_pj"].items())
    matrix.energy_pj.push_back(energy.number());
  return matrix;
}

void readHeader(const Field &root, sched::Instance &instance) {
  if (root["format"].string() != kInstanceFormat)
    root.failAt("format", fmt::format("not a {} file", kInstanceFormat));
  if (root["version"].integer() != kInstanceVersion)
    root.failAt("version", fmt::format("version {} is not supported (this powerflow reads {})",
                                       root["version"].integer(), kInstanceVersion));
  instance.name = root["name"].string();
  instance.tick_ns = root["tick_ns"].number();
  instance.deadline = root["deadline_ticks"].integer();
  instance.period = root["period_ticks"].integer();
  for (const Field &domain : root["domains"].items())
    instance.domain_names.push_back(domain.string());
  for (const Field &rail : root["rail_voltages_v"].items())
    instance.rail_voltages_v.push_back(rail.number());
  for (const Field &point : root["operating_points"].items())
    instance.operating_points.push_back({point["name"].string(), point["clock_divider"].index()});
  instance.aggressive_point = root["aggressive_point"].index();
}

}  // namespace

sched::Instance instanceFromJson(const Json &json, const std::string &file) {
  const Field root(json, "", file);
  sched::Instance instance;
  readHeader(root, instance);
  for (const Field &state : root["states"].items()) instance.states.push_back(stateFrom(state));
  for (const Field &layer : root["layers"].items()) instance.layers.push_back(stageFrom(layer));
  for (const Field &idle : root["idle"].items())
    instance.idle.push_back(
        {idle["state"].index(), idleKindFrom(idle["kind"]), idle["power_pj_per_tick"].number()});
  for (const Field &matrix : root["transitions"].items())
    instance.transitions.push_back(matrixFrom(matrix));
  const std::vector<sched::InstanceProblem> problems = sched::validateInstance(instance);
  if (!problems.empty())
    throw Error(7202, {file, 0, 0}, problems.front().where, problems.front().reason);
  return instance;
}

}  // namespace pf
