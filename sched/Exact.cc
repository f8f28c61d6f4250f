// Exact solver: label-setting DP over the layered graph (sched/Graph.hh) for each idle
// option k, in k's reduced costs, so the period energy is p_k * P plus a path sum.
//
// A partial path is a label (time T, reduced energy R). At the same node, a label that
// is neither later nor dearer dominates: every completion adds the same time and reduced
// energy to both, and the limit (T <= D) only gets harder with T. Each node keeps its
// labels sorted by T ascending, R strictly descending. Extending a list along one arc
// keeps it sorted, so a node's list at the next stage is a merge of one sorted run per
// source node, and dominance is a linear sweep of the merge (runs merged pairwise,
// earlier source first on ties, so results are deterministic).
//
// Pruning (optional; dominance is always on):
//  - time: drop a label when even the fastest completion misses D;
//  - energy: drop a label when a lower bound on its best completion is above a
//    threshold. The bounds are Lagrangian: for a price lambda >= 0 on time, remaining
//    reduced energy >= value_lambda(node) - lambda * (D - T), value_lambda the cheapest
//    completion in reduced energy + lambda * time (lambda = 0: reduced energy alone).
//    A secant search per k (shortest paths at the slope between the best infeasible and
//    feasible path so far) finds the best lambda, and every probe is kept as a bound.
//    Idle options are probed deepest sleep first, each warm-started from the last one's
//    price, so the others are usually found hopeless after a probe or two.
//  - Every probe's path, continued from a label, is a schedule: labels whose
//    continuation fits D give incumbents during the pass, and the threshold drops.
// With pruning the search is bidirectional: labels grow from both ends (the side with
// fewer labels steps) until they meet, and the two halves join across one transition;
// two half-length searches usually keep far fewer labels than one full-length one. The
// threshold deepens: a pass at threshold t finds every schedule cheaper than t, so the
// passes start just above the best Lagrangian bound (often within 1e-4 of the optimum,
// where few labels survive) and widen the gap until one finds a schedule.
// Energy comparisons keep a slack of a few ulps of the terms (pruneSlack), so rounding
// never cuts a better schedule.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "sched/Graph.hh"

namespace pf::sched {

namespace {

using detail::Arc;
using detail::Graph;
using detail::PathTable;
using detail::Step;

using detail::kInfinity;
constexpr int kMaxProbes = 60;                   // the secant search takes ~10
constexpr double kWarmStep = 1.1;                // bracketing a warm-started lambda
constexpr double kFirstTargetFraction = 4096.0;  // first target: bound + gap / this
constexpr double kTargetGrowth = 2.0;            // label counts grow ~4x per doubling

// Slack on energy comparisons for rounding: bounds and path costs are sums of up to
// 2L + 2 terms in different orders, so a bound may exceed the true cost by a few ulps of
// the terms' magnitude. Dropping only labels above target + slack never cuts a better one.
double pruneSlack(const Instance &instance, double target, double base, double lambda) {
  const double magnitude =
      std::abs(target) + 2.0 * std::abs(base) + lambda * double(instance.deadline) + 1.0;
  return 1e-12 * double(instance.layerCount() + 2) * magnitude;
}

// The best feasible schedule seen so far, priced by evaluate().
struct Incumbent {
  double energy = kInfinity;
  Schedule schedule;
  Evaluation evaluation;

  // Prices `candidate` and takes it when it is feasible and strictly cheaper.
  Evaluation offer(const Instance &instance, const Schedule &candidate) {
    const Evaluation priced = evaluate(instance, candidate);
    if (priced.feasible() && priced.total_pj < energy) {
      energy = priced.total_pj;
      schedule = candidate;
      evaluation = priced;
    }
    return priced;
  }
};

using SharedTable = std::shared_ptr<const PathTable<double>>;
using SharedTimes = std::shared_ptr<const PathTable<Ticks>>;

// The shortest-path tables of the graphs, kept between the deadlines of
// solveExactAtDeadlines(): a table depends on its graph, k and price only, and a graph
// changes with D only in its arcs into sleep (their effective time), so its tables stay
// valid until those change. Disabled (one deadline), it only computes.
class TableCache {
 public:
  explicit TableCache(bool enabled) : enabled_(enabled) {}

  SharedTimes fastest(const Graph &graph, int k) {
    if (!enabled_) return std::make_shared<const PathTable<Ticks>>(detail::fastestTable(graph, k));
    SharedTimes &table = fastest_[{&graph, k}];
    if (!table) table = std::make_shared<const PathTable<Ticks>>(detail::fastestTable(graph, k));
    return table;
  }

