#include "sim/cosim/SimReportFile.hh"

#include <fmt/format.h>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/JsonNode.hh"

namespace pf {

std::string SimReportFile::inputHash(const std::string &role) const {
  for (const auto &[name, hash] : input_sha256)
    if (name == role) return hash;
  return "";
}

namespace {

// The writer's (sim/cosim/SimReport.hh, not included: it needs the simulator's headers).
constexpr const char *kFormat = "powerflow-sim";
constexpr int kVersion = 3;
constexpr int kVersionWithModelReused = 2;  // run.model_reused, read and ignored

// The reader's numbers for the field reader's problems; the others are core's.
void simReportMessage(const JsonProblem &problem) {
  if (problem.kind == JsonProblem::Kind::Format)
    problem.raise(9010, "expected \"{}\", found {} (this is not a {} file)");
  if (problem.kind == JsonProblem::Kind::Missing) problem.raise(9011, "required field is missing");
}
constexpr int64_t kMaxCount = int64_t(1) << 53;

sched::DomainEnergySplit splitFrom(const JsonNode &node) {
  const JsonObject split = node.object({"dynamic_pj", "leakage_pj", "transition_pj"});
  return {split["dynamic_pj"].number(), split["leakage_pj"].number(),
          split["transition_pj"].number()};
}

PhaseCycles cyclesFrom(const JsonNode &node) {
  const JsonObject object = node.object({"fetch", "load", "compute", "store", "control", "total"});
  PhaseCycles c;
  c.fetch = object["fetch"].integer(0, kMaxCount);
  c.load = object["load"].integer(0, kMaxCount);
  c.compute = object["compute"].integer(0, kMaxCount);
  c.store = object["store"].integer(0, kMaxCount);
  c.control = object["control"].integer(0, kMaxCount);
  c.total = object["total"].integer(0, kMaxCount);
  return c;
}

// Per design domain {"name", "mode", "rail"} in the file's domain order; an empty list is
// a layer that never ran.
std::vector<sched::DomainState> statesFrom(const JsonNode &node,
                                           const std::vector<std::string> &domains) {
  const std::vector<JsonNode> items = node.items();
  if (!items.empty() && items.size() != domains.size())
    node.fail(9012, fmt::format("{} entries, expected one per domain ({})", items.size(),
                                domains.size()));
  std::vector<sched::DomainState> states;
  for (size_t d = 0; d < items.size(); ++d) {
    const JsonObject item = items[d].object({"name", "mode", "rail"});
    if (item["name"].string() != domains[d])
      item["name"].fail(9015, fmt::format("expected \"{}\" (the domains' order)", domains[d]));
    sched::DomainState state;
    const std::string &mode = item["mode"].string();
    if (mode == "on")
      state.mode = sched::DomainMode::On;
    else if (mode == "retention")
      state.mode = sched::DomainMode::Retention;
    else if (mode != "off")
      item["mode"].fail(9016, fmt::format("unknown mode \"{}\" (on, off, retention)", mode));
    state.rail = int(item["rail"].integer(-1, 64));
    if ((state.mode == sched::DomainMode::On) != (state.rail >= 0))
      item["rail"].fail(9017, "a rail is given exactly when the domain is on");
    states.push_back(state);
  }
  return states;
}

SimLayerReport layerFrom(const JsonNode &node, const std::vector<std::string> &domains) {
  const JsonObject object =
      node.object({"name", "ran", "golden_ok", "golden_detail", "clock_mhz", "start_ns", "end_ns",
                   "predicted_start_ns", "predicted_end_ns", "cycles", "memory_stall_cycles",
                   "profile_cycles", "operand_sparsity", "predicted", "measured", "domains"});
  SimLayerReport l;
  l.name = object["name"].string();
  l.ran = object["ran"].boolean();
  l.golden_ok = object["golden_ok"].boolean();
  if (const auto detail = object.find("golden_detail")) l.golden_detail = detail->string();
  l.clock_mhz = object["clock_mhz"].number();
  l.start_ns = object["start_ns"].number();
  l.end_ns = object["end_ns"].number();
  l.predicted_start_ns = object["predicted_start_ns"].number();
  l.predicted_end_ns = object["predicted_end_ns"].number();
  l.cycles = cyclesFrom(object["cycles"]);
  l.memory_stall_cycles = object["memory_stall_cycles"].integer(0, kMaxCount);
  l.profile_cycles = cyclesFrom(object["profile_cycles"]);
  l.operand_sparsity = object["operand_sparsity"].number();
  l.predicted = splitFrom(object["predicted"]);
  l.measured = splitFrom(object["measured"]);
  l.domains = statesFrom(object["domains"], domains);
  return l;
}

SimPeriodReport periodFrom(const JsonNode &node, const std::vector<std::string> &domains) {
  const JsonObject object =
      node.object({"predicted_pj", "measured_pj", "relative_difference", "predicted", "measured",
                   "busy_ns", "slack_ns", "deadline_met", "outputs_bit_exact",
                   "cycles_match_profile", "energy_within_tolerance", "transition_events", "layers",
                   "idle_measured", "idle_domains", "idle_clock_stopped"});
  SimPeriodReport p;
  p.predicted_pj = object["predicted_pj"].number();
  p.measured_pj = object["measured_pj"].number();
  p.relative_difference = object["relative_difference"].number();
  p.predicted = splitFrom(object["predicted"]);
  p.measured = splitFrom(object["measured"]);
  p.busy_ns = object["busy_ns"].number();
  p.slack_ns = object["slack_ns"].number();
  p.deadline_met = object["deadline_met"].boolean();
  p.outputs_bit_exact = object["outputs_bit_exact"].boolean();
  p.cycles_match_profile = object["cycles_match_profile"].boolean();
  p.energy_within_tolerance = object["energy_within_tolerance"].boolean();
  p.transition_events = object["transition_events"].integer(0, kMaxCount);
  for (const JsonNode &layer : object["layers"].items())
    p.layers.push_back(layerFrom(layer, domains));
  p.idle_measured = splitFrom(object["idle_measured"]);
  p.idle_domains = statesFrom(object["idle_domains"], domains);
  p.idle_clock_stopped = object["idle_clock_stopped"].boolean();
  return p;
}

SimViolationReport violationFrom(const JsonNode &node) {
  const JsonObject object =
      node.object({"period", "cycle", "time_ns", "domain", "rule", "detail", "count"});
  return {int(object["period"].integer(-1, 1'000'000)),
          object["cycle"].integer(0, kMaxCount),
          object["time_ns"].number(),
          object["domain"].string(),
          object["rule"].string(),
          object["detail"].string(),
          object["count"].integer(0, kMaxCount)};
}

SimComponentReport componentFrom(const JsonNode &node) {
  const JsonObject object =
      node.object({"where", "domain", "part", "predicted_pj", "measured_pj", "reason"});
  return {object["where"].string(),       object["domain"].string(),
          object["part"].string(),        object["predicted_pj"].number(),
          object["measured_pj"].number(), object["reason"].string()};
}

// An object with free keys (the input roles) and string values.
std::vector<std::pair<std::string, std::string>> stringsFrom(const JsonNode &node) {
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto &[key, value] : node.members()) result.emplace_back(key, value.string());
  return result;
}

void readRun(const JsonNode &node, int version, SimReportFile &file) {
  const JsonObject object = version == kVersionWithModelReused
                                ? node.object({"cycles", "simulated_ns", "model_reused", "trace"})
                                : node.object({"cycles", "simulated_ns", "trace"});
  if (version == kVersionWithModelReused) object["model_reused"].boolean();
  file.run_cycles = object["cycles"].integer(0, kMaxCount);
  file.run_simulated_ns = object["simulated_ns"].number();
  if (const auto trace = object.find("trace")) file.run_trace = trace->string();
}

}  // namespace

