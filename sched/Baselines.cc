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
// Both knapsacks are solved exactly by a Pareto DP over (time, cost) with bound pruning
// (below). If even the fastest choices exceed D, the fastest choices are reported with a
// note.
#include "sched/Baselines.hh"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace pf::sched {

namespace {

// ---- Multiple-choice knapsack ------------------------------------------------------------
//
// Exact, and fast whatever the deadline in ticks: a Pareto-front DP over (time, cost)
// whose labels are pruned when they cannot lead to a schedule within the capacity (their
// time plus the fastest rest exceeds it) or below a limit (a Lagrangian lower bound of
// their cheapest completion exceeds it). The limit deepens from just above the LP bound to
// the greedy solution's cost, which some plan meets. The greedy is the classic one for
// the LP relaxation (Sinha and Zoltners 1979): every group starts at its fastest item and
// the steps along the groups' lower convex hulls are taken by decreasing saving per tick
// while they fit; the ratio of the first step that does not fit is the LP's multiplier,
// which makes the bound tight.

struct KnapsackItem {
  Ticks time = 0;
  double cost = 0.0;
};

struct GroupItem {
  Ticks time = 0;
  double cost = 0.0;
  int index = 0;  // in the caller's group
};

// The items no other item of the group beats in both time and cost, by increasing time
// (and so strictly decreasing cost).
std::vector<GroupItem> undominated(const std::vector<KnapsackItem> &group) {
  std::vector<GroupItem> items;
  for (int j = 0; j < int(group.size()); ++j) items.push_back({group[j].time, group[j].cost, j});
  std::sort(items.begin(), items.end(), [](const GroupItem &a, const GroupItem &b) {
    if (a.time != b.time) return a.time < b.time;
    return a.cost != b.cost ? a.cost < b.cost : a.index < b.index;
  });
  std::vector<GroupItem> front;
  for (const GroupItem &item : items)
    if (front.empty() || item.cost < front.back().cost) front.push_back(item);
  return front;
}

// The lower convex hull of an undominated front (time increasing, cost decreasing).
std::vector<int> lowerHull(const std::vector<GroupItem> &front) {
  std::vector<int> hull;
  for (int j = 0; j < int(front.size()); ++j) {
    while (hull.size() >= 2) {
      const GroupItem &a = front[hull[hull.size() - 2]], &b = front[hull.back()], &c = front[j];
      // b is above the segment a-c: not on the hull.
      const double cross =
          double(b.time - a.time) * (c.cost - a.cost) - (b.cost - a.cost) * double(c.time - a.time);
      if (cross > 0) break;
      hull.pop_back();
    }
    hull.push_back(j);
  }
  return hull;
}

struct GreedySolution {
  std::vector<int> choice;  // per group, index into its undominated front
  double cost = 0.0;
  double multiplier = 0.0;  // the LP relaxation's price of a tick
};

// One item per group, total time <= capacity, least total cost, at any number of
// capacities (the repair loop re-plans at smaller budgets): what does not depend on the
// capacity (undominated fronts, the greedy's steps in order, the fastest rest) is built
// once, and the label buffers are reused.
//
// The DP's labels of a stage are sorted by time, costs strictly decreasing, so the
// candidates that one item of the next group makes from them form a run in the same
// order; a stage is the merge of one run per item, pairwise, keeping labels no earlier
// one beats. Order: time, then cost, then the parent label (no two candidates tie on all
// three: the items of a group differ in time), so a stage is exactly what a stable sort
// of its candidates by (time, cost), in the order (parent, item), would keep; among
// knapsack solutions of equal time and cost (identical layers make them) the plan is
// deterministic.
class Knapsack {
 public:
  explicit Knapsack(const std::vector<std::vector<KnapsackItem>> &groups) {
    for (const std::vector<KnapsackItem> &group : groups) fronts_.push_back(undominated(group));
    const size_t count = fronts_.size();
    rest_time_.assign(count + 1, 0);
    for (size_t g = count; g > 0; --g) rest_time_[g - 1] = rest_time_[g] + fronts_[g - 1][0].time;
    for (int g = 0; g < int(count); ++g) {
      start_time_ += fronts_[size_t(g)][0].time;
      start_cost_ += fronts_[size_t(g)][0].cost;
      const std::vector<int> hull = lowerHull(fronts_[size_t(g)]);
      for (size_t h = 1; h < hull.size(); ++h) {
        const GroupItem &a = fronts_[size_t(g)][size_t(hull[h - 1])];
        const GroupItem &b = fronts_[size_t(g)][size_t(hull[h])];
        steps_.push_back({(a.cost - b.cost) / double(b.time - a.time), g, hull[h - 1], hull[h]});
      }
    }
    std::stable_sort(steps_.begin(), steps_.end(),
                     [](const Step &a, const Step &b) { return a.ratio > b.ratio; });
    labels_.resize(count + 1);
  }

