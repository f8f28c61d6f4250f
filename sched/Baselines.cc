// Baseline policies (sched/Baselines.hh). The choices their one-line definitions leave
// open, stated once:
//
// - "The option at operating point q with gating g" of a layer: among its options whose
//   state has operating_point == q and gates_unused == g, the fastest (ties: less energy,
//   then lower index). The instance builder emits one; random instances may emit several.
// - aggressive: the aggressive point ungated at every layer; idle: the lowest-power
//   ClockedOn option (none: the highest-power idle option, noted).
// - race-to-idle: the same layer options; idle: the lowest-power PowerGated option (none:
//   the lowest-power idle option of any kind, noted).
// - static: every operating point available ungated at every layer is tried with the
//   lowest-power idle option; the lowest-energy feasible one wins. None feasible: the one
//   with the least busy time, noted.
// - layer-level (DAE-DVFS): idle is the lowest-power option k. Each layer picks one option
//   (any point, gated or not) in a multiple-choice knapsack: weight t_i(o), cost
//   e_i(o) - p_k t_i(o), total weight <= D. The idle term is included on purpose: sum of
//   costs + p_k P is the period energy without transitions, so the knapsack trades layer
//   energy against sleeping longer, as DAE-DVFS does against its power-saving mode.
//   Transitions are invisible to it; evaluate() charges them afterwards.
// - super-block (SparseDVFS): a layer's reference time is that of its aggressive option
//   (its fastest option if it has none). The switch time S is the largest transition
//   time out of the aggressive option at any inner boundary: the worst switch a block has
//   to amortise. Blocks grow layer by layer and close once their reference time exceeds
//   N x S; a trailing block that stays below joins the previous one. Each block runs one
//   (operating point, gating policy) available at all its layers; its knapsack item
//   charges its layers and its internal transitions exactly and its boundary transitions
//   not at all (blind, as SparseDVFS plans), with the cost of layer-level.
//
// Both knapsacks are solved exactly by a Pareto DP over integer time: after each group,
// the labels (time, cost) that no other label beats in both; at most D + 1 of them.
// If even the fastest choices exceed D, the fastest choices are reported with a note.
#include "sched/Baselines.hh"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