  SharedTable priced(const Graph &graph, int k, double lambda) {
    auto compute = [&] {
      return std::make_shared<const PathTable<double>>(detail::pricedTable(graph, k, lambda));
    };
    if (!enabled_) return compute();
    SharedTable &table = priced_[{&graph, k, std::bit_cast<uint64_t>(lambda)}];
    if (!table) table = compute();
    return table;
  }

  // Forgets the tables of `graph` (its end arcs changed).
  void forget(const Graph &graph) {
    std::erase_if(fastest_, [&](const auto &entry) { return entry.first.first == &graph; });
    std::erase_if(priced_, [&](const auto &entry) { return std::get<0>(entry.first) == &graph; });
  }

 private:
  bool enabled_;
  std::map<std::pair<const Graph *, int>, SharedTimes> fastest_;
  std::map<std::tuple<const Graph *, int, uint64_t>, SharedTable> priced_;  // price by its bits
};

// What pruning knows when searching one graph: time to go, tangents (the best first)
// and completions, interleaved by node so one node's numbers share cache lines.
class SearchTables {
 public:
  SearchTables(const Graph &graph, const PathTable<Ticks> &fastest,
               const std::vector<std::pair<double, SharedTable>> &priced)
      : time_to_go_(fastest.value) {
    next_.push_back(fastest.next);
    for (const auto &[lambda, table] : priced) {
      lambdas_.push_back(lambda);
      next_.push_back(table->next);
    }
    const size_t nodes = graph.nodes(), tangents = lambdas_.size(), completions = next_.size();
    values_.resize(nodes * tangents);
    for (size_t j = 0; j < tangents; ++j)
      for (size_t node = 0; node < nodes; ++node)
        values_[node * tangents + j] = priced[j].second->value[node];
    times_.resize(nodes * completions);
    reduced_.resize(nodes * completions);
    for (size_t c = 0; c < completions; ++c) {
      const std::vector<Ticks> &time =
          c == 0 ? fastest.along_time : priced[c - 1].second->along_time;
      const std::vector<double> &reduced =
          c == 0 ? fastest.along_reduced : priced[c - 1].second->along_reduced;
      for (size_t node = 0; node < nodes; ++node) {
        times_[node * completions + c] = time[node];
        reduced_[node * completions + c] = reduced[node];
      }
    }
  }

  Ticks timeToGo(size_t node) const { return time_to_go_[node]; }
  size_t tangents() const { return lambdas_.size(); }
  double lambda(size_t j) const { return lambdas_[j]; }
  double maxLambda() const { return *std::max_element(lambdas_.begin(), lambdas_.end()); }
  const double *tangentsAt(size_t node) const { return &values_[node * lambdas_.size()]; }
  size_t completions() const { return next_.size(); }
  const Ticks *completionTimesAt(size_t node) const { return &times_[node * next_.size()]; }
  const double *completionReducedAt(size_t node) const { return &reduced_[node * next_.size()]; }
  const std::vector<int> &completionNext(size_t c) const { return next_[c]; }

 private:
  std::vector<Ticks> time_to_go_;
  std::vector<double> lambdas_, values_;  // values_[node * tangents + j]
  std::vector<std::vector<int>> next_;    // per completion: next option from each node
  std::vector<Ticks> times_;              // [node * completions + c]
  std::vector<double> reduced_;
};

// Everything known about one idle option after probing.
struct IdlePlan {
  int k = 0;
  bool feasible = true;       // some schedule through k meets D and P
  bool solved = false;        // the incumbent already holds k's best schedule
  double lower = -kInfinity;  // lower bound on E through k
  double best_lambda = 0.0;
  std::vector<double> lambdas;  // every probe, for the backward tables
  std::unique_ptr<SearchTables> forward_tables, backward_tables;
};

// The two graphs, the backward one built on first use.
struct Graphs {
  Graph forward;
  std::unique_ptr<Graph> backward;
};

// A probe path as a point in the (time, reduced energy) plane.
struct PathPoint {
  Ticks time;
  double reduced;
  bool feasible;
};

// The Lagrangian probes of one idle option on its forward graph.
class Prober {
 public:
  Prober(const Instance &instance, const Graph &graph, int k, Incumbent &incumbent,
         TableCache &tables)
      : instance_(instance),
        incumbent_(incumbent),
        tables_(tables),
        graph_(graph),
        base_(graph.power(k) * double(instance.period)) {
    plan_.k = k;
  }