  // The item index (in the caller's group) per group; empty when no combination fits.
  std::vector<int> choose(Ticks capacity) {
    const size_t count = fronts_.size();
    if (rest_time_[0] > capacity) return {};
    const GreedySolution incumbent = greedy(capacity);
    const double lambda = incumbent.multiplier;
    // What the groups after g need at least: time (rest_time_), and cost + lambda x time.
    rest_priced_.assign(count + 1, 0.0);
    for (size_t g = count; g > 0; --g) {
      double least = fronts_[g - 1][0].cost + lambda * double(fronts_[g - 1][0].time);
      for (const GroupItem &item : fronts_[g - 1])
        least = std::min(least, item.cost + lambda * double(item.time));
      rest_priced_[g - 1] = rest_priced_[g] + least;
    }
    // Deepening on the limit: a pass at limit L keeps every label whose bound is <= L, so it
    // finds the optimum once the optimum is below L, and then exactly as a pass at a higher
    // limit does (the labels that lead to an optimum, and those that beat them, have bounds
    // below it). The first limits sit just above the LP bound, where few labels survive; the
    // last is the greedy solution's cost, which the pass always meets.
    const double lower = rest_priced_[0] - lambda * double(capacity);  // the LP bound
    double gap = (incumbent.cost - lower) / kFirstGapFraction;
    for (;;) {
      const bool last = !(lower + gap < incumbent.cost);
      const double limit = last ? incumbent.cost + slack(incumbent.cost) : lower + gap;
      if (pass(capacity, lambda, limit)) {
        const Labels &end = labels_[count];
        if (last || end.data[end.size - 1].cost <= limit - slack(limit)) break;
      } else if (last) {
        return {};  // not reached: the incumbent's path survives
      }
      gap *= kGapGrowth;
    }
    // The last front's cheapest label is its last one (costs decrease along the front).
    std::vector<int> chosen(count);
    int label = int(labels_[count].size) - 1;
    for (size_t g = count; g > 0; --g) {
      const Label &at = labels_[g].data[size_t(label)];
      chosen[g - 1] = fronts_[g - 1][size_t(at.item)].index;
      label = at.parent;
    }
    return chosen;
  }

 private:
  static constexpr double kFirstGapFraction = 16.0;  // first limit: LP bound + gap / this
  static constexpr double kGapGrowth = 4.0;

  // The rounding slack on a cost: bounds and costs are sums in different orders.
  static double slack(double cost) { return 1e-9 * std::max(1.0, std::abs(cost)); }

  // One DP pass keeping labels whose Lagrangian bound is <= `limit`; false when none
  // reaches the last group.
  bool pass(Ticks capacity, double lambda, double limit) {
    const size_t count = fronts_.size();
    labels_[0].reset(1);
    labels_[0].data[0] = {0, 0.0, -1, -1};
    labels_[0].size = 1;
    for (size_t g = 0; g < count; ++g) {
      const Labels &front = labels_[g];
      const std::vector<GroupItem> &items = fronts_[g];
      const Ticks room = capacity - rest_time_[g + 1];
      const double rest = rest_priced_[g + 1];
      // Every candidate is written; the next one overwrites it unless it survives the bound
      // (no branch to mispredict).
      candidates_.reset(front.size * items.size());
      Label *out = candidates_.data.get();
      size_t made = 0;
      run_ends_.clear();
      for (int j = 0; j < int(items.size()); ++j) {
        const Ticks item_time = items[size_t(j)].time;
        const double item_cost = items[size_t(j)].cost;
        if (front.data[0].time + item_time > room) break;  // later items are slower still
        for (size_t l = 0; l < front.size; ++l) {
          const Ticks time = front.data[l].time + item_time;
          if (time > room) break;  // the front is by increasing time
          const double cost = front.data[l].cost + item_cost;
          Label &added = out[made];
          added.time = time;
          added.cost = cost;
          added.parent = int(l);
          added.item = j;
          made += size_t(!(cost + lambda * double(time - capacity) + rest > limit));
        }
        if (made > (run_ends_.empty() ? 0 : run_ends_.back())) run_ends_.push_back(made);
      }
      candidates_.size = made;
      mergeRuns(labels_[g + 1]);
      if (labels_[g + 1].size == 0) return false;
    }
    return true;
  }