namespace pf::sched {

namespace {

// ---- Multiple-choice knapsack ------------------------------------------------------------

struct KnapsackItem {
  Ticks time = 0;
  double cost = 0.0;
};

// One item per group, total time <= capacity, least total cost. Returns the item index
// per group; empty when no combination fits.
std::vector<int> chooseUnderCapacity(const std::vector<std::vector<KnapsackItem>> &groups,
                                     Ticks capacity) {
  struct Label {
    Ticks time;
    double cost;
    int parent;  // index into the previous front
    int item;
  };
  std::vector<std::vector<Label>> fronts{{{0, 0.0, -1, -1}}};
  for (const std::vector<KnapsackItem> &group : groups) {
    const std::vector<Label> &front = fronts.back();
    std::vector<Label> candidates;
    for (int l = 0; l < int(front.size()); ++l)
      for (int j = 0; j < int(group.size()); ++j)
        if (front[l].time + group[j].time <= capacity)
          candidates.push_back(
              {front[l].time + group[j].time, front[l].cost + group[j].cost, l, j});
    std::sort(candidates.begin(), candidates.end(), [](const Label &a, const Label &b) {
      return a.time != b.time ? a.time < b.time : a.cost < b.cost;
    });
    std::vector<Label> next;  // strictly decreasing cost with increasing time
    for (const Label &label : candidates)
      if (next.empty() || label.cost < next.back().cost) next.push_back(label);
    if (next.empty()) return {};
    fronts.push_back(std::move(next));
  }
  // The last front's cheapest label is its last one (costs decrease along the front).
  std::vector<int> chosen(groups.size());
  int label = int(fronts.back().size()) - 1;
  for (size_t g = groups.size(); g > 0; --g) {
    chosen[g - 1] = fronts[g][label].item;
    label = fronts[g][label].parent;
  }
  return chosen;
}

// ---- Picking options ---------------------------------------------------------------------

bool faster(const LayerOption &a, const LayerOption &b) {
  return a.time != b.time ? a.time < b.time : a.energyPj() < b.energyPj();
}

// The option of `layer` at operating point `point` with gating `gated`; -1 if none.
int optionAt(const Instance &instance, int layer, int point, bool gated) {
  const std::vector<LayerOption> &options = instance.layers[layer].options;
  int best = -1;
  for (int o = 0; o < int(options.size()); ++o) {
    const PowerState &state = instance.states[options[o].state];
    if (state.operating_point != point || state.gates_unused != gated) continue;
    if (best < 0 || faster(options[o], options[best])) best = o;
  }
  return best;
}

int fastestOption(const Stage &stage) {
  int best = 0;
  for (int o = 1; o < int(stage.options.size()); ++o)
    if (faster(stage.options[o], stage.options[best])) best = o;
  return best;
}

// Lowest-power (or highest-power) idle option, of `kind` if given; -1 if none.
int idleByPower(const Instance &instance, std::optional<IdleKind> kind, bool lowest) {
  int best = -1;
  for (int k = 0; k < int(instance.idle.size()); ++k) {
    const IdleOption &option = instance.idle[k];
    if (kind && option.kind != *kind) continue;
    const bool better =
        best < 0 || (lowest ? option.power_pj_per_tick < instance.idle[best].power_pj_per_tick
                            : option.power_pj_per_tick > instance.idle[best].power_pj_per_tick);
    if (better) best = k;
  }
  return best;
}

std::string layerLabel(const Instance &instance, int layer) {
  return "layer " + std::to_string(layer) + " (" + instance.layers[layer].name + ")";
}

std::string pointName(const Instance &instance, int point) {
  const std::string &name = instance.operating_points[point].name;
  return name.empty() ? "operating point " + std::to_string(point) : name;
}

// The aggressive ungated option of every layer; empty with `why` set when one is missing.
std::vector<int> aggressiveOptions(const Instance &instance, std::string &why) {
  if (instance.aggressive_point < 0 ||
      instance.aggressive_point >= int(instance.operating_points.size())) {
    why = "the instance names no aggressive operating point";
    return {};
  }
  std::vector<int> options;
  for (int i = 0; i < instance.layerCount(); ++i) {
    options.push_back(optionAt(instance, i, instance.aggressive_point, false));
    if (options.back() < 0) {
      why = "no option at the aggressive operating point for " + layerLabel(instance, i);
      return {};
    }
  }
  return options;
}

// ---- Results -----------------------------------------------------------------------------

void addNote(std::string &note, const std::string &more) {
  if (!note.empty()) note += "; ";
  note += more;
}

BaselineResult unavailable(Baseline kind, std::string why) {
  BaselineResult result;
  result.kind = kind;
  result.note = std::move(why);
  return result;
}

// Prices the schedule and says how it breaks the deadline or the period, if it does.
BaselineResult finish(const Instance &instance, Baseline kind, Schedule schedule,
                      std::string note) {
  BaselineResult result{kind, true, std::move(schedule), {}, std::move(note)};
  result.evaluation = evaluate(instance, result.schedule);
  const Evaluation &evaluation = result.evaluation;
  if (!evaluation.meets_deadline)
    addNote(result.note, "breaks the deadline by " +
                             std::to_string(evaluation.busy_time - instance.deadline) +
                             " ticks (busy " + std::to_string(evaluation.busy_time) + " > D " +
                             std::to_string(instance.deadline) + ")");
  if (!evaluation.fits_period)
    addNote(result.note,
            "overruns the period by " +
                std::to_string(evaluation.busy_time + evaluation.down_time - instance.period) +
                " ticks");
  return result;
}

// ---- The policies ------------------------------------------------------------------------

BaselineResult runAggressive(const Instance &instance, Baseline kind) {
  std::string note;
  std::vector<int> options = aggressiveOptions(instance, note);
  if (options.empty()) return unavailable(kind, note);
  int idle = -1;
  if (kind == Baseline::Aggressive) {
    idle = idleByPower(instance, IdleKind::ClockedOn, true);
    if (idle < 0) {
      idle = idleByPower(instance, std::nullopt, false);
      note = "no clocked-on idle option; idles in the highest-power one";
    }
  } else {
    idle = idleByPower(instance, IdleKind::PowerGated, true);
    if (idle < 0) {
      idle = idleByPower(instance, std::nullopt, true);
      note = "no power-gated idle option; idles in the lowest-power one";
    }
  }
  return finish(instance, kind, {idle, std::move(options)}, std::move(note));
}

BaselineResult runStatic(const Instance &instance) {
  const int idle = idleByPower(instance, std::nullopt, true);
  std::optional<std::pair<Schedule, Evaluation>> cheapest, fastest;
  int cheapest_point = -1, fastest_point = -1;
  for (int q = 0; q < int(instance.operating_points.size()); ++q) {
    Schedule schedule{idle, {}};
    for (int i = 0; i < instance.layerCount(); ++i) {
      const int option = optionAt(instance, i, q, false);
      if (option < 0) break;
      schedule.layer_options.push_back(option);
    }
    if (int(schedule.layer_options.size()) != instance.layerCount()) continue;
    const Evaluation evaluation = evaluate(instance, schedule);
    if (evaluation.feasible() && (!cheapest || evaluation.total_pj < cheapest->second.total_pj))
      cheapest = {schedule, evaluation}, cheapest_point = q;
    if (!fastest || evaluation.busy_time < fastest->second.busy_time)
      fastest = {schedule, evaluation}, fastest_point = q;
  }
  if (!fastest)
    return unavailable(Baseline::Static, "no operating point is available at every layer");
  if (cheapest)
    return finish(instance, Baseline::Static, cheapest->first,
                  "operating point " + pointName(instance, cheapest_point));
  return finish(instance, Baseline::Static, fastest->first,
                "no single operating point meets D and P; the fastest, " +
                    pointName(instance, fastest_point) + ", is reported");
}

// Knapsack items of one group: cost = energy - p * time (see the header comment).
KnapsackItem item(Ticks time, double energy, double idle_power) {
  return {time, energy - idle_power * double(time)};
}

BaselineResult runLayerLevel(const Instance &instance) {
  const int idle = idleByPower(instance, std::nullopt, true);
  const double power = instance.idle[idle].power_pj_per_tick;
  std::vector<std::vector<KnapsackItem>> groups;
  for (const Stage &stage : instance.layers) {
    groups.emplace_back();
    for (const LayerOption &option : stage.options)
      groups.back().push_back(item(option.time, option.energyPj(), power));
  }
  Schedule schedule{idle, chooseUnderCapacity(groups, instance.deadline)};
  std::string note;
  if (schedule.layer_options.empty()) {
    for (const Stage &stage : instance.layers)
      schedule.layer_options.push_back(fastestOption(stage));
    note = "the layer times alone exceed D; the fastest options are reported";
  }
  return finish(instance, Baseline::LayerLevel, std::move(schedule), std::move(note));
}

// ---- Super-blocks ------------------------------------------------------------------------

struct Block {
  int first = 0, last = 0;  // layers [first, last]
};

// One (operating point, gating) choice of a block: its options and knapsack item.
struct BlockChoice {
  std::vector<int> options;
  KnapsackItem item;
};

std::vector<int> referenceOptions(const Instance &instance) {
  std::vector<int> options;
  for (int i = 0; i < instance.layerCount(); ++i) {
    const bool named = instance.aggressive_point >= 0;  // -1 would match point-less states
    const int aggressive = named ? optionAt(instance, i, instance.aggressive_point, false) : -1;
    options.push_back(aggressive >= 0 ? aggressive : fastestOption(instance.layers[i]));
  }
  return options;
}

Ticks switchTime(const Instance &instance, const std::vector<int> &reference) {
  Ticks worst = 0;
  for (int i = 1; i < instance.layerCount(); ++i) {
    const TransitionMatrix &matrix = instance.transitions[i];
    for (int to = 0; to < matrix.to_count; ++to)
      worst = std::max(worst, matrix.timeAt(reference[i - 1], to));
  }
  return worst;
}

std::vector<Block> formBlocks(const Instance &instance, const std::vector<int> &reference,
                              Ticks threshold) {
  std::vector<Block> blocks;
  Ticks time = 0;
  for (int i = 0; i < instance.layerCount(); ++i) {
    if (time == 0) blocks.push_back({i, i});
    blocks.back().last = i;
    time += instance.layers[i].options[reference[i]].time;
    if (time > threshold) time = 0;
  }
  if (time > 0 && blocks.size() > 1) {  // trailing block below the threshold
    blocks[blocks.size() - 2].last = blocks.back().last;
    blocks.pop_back();
  }
  return blocks;
}

std::vector<BlockChoice> blockChoices(const Instance &instance, const Block &block,
                                      double idle_power) {
  std::vector<BlockChoice> choices;
  for (int q = 0; q < int(instance.operating_points.size()); ++q) {
    for (bool gated : {false, true}) {
      BlockChoice choice;
      Ticks time = 0;
      double energy = 0.0;
      for (int i = block.first; i <= block.last; ++i) {
        const int option = optionAt(instance, i, q, gated);
        if (option < 0) break;
        const LayerOption &chosen = instance.layers[i].options[option];
        time += chosen.time;
        energy += chosen.energyPj();
        if (i > block.first) {  // internal transitions are known: the point is fixed
          time += instance.transitions[i].timeAt(choice.options.back(), option);
          energy += instance.transitions[i].energyAt(choice.options.back(), option);
        }
        choice.options.push_back(option);
      }
      if (int(choice.options.size()) != block.last - block.first + 1) continue;
      choice.item = item(time, energy, idle_power);
      choices.push_back(std::move(choice));
    }
  }
  return choices;
}

int fastestChoice(const std::vector<BlockChoice> &choices) {
  int best = 0;
  for (int c = 1; c < int(choices.size()); ++c)
    if (choices[c].item.time < choices[best].item.time) best = c;
  return best;
}

BaselineResult runSuperBlock(const Instance &instance, const BaselineOptions &options) {
  const int idle = idleByPower(instance, std::nullopt, true);
  const double power = instance.idle[idle].power_pj_per_tick;
  const std::vector<int> reference = referenceOptions(instance);
  const Ticks switch_time = switchTime(instance, reference);
  const std::vector<Block> blocks =
      formBlocks(instance, reference, Ticks(options.super_block_n) * switch_time);

  std::vector<std::vector<BlockChoice>> choices;
  std::vector<std::vector<KnapsackItem>> groups;
  for (const Block &block : blocks) {
    choices.push_back(blockChoices(instance, block, power));
    if (choices.back().empty())
      return unavailable(Baseline::SuperBlock, "layers " + std::to_string(block.first) + ".." +
                                                   std::to_string(block.last) +
                                                   " share no operating point and gating policy");
    groups.emplace_back();
    for (const BlockChoice &choice : choices.back()) groups.back().push_back(choice.item);
  }
  std::string note = std::to_string(blocks.size()) + (blocks.size() == 1 ? " block" : " blocks") +
                     ", switch time " + std::to_string(switch_time) +
                     " ticks, N = " + std::to_string(options.super_block_n);
  std::vector<int> chosen = chooseUnderCapacity(groups, instance.deadline);
  if (chosen.empty()) {
    for (const std::vector<BlockChoice> &block : choices) chosen.push_back(fastestChoice(block));
    addNote(note, "the block times alone exceed D; the fastest choices are reported");
  }
  Schedule schedule{idle, {}};
  for (size_t b = 0; b < blocks.size(); ++b)
    for (int option : choices[b][chosen[b]].options) schedule.layer_options.push_back(option);
  return finish(instance, Baseline::SuperBlock, std::move(schedule), std::move(note));
}

}  // namespace

const char *baselineName(Baseline kind) {
  switch (kind) {
    case Baseline::Aggressive:
      return "aggressive";
    case Baseline::RaceToIdle:
      return "race-to-idle";
    case Baseline::Static:
      return "static";
    case Baseline::LayerLevel:
      return "layer-level";
    case Baseline::SuperBlock:
      return "super-block";
  }
  return "?";
}

BaselineResult runBaseline(const Instance &instance, Baseline kind,
                           const BaselineOptions &options) {
  switch (kind) {
    case Baseline::Aggressive:
    case Baseline::RaceToIdle:
      return runAggressive(instance, kind);
    case Baseline::Static:
      return runStatic(instance);
    case Baseline::LayerLevel:
      return runLayerLevel(instance);
    case Baseline::SuperBlock:
      return runSuperBlock(instance, options);
  }
  return unavailable(kind, "unknown baseline");
}

std::vector<BaselineResult> runAllBaselines(const Instance &instance,
                                            const BaselineOptions &options) {
  std::vector<BaselineResult> results;
  for (Baseline kind : {Baseline::Aggressive, Baseline::RaceToIdle, Baseline::Static,
                        Baseline::LayerLevel, Baseline::SuperBlock})
    results.push_back(runBaseline(instance, kind, options));
  return results;
}

}  // namespace pf::sched