  // The cheapest path ignoring time (when feasible, k is solved) and the fastest (when
  // infeasible, so is k) bracket the best lambda; each probe at the slope between the
  // best infeasible (a) and feasible (b) path so far either proves that slope optimal
  // or replaces a or b. `warm`, the best lambda of another idle option, seeds the
  // bracket: the options differ little but in their ends.
  IdlePlan run(std::optional<double> warm) {
    const SharedTimes shared_fastest = tables_.fastest(graph_, plan_.k);
    const PathTable<Ticks> &fastest = *shared_fastest;
    if (fastest.total > instance_.deadline) {
      plan_.feasible = false;
      return std::move(plan_);
    }
    const PathPoint cheapest = probe(0.0);
    if (cheapest.feasible) {
      plan_.solved = true;
      return std::move(plan_);
    }
    const PathPoint quickest = pointOf(graph_.schedule(plan_.k, fastest.path(graph_)));
    PathPoint a = cheapest, b = quickest;
    if (warm && *warm > 0.0) bracket(*warm, a, b);
    secant(a, b);
    finish(fastest);
    return std::move(plan_);
  }

 private:
  PathPoint pointOf(const Schedule &schedule) {
    const Evaluation evaluation = incumbent_.offer(instance_, schedule);
    return {evaluation.busy_time + detail::effectiveDownTime(instance_, evaluation.down_time),
            evaluation.total_pj - base_, evaluation.feasible()};
  }

  // One shortest path at price lambda: a bound, a tangent, a completion and a schedule.
  PathPoint probe(double lambda) {
    SharedTable table = tables_.priced(graph_, plan_.k, lambda);
    last_total_ = table->total;
    const PathPoint point = pointOf(graph_.schedule(plan_.k, table->path(graph_)));
    const double bound = base_ + table->total - lambda * double(instance_.deadline);
    probes_.emplace_back(lambda, std::move(table));
    if (bound > plan_.lower) {
      plan_.lower = bound;
      plan_.best_lambda = lambda;
      std::swap(probes_.front(), probes_.back());
    }
    return point;
  }

  bool hopeless(double lambda) const {
    return plan_.lower >
           incumbent_.energy + pruneSlack(instance_, incumbent_.energy, base_, lambda);
  }

  // Probes from `lambda` towards the other side until feasibility flips: a and b then
  // straddle the best lambda closely (lower prices give cheaper, slower paths).
  void bracket(double lambda, PathPoint &a, PathPoint &b) {
    PathPoint point = probe(lambda);
    const bool feasible = point.feasible;
    (feasible ? b : a) = point;
    for (int round = 0; round < 4 && !hopeless(lambda); ++round) {
      lambda = feasible ? lambda / kWarmStep : lambda * kWarmStep;
      point = probe(lambda);
      (point.feasible ? b : a) = point;
      if (point.feasible != feasible) return;
    }
  }

  void secant(PathPoint a, PathPoint b) {
    for (int round = 0; round < kMaxProbes; ++round) {
      const double lambda = (b.reduced - a.reduced) / double(a.time - b.time);
      if (!(lambda > 0.0) || hopeless(lambda)) return;
      const double line = a.reduced + lambda * double(a.time);  // a and b both lie on it
      const PathPoint point = probe(lambda);
      if (last_total_ >= line - pruneSlack(instance_, line, base_, lambda)) return;  // optimal
      (point.feasible ? b : a) = point;
    }
  }

  void finish(const PathTable<Ticks> &fastest) {
    for (const auto &probed : probes_) plan_.lambdas.push_back(probed.first);
    plan_.forward_tables = std::make_unique<SearchTables>(graph_, fastest, probes_);
  }

