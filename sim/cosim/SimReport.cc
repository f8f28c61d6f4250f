#include "sim/cosim/SimReport.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pf::sim {

namespace {

EnergySplit add(EnergySplit a, const EnergySplit &b) {
  a.dynamic_pj += b.dynamic_pj;
  a.leakage_pj += b.leakage_pj;
  a.transition_pj += b.transition_pj;
  return a;
}

EnergySplit measuredSplit(const PeriodMeasure &period) {
  EnergySplit sum = sumSplits(period.idle);
  for (const LayerMeasure &layer : period.layers) sum = add(sum, sumSplits(layer.by_domain));
  return sum;
}

EnergySplit predictedSplit(const ScheduleFile &schedule) {
  EnergySplit sum = sumSplits(schedule.idle.by_domain);
  for (const ScheduleLayer &layer : schedule.layers) sum = add(sum, sumSplits(layer.by_domain));
  return sum;
}

// Why a component can differ, from what the model and the run do differently.
std::string reasonFor(const CoSimSetup &setup, size_t layer, int domain, const std::string &part,
                      const PeriodMeasure &period) {
  const sched::DomainClass cls = setup.chip.domains[size_t(domain)].domain_class;
  if (layer < setup.schedule.layers.size()) {
    const LayerMeasure &m = period.layers[layer];
    if (part == "dynamic" && cls == sched::DomainClass::PeGroup)
      return fmt::format(
          "MAC cycles at the data's operand sparsity {:.3f}, the profile assumed {:.3f}",
          m.sparsity, layer < setup.profile_sparsity.size() ? setup.profile_sparsity[layer] : 0.0);
    if (part == "dynamic" && cls == sched::DomainClass::AlwaysOn)
      return "the sequencer's cycles between layers count as idle cycles, and memory stalls "
             "as layer cycles";
    if (part == "dynamic")
      return "bank accesses and idle cycles over the measured layer time (stalls included)";
    if (part == "leakage")
      return "the boundary's time (power-up, settle, divider switch) leaks in the layer; the "
             "layer's time is measured";
    return "look-ahead changes are counted in the layer they prepare";
  }
  if (part == "transition")
    return "changes into idle, and look-ahead changes made during the last layer";
  return "the idle time is the period less the measured busy time";
}

void collectComponents(const CoSimSetup &setup, const PeriodMeasure &period, SimVerdict &verdict) {
  const ScheduleFile &schedule = setup.schedule;
  auto compare = [&](const std::string &where, size_t layer, const std::vector<EnergySplit> &pred,
                     const std::vector<EnergySplit> &meas) {
    for (size_t d = 0; d < pred.size() && d < meas.size(); ++d) {
      const std::pair<const char *, std::pair<double, double>> parts[] = {
          {"dynamic", {pred[d].dynamic_pj, meas[d].dynamic_pj}},
          {"leakage", {pred[d].leakage_pj, meas[d].leakage_pj}},
          {"transition", {pred[d].transition_pj, meas[d].transition_pj}}};
      for (const auto &[part, values] : parts) {
        if (std::abs(values.second - values.first) < 1e-6) continue;
        verdict.components.push_back({where, schedule.domains[d], part, values.first, values.second,
                                      reasonFor(setup, layer, int(d), part, period)});
      }
    }
  };
  for (size_t i = 0; i < schedule.layers.size(); ++i)
    compare(schedule.layers[i].name, i, schedule.layers[i].by_domain, period.layers[i].by_domain);
  compare("idle", schedule.layers.size(), schedule.idle.by_domain, period.idle);
  std::stable_sort(verdict.components.begin(), verdict.components.end(),
                   [](const ComponentDiff &a, const ComponentDiff &b) {
                     return std::abs(a.measured_pj - a.predicted_pj) >
                            std::abs(b.measured_pj - b.predicted_pj);
                   });
}

bool cyclesMatch(const LayerMeasure &m, const PhaseCycles &profile) {
  return m.ran && m.cycles.total - m.stall_cycles == profile.total &&
         m.cycles.compute == profile.compute;
}

}  // namespace