SimReportFile simReportFromJson(const Json &json, const std::string &path) {
  const JsonNode node(json, path, simReportMessage);
  const int version =
      node.checkFormat(kFormat, {kVersionWithModelReused, kVersion}, "re-run `powerflow sim`");
  const JsonObject root =
      node.object({"format", "version", "generated_by", "inputs", "input_sha256", "network",
                   "domains", "periods", "seed", "period_ns", "deadline_ns", "energy_tolerance",
                   "switch_slowdown", "passed", "failures", "monitor_violations", "by_period",
                   "component_differences_period0", "run"});
  SimReportFile file;
  file.generated_by = root["generated_by"].string();
  file.inputs = stringsFrom(root["inputs"]);
  file.input_sha256 = stringsFrom(root["input_sha256"]);
  file.network = root["network"].string();
  for (const JsonNode &name : root["domains"].items()) file.domains.push_back(name.string());
  file.periods = int(root["periods"].integer(1, 1'000'000));
  file.seed = root["seed"].integer(0, kMaxCount);
  file.period_ns = root["period_ns"].number();
  file.deadline_ns = root["deadline_ns"].number();
  file.energy_tolerance = root["energy_tolerance"].number();
  file.switch_slowdown = root["switch_slowdown"].number();
  file.passed = root["passed"].boolean();
  for (const JsonNode &f : root["failures"].items()) file.failures.push_back(f.string());
  for (const JsonNode &v : root["monitor_violations"].items())
    file.violations.push_back(violationFrom(v));
  for (const JsonNode &p : root["by_period"].items())
    file.by_period.push_back(periodFrom(p, file.domains));
  for (const JsonNode &c : root["component_differences_period0"].items())
    file.components.push_back(componentFrom(c));
  readRun(root["run"], version, file);
  return file;
}

SimReportFile simReportFromText(const std::string &text, const std::string &path) {
  return simReportFromJson(parseJson(text, path), path);
}

SimReportFile readSimReportFile(const std::string &path) {
  return simReportFromText(readTextFile(path), path);
}

}  // namespace pf