  const Instance &instance_;
  Incumbent &incumbent_;
  TableCache &tables_;
  const Graph &graph_;
  const double base_;
  double last_total_ = 0.0;
  std::vector<std::pair<double, SharedTable>> probes_;  // the best bound first
  IdlePlan plan_;
};

// The prices for the backward tables, the best first: a few of the probes' (each costs
// a shortest path), the best, its nearest neighbours either side, and zero.
std::vector<double> backwardPrices(const IdlePlan &plan) {
  const double best = plan.best_lambda;
  std::optional<double> below, above;
  for (double lambda : plan.lambdas) {
    if (lambda < best && (!below || lambda > *below)) below = lambda;
    if (lambda > best && (!above || lambda < *above)) above = lambda;
  }
  std::vector<double> prices{best};
  for (std::optional<double> lambda : {below, above, std::optional<double>(0.0)})
    if (lambda && std::find(prices.begin(), prices.end(), *lambda) == prices.end())
      prices.push_back(*lambda);
  return prices;
}

// The backward graph, and an open plan's tables on it at some of the probes' prices.
void prepareBackward(const Instance &instance, Graphs &graphs, IdlePlan &plan, TableCache &tables) {
  if (!graphs.backward) graphs.backward = std::make_unique<Graph>(instance, true);
  if (plan.backward_tables) return;
  const Graph &graph = *graphs.backward;
  std::vector<std::pair<double, SharedTable>> priced;
  for (double lambda : backwardPrices(plan))
    priced.emplace_back(lambda, tables.priced(graph, plan.k, lambda));
  plan.backward_tables =
      std::make_unique<SearchTables>(graph, *tables.fastest(graph, plan.k), priced);
}

struct Label {
  Ticks time;      // so far
  double reduced;  // so far
  int32_t parent;  // index in the previous stage's labels; -1 at stage 0
};

// A path found during a search, as one option per stage of its graph.
struct Found {
  double energy = kInfinity;
  std::vector<int> options;
};

// Labels grown stage by stage over one graph from stage 0.
class LabelSearch {
 public:
  // Without tables, only the limit T <= D prunes.
  LabelSearch(const Instance &instance, const Graph &graph, int k, const SearchTables *tables,
              SolverStats &stats)
      : instance_(instance),
        graph_(graph),
        k_(k),
        tables_(tables),
        stats_(stats),
        power_(graph.power(k)),
        base_(power_ * double(instance.period)),
        parents_(size_t(graph.stages())),
        begins_(size_t(graph.stages())) {
    latest_.assign(graph.nodes(), instance.deadline);
    if (tables_)
      for (size_t node = 0; node < graph.nodes(); ++node) latest_[node] -= tables_->timeToGo(node);
  }

  // Seeds stage 0; `threshold` (E) bounds the labels kept.
  void start(double threshold) {
    if (tables_) {
      slack_ = pruneSlack(instance_, threshold, base_, tables_->maxLambda());
      threshold_ = threshold + slack_;
    }
    current_.clear();
    std::vector<int32_t> &begin = begins_[0];
    begin.assign(1, 0);
    for (int o = 0; o < graph_.size(0); ++o) {
      const Arc &arc = graph_.enter(k_, o);
      ++stats_.labels_created;
      if (arc.time > latest_[graph_.at(0, o)] ||
          energyPruned(graph_.at(0, o), arc.time, arc.reduced))
        ++stats_.labels_pruned;
      else
        current_.push_back({arc.time, arc.reduced, -1});
      begin.push_back(int32_t(current_.size()));
    }
    stage_ = 0;
    record();
  }

  int stage() const { return stage_; }
  size_t size() const { return current_.size(); }
  double threshold() const { return threshold_; }
  void lowerThreshold(double threshold) { threshold_ = std::min(threshold_, threshold); }
  const std::vector<Label> &labels() const { return current_; }
  const std::vector<int32_t> &begin() const { return begins_[size_t(stage_)]; }
  const Found &finished() const { return finished_; }

  // Labels of the next stage, one target node at a time: the candidates from one source
  // node form a run sorted by time, and the target's runs merge into its Pareto list.
  // Each source label carries the room its bound leaves under the threshold; an arc's
  // excess over the best continuation (first tangent) must fit in it.
  void step() {
    const int s = ++stage_;
    measureRoom(s - 1);
    collectSources(s - 1);
    next_.clear();
    std::vector<int32_t> &begin = begins_[size_t(s)];
    begin.assign(1, 0);
    for (int to = 0; to < graph_.size(s); ++to) {
      gather(s, to);
      const size_t gathered = candidates_.size();
      const std::vector<Label> &merged = mergeRuns();
      stats_.labels_dominated += int64_t(gathered - merged.size());
      next_.insert(next_.end(), merged.begin(), merged.end());
      begin.push_back(int32_t(next_.size()));
    }
    std::swap(current_, next_);
    record();
  }

  // The cheapest label of the last stage closed by its leaving arc within D.
  Found close() const {
    Found best;
    int32_t best_label = -1;
    const std::vector<int32_t> &begin = this->begin();
    for (int o = 0; o + 1 < int(begin.size()); ++o) {
      const Arc &leave = graph_.leave(k_, o);
      for (int32_t j = begin[size_t(o)]; j < begin[size_t(o) + 1]; ++j) {
        const Label &label = current_[size_t(j)];
        if (label.time + leave.time > instance_.deadline) break;
        const double energy = base_ + label.reduced + leave.reduced;
        if (energy < best.energy) {
          best.energy = energy;
          best_label = j;
        }
      }
    }
    if (best_label >= 0) best.options = trace(stage_, best_label);
    return best;
  }