SimVerdict judge(const CoSimSetup &setup, const CoSimResult &result, double tolerance) {
  SimVerdict verdict;
  const ScheduleFile &schedule = setup.schedule;
  const EnergySplit predicted = predictedSplit(schedule);
  for (size_t p = 0; p < result.periods.size(); ++p) {
    const PeriodMeasure &period = result.periods[p];
    PeriodVerdict v;
    v.predicted_split = predicted;
    v.measured_split = measuredSplit(period);
    v.predicted_pj = predicted.totalPj();
    v.measured_pj = v.measured_split.totalPj();
    v.relative_difference =
        v.predicted_pj > 0 ? (v.measured_pj - v.predicted_pj) / v.predicted_pj : 0.0;
    v.energy_ok = std::abs(v.relative_difference) <= tolerance;
    v.outputs_ok = v.cycles_ok = true;
    for (size_t i = 0; i < schedule.layers.size(); ++i) {
      const LayerMeasure &m = period.layers[i];
      if (!m.golden_ok) {
        v.outputs_ok = false;
        verdict.failures.push_back(fmt::format("period {}: layer {} output: {}", p,
                                               schedule.layers[i].name, m.golden_detail));
      }
      if (m.ran && !cyclesMatch(m, schedule.layers[i].cycles)) {
        v.cycles_ok = false;
        verdict.failures.push_back(fmt::format(
            "period {}: layer {} took {} cycles ({} waiting for memory bandwidth, {} computing); "
            "the profile has {} ({} computing)",
            p, schedule.layers[i].name, m.cycles.total, m.stall_cycles, m.cycles.compute,
            schedule.layers[i].cycles.total, schedule.layers[i].cycles.compute));
      }
    }
    v.deadline_ok = period.deadline_met;
    v.slack_ns =
        period.busy_ns >= 0 ? schedule.deadline_ns - period.busy_ns : -schedule.deadline_ns;
    if (!v.deadline_ok)
      verdict.failures.push_back(
          period.busy_ns < 0
              ? fmt::format("period {}: the network never finished", p)
              : fmt::format("period {}: deadline missed: busy {:.1f} ns, deadline {:.1f} ns", p,
                            period.busy_ns, schedule.deadline_ns));
    if (!v.energy_ok)
      verdict.failures.push_back(fmt::format(
          "period {}: measured energy {:.1f} pJ differs from the predicted {:.1f} pJ by {:+.3f} % "
          "(tolerance {:.1f} %)",
          p, v.measured_pj, v.predicted_pj, 100.0 * v.relative_difference, 100.0 * tolerance));
    verdict.periods.push_back(v);
  }
  if (result.periods.size() < size_t(setup.periods))
    verdict.failures.push_back(
        fmt::format("only {} of {} periods started (the sequencer never slept?)",
                    result.periods.size(), setup.periods));
  for (const Violation &v : result.violations)
    if (v.rule != kRuleDeadline)  // already counted as a failed deadline check
      verdict.failures.push_back(
          fmt::format("period {}: monitor {}{}: {} (cycle {}, {:.1f} ns after the tick{})",
                      v.period, v.rule, v.domain.empty() ? "" : " on " + v.domain, v.detail,
                      v.cycle, v.time_ns, v.count > 1 ? fmt::format(", {} times", v.count) : ""));
  if (!result.periods.empty()) collectComponents(setup, result.periods.front(), verdict);
  verdict.passed = verdict.failures.empty();
  return verdict;
}

namespace {

Json splitJson(const EnergySplit &s) {
  Json j = Json::object();
  j.set("dynamic_pj", s.dynamic_pj);
  j.set("leakage_pj", s.leakage_pj);
  j.set("transition_pj", s.transition_pj);
  return j;
}

Json cyclesJson(const PhaseCycles &c) {
  Json j = Json::object();
  j.set("fetch", c.fetch);
  j.set("load", c.load);
  j.set("compute", c.compute);
  j.set("store", c.store);
  j.set("control", c.control);
  j.set("total", c.total);
  return j;
}

// The supply of every design domain, as the schedule writes a layer's `domains`.
Json domainStatesJson(const CoSimSetup &setup, const std::vector<sched::DomainState> &states) {
  Json json = Json::array();
  for (size_t d = 0; d < states.size(); ++d) {
    Json entry = Json::object();
    entry.set("name", setup.chip.domains[d].name);
    entry.set("mode", sched::domainModeName(states[d].mode));
    entry.set("rail", states[d].rail);
    json.push(std::move(entry));
  }
  return json;
}

Json layerJson(const CoSimSetup &setup, size_t i, const LayerMeasure &m) {
  const ScheduleLayer &layer = setup.schedule.layers[i];
  Json j = Json::object();
  j.set("name", layer.name);
  j.set("ran", m.ran);
  j.set("golden_ok", m.golden_ok);
  if (!m.golden_detail.empty()) j.set("golden_detail", m.golden_detail);
  j.set("clock_mhz", m.clock_mhz);
  j.set("start_ns", m.start_ns);
  j.set("end_ns", m.end_ns);
  j.set("predicted_start_ns", layer.start_ns);
  j.set("predicted_end_ns", layer.end_ns);
  j.set("cycles", cyclesJson(m.cycles));
  j.set("memory_stall_cycles", m.stall_cycles);
  j.set("profile_cycles", cyclesJson(layer.cycles));
  j.set("operand_sparsity", m.sparsity);
  j.set("predicted", splitJson(sumSplits(layer.by_domain)));
  j.set("measured", splitJson(sumSplits(m.by_domain)));
  j.set("domains", domainStatesJson(setup, m.domains));
  return j;
}

}  // namespace