  struct Step {
    double ratio;  // cost saved per tick
    int group, from, to;
  };

  struct Label {
    Ticks time;
    double cost;
    int parent;  // index into the previous stage's labels
    int item;    // index into the group's undominated front
  };

  // Labels in a buffer that only grows, reused across stages and calls.
  struct Labels {
    std::unique_ptr<Label[]> data;
    size_t size = 0, capacity = 0;

    // Empties the buffer with room for `labels` (the contents are not kept).
    void reset(size_t labels) {
      if (labels > capacity) {
        capacity = std::max(labels, 2 * capacity);
        data = std::make_unique_for_overwrite<Label[]>(capacity);
      }
      size = 0;
    }
  };

  // The classic greedy for the LP relaxation (see above) at one capacity.
  GreedySolution greedy(Ticks capacity) const {
    GreedySolution solution;
    solution.choice.assign(fronts_.size(), 0);
    solution.cost = start_cost_;
    Ticks time = start_time_;
    std::vector<bool> stuck(fronts_.size(), false);
    bool priced = false;
    for (const Step &step : steps_) {
      if (stuck[size_t(step.group)] || solution.choice[size_t(step.group)] != step.from) continue;
      const GroupItem &a = fronts_[size_t(step.group)][size_t(step.from)];
      const GroupItem &b = fronts_[size_t(step.group)][size_t(step.to)];
      if (time + (b.time - a.time) > capacity) {
        stuck[size_t(step.group)] = true;  // a group's later steps save less per tick
        if (!priced) solution.multiplier = step.ratio, priced = true;
        continue;
      }
      time += b.time - a.time;
      solution.cost += b.cost - a.cost;
      solution.choice[size_t(step.group)] = step.to;
    }
    return solution;
  }

  // Merges the runs of candidates_ pairwise into one list in `out`, sorted by time with
  // strictly decreasing cost: a label is kept when it is cheaper than every label before
  // it (by time, then cost, then parent).
  void mergeRuns(Labels &out) {
    if (run_ends_.size() <= 1) {
      out.reset(candidates_.size);
      out.size = mergePair(candidates_.data.get(), candidates_.size, nullptr, 0, out.data.get());
      return;
    }
    while (run_ends_.size() > 1) {
      const bool last = run_ends_.size() <= 2;
      Labels &into = last ? out : scratch_;
      into.reset(candidates_.size);
      ends_.clear();
      size_t start = 0;
      for (size_t r = 0; r < run_ends_.size(); r += 2) {
        const Label *first = candidates_.data.get() + start;
        Label *to = into.data.get() + into.size;
        if (r + 1 == run_ends_.size()) {  // an odd run out: already a Pareto list
          std::copy(first, first + (run_ends_[r] - start), to);
          into.size += run_ends_[r] - start;
        } else {
          into.size += mergePair(first, run_ends_[r] - start, candidates_.data.get() + run_ends_[r],
                                 run_ends_[r + 1] - run_ends_[r], to);
        }
        ends_.push_back(into.size);
        start = run_ends_[std::min(r + 1, run_ends_.size() - 1)];
      }
      if (last) return;
      std::swap(candidates_, scratch_);
      std::swap(run_ends_, ends_);
    }
  }