  // Options of stages 0..s of the path ending in label j of stage s.
  std::vector<int> trace(int s, int32_t j) const {
    std::vector<int> options(size_t(s) + 1);
    for (; s >= 0; --s) {
      const std::vector<int32_t> &begin = begins_[size_t(s)];
      options[size_t(s)] = int(std::upper_bound(begin.begin(), begin.end(), j) - begin.begin()) - 1;
      j = parents_[size_t(s)][size_t(j)];
    }
    return options;
  }

 private:
  // Whether some tangent puts every completion of (T, R) at `node` above the threshold.
  bool energyPruned(size_t node, Ticks time, double reduced) const {
    if (!tables_) return false;
    const double budget = double(instance_.deadline - time);
    const double room = threshold_ - base_ - reduced;  // for the remaining reduced energy
    const double *values = tables_->tangentsAt(node);
    for (size_t j = 0; j < tables_->tangents(); ++j)
      if (values[j] - tables_->lambda(j) * budget > room) return true;
    return false;
  }

  // Per label of stage s, the room its first-tangent bound leaves under the threshold;
  // per node, the most room of its labels. Extending along an arc adds the arc's excess
  // over the best continuation (>= 0), which must fit in the room.
  void measureRoom(int s) {
    const std::vector<int32_t> &begin = begins_[size_t(s)];
    room_.assign(current_.size(), kInfinity);
    most_room_.assign(begin.size() - 1, tables_ ? -kInfinity : kInfinity);
    if (!tables_) return;
    for (int o = 0; o + 1 < int(begin.size()); ++o) {
      const double bound = tables_->tangentsAt(graph_.at(s, o))[0];
      for (int32_t j = begin[size_t(o)]; j < begin[size_t(o) + 1]; ++j) {
        const Label &label = current_[size_t(j)];
        const double budget = double(instance_.deadline - label.time);
        room_[size_t(j)] =
            threshold_ - base_ - label.reduced - (bound - tables_->lambda(0) * budget) + slack_;
        most_room_[size_t(o)] = std::max(most_room_[size_t(o)], room_[size_t(j)]);
      }
    }
  }

  // The nodes of stage s that hold labels, with what gather() reads of them for every target.
  void collectSources(int s) {
    const std::vector<int32_t> &begin = begins_[size_t(s)];
    sources_.clear();
    for (int from = 0; from + 1 < int(begin.size()); ++from) {
      const int32_t first = begin[size_t(from)], last = begin[size_t(from) + 1];
      if (first == last) continue;
      sources_.push_back({from, first, last,
                          tables_ ? tables_->tangentsAt(graph_.at(s, from))[0] : 0.0,
                          most_room_[size_t(from)]});
    }
  }

  // The candidates for node `to` of stage s, one sorted run per source node.
  void gather(int s, int to) {
    const size_t node = graph_.at(s, to);
    const Ticks latest = latest_[node];
    const double tangent = tables_ ? tables_->tangentsAt(node)[0] : 0.0;
    const double price = tables_ ? tables_->lambda(0) : 0.0;
    candidates_.clear();
    run_ends_.clear();
    for (const Source &source : sources_) {
      const int32_t first = source.first, last = source.last;
      stats_.labels_created += last - first;
      const Step &step = graph_.row(s, source.from)[to];
      const Arc arc{step.time, step.energy - power_ * double(step.time)};
      const double excess =
          tables_ ? arc.reduced + price * double(arc.time) + tangent - source.tangent : 0.0;
      if (current_[size_t(first)].time + arc.time > latest || excess > source.most_room) {
        stats_.labels_pruned += last - first;
        continue;
      }
      for (int32_t j = first; j < last; ++j) {
        const Label &label = current_[size_t(j)];
        const Ticks time = label.time + arc.time;
        if (time > latest) {  // the rest of the run is later still
          stats_.labels_pruned += last - j;
          break;
        }
        const double reduced = label.reduced + arc.reduced;
        if (excess > room_[size_t(j)] || energyPruned(node, time, reduced)) {
          ++stats_.labels_pruned;
          continue;
        }
        Label &added = candidates_.emplace_back();
        added.time = time;  // field by field: a braced temporary costs a store-forwarding stall
        added.reduced = reduced;
        added.parent = j;
      }
      if (candidates_.size() > (run_ends_.empty() ? 0 : run_ends_.back()))
        run_ends_.push_back(candidates_.size());
    }
  }