Json simReportJson(const CoSimSetup &setup, const CoSimResult &result, const SimVerdict &verdict,
                   const SimRunInfo &info) {
  Json j = Json::object();
  j.set("format", kSimFormat);
  j.set("version", kSimVersion);
  j.set("generated_by", info.generated_by);
  Json inputs = Json::object();
  for (const auto &[role, path] : info.inputs) inputs.set(role, path);
  j.set("inputs", inputs);
  Json hashes = Json::object();
  for (const auto &[role, hash] : info.input_hashes) hashes.set(role, hash);
  j.set("input_sha256", hashes);
  j.set("network", setup.schedule.network);
  Json domains = Json::array();
  for (const std::string &name : setup.schedule.domains) domains.push(name);
  j.set("domains", domains);
  j.set("periods", setup.periods);
  j.set("seed", int64_t(setup.seed));
  j.set("period_ns", setup.schedule.period_ns);
  j.set("deadline_ns", setup.schedule.deadline_ns);
  j.set("energy_tolerance", kEnergyTolerance);
  j.set("switch_slowdown", setup.switch_slowdown);
  j.set("passed", verdict.passed);
  Json failures = Json::array();
  for (const std::string &f : verdict.failures) failures.push(f);
  j.set("failures", failures);
  Json violations = Json::array();
  for (const Violation &v : result.violations) {
    Json e = Json::object();
    e.set("period", v.period);
    e.set("cycle", int64_t(v.cycle));
    e.set("time_ns", v.time_ns);
    e.set("domain", v.domain);
    e.set("rule", v.rule);
    e.set("detail", v.detail);
    e.set("count", v.count);
    violations.push(e);
  }
  j.set("monitor_violations", violations);
  Json periods = Json::array();
  for (size_t p = 0; p < result.periods.size(); ++p) {
    const PeriodMeasure &m = result.periods[p];
    const PeriodVerdict &v = verdict.periods[p];
    Json e = Json::object();
    e.set("predicted_pj", v.predicted_pj);
    e.set("measured_pj", v.measured_pj);
    e.set("relative_difference", v.relative_difference);
    e.set("predicted", splitJson(v.predicted_split));
    e.set("measured", splitJson(v.measured_split));
    e.set("busy_ns", m.busy_ns);
    e.set("slack_ns", v.slack_ns);
    e.set("deadline_met", v.deadline_ok);
    e.set("outputs_bit_exact", v.outputs_ok);
    e.set("cycles_match_profile", v.cycles_ok);
    e.set("energy_within_tolerance", v.energy_ok);
    e.set("transition_events", m.transition_events);
    Json layers = Json::array();
    for (size_t i = 0; i < m.layers.size(); ++i) layers.push(layerJson(setup, i, m.layers[i]));
    e.set("layers", layers);
    e.set("idle_measured", splitJson(sumSplits(m.idle)));
    e.set("idle_domains", domainStatesJson(setup, m.idle_domains));
    e.set("idle_clock_stopped", m.idle_clock_stopped);
    periods.push(e);
  }
  j.set("by_period", periods);
  Json components = Json::array();
  for (const ComponentDiff &c : verdict.components) {
    Json e = Json::object();
    e.set("where", c.where);
    e.set("domain", c.domain);
    e.set("part", c.part);
    e.set("predicted_pj", c.predicted_pj);
    e.set("measured_pj", c.measured_pj);
    e.set("reason", c.reason);
    components.push(e);
  }
  j.set("component_differences_period0", components);
  Json run = Json::object();
  run.set("cycles", int64_t(result.cycles));
  run.set("simulated_ns", result.simulated_ns);
  if (!info.trace.empty()) run.set("trace", info.trace);
  j.set("run", run);
  return j;
}