  // Merges the sorted runs x and y into `into`, dropping labels an earlier one beats;
  // returns how many it kept. Branch-free but for the loop: every label is written, and
  // the next one overwrites it unless it is kept.
  static size_t mergePair(const Label *x, size_t x_size, const Label *y, size_t y_size,
                          Label *into) {
    const Label *const x_end = x + x_size, *const y_end = y + y_size;
    size_t kept = 0;
    double best = std::numeric_limits<double>::infinity();
    while (x < x_end && y < y_end) {
      const bool take_x = x->time != y->time
                              ? x->time < y->time
                              : (x->cost != y->cost ? x->cost < y->cost : x->parent < y->parent);
      const Label label = take_x ? *x : *y;
      x += take_x;
      y += !take_x;
      into[kept] = label;
      const bool keep = label.cost < best;
      kept += keep;
      best = keep ? label.cost : best;
    }
    for (; x < x_end; ++x) {
      into[kept] = *x;
      const bool keep = x->cost < best;
      kept += keep;
      best = keep ? x->cost : best;
    }
    for (; y < y_end; ++y) {
      into[kept] = *y;
      const bool keep = y->cost < best;
      kept += keep;
      best = keep ? y->cost : best;
    }
    return kept;
  }

  std::vector<std::vector<GroupItem>> fronts_;
  std::vector<Ticks> rest_time_;  // least time of the groups from g on
  Ticks start_time_ = 0;          // every group at its fastest item
  double start_cost_ = 0.0;
  std::vector<Step> steps_;  // along the groups' lower hulls, by decreasing saving per tick
  std::vector<double> rest_priced_;
  std::vector<Labels> labels_;  // per stage: the DP's Pareto list
  Labels candidates_, scratch_;
  std::vector<size_t> run_ends_, ends_;
};

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
  result.label = baselineName(kind);
  result.note = std::move(why);
  return result;
}