  // Merges the runs of candidates_ pairwise into one Pareto list, returned (the buffers
  // are swapped around, so it is one of them).
  const std::vector<Label> &mergeRuns() {
    while (run_ends_.size() > 1) {
      scratch_.clear();
      ends_.clear();
      size_t start = 0;
      for (size_t r = 0; r < run_ends_.size(); r += 2) {
        if (r + 1 == run_ends_.size())
          scratch_.insert(scratch_.end(), candidates_.begin() + long(start),
                          candidates_.begin() + long(run_ends_[r]));
        else
          mergePair(start, run_ends_[r], run_ends_[r + 1]);
        ends_.push_back(scratch_.size());
        start = run_ends_[std::min(r + 1, run_ends_.size() - 1)];
      }
      std::swap(candidates_, scratch_);
      std::swap(run_ends_, ends_);
    }
    return candidates_;
  }

  // Merges candidates_[lo, mid) and candidates_[mid, hi) into scratch_, dropping
  // dominated labels.
  void mergePair(size_t lo, size_t mid, size_t hi) {
    const std::vector<Label> &runs = candidates_;
    size_t a = lo, b = mid;
    double best = kInfinity;
    while (a < mid || b < hi) {
      const bool take_a =
          b == hi ||
          (a < mid && (runs[a].time < runs[b].time ||
                       (runs[a].time == runs[b].time && runs[a].reduced <= runs[b].reduced)));
      const Label &label = take_a ? runs[a++] : runs[b++];
      if (label.reduced < best) {
        best = label.reduced;
        scratch_.push_back(label);
      }
    }
  }

  void record() {
    std::vector<int32_t> &parents = parents_[size_t(stage_)];
    parents.resize(current_.size());
    for (size_t j = 0; j < current_.size(); ++j) parents[j] = current_[j].parent;
    stats_.peak_labels = std::max(stats_.peak_labels, int64_t(current_.size()));
    if (tables_ && stage_ + 1 < graph_.stages()) finishLabels();
  }

  // Continues every label along every probe path; the cheapest that fits D is a
  // schedule, so the threshold drops to it.
  void finishLabels() {
    const std::vector<int32_t> &begin = this->begin();
    const size_t count = tables_->completions();
    double best = finished_.energy;
    int32_t best_label = -1;
    size_t best_completion = 0;
    for (int o = 0; o + 1 < int(begin.size()); ++o) {
      const size_t node = graph_.at(stage_, o);
      const Ticks *times = tables_->completionTimesAt(node);
      const double *reduced = tables_->completionReducedAt(node);
      for (int32_t j = begin[size_t(o)]; j < begin[size_t(o) + 1]; ++j) {
        const Label &label = current_[size_t(j)];
        for (size_t c = 0; c < count; ++c) {
          const double energy = base_ + label.reduced + reduced[c];
          if (label.time + times[c] <= instance_.deadline && energy < best) {
            best = energy;
            best_label = j;
            best_completion = c;
          }
        }
      }
    }
    if (best_label < 0) return;
    finished_.energy = best;
    finished_.options = trace(stage_, best_label);
    const std::vector<int> &next = tables_->completionNext(best_completion);
    while (int(finished_.options.size()) < graph_.stages()) {
      const int s = int(finished_.options.size()) - 1;
      finished_.options.push_back(next[graph_.at(s, finished_.options.back())]);
    }
    threshold_ = std::min(threshold_, best + slack_);
  }

  const Instance &instance_;
  const Graph &graph_;
  const int k_;
  const SearchTables *tables_;
  SolverStats &stats_;
  const double power_, base_;  // p_k, p_k * P
  std::vector<Ticks> latest_;  // latest time a label at a node may have

  int stage_ = 0;
  double threshold_ = kInfinity, slack_ = 0.0;
  Found finished_;