std::string simSummaryText(const CoSimSetup &setup, const CoSimResult &result,
                           const SimVerdict &verdict) {
  const ScheduleFile &schedule = setup.schedule;
  // No wall time here: the summary is report.txt, and the same inputs give the same bytes
  // (the command prints the wall time on the terminal only).
  std::string text =
      fmt::format("sim: {} for {} periods of {:.1f} us (deadline {:.1f} us), {} cycles simulated\n",
                  schedule.network, setup.periods, schedule.period_ns / 1000.0,
                  schedule.deadline_ns / 1000.0, result.cycles);
  if (setup.switch_slowdown != 1.0)
    text +=
        fmt::format("sim: what-if: power-good {:g}x later than characterized (--switch-slowdown)\n",
                    setup.switch_slowdown);
  if (!result.periods.empty()) {
    const PeriodMeasure &m = result.periods.front();
    text += fmt::format("{:<16} {:>8} {:>10} {:>10} {:>8} {:>12} {:>12} {:>7}  {}\n",
                        "layer (period 0)", "MHz", "cycles", "profile", "stalls", "pred pJ",
                        "meas pJ", "diff%", "golden");
    for (size_t i = 0; i < m.layers.size(); ++i) {
      const LayerMeasure &l = m.layers[i];
      const double pred = sumSplits(schedule.layers[i].by_domain).totalPj();
      const double meas = sumSplits(l.by_domain).totalPj();
      text += fmt::format("{:<16} {:>8.4g} {:>10} {:>10} {:>8} {:>12.1f} {:>12.1f} {:>+7.2f}  {}\n",
                          schedule.layers[i].name, l.clock_mhz, l.cycles.total,
                          schedule.layers[i].cycles.total, l.stall_cycles, pred, meas,
                          pred > 0 ? 100.0 * (meas - pred) / pred : 0.0,
                          l.golden_ok ? "bit-exact" : l.golden_detail);
    }
    const double pred_idle = sumSplits(schedule.idle.by_domain).totalPj();
    const double meas_idle = sumSplits(m.idle).totalPj();
    text += fmt::format("{:<16} {:>8} {:>10} {:>10} {:>8} {:>12.1f} {:>12.1f} {:>+7.2f}\n", "idle",
                        "", "", "", "", pred_idle, meas_idle,
                        pred_idle > 0 ? 100.0 * (meas_idle - pred_idle) / pred_idle : 0.0);
  }
  text += fmt::format("{:<8} {:>14} {:>14} {:>9} {:>12} {:>9}\n", "period", "predicted pJ",
                      "measured pJ", "diff%", "slack ns", "outputs");
  for (size_t p = 0; p < verdict.periods.size(); ++p) {
    const PeriodVerdict &v = verdict.periods[p];
    text += fmt::format("{:<8} {:>14.1f} {:>14.1f} {:>+9.3f} {:>12.1f} {:>9}\n", p, v.predicted_pj,
                        v.measured_pj, 100.0 * v.relative_difference, v.slack_ns,
                        v.outputs_ok ? "exact" : "WRONG");
  }
  const size_t shown = std::min<size_t>(verdict.components.size(), 5);
  if (shown > 0) text += "largest component differences (period 0):\n";
  for (size_t c = 0; c < shown; ++c) {
    const ComponentDiff &d = verdict.components[c];
    text += fmt::format("  {:<12} {:<10} {:<10} {:>+12.1f} pJ  {}\n", d.where, d.domain, d.part,
                        d.measured_pj - d.predicted_pj, d.reason);
  }
  text +=
      fmt::format("monitors: {}\n", result.violations.empty()
                                        ? std::string("silent")
                                        : fmt::format("{} violation(s)", result.violations.size()));
  if (verdict.passed) {
    text +=
        "sim: PASSED (outputs bit-exact, monitors silent, deadlines met, cycles equal the profile, "
        "energy within 1 %)\n";
  } else {
    text += fmt::format("sim: FAILED, {} check(s):\n", verdict.failures.size());
    for (const std::string &f : verdict.failures) text += "  " + f + "\n";
  }
  return text;
}

}  // namespace pf::sim
