#include "sched/io/ScheduleReport.hh"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/Error.hh"
#include "golden/Packing.hh"

namespace pf {

namespace {

using sched::Instance;
using sched::Ticks;

double ns(const Instance &instance, Ticks ticks) { return double(ticks) * instance.tick_ns; }

// energy / reference, defined when the reference is 0 too (an instance whose optimum is
// 0 pJ): 1 when both are 0, else +-infinity (for the summary; the file holds NaN, null).
double energyRatio(double energy_pj, double reference_pj) {
  if (reference_pj != 0.0) return energy_pj / reference_pj;
  if (energy_pj == 0.0) return 1.0;
  return energy_pj > 0.0 ? std::numeric_limits<double>::infinity()
                         : -std::numeric_limits<double>::infinity();
}

// A ratio for the schedule file: NaN (written as null) when it has no finite value.
double fileRatio(double ratio) {
  return std::isfinite(ratio) ? ratio : std::numeric_limits<double>::quiet_NaN();
}

// The domains that change between two states when there is no chip model to price
// them (a dumped instance): sched::boundaryChanges() without the physics.
std::vector<sched::DomainChange> stateChanges(const sched::PowerState &from,
                                              const sched::PowerState &to) {
  std::vector<sched::DomainChange> changes;
  for (size_t d = 0; d < from.domains.size(); ++d)
    if (from.domains[d] != to.domains[d])
      changes.push_back({int(d), from.domains[d], to.domains[d], 0.0, 0.0, false});
  return changes;
}

// One side of a stage boundary: the option chosen there and its state; `layer` is the
// layer's work when the stage is a layer and the physics are known.
struct Side {
  int option = 0;
  const sched::PowerState *state = nullptr;
  const sched::LayerWork *layer = nullptr;
};

ScheduleTransition boundaryEntry(const ScheduleReportInput &input, int boundary, const Side &from,
                                 const Side &to) {
  const Instance &instance = *input.instance;
  const sched::TransitionMatrix &matrix = instance.transitions[boundary];
  ScheduleTransition transition;
  transition.time_ns = ns(instance, matrix.timeAt(from.option, to.option));
  transition.energy_pj = matrix.energyAt(from.option, to.option);
  transition.clock_divider_changes = from.state->clock_divider != to.state->clock_divider;
  transition.changes = input.physics ? sched::boundaryChanges(*input.physics->chip, *from.state,
                                                              *to.state, from.layer)
                                     : stateChanges(*from.state, *to.state);
  return transition;
}

Side layerSide(const ScheduleReportInput &input, int layer) {
  const Instance &instance = *input.instance;
  const int option = input.result.schedule.layer_options[layer];
  const sched::LayerWork *work = input.physics ? &input.physics->workload->layers[layer] : nullptr;
  return {option, &instance.states[instance.layers[layer].options[option].state], work};
}

Side idleSide(const ScheduleReportInput &input) {
  const Instance &instance = *input.instance;
  const int option = input.result.schedule.idle_option;
  return {option, &instance.states[instance.idle[option].state], nullptr};
}

// The layer's descriptors as one chain in external memory; refused unless they are
// back to back (the sequencer starts a layer at its first descriptor and runs `count`).
ScheduleDescriptors descriptorChain(const LayerProfile &layer, size_t index,
                                    const std::string &profile_file) {
  ScheduleDescriptors chain;
  chain.count = int64_t(layer.descriptors.size());
  if (layer.descriptors.empty()) return chain;
  chain.first_addr = layer.descriptors.front().desc_addr;
  for (size_t k = 1; k < layer.descriptors.size(); ++k) {
    const uint64_t expected = uint64_t(chain.first_addr) + k * uint64_t(kDescriptorBytes);
    if (layer.descriptors[k].desc_addr != expected)
      throw Error(
          7310, {profile_file, 0, 0}, fmt::format("layers[{}].descriptors[{}].desc_addr", index, k),
          fmt::format("layer '{}': descriptor {} is at byte {}, not {}: the layer's descriptors "
                      "are not one chain of {}-byte descriptors from byte {}",
                      layer.name, k, layer.descriptors[k].desc_addr, expected, kDescriptorBytes,
                      chain.first_addr));
  }
  return chain;
}

// The profile, workload and instance describe the same layers in the same order.
void checkPhysicsMatches(const ScheduleReportInput &input) {
  const SchedulePhysics &physics = *input.physics;
  const Instance &instance = *input.instance;
  const size_t layers = size_t(instance.layerCount());
  if (physics.profile->layers.size() != layers || physics.workload->layers.size() != layers)
    throw Error(7311, {physics.profile_file, 0, 0}, "layers",
                fmt::format("{} layers in the profile, {} in the schedule",
                            physics.profile->layers.size(), layers));
  for (size_t i = 0; i < layers; ++i)
    if (physics.profile->layers[i].name != instance.layers[i].name)
      throw Error(7312, {physics.profile_file, 0, 0}, fmt::format("layers[{}].name", i),
                  fmt::format("'{}' in the profile, '{}' in the schedule",
                              physics.profile->layers[i].name, instance.layers[i].name));
}

void addPhysicalLayerFields(const SchedulePhysics &physics, size_t index,
                            const sched::ScheduleBreakdown &breakdown, ScheduleLayer &layer) {
  const sched::LayerWork &work = physics.workload->layers[index];
  const LayerProfile &profile = physics.profile->layers[index];
  layer.clock_mhz = physics.design->clock.base_mhz / layer.clock_divider;
  layer.uses = work.uses;
  layer.keeps_data = work.keeps_data;
  layer.descriptors = descriptorChain(profile, index, physics.profile_file);
  layer.cycles = profile.cycles;
  layer.by_domain = breakdown.layers[index];
  if (profile.on_host)
    layer.host = ScheduleHost{profile.op, profile.host_cost.time_ns, profile.host_cost.energy_pj};
}

std::vector<ScheduleLayer> layerEntries(const ScheduleReportInput &input,
                                        const sched::ScheduleBreakdown &breakdown) {
  const Instance &instance = *input.instance;
  std::vector<ScheduleLayer> layers;
  Side previous = idleSide(input);
  Ticks now = 0;
  for (int i = 0; i < instance.layerCount(); ++i) {
    const Side side = layerSide(input, i);
    const sched::LayerOption &option = instance.layers[i].options[side.option];
    ScheduleLayer layer;
    layer.name = instance.layers[i].name;
    layer.option = side.option;
    layer.state = side.state->name;
    layer.clock_divider = side.state->clock_divider;
    layer.domains = side.state->domains;
    layer.transition_in = boundaryEntry(input, i, previous, side);
    now += instance.transitions[i].timeAt(previous.option, side.option);
    layer.start_ns = ns(instance, now);
    now += option.time;
    layer.end_ns = ns(instance, now);
    layer.dynamic_pj = option.dynamic_pj;
    layer.leakage_pj = option.leakage_pj;
    if (input.physics) addPhysicalLayerFields(*input.physics, size_t(i), breakdown, layer);
    layers.push_back(std::move(layer));
    previous = side;
  }
  return layers;
}

ScheduleIdle idleEntry(const ScheduleReportInput &input,
                       const sched::ScheduleBreakdown &breakdown) {
  const Instance &instance = *input.instance;
  const sched::IdleOption &option = instance.idle[input.result.schedule.idle_option];
  const sched::Evaluation &evaluation = input.result.evaluation;
  const Side side = idleSide(input);
  ScheduleIdle idle;
  idle.option = side.option;
  idle.state = side.state->name;
  idle.kind = option.kind;
  idle.clock_divider = side.state->clock_divider;
  idle.domains = side.state->domains;
  idle.power_uw = option.power_pj_per_tick / instance.tick_ns * 1e3;
  idle.transition_in = boundaryEntry(input, instance.layerCount(),
                                     layerSide(input, instance.layerCount() - 1), side);
  idle.idle_ns = ns(instance, evaluation.idle_time);
  idle.idle_pj = evaluation.idle_pj;
  if (input.physics) idle.by_domain = breakdown.idle;
  return idle;
}

ScheduleTotals totals(const Instance &instance, const sched::Evaluation &evaluation) {
  return {ns(instance, evaluation.busy_time),
          ns(instance, instance.deadline - evaluation.busy_time),
          evaluation.layer_dynamic_pj,
          evaluation.layer_leakage_pj,
          evaluation.transition_pj,
          evaluation.idle_pj,
          evaluation.total_pj};
}

std::vector<sched::DomainEnergySplit> byDomainTotals(const sched::ScheduleBreakdown &breakdown) {
  std::vector<sched::DomainEnergySplit> totals(breakdown.idle.size());
  auto add = [&totals](const std::vector<sched::DomainEnergySplit> &splits) {
    for (size_t d = 0; d < splits.size(); ++d) {
      totals[d].dynamic_pj += splits[d].dynamic_pj;
      totals[d].leakage_pj += splits[d].leakage_pj;
      totals[d].transition_pj += splits[d].transition_pj;
    }
  };
  for (const auto &layer : breakdown.layers) add(layer);
  add(breakdown.idle);
  return totals;
}

ScheduleSolver solverEntry(const ScheduleReportInput &input) {
  const sched::SolverStats &stats = input.result.stats;
  return {input.solver,        input.result.status, stats.labels_created, stats.labels_dominated,
          stats.labels_pruned, stats.peak_labels,   stats.nodes,          stats.columns,
          stats.columns_fixed, input.result.message};
}

std::vector<ScheduleBaseline> baselineEntries(const ScheduleReportInput &input) {
  const Instance &instance = *input.instance;
  const double optimum = input.result.evaluation.total_pj;
  std::vector<ScheduleBaseline> rows;
  for (const BaselineRow &row : input.baselines) {
    ScheduleBaseline entry;
    entry.name = row.name;
    entry.available = row.available;
    if (row.available) {
      entry.feasible = row.evaluation.feasible();
      entry.energy_pj = row.evaluation.total_pj;
      entry.busy_ns = ns(instance, row.evaluation.busy_time);
      entry.energy_vs_schedule = fileRatio(energyRatio(row.evaluation.total_pj, optimum));
    }
    entry.note = row.note;
    rows.push_back(std::move(entry));
  }
  return rows;
}

std::vector<SchedulePoint> paretoEntries(const ScheduleReportInput &input) {
  std::vector<SchedulePoint> points;
  for (const ParetoPoint &point : input.pareto)
    points.push_back({ns(*input.instance, point.deadline), point.feasible,
                      point.feasible ? point.energy_pj : 0.0,
                      point.feasible ? ns(*input.instance, point.busy_time) : 0.0});
  return points;
}

void setPhysicalHeader(const SchedulePhysics &physics, ScheduleFile &file) {
  file.physical = true;
  file.design_name = physics.design->name;
  file.input_hashes = physics.input_hashes;
  const ClockSpec &clock = physics.design->clock;
  file.clock.base_mhz = clock.base_mhz;
  for (int64_t divider : clock.dividers) file.clock.dividers.push_back(int(divider));
  file.clock.switch_time_ns = clock.switch_time_ns;
  file.clock.sleep_timer_khz = clock.sleep_timer_khz;
}

}  // namespace

ScheduleFile scheduleFile(const ScheduleReportInput &input) {
  const Instance &instance = *input.instance;
  sched::ScheduleBreakdown breakdown;
  if (input.physics) {
    checkPhysicsMatches(input);
    breakdown = sched::scheduleBreakdown(*input.physics->chip, *input.physics->workload, instance,
                                         input.result.schedule);
  }
  ScheduleFile file;
  file.generated_by = input.generated_by;
  file.inputs = input.inputs;
  if (input.physics) setPhysicalHeader(*input.physics, file);
  file.network = instance.name;
  file.tick_ns = instance.tick_ns;
  file.period_ns = ns(instance, instance.period);
  file.deadline_ns = ns(instance, instance.deadline);
  file.rail_voltages_v = instance.rail_voltages_v;
  file.domains = instance.domain_names;
  file.schedule_space_log10 = sched::scheduleSpaceLog10(instance);
  file.min_busy_ns = ns(instance, input.result.min_busy_time);
  file.solver = solverEntry(input);
  file.totals = totals(instance, input.result.evaluation);
  file.energy_lower_bound_pj = input.lower_bound_pj;
  file.gap_to_lower_bound =
      fileRatio(energyRatio(input.result.evaluation.total_pj, input.lower_bound_pj) - 1.0);
  if (input.physics) file.energy_by_domain = byDomainTotals(breakdown);
  file.layers = layerEntries(input, breakdown);
  file.idle = idleEntry(input, breakdown);
  file.baselines = baselineEntries(input);
  file.pareto = paretoEntries(input);
  return file;
}

// The host segments' own time and energy (the profile's host model): outside the
// accelerator energy above, the same for every schedule.
std::string hostSummary(const ScheduleReportInput &input) {
  if (!input.physics || !input.physics->profile->hasHostLayers()) return "";
  const Profile &profile = *input.physics->profile;
  int segments = 0;
  double time_ns = 0.0, energy_pj = 0.0;
  for (const LayerProfile &layer : profile.layers) {
    if (!layer.on_host) continue;
    ++segments;
    time_ns += layer.host_cost.time_ns;
    energy_pj += layer.host_cost.energy_pj;
  }
  const HostModel &model = profile.host_model;
  return fmt::format(
      "host segments: {} taking {:.3f} us, host energy {:.3f} nJ per period (not in the "
      "accelerator's energy above; host model: {} at {:.3f} MHz, {:.3f} pJ/cycle, borrowed: "
      "docs/host-model.md)\n",
      segments, time_ns / 1e3, energy_pj / 1e3, model.core, model.clock_mhz,
      model.energy_pj_per_cycle);
}

// The energy-versus-deadline curve (exact optima from the minimum latency to the period);
// the row whose deadline is this schedule's is marked.
std::string paretoSummary(const ScheduleReportInput &input) {
  if (input.pareto.empty()) return "";
  const Instance &instance = *input.instance;
  std::string text = fmt::format("\nenergy versus deadline (exact optima)\n{:>16} {:>16} {:>14}\n",
                                 "deadline_us", "energy_nJ", "busy_us");
  for (const ParetoPoint &point : input.pareto) {
    const std::string mark = point.deadline == instance.deadline ? "  <- this deadline" : "";
    if (!point.feasible) {
      text += fmt::format("{:>16.3f} {:>16} {:>14}{}\n", ns(instance, point.deadline) / 1e3,
                          "infeasible", "-", mark);
      continue;
    }
    text += fmt::format("{:>16.3f} {:>16.3f} {:>14.3f}{}\n", ns(instance, point.deadline) / 1e3,
                        point.energy_pj / 1e3, ns(instance, point.busy_time) / 1e3, mark);
  }
  return text;
}

// Solver statistics (counts only: wall times vary from run to run and stay out of files).
std::string solverSummary(const ScheduleReportInput &input) {
  const sched::SolverStats &stats = input.result.stats;
  return fmt::format(
      "\nsolver {}: {} labels created, {} dominated, {} pruned, peak {} per stage; {} nodes, "
      "{} ILP columns ({} fixed)\n",
      sched::solverKindName(input.solver), stats.labels_created, stats.labels_dominated,
      stats.labels_pruned, stats.peak_labels, stats.nodes, stats.columns, stats.columns_fixed);
}

std::string scheduleSummary(const ScheduleReportInput &input) {
  const Instance &instance = *input.instance;
  const sched::Evaluation &evaluation = input.result.evaluation;
  std::string text =
      fmt::format("schedule of {} ({} layers, 10^{:.1f} schedules), solver {} ({})\n",
                  instance.name, instance.layerCount(), sched::scheduleSpaceLog10(instance),
                  sched::solverKindName(input.solver), sched::solveStatusName(input.result.status));
  for (const std::string &warning : input.warnings) text += warning + "\n";
  text += fmt::format("period {:.3f} us, deadline {:.3f} us, busy {:.3f} us (minimum {:.3f} us)\n",
                      ns(instance, instance.period) / 1e3, ns(instance, instance.deadline) / 1e3,
                      ns(instance, evaluation.busy_time) / 1e3,
                      ns(instance, input.result.min_busy_time) / 1e3);
  if (input.physics && !input.physics->design->transitions.isDefault())
    text += fmt::format(
        "transition physics: {} (docs/transitions.md; gen and sim refuse this design)\n",
        transitionsText(input.physics->design->transitions));
  text += fmt::format(
      "energy per period {:.3f} nJ: layers {:.3f} dynamic + {:.3f} leakage, transitions {:.3f}, "
      "idle {:.3f}; "
      "lower bound {:.3f} nJ\n",
      evaluation.total_pj / 1e3, evaluation.layer_dynamic_pj / 1e3,
      evaluation.layer_leakage_pj / 1e3, evaluation.transition_pj / 1e3, evaluation.idle_pj / 1e3,
      input.lower_bound_pj / 1e3);
  text += fmt::format("\n{:<16} {:>16} {:>14} {:>10}  {}\n", "policy", "energy_nJ", "busy_us",
                      "vs_optimum", "note");
  text += fmt::format("{:<16} {:>16.3f} {:>14.3f} {:>10.4f}\n", sched::solverKindName(input.solver),
                      evaluation.total_pj / 1e3, ns(instance, evaluation.busy_time) / 1e3, 1.0);
  for (const BaselineRow &row : input.baselines) {
    if (!row.available) {
      text += fmt::format("{:<16} {:>16} {:>14} {:>10}  {}\n", row.name, "-", "-", "-", row.note);
      continue;
    }
    text += fmt::format("{:<16} {:>16.3f} {:>14.3f} {:>10.4f}  {}\n", row.name,
                        row.evaluation.total_pj / 1e3, ns(instance, row.evaluation.busy_time) / 1e3,
                        energyRatio(row.evaluation.total_pj, evaluation.total_pj), row.note);
  }
  text += hostSummary(input);
  text += fmt::format("\n{:<24} {:<12} {:<16} {}\n", "layer", "time_us", "energy_nJ", "state");
  for (int i = 0; i < instance.layerCount(); ++i) {
    const sched::LayerOption &option =
        instance.layers[i].options[input.result.schedule.layer_options[i]];
    const bool host = input.physics && input.physics->profile->layers[size_t(i)].on_host;
    text += fmt::format("{:<24} {:<12.3f} {:<16.3f} {}{}\n", instance.layers[i].name,
                        ns(instance, option.time) / 1e3, option.energyPj() / 1e3,
                        host ? "host segment, accelerator in: " : "",
                        instance.states[option.state].name);
  }
  const sched::IdleOption &idle = instance.idle[input.result.schedule.idle_option];
  text += fmt::format("{:<24} {:<12.3f} {:<16.3f} {}\n", "(idle)",
                      ns(instance, evaluation.idle_time) / 1e3, evaluation.idle_pj / 1e3,
                      instance.states[idle.state].name);
  text += paretoSummary(input);
  text += solverSummary(input);
  return text;
}

}  // namespace pf