  std::vector<Label> current_, next_;          // labels of the last two stages
  std::vector<std::vector<int32_t>> parents_;  // per stage: back-pointer of every label
  std::vector<std::vector<int32_t>> begins_;   // per stage: label range of every node
  std::vector<double> room_, most_room_;       // per label, per node of the last stage
  struct Source {
    int from;
    int32_t first, last;  // its labels
    double tangent;       // first tangent at the node
    double most_room;
  };
  std::vector<Source> sources_;              // nodes of the last stage with labels
  std::vector<Label> candidates_, scratch_;  // for the node being built
  std::vector<size_t> run_ends_, ends_;
};

// The best schedule joining the forward labels at their stage m (layer m) with the
// backward labels at layer m + 1 across the transition between them. Per pair of nodes,
// both lists sorted by time: for each forward label, the latest backward label that fits
// D is the cheapest, and it only gets earlier as the forward label gets later.
Found join(const Instance &instance, int k, const LabelSearch &forward,
           const LabelSearch &backward) {
  const int m = forward.stage();
  const double base = instance.idle[size_t(k)].power_pj_per_tick * double(instance.period);
  const std::vector<int32_t> &fb = forward.begin(), &bb = backward.begin();
  const std::vector<Label> &fl = forward.labels(), &bl = backward.labels();
  double best = kInfinity;
  int32_t best_f = -1, best_b = -1;
  for (int a = 0; a + 1 < int(fb.size()); ++a) {
    if (fb[size_t(a)] == fb[size_t(a) + 1]) continue;
    for (int b = 0; b + 1 < int(bb.size()); ++b) {
      if (bb[size_t(b)] == bb[size_t(b) + 1]) continue;
      const Arc arc = detail::transitionArc(instance, k, m + 1, a, b);
      // The cheapest labels are the last of each list: skip pairs that cannot win.
      if (base + fl[size_t(fb[size_t(a) + 1] - 1)].reduced +
              bl[size_t(bb[size_t(b) + 1] - 1)].reduced + arc.reduced >=
          best)
        continue;
      int32_t pb = bb[size_t(b) + 1] - 1;
      for (int32_t pf = fb[size_t(a)]; pf < fb[size_t(a) + 1]; ++pf) {
        const Ticks room = instance.deadline - arc.time - fl[size_t(pf)].time;
        while (pb >= bb[size_t(b)] && bl[size_t(pb)].time > room) --pb;
        if (pb < bb[size_t(b)]) break;
        const double energy = base + fl[size_t(pf)].reduced + bl[size_t(pb)].reduced + arc.reduced;
        if (energy < best) best = energy, best_f = pf, best_b = pb;
      }
    }
  }
  Found found;
  if (best_f < 0) return found;
  found.energy = best;
  found.options = forward.trace(m, best_f);
  const std::vector<int> tail = backward.trace(backward.stage(), best_b);
  found.options.insert(found.options.end(), tail.rbegin(), tail.rend());
  return found;
}

// One bidirectional pass over an open plan at `threshold`; offers what it finds.
void searchBoth(const Instance &instance, Graphs &graphs, IdlePlan &plan, double threshold,
                Incumbent &incumbent, SolverStats &stats, TableCache &tables) {
  prepareBackward(instance, graphs, plan, tables);
  LabelSearch forward(instance, graphs.forward, plan.k, plan.forward_tables.get(), stats);
  LabelSearch backward(instance, *graphs.backward, plan.k, plan.backward_tables.get(), stats);
  forward.start(threshold);
  backward.start(threshold);
  const int meet = instance.layerCount() - 2;  // forward stage + backward stage at the join
  while (forward.stage() + backward.stage() < meet && forward.size() > 0 && backward.size() > 0) {
    (forward.size() <= backward.size() ? forward : backward).step();
    const double shared = std::min(forward.threshold(), backward.threshold());
    forward.lowerThreshold(shared);
    backward.lowerThreshold(shared);
  }
  if (forward.size() > 0 && backward.size() > 0) {
    const Found joined = join(instance, plan.k, forward, backward);
    if (!joined.options.empty())
      incumbent.offer(instance, graphs.forward.schedule(plan.k, joined.options));
  }
  if (!forward.finished().options.empty())
    incumbent.offer(instance, graphs.forward.schedule(plan.k, forward.finished().options));
  if (!backward.finished().options.empty())
    incumbent.offer(instance, graphs.backward->schedule(plan.k, backward.finished().options));
}

// One forward pass over `graph`; offers what it finds.
void searchForward(const Instance &instance, const Graph &graph, int k, const SearchTables *tables,
                   double threshold, Incumbent &incumbent, SolverStats &stats) {
  LabelSearch forward(instance, graph, k, tables, stats);
  forward.start(threshold);
  while (forward.stage() + 1 < graph.stages() && forward.size() > 0) forward.step();
  const Found closed = forward.close();
  if (!closed.options.empty()) incumbent.offer(instance, graph.schedule(k, closed.options));
  if (!forward.finished().options.empty())
    incumbent.offer(instance, graph.schedule(k, forward.finished().options));
}

// Probes every idle option, deepest sleep (least idle power, usually the best) first so
// a good incumbent makes the others hopeless early, and warm-starts each from the last
// one's best price. Plans come out in order of their bound.
std::vector<IdlePlan> planAll(const Instance &instance, const Graph &graph, Incumbent &incumbent,
                              TableCache &tables) {
  std::vector<int> order(instance.idle.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = int(k);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    return instance.idle[size_t(x)].power_pj_per_tick < instance.idle[size_t(y)].power_pj_per_tick;
  });
  std::vector<IdlePlan> plans;
  std::optional<double> busy_price;  // best lambda - p_k of the last open option
  for (int k : order) {
    const double power = instance.idle[size_t(k)].power_pj_per_tick;
    std::optional<double> warm;
    if (busy_price) warm = *busy_price + power;
    plans.push_back(Prober(instance, graph, k, incumbent, tables).run(warm));
    const IdlePlan &plan = plans.back();
    if (plan.feasible && !plan.solved) busy_price = plan.best_lambda - power;
  }
  std::stable_sort(plans.begin(), plans.end(),
                   [](const IdlePlan &x, const IdlePlan &y) { return x.lower < y.lower; });
  return plans;
}

bool open(const IdlePlan &plan) { return plan.feasible && !plan.solved; }

// Deepening on the threshold: a pass that prunes labels above it still finds every
// schedule below it, so once a pass finds one, nothing cheaper exists. The threshold
// starts just above the best Lagrangian bound and its gap doubles; once it would pass
// half the gap to the incumbent, the pass runs at the incumbent (the plain pruned pass)
// and is the last.
void searchPruned(const Instance &instance, Graphs &graphs, std::vector<IdlePlan> &plans,
                  Incumbent &incumbent, SolverStats &stats, TableCache &tables) {
  if (instance.layerCount() < 2) {  // nothing to meet in the middle
    for (const IdlePlan &plan : plans)
      if (open(plan))
        searchForward(instance, graphs.forward, plan.k, plan.forward_tables.get(), incumbent.energy,
                      incumbent, stats);
    return;
  }
  double floor = kInfinity;
  for (const IdlePlan &plan : plans)
    if (open(plan)) floor = std::min(floor, plan.lower);
  if (!(floor < incumbent.energy)) return;  // nothing open, or the bound meets the incumbent
  double step = (incumbent.energy - floor) / kFirstTargetFraction;
  for (;;) {
    const bool last = step > (incumbent.energy - floor) / 2.0;
    const double target = std::min(incumbent.energy, last ? incumbent.energy : floor + step);
    for (IdlePlan &plan : plans) {
      const double base = instance.idle[size_t(plan.k)].power_pj_per_tick * double(instance.period);
      const double cap = std::min(target, incumbent.energy);
      if (open(plan) &&
          plan.lower <= cap + pruneSlack(instance, cap, base, plan.forward_tables->maxLambda()))
        searchBoth(instance, graphs, plan, cap, incumbent, stats, tables);
    }
    if (last || incumbent.energy <= target) return;
    step *= kTargetGrowth;
  }
}

// One exact solve at instance.deadline on `graphs` (built from the instance at any
// deadline, their ends set for this one), timed from `start`.
SolveResult solveOn(const Instance &instance, Ticks min_busy_time, Graphs &graphs, bool prune,
                    TableCache &tables, std::chrono::steady_clock::time_point start) {
  SolveResult result;
  result.min_busy_time = min_busy_time;
  Incumbent incumbent;
  if (prune) {
    std::vector<IdlePlan> plans = planAll(instance, graphs.forward, incumbent, tables);
    searchPruned(instance, graphs, plans, incumbent, result.stats, tables);
  } else {
    for (int k = 0; k < int(instance.idle.size()); ++k)
      searchForward(instance, graphs.forward, k, nullptr, kInfinity, incumbent, result.stats);
  }

  if (incumbent.energy < kInfinity) {
    result.status = SolveStatus::Optimal;
    result.schedule = incumbent.schedule;
    result.evaluation = incumbent.evaluation;
  } else {
    result.status = SolveStatus::Infeasible;
    result.message = detail::infeasibleMessage(instance, result.min_busy_time);
  }
  result.stats.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

SolveResult solveExact(const Instance &instance, bool prune) {
  const auto start = std::chrono::steady_clock::now();
  Graphs graphs{Graph(instance, false), nullptr};
  TableCache tables(false);
  return solveOn(instance, minimumBusyTime(instance), graphs, prune, tables, start);
}

std::vector<SolveResult> solveExactAtDeadlines(const Instance &instance,
                                               const std::vector<Ticks> &deadlines) {
  std::vector<SolveResult> results;
  if (deadlines.empty()) return results;
  auto start = std::chrono::steady_clock::now();
  Instance at = instance;
  at.deadline = deadlines.front();
  const Ticks min_busy_time = minimumBusyTime(at);  // busy time does not depend on D
  Graphs graphs{Graph(at, false), nullptr};
  TableCache tables(true);
  for (const Ticks deadline : deadlines) {
    at.deadline = deadline;
    if (graphs.forward.setEnds(at)) tables.forget(graphs.forward);
    if (graphs.backward && graphs.backward->setEnds(at)) tables.forget(*graphs.backward);
    results.push_back(solveOn(at, min_busy_time, graphs, true, tables, start));
    start = std::chrono::steady_clock::now();
  }
  return results;
}

}  // namespace pf::sched
