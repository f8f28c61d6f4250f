#include "sched/io/ScheduleReport.hh"

#include <fmt/format.h>

namespace pf {

namespace {

using sched::Instance;
using sched::Ticks;

double ns(const Instance &instance, Ticks ticks) { return double(ticks) * instance.tick_ns; }

std::string domainStateText(const Instance &instance, const sched::DomainState &domain) {
  if (domain.mode != sched::DomainMode::On) return sched::domainModeName(domain.mode);
  return fmt::format("on {:.2f} V", instance.rail_voltages_v[domain.rail]);
}

Json domainStates(const Instance &instance, const sched::PowerState &state) {
  Json json = Json::object();
  for (size_t d = 0; d < state.domains.size(); ++d)
    json.set(instance.domain_names[d], domainStateText(instance, state.domains[d]));
  return json;
}

Json splitJson(const sched::DomainEnergySplit &split) {
  Json json = Json::object();
  json.set("dynamic_pj", split.dynamic_pj);
  json.set("leakage_pj", split.leakage_pj);
  json.set("transition_pj", split.transition_pj);
  return json;
}

Json domainSplits(const Instance &instance, const std::vector<sched::DomainEnergySplit> &splits) {
  Json json = Json::object();
  for (size_t d = 0; d < splits.size(); ++d)
    json.set(instance.domain_names[d], splitJson(splits[d]));
  return json;
}

double clockMhz(const ScheduleReportInput &input, const sched::PowerState &state) {
  if (!input.chip || state.clock_divider == 0) return 0.0;
  return input.chip->clock.base_mhz / state.clock_divider;
}

Json layersJson(const ScheduleReportInput &input, const sched::ScheduleBreakdown *breakdown) {
  const Instance &instance = *input.instance;
  const sched::Schedule &schedule = input.result.schedule;
  Json layers = Json::array();
  int previous = schedule.idle_option;
  Ticks now = 0;
  for (int i = 0; i < instance.layerCount(); ++i) {
    const int option_index = schedule.layer_options[i];
    const sched::LayerOption &option = instance.layers[i].options[option_index];
    const sched::PowerState &state = instance.states[option.state];
    const sched::TransitionMatrix &into = instance.transitions[i];
    Json layer = Json::object();
    layer.set("name", instance.layers[i].name);
    layer.set("option", option_index);
    layer.set("state", state.name);
    layer.set("clock_divider", state.clock_divider);
    if (input.chip) layer.set("clock_mhz", clockMhz(input, state));
    layer.set("domains", domainStates(instance, state));
    layer.set("transition_in_ns", ns(instance, into.timeAt(previous, option_index)));
    layer.set("transition_in_pj", into.energyAt(previous, option_index));
    now += into.timeAt(previous, option_index);
    layer.set("start_ns", ns(instance, now));
    now += option.time;
    layer.set("end_ns", ns(instance, now));
    layer.set("dynamic_pj", option.dynamic_pj);
    layer.set("leakage_pj", option.leakage_pj);
    if (breakdown) layer.set("by_domain", domainSplits(instance, breakdown->layers[i]));
    layers.push(std::move(layer));
    previous = option_index;
  }
  return layers;
}

Json idleJson(const ScheduleReportInput &input, const sched::ScheduleBreakdown *breakdown) {
  const Instance &instance = *input.instance;
  const sched::IdleOption &idle = instance.idle[input.result.schedule.idle_option];
  const sched::Evaluation &evaluation = input.result.evaluation;
  Json json = Json::object();
  json.set("state", instance.states[idle.state].name);
  json.set("kind", sched::idleKindName(idle.kind));
  json.set("domains", domainStates(instance, instance.states[idle.state]));
  json.set("power_uw", idle.power_pj_per_tick / instance.tick_ns * 1e3);
  json.set("down_transition_ns", ns(instance, evaluation.down_time));
  json.set("idle_ns", ns(instance, evaluation.idle_time));
  json.set("idle_pj", evaluation.idle_pj);
  if (breakdown) json.set("by_domain", domainSplits(instance, breakdown->idle));
  return json;
}

Json evaluationTotals(const Instance &instance, const sched::Evaluation &evaluation) {
  Json json = Json::object();
  json.set("busy_ns", ns(instance, evaluation.busy_time));
  json.set("slack_ns", ns(instance, instance.deadline - evaluation.busy_time));
  json.set("layer_dynamic_pj", evaluation.layer_dynamic_pj);
  json.set("layer_leakage_pj", evaluation.layer_leakage_pj);
  json.set("transition_pj", evaluation.transition_pj);
  json.set("idle_pj", evaluation.idle_pj);
  json.set("total_pj", evaluation.total_pj);
  return json;
}

Json byDomainTotals(const Instance &instance, const sched::ScheduleBreakdown &breakdown) {
  std::vector<sched::DomainEnergySplit> totals(instance.domain_names.size());
  auto add = [&totals](const std::vector<sched::DomainEnergySplit> &splits) {
    for (size_t d = 0; d < splits.size(); ++d) {
      totals[d].dynamic_pj += splits[d].dynamic_pj;
      totals[d].leakage_pj += splits[d].leakage_pj;
      totals[d].transition_pj += splits[d].transition_pj;
    }
  };
  for (const auto &layer : breakdown.layers) add(layer);
  add(breakdown.idle);
  return domainSplits(instance, totals);
}

Json solverJson(const ScheduleReportInput &input) {
  const sched::SolverStats &stats = input.result.stats;
  Json json = Json::object();
  json.set("name", input.solver);
  json.set("status", sched::solveStatusName(input.result.status));
  json.set("labels_created", stats.labels_created);
  json.set("labels_dominated", stats.labels_dominated);
  json.set("labels_pruned", stats.labels_pruned);
  json.set("peak_labels", stats.peak_labels);
  json.set("nodes", stats.nodes);
  json.set("ilp_columns", stats.columns);
  json.set("ilp_columns_fixed", stats.columns_fixed);
  if (!input.result.message.empty()) json.set("message", input.result.message);
  return json;
}

Json baselinesJson(const ScheduleReportInput &input) {
  const Instance &instance = *input.instance;
  const double optimum = input.result.evaluation.total_pj;
  Json rows = Json::array();
  for (const BaselineRow &row : input.baselines) {
    Json json = Json::object();
    json.set("name", row.name);
    json.set("available", row.available);
    if (row.available) {
      json.set("feasible", row.evaluation.feasible());
      json.set("energy_pj", row.evaluation.total_pj);
      json.set("busy_ns", ns(instance, row.evaluation.busy_time));
      json.set("energy_vs_schedule", row.evaluation.total_pj / optimum);
    }
    if (!row.note.empty()) json.set("note", row.note);
    rows.push(std::move(json));
  }
  return rows;
}

Json paretoJson(const ScheduleReportInput &input) {
  Json points = Json::array();
  for (const ParetoPoint &point : input.pareto) {
    Json json = Json::object();
    json.set("deadline_ns", ns(*input.instance, point.deadline));
    json.set("feasible", point.feasible);
    if (point.feasible) {
      json.set("energy_pj", point.energy_pj);
      json.set("busy_ns", ns(*input.instance, point.busy_time));
    }
    points.push(std::move(json));
  }
  return points;
}

}  // namespace

Json scheduleToJson(const ScheduleReportInput &input) {
  const Instance &instance = *input.instance;
  sched::ScheduleBreakdown breakdown;
  const bool physical = input.chip && input.workload;
  if (physical)
    breakdown =
        sched::scheduleBreakdown(*input.chip, *input.workload, instance, input.result.schedule);
  Json json = Json::object();
  json.set("format", kScheduleFormat);
  json.set("version", kScheduleVersion);
  json.set("generated_by", input.generated_by);
  Json inputs = Json::object();
  for (const auto &[role, path] : input.inputs) inputs.set(role, path);
  json.set("inputs", std::move(inputs));
  json.set("network", instance.name);
  json.set("tick_ns", instance.tick_ns);
  json.set("period_ns", ns(instance, instance.period));
  json.set("deadline_ns", ns(instance, instance.deadline));
  json.set("rail_voltages_v", Json::numbers(instance.rail_voltages_v));
  json.set("schedule_space_log10", sched::scheduleSpaceLog10(instance));
  json.set("min_busy_ns", ns(instance, input.result.min_busy_time));
  json.set("solver", solverJson(input));
  json.set("totals", evaluationTotals(instance, input.result.evaluation));
  json.set("energy_lower_bound_pj", input.lower_bound_pj);
  json.set("gap_to_lower_bound", input.result.evaluation.total_pj / input.lower_bound_pj - 1.0);
  if (physical) json.set("energy_by_domain", byDomainTotals(instance, breakdown));
  json.set("layers", layersJson(input, physical ? &breakdown : nullptr));
  json.set("idle", idleJson(input, physical ? &breakdown : nullptr));
  json.set("baselines", baselinesJson(input));
  json.set("pareto", paretoJson(input));
  return json;
}

std::string scheduleSummary(const ScheduleReportInput &input) {
  const Instance &instance = *input.instance;
  const sched::Evaluation &evaluation = input.result.evaluation;
  std::string text =
      fmt::format("schedule of {} ({} layers, 10^{:.1f} schedules), solver {} ({})\n",
                  instance.name, instance.layerCount(), sched::scheduleSpaceLog10(instance),
                  input.solver, sched::solveStatusName(input.result.status));
  text += fmt::format("period {:.6g} us, deadline {:.6g} us, busy {:.6g} us (minimum {:.6g} us)\n",
                      ns(instance, instance.period) / 1e3, ns(instance, instance.deadline) / 1e3,
                      ns(instance, evaluation.busy_time) / 1e3,
                      ns(instance, input.result.min_busy_time) / 1e3);
  text += fmt::format(
      "energy per period {:.6g} nJ: layers {:.6g} dynamic + {:.6g} leakage, transitions {:.6g}, "
      "idle {:.6g}; "
      "lower bound {:.6g} nJ\n",
      evaluation.total_pj / 1e3, evaluation.layer_dynamic_pj / 1e3,
      evaluation.layer_leakage_pj / 1e3, evaluation.transition_pj / 1e3, evaluation.idle_pj / 1e3,
      input.lower_bound_pj / 1e3);
  text += fmt::format("\n{:<14} {:>14} {:>12} {:>10}  {}\n", "policy", "energy_nJ", "busy_us",
                      "vs_optimum", "note");
  text += fmt::format("{:<14} {:>14.6g} {:>12.6g} {:>10.4f}\n", input.solver,
                      evaluation.total_pj / 1e3, ns(instance, evaluation.busy_time) / 1e3, 1.0);
  for (const BaselineRow &row : input.baselines) {
    if (!row.available) {
      text += fmt::format("{:<14} {:>14} {:>12} {:>10}  {}\n", row.name, "-", "-", "-", row.note);
      continue;
    }
    text += fmt::format("{:<14} {:>14.6g} {:>12.6g} {:>10.4f}  {}\n", row.name,
                        row.evaluation.total_pj / 1e3, ns(instance, row.evaluation.busy_time) / 1e3,
                        row.evaluation.total_pj / evaluation.total_pj, row.note);
  }
  text += fmt::format("\n{:<24} {:<10} {:<14} {}\n", "layer", "time_us", "energy_nJ", "state");
  for (int i = 0; i < instance.layerCount(); ++i) {
    const sched::LayerOption &option =
        instance.layers[i].options[input.result.schedule.layer_options[i]];
    text += fmt::format("{:<24} {:<10.4g} {:<14.6g} {}\n", instance.layers[i].name,
                        ns(instance, option.time) / 1e3, option.energyPj() / 1e3,
                        instance.states[option.state].name);
  }
  const sched::IdleOption &idle = instance.idle[input.result.schedule.idle_option];
  text += fmt::format("{:<24} {:<10.4g} {:<14.6g} {}\n", "(idle)",
                      ns(instance, evaluation.idle_time) / 1e3, evaluation.idle_pj / 1e3,
                      instance.states[idle.state].name);
  return text;
}

}  // namespace pf