// Prices the schedule and says how it breaks the deadline or the period, if it does.
BaselineResult finish(const Instance &instance, Baseline kind, Schedule schedule,
                      std::string note) {
  BaselineResult result;
  result.kind = kind;
  result.label = baselineName(kind);
  result.available = true;
  result.schedule = std::move(schedule);
  result.note = std::move(note);
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

// A knapsack baseline before it is reported raw or repaired: its plan at any budget (the
// schedule, or nothing when no choice fits the budget) and what is reported besides.
// Each budget is solved once, so the raw and the repaired kind share the plan at D.
struct KnapsackPolicy {
  std::string unavailable;  // not empty: why the policy cannot run
  std::function<std::optional<Schedule>(Ticks budget)> solve;
  Schedule fastest;  // reported when not even the fastest choices fit D
  std::optional<Schedule> fallback;
  std::string note;
  std::vector<std::pair<Ticks, std::optional<Schedule>>> plans;  // solved so far

  std::optional<Schedule> plan(Ticks budget) {
    for (const auto &[solved, schedule] : plans)
      if (solved == budget) return schedule;
    plans.emplace_back(budget, solve(budget));
    return plans.back().second;
  }
};

// Plans at D; the raw kind reports that plan as evaluate() prices it. Repaired: while the
// plan (charged for its transitions) breaks D (or overruns P), plans again with the budget
// cut by the overshoot; when no plan fits that budget, by half as much, and so on. A plan
// that still breaks D at the smallest budget any plan fits falls back to `fallback` (the
// aggressive point everywhere: no switch between layers), when that meets D and P.
BaselineResult planUnderDeadline(const Instance &instance, Baseline kind, KnapsackPolicy &policy) {
  if (!policy.unavailable.empty()) return unavailable(kind, policy.unavailable);
  const bool repair = kind == Baseline::LayerLevel || kind == Baseline::SuperBlock;
  const std::optional<Schedule> &fallback = policy.fallback;
  std::string note = policy.note;
  Ticks budget = instance.deadline;
  std::optional<Schedule> schedule = policy.plan(budget);
  if (!schedule) {
    addNote(note, "the layer times alone exceed D; the fastest options are reported");
    return finish(instance, kind, policy.fastest, std::move(note));
  }
  int rounds = 0;
  while (repair) {
    const Evaluation evaluation = evaluate(instance, *schedule);
    if (evaluation.feasible()) break;
    std::optional<Schedule> next;
    Ticks cut = std::max(evaluation.busy_time - instance.deadline,
                         evaluation.busy_time + evaluation.down_time - instance.period);
    for (; cut >= 1 && !next; cut /= 2) {
      next = policy.plan(budget - cut);
      if (next) break;
    }
    if (!next) {
      const bool rescued = fallback && evaluate(instance, *fallback).feasible();
      addNote(note, rescued ? "no budget gives a plan that meets D; fell back to the aggressive "
                              "point everywhere"
                            : "no budget gives a plan that meets D");
      if (rescued) schedule = fallback;
      ++rounds;
      break;
    }
    budget -= cut;
    schedule = std::move(next);
    ++rounds;
  }
  if (rounds > 0)
    addNote(note, "repaired: budget " + std::to_string(budget) + " ticks (D - " +
                      std::to_string(instance.deadline - budget) + ") after " +
                      std::to_string(rounds) + (rounds == 1 ? " round" : " rounds"));
  BaselineResult result = finish(instance, kind, std::move(*schedule), std::move(note));
  result.repaired = rounds > 0;
  result.budget = budget;
  return result;
}

// The aggressive ungated option everywhere with the lowest-power idle, if every layer has it.
std::optional<Schedule> aggressiveFallback(const Instance &instance, int idle) {
  std::string why;
  std::vector<int> options = aggressiveOptions(instance, why);
  if (options.empty()) return std::nullopt;
  return Schedule{idle, std::move(options)};
}

KnapsackPolicy layerLevelPolicy(const Instance &instance) {
  const int idle = idleByPower(instance, std::nullopt, true);
  const double power = instance.idle[idle].power_pj_per_tick;
  std::vector<std::vector<KnapsackItem>> groups;
  KnapsackPolicy policy;
  policy.fastest.idle_option = idle;
  for (const Stage &stage : instance.layers) {
    groups.emplace_back();
    for (const LayerOption &option : stage.options)
      groups.back().push_back(item(option.time, option.energyPj(), power));
    policy.fastest.layer_options.push_back(fastestOption(stage));
  }
  policy.solve = [idle, knapsack = std::make_shared<Knapsack>(groups)](
                     Ticks budget) -> std::optional<Schedule> {
    std::vector<int> chosen = knapsack->choose(budget);
    if (chosen.empty()) return std::nullopt;
    return Schedule{idle, std::move(chosen)};
  };
  policy.fallback = aggressiveFallback(instance, idle);
  return policy;
}

// ---- Super-blocks ------------------------------------------------------------------------

struct Block {
  int first = 0, last = 0;  // layers [first, last]
  bool operator==(const Block &other) const = default;
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

// The blocks SparseDVFS's rule forms at N.
std::vector<Block> superBlocks(const Instance &instance, int n) {
  const std::vector<int> reference = referenceOptions(instance);
  return formBlocks(instance, reference, Ticks(n) * switchTime(instance, reference));
}

KnapsackPolicy superBlockPolicy(const Instance &instance, int n) {
  const int idle = idleByPower(instance, std::nullopt, true);
  const double power = instance.idle[idle].power_pj_per_tick;
  const std::vector<int> reference = referenceOptions(instance);
  const Ticks switch_time = switchTime(instance, reference);
  const std::vector<Block> blocks = formBlocks(instance, reference, Ticks(n) * switch_time);

  KnapsackPolicy policy;
  std::vector<std::vector<BlockChoice>> choices;
  std::vector<std::vector<KnapsackItem>> groups;
  for (const Block &block : blocks) {
    choices.push_back(blockChoices(instance, block, power));
    if (choices.back().empty()) {
      policy.unavailable = "layers " + std::to_string(block.first) + ".." +
                           std::to_string(block.last) +
                           " share no operating point and gating policy";
      return policy;
    }
    groups.emplace_back();
    for (const BlockChoice &choice : choices.back()) groups.back().push_back(choice.item);
  }
  auto scheduleOf = [idle](const std::vector<std::vector<BlockChoice>> &of,
                           const std::vector<int> &chosen) {
    Schedule schedule{idle, {}};
    for (size_t b = 0; b < of.size(); ++b)
      for (int option : of[b][size_t(chosen[b])].options) schedule.layer_options.push_back(option);
    return schedule;
  };
  std::vector<int> fastest;
  for (const std::vector<BlockChoice> &block : choices) fastest.push_back(fastestChoice(block));
  policy.fastest = scheduleOf(choices, fastest);
  policy.solve = [scheduleOf, choices = std::move(choices),
                  knapsack =
                      std::make_shared<Knapsack>(groups)](Ticks budget) -> std::optional<Schedule> {
    const std::vector<int> chosen = knapsack->choose(budget);
    if (chosen.empty()) return std::nullopt;
    return scheduleOf(choices, chosen);
  };
  policy.fallback = aggressiveFallback(instance, idle);
  policy.note = std::to_string(blocks.size()) + (blocks.size() == 1 ? " block" : " blocks") +
                ", switch time " + std::to_string(switch_time) + " ticks, N = " + std::to_string(n);
  return policy;
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
    case Baseline::LayerLevelRaw:
      return "layer-level-raw";
    case Baseline::SuperBlock:
      return "super-block";
    case Baseline::SuperBlockRaw:
      return "super-block-raw";
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
    case Baseline::LayerLevelRaw: {
      KnapsackPolicy policy = layerLevelPolicy(instance);
      return planUnderDeadline(instance, kind, policy);
    }
    case Baseline::SuperBlock:
    case Baseline::SuperBlockRaw: {
      KnapsackPolicy policy = superBlockPolicy(instance, options.super_block_n);
      return planUnderDeadline(instance, kind, policy);
    }
  }
  return unavailable(kind, "unknown baseline");
}

std::vector<BaselineResult> runAllBaselines(const Instance &instance,
                                            const BaselineOptions &options) {
  std::vector<BaselineResult> results;
  auto timed = [&](auto &&run) {
    const auto start = std::chrono::steady_clock::now();
    results.push_back(run());
    results.back().wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  // The raw kinds report the plan at D their repaired kinds made first: built once, each
  // policy solves it once.
  std::optional<KnapsackPolicy> layer_level, super_block;
  for (Baseline kind :
       {Baseline::Aggressive, Baseline::RaceToIdle, Baseline::Static, Baseline::LayerLevel,
        Baseline::LayerLevelRaw, Baseline::SuperBlock, Baseline::SuperBlockRaw})
    timed([&] {
      if (kind == Baseline::LayerLevel || kind == Baseline::LayerLevelRaw) {
        if (!layer_level) layer_level = layerLevelPolicy(instance);
        return planUnderDeadline(instance, kind, *layer_level);
      }
      if (kind == Baseline::SuperBlock || kind == Baseline::SuperBlockRaw) {
        if (!super_block) super_block = superBlockPolicy(instance, options.super_block_n);
        return planUnderDeadline(instance, kind, *super_block);
      }
      return runBaseline(instance, kind, options);
    });
  // The sweep: an N whose blocks are those of an N already run gives that N's plan (the
  // blocks are all the rule decides), so it is reported without being solved again.
  std::vector<std::pair<std::vector<Block>, size_t>> solved;  // blocks -> result index
  for (size_t r = 0; r < results.size(); ++r)
    if (results[r].kind == Baseline::SuperBlock)
      solved.emplace_back(superBlocks(instance, options.super_block_n), r);
  for (int n : options.super_block_sweep) {
    if (n == options.super_block_n) continue;
    const std::vector<Block> blocks = superBlocks(instance, n);
    const auto same = std::find_if(solved.begin(), solved.end(),
                                   [&](const auto &entry) { return entry.first == blocks; });
    if (same == solved.end()) {
      timed([&] {
        KnapsackPolicy policy = superBlockPolicy(instance, n);
        return planUnderDeadline(instance, Baseline::SuperBlock, policy);
      });
      solved.emplace_back(blocks, results.size() - 1);
    } else {
      BaselineResult copy = results[same->second];
      addNote(copy.note, "N = " + std::to_string(n) + " forms the same blocks: the plan of " +
                             results[same->second].label);
      copy.wall_ms = 0.0;
      results.push_back(std::move(copy));
    }
    results.back().label = "super-block-n" + std::to_string(n);
  }
  return results;
}

}  // namespace pf::sched
