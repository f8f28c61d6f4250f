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

constexpr int kBadVersion = 9010;
constexpr int kBadStructure = 9011;
constexpr int kBadValue = 9012;
constexpr int64_t kMaxCount = int64_t(1) << 53;

sched::DomainEnergySplit splitFrom(const JsonNode &node) {
  node.onlyFields({"dynamic_pj", "leakage_pj", "transition_pj"});
  return {node["dynamic_pj"].number(), node["leakage_pj"].number(), node["transition_pj"].number()};
}

PhaseCycles cyclesFrom(const JsonNode &node) {
  node.onlyFields({"fetch", "load", "compute", "store", "control", "total"});
  PhaseCycles c;
  c.fetch = node["fetch"].integer(0, kMaxCount);
  c.load = node["load"].integer(0, kMaxCount);
  c.compute = node["compute"].integer(0, kMaxCount);
  c.store = node["store"].integer(0, kMaxCount);
  c.control = node["control"].integer(0, kMaxCount);
  c.total = node["total"].integer(0, kMaxCount);
  return c;
}

// Per design domain {"name", "mode", "rail"} in the file's domain order; an empty list is
// a layer that never ran.
std::vector<sched::DomainState> statesFrom(const JsonNode &node,
                                           const std::vector<std::string> &domains) {
  const std::vector<JsonNode> items = node.items();
  if (!items.empty() && items.size() != domains.size())
    node.fail(kBadValue, fmt::format("{} entries, expected one per domain ({})", items.size(),
                                     domains.size()));
  std::vector<sched::DomainState> states;
  for (size_t d = 0; d < items.size(); ++d) {
    items[d].onlyFields({"name", "mode", "rail"});
    if (items[d]["name"].string() != domains[d])
      items[d]["name"].fail(kBadValue,
                            fmt::format("expected \"{}\" (the domains' order)", domains[d]));
    sched::DomainState state;
    const std::string &mode = items[d]["mode"].string();
    if (mode == "on")
      state.mode = sched::DomainMode::On;
    else if (mode == "retention")
      state.mode = sched::DomainMode::Retention;
    else if (mode != "off")
      items[d]["mode"].fail(kBadValue,
                            fmt::format("unknown mode \"{}\" (on, off, retention)", mode));
    state.rail = int(items[d]["rail"].integer(-1, 64));
    if ((state.mode == sched::DomainMode::On) != (state.rail >= 0))
      items[d]["rail"].fail(kBadValue, "a rail is given exactly when the domain is on");
    states.push_back(state);
  }
  return states;
}

SimLayerReport layerFrom(const JsonNode &node, const std::vector<std::string> &domains) {
  node.onlyFields({"name", "ran", "golden_ok", "golden_detail", "clock_mhz", "start_ns", "end_ns",
                   "predicted_start_ns", "predicted_end_ns", "cycles", "memory_stall_cycles",
                   "profile_cycles", "operand_sparsity", "predicted", "measured", "domains"});
  SimLayerReport l;
  l.name = node["name"].string();
  l.ran = node["ran"].boolean();
  l.golden_ok = node["golden_ok"].boolean();
  if (node.has("golden_detail")) l.golden_detail = node["golden_detail"].string();
  l.clock_mhz = node["clock_mhz"].number();
  l.start_ns = node["start_ns"].number();
  l.end_ns = node["end_ns"].number();
  l.predicted_start_ns = node["predicted_start_ns"].number();
  l.predicted_end_ns = node["predicted_end_ns"].number();
  l.cycles = cyclesFrom(node["cycles"]);
  l.memory_stall_cycles = node["memory_stall_cycles"].integer(0, kMaxCount);
  l.profile_cycles = cyclesFrom(node["profile_cycles"]);
  l.operand_sparsity = node["operand_sparsity"].number();
  l.predicted = splitFrom(node["predicted"]);
  l.measured = splitFrom(node["measured"]);
  l.domains = statesFrom(node["domains"], domains);
  return l;
}

SimPeriodReport periodFrom(const JsonNode &node, const std::vector<std::string> &domains) {
  node.onlyFields({"predicted_pj", "measured_pj", "relative_difference", "predicted", "measured",
                   "busy_ns", "slack_ns", "deadline_met", "outputs_bit_exact",
                   "cycles_match_profile", "energy_within_tolerance", "transition_events", "layers",
                   "idle_measured", "idle_domains", "idle_clock_stopped"});
  SimPeriodReport p;
  p.predicted_pj = node["predicted_pj"].number();
  p.measured_pj = node["measured_pj"].number();
  p.relative_difference = node["relative_difference"].number();
  p.predicted = splitFrom(node["predicted"]);
  p.measured = splitFrom(node["measured"]);
  p.busy_ns = node["busy_ns"].number();
  p.slack_ns = node["slack_ns"].number();
  p.deadline_met = node["deadline_met"].boolean();
  p.outputs_bit_exact = node["outputs_bit_exact"].boolean();
  p.cycles_match_profile = node["cycles_match_profile"].boolean();
  p.energy_within_tolerance = node["energy_within_tolerance"].boolean();
  p.transition_events = node["transition_events"].integer(0, kMaxCount);
  for (const JsonNode &layer : node["layers"].items())
    p.layers.push_back(layerFrom(layer, domains));
  p.idle_measured = splitFrom(node["idle_measured"]);
  p.idle_domains = statesFrom(node["idle_domains"], domains);
  p.idle_clock_stopped = node["idle_clock_stopped"].boolean();
  return p;
}

SimViolationReport violationFrom(const JsonNode &node) {
  node.onlyFields({"period", "cycle", "time_ns", "domain", "rule", "detail", "count"});
  return {int(node["period"].integer(-1, 1'000'000)),
          node["cycle"].integer(0, kMaxCount),
          node["time_ns"].number(),
          node["domain"].string(),
          node["rule"].string(),
          node["detail"].string(),
          node["count"].integer(0, kMaxCount)};
}

SimComponentReport componentFrom(const JsonNode &node) {
  node.onlyFields({"where", "domain", "part", "predicted_pj", "measured_pj", "reason"});
  return {node["where"].string(),        node["domain"].string(),      node["part"].string(),
          node["predicted_pj"].number(), node["measured_pj"].number(), node["reason"].string()};
}

std::vector<std::pair<std::string, std::string>> stringsFrom(const JsonNode &node) {
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto &[key, value] : node.members()) result.emplace_back(key, value.string());
  return result;
}

void readRun(const JsonNode &node, SimReportFile &file) {
  node.onlyFields({"cycles", "simulated_ns", "model_reused", "trace"});
  file.run_cycles = node["cycles"].integer(0, kMaxCount);
  file.run_simulated_ns = node["simulated_ns"].number();
  file.run_model_reused = node["model_reused"].boolean();
  if (node.has("trace")) file.run_trace = node["trace"].string();
}

}  // namespace

SimReportFile readSimReportFile(const std::string &path) {
  const Json json = parseJson(readTextFile(path), path);
  const JsonNode root(json, "", path, {kBadStructure, kBadValue});
  if (!root.has("format") || root["format"].string() != "powerflow-sim")
    root.fail(kBadVersion, "not a powerflow co-simulation report (format \"powerflow-sim\")");
  if (root["version"].integer(0, 1'000'000) != 2)
    root["version"].fail(kBadVersion, "version 2 expected (re-run `powerflow sim`)");
  root.onlyFields({"format", "version", "generated_by", "inputs", "input_sha256", "network",
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
  readRun(root["run"], file);
  return file;
}

}  // namespace pf
