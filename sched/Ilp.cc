// ILP oracle: the scheduling problem (sched/Instance.hh) as MILPs solved by CBC.
//
// Formulation. For a fixed idle option k the period energy is linear in the path:
//   E = p_k P + sum over the arcs taken of (energy - p_k time)
// (the idle time is P minus the time of all arcs: the "reduced energy" of Instance.hh).
// The bilinear term p_k * idle time only appears when k is a variable too, so the oracle
// solves one MILP per idle option (a branch on k taken up front; K is small) and keeps
// the best:
//
//   x_{b,f,t} in {0,1}   arc f -> t across boundary b is taken (b = 0: only arcs leaving
//                        idle k; 0 < b < L: every matrix entry; b = L: only arcs into k)
//   sum_t x_{0,k,t} = 1,  sum_f x_{L,f,k} = 1       leave k, come back to k (cyclic)
//   sum_f x_{i,f,o} = sum_t x_{i+1,o,t}     for every layer i and option o (conservation)
//   sum_{b<L} (tr_b.time + t_b(to)) x_b <= D                         (T_busy <= D)
//   sum_{b<=L} (tr_b.time + [b<L] t_b(to)) x_b <= P                  (T_busy + T_down <= P)
//   minimise sum_b (tr_b.energy + [b<L] e_b(to) - p_k * that time) x_b     (+ p_k P)
//
// A layer's own time and energy ride on the arcs entering its options. Exact: unit flows
// from k back to k are exactly the schedules idling in k, and the objective is their
// evaluate() energy minus the constant p_k P. Two single-MILP alternatives were built and
// measured (one thread, loaded machine): a binary z_k with T split into u_k <= P z_k (exact, but
// the relaxation sends most of the flow through one idle option's cheap wake-up while
// paying another's low idle power: 177 s on a 20-layer synthetic chip, K = 3, where this
// form takes ~20 s), and one flow copy per k in one model (tight, but every LP is K times
// larger: ~290 s on random 100 layers x 40 options, K = 3, where this form takes ~8 s).
// Separate models have the copies' tightness at one copy's LP size.
//
// Symmetric layers: an integer count per group of identical layers and option (see
// addLayerGroupCounts below) gives CBC something better than single arcs to branch on.
//
// Warm start (IlpPresolve.hh): a Lagrangian heuristic finds good schedules first, or the
// caller passes one (IlpOptions::start); the best known is the incumbent. Per idle option:
//   1. fixing leaves out every arc that no schedule cheaper than the incumbent can use;
//   2. CBC solves k restricted to the schedules below a target just above the dual bound
//      (fixing again at the target), with the target as cutoff. A schedule found there is
//      k's optimum; a model proven empty raises the target (gap x2), up to the incumbent,
//      where "empty" proves that nothing in k beats it.
// The answer is the best schedule met; it is Optimal only when every idle option was
// closed that way. Fixing removes only arcs of schedules that cannot win, so CBC still
// proves the answer; with IlpOptions::fix_arcs off, each idle option is one whole model
// with the incumbent as cutoff, and without the warm start, one whole model from scratch
// (what the tests use to check the formulation alone).
//
// CBC closes the gap completely (absolute and relative gap 0, a negligible cutoff
// increment); every schedule is priced again by evaluate(), never by CBC's objective.
// Size of a whole model per idle option: |O_0| + sum_{0<i<L} |O_{i-1}| |O_i| + |O_{L-1}|
// binary columns and sum_i |O_i| + 4 rows (100 layers x 40 options: 158,480 x 4,004),
// plus the group counts. Fixing leaves ResNet-101 (577k arcs) with a few hundred to a
// thousand (bench/sched_results.md).
#include "sched/Ilp.hh"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sched/Bounds.hh"
#include "sched/IlpPresolve.hh"

namespace pf::sched {

namespace {

// A MILP collected column by column, handed to CBC in one loadProblem call.
class MilpBuilder {
 public:
  int addRow(double lower, double upper) {
    row_lower_.push_back(lower);
    row_upper_.push_back(upper);
    return int(row_lower_.size()) - 1;
  }
  int addColumn(double lower, double upper, double objective, bool integer) {
    columns_.push_back({lower, upper, objective, integer, {}});
    return int(columns_.size()) - 1;
  }
  void set(int row, int column, double coefficient) {
    if (coefficient != 0.0) columns_[column].entries.push_back({row, coefficient});
  }
  int columnCount() const { return int(columns_.size()); }
  int rowCount() const { return int(row_lower_.size()); }

  // Loads the model into `model` (column-major) and marks the integer columns.
  void load(Cbc_Model *model) const {
    std::vector<CoinBigIndex> starts{0};
    std::vector<int> rows;
    std::vector<double> values, lower, upper, objective;
    for (const Column &column : columns_) {
      for (const auto &[row, value] : column.entries) {
        rows.push_back(row);
        values.push_back(value);
      }
      starts.push_back(CoinBigIndex(rows.size()));
      lower.push_back(column.lower);
      upper.push_back(column.upper);
      objective.push_back(column.objective);
    }
    Cbc_loadProblem(model, columnCount(), rowCount(), starts.data(), rows.data(), values.data(),
                    lower.data(), upper.data(), objective.data(), row_lower_.data(),
                    row_upper_.data());
    for (int c = 0; c < columnCount(); ++c)
      if (columns_[c].integer) Cbc_setInteger(model, c);
  }

 private:
  struct Column {
    double lower, upper, objective;
    bool integer;
    std::vector<std::pair<int, double>> entries;
  };
  std::vector<Column> columns_;
  std::vector<double> row_lower_, row_upper_;
};

// Where the arcs of idle option k's path model sit among the columns: per boundary b,
// row-major (from, to) like TransitionMatrix, -1 for an arc not in the model.
struct PathLayout {
  int idle = 0;
  std::vector<std::vector<int>> columns;

  int arc(const Instance &instance, int b, int from, int to) const {
    return columns[size_t(b)]
                  [size_t(from) * size_t(instance.transitions[size_t(b)].to_count) + size_t(to)];
  }
};

// Rows in the order of the model statement in the header comment.
struct PathRows {
  int wake = 0, sleep = 0;
  std::vector<std::vector<int>> conservation;  // per layer, per option
  int deadline = 0, period = 0;
};

PathRows addRows(const Instance &instance, MilpBuilder &milp) {
  PathRows rows;
  rows.wake = milp.addRow(1.0, 1.0);
  rows.sleep = milp.addRow(1.0, 1.0);
  for (const Stage &stage : instance.layers) {
    rows.conservation.emplace_back();
    for (size_t o = 0; o < stage.options.size(); ++o)
      rows.conservation.back().push_back(milp.addRow(0.0, 0.0));
  }
  rows.deadline = milp.addRow(-DBL_MAX, double(instance.deadline));
  rows.period = milp.addRow(-DBL_MAX, double(instance.period));
  return rows;
}

// Arc from -> to across boundary b, priced in reduced energy for idle power `power`.
int addArc(const Instance &instance, int b, int from, int to, double power, const PathRows &rows,
           MilpBuilder &milp) {
  const int layers = instance.layerCount();
  const TransitionMatrix &matrix = instance.transitions[b];
  double time = double(matrix.timeAt(from, to));
  double energy = matrix.energyAt(from, to);
  if (b < layers) {
    const LayerOption &option = instance.layers[b].options[to];
    time += double(option.time);
    energy += option.energyPj();
  }
  const int x = milp.addColumn(0.0, 1.0, energy - power * time, true);
  if (b == 0)
    milp.set(rows.wake, x, 1.0);  // leaves the idle option: sum = 1
  else
    milp.set(rows.conservation[b - 1][from], x, -1.0);  // leaves option `from`: outflow
  milp.set(b == layers ? rows.sleep : rows.conservation[b][to], x, 1.0);  // enters `to`
  if (b < layers) milp.set(rows.deadline, x, time);
  milp.set(rows.period, x, time);
  return x;
}

// Symmetry. Networks repeat blocks (ResNet-101: 22 identical bottlenecks in a row), so
// many layers offer the same options at the same cost. The relaxation can then move a
// fractional choice from one such layer to its twin at almost no cost, and branching on
// single arcs explores the twins in turn: ResNet-101 at 1.5x its minimum latency, fixed
// down to 1,028 arcs and given the optimum as cutoff, is not proven in 120 s. One
// integer column per group of identical layers and option,
//   n_{G,o} = sum_{i in G} sum_f x_{i,f,o}   (how many layers of G run in o),
// gives CBC a variable to branch on that splits the twins at once (the same model: about
// 300 nodes, 1.6 s). The rows only name a sum of existing columns, so the feasible set is
// the same.
void addLayerGroupCounts(const Instance &instance, const PathLayout &layout, MilpBuilder &milp) {
  std::map<std::vector<std::pair<Ticks, double>>, std::vector<int>> groups;
  for (int i = 0; i < instance.layerCount(); ++i) {
    std::vector<std::pair<Ticks, double>> costs;
    for (const LayerOption &option : instance.layers[size_t(i)].options)
      costs.emplace_back(option.time, option.energyPj());
    groups[costs].push_back(i);
  }
  for (const auto &[costs, layers] : groups) {
    if (layers.size() < 2) continue;
    for (size_t o = 0; o < costs.size(); ++o) {
      std::vector<int> arcs;  // every arc into option o of a layer of the group
      for (int i : layers)
        for (int from = 0; from < instance.transitions[size_t(i)].from_count; ++from)
          if (const int column = layout.arc(instance, i, from, int(o)); column >= 0)
            arcs.push_back(column);
      if (arcs.size() < 2) continue;  // nothing to split
      const int row = milp.addRow(0.0, 0.0);
      milp.set(row, milp.addColumn(0.0, double(layers.size()), 0.0, true), 1.0);
      for (int column : arcs) milp.set(row, column, -1.0);
    }
  }
}

// The model of idle option k with the arcs `mask` leaves open.
PathLayout buildModel(const Instance &instance, const detail::ArcMask &mask, MilpBuilder &milp) {
  const int layers = instance.layerCount(), k = mask.idle();
  const double power = instance.idle[size_t(k)].power_pj_per_tick;
  const PathRows rows = addRows(instance, milp);
  PathLayout layout{k, {}};
  for (int b = 0; b <= layers; ++b) {
    const TransitionMatrix &matrix = instance.transitions[size_t(b)];
    std::vector<int> &columns =
        layout.columns.emplace_back(size_t(matrix.from_count) * size_t(matrix.to_count), -1);
    for (int from = 0; from < matrix.from_count; ++from) {
      if (b == 0 && from != k) continue;
      for (int to = 0; to < matrix.to_count; ++to)
        if ((b < layers || to == k) && mask.open(b, from, to))
          columns[size_t(from) * size_t(matrix.to_count) + size_t(to)] =
              addArc(instance, b, from, to, power, rows, milp);
    }
  }
  addLayerGroupCounts(instance, layout, milp);
  return layout;
}

// Follows the unit flow from the idle option through the layers.
Schedule readSchedule(const Instance &instance, const PathLayout &layout, const double *x) {
  Schedule schedule{layout.idle, {}};
  int from = layout.idle;
  for (int i = 0; i < instance.layerCount(); ++i) {
    int chosen = -1;
    for (int to = 0; to < instance.transitions[size_t(i)].to_count; ++to) {
      const int column = layout.arc(instance, i, from, to);
      if (column >= 0 && x[column] > 0.5) chosen = to;
    }
    if (chosen < 0) break;  // not a path: the caller sees a short schedule
    schedule.layer_options.push_back(chosen);
    from = chosen;
  }
  return schedule;
}

// The best schedule known, priced by evaluate().
struct Incumbent {
  std::optional<Schedule> schedule;
  Evaluation evaluation;

  double energyPj() const {
    return schedule ? evaluation.total_pj : std::numeric_limits<double>::infinity();
  }
  void offer(const Instance &instance, const Schedule &candidate) {
    if (int(candidate.layer_options.size()) != instance.layerCount()) return;
    const Evaluation priced = evaluate(instance, candidate);
    if (!priced.feasible() || (schedule && priced.total_pj >= evaluation.total_pj)) return;
    schedule = candidate;
    evaluation = priced;
  }
};

// ---- Solving -----------------------------------------------------------------------------

void setNumber(Cbc_Model *model, const char *name, double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  Cbc_setParameter(model, name, text);
}

void configure(Cbc_Model *model, double time_limit_s) {
  // Cbc_setParameter passes "-name value" to CbcMain1, so these are the CLI names.
  Cbc_setParameter(model, "log", "0");
  Cbc_setParameter(model, "slog", "0");
  Cbc_setParameter(model, "threads", "1");
  Cbc_setParameter(model, "allow", "0");
  Cbc_setParameter(model, "ratio", "0");
  // The default increment (1e-5 absolute) would accept a slightly worse incumbent as
  // optimal; the oracle is compared at 1e-7 relative, so make it negligible.
  Cbc_setParameter(model, "increment", "1e-9");
  // CBC's preprocessing and cut generators work against this model: on ResNet-101 at 2x
  // its minimum latency, fixed to about 800 arcs and given the optimum as cutoff, the
  // defaults had not closed a 3e-5 gap after 274k nodes (60 s), nor had either one
  // turned off alone (40 s); with both off it takes 18 nodes (0.1 s). The heuristics
  // only look for schedules, which the warm start supplies.
  Cbc_setParameter(model, "preprocess", "off");
  Cbc_setParameter(model, "cuts", "off");
  Cbc_setParameter(model, "heuristics", "off");
  setNumber(model, "seconds", time_limit_s);
  Cbc_setLogLevel(model, 0);
  Cbc_setAllowableGap(model, 0.0);
  Cbc_setAllowableFractionGap(model, 0.0);
  Cbc_setMaximumSeconds(model, time_limit_s);
}

// Owns the CBC model so every exit path frees it.
struct CbcModelHandle {
  Cbc_Model *model = Cbc_newModel();
  CbcModelHandle() = default;
  CbcModelHandle(const CbcModelHandle &) = delete;
  CbcModelHandle &operator=(const CbcModelHandle &) = delete;
  ~CbcModelHandle() { Cbc_deleteModel(model); }
};

// What CBC settled for one model of idle option k.
struct ModelSolve {
  bool closed = false;               // optimal, or proven: nothing below the cutoff
  std::optional<Schedule> schedule;  // its best schedule, if it found one
  int64_t nodes = 0;
};

// Solves idle option k's MILP over the arcs `mask` leaves open; a finite `cutoff_pj` (a
// whole-period energy) prunes what cannot beat it.
ModelSolve solveModel(const Instance &instance, const detail::ArcMask &mask, double cutoff_pj,
                      double time_limit_s) {
  if (mask.openCount() == 0) return {true, std::nullopt, 0};  // no schedule left to find
  const int idle = mask.idle();
  MilpBuilder milp;
  const PathLayout layout = buildModel(instance, mask, milp);
  CbcModelHandle handle;
  milp.load(handle.model);
  configure(handle.model, time_limit_s);
  const double constant = instance.idle[size_t(idle)].power_pj_per_tick * double(instance.period);
  if (std::isfinite(cutoff_pj)) setNumber(handle.model, "cutoff", cutoff_pj - constant);
  Cbc_solve(handle.model);

  ModelSolve result;
  result.nodes = Cbc_getNodeCount(handle.model);
  result.closed = Cbc_isProvenOptimal(handle.model) || Cbc_isProvenInfeasible(handle.model);
  const double *solution = Cbc_bestSolution(handle.model);
  if (solution != nullptr && !Cbc_isProvenInfeasible(handle.model)) {
    result.schedule = readSchedule(instance, layout, solution);
    // Not a feasible path (cannot happen with integral flows): claim nothing about k.
    const bool path = int(result.schedule->layer_options.size()) == instance.layerCount();
    if (!path || !evaluate(instance, *result.schedule).feasible()) result.closed = false;
  }
  return result;
}

using Clock = std::chrono::steady_clock;

double secondsLeft(Clock::time_point end) {
  return std::chrono::duration<double>(end - Clock::now()).count();
}

// What the ILP settled for one idle option k.
struct IdleProof {
  bool closed = false;  // CBC proved k's best schedule, or that none beats the incumbent
  std::optional<Schedule> schedule;
  int64_t nodes = 0;
  int64_t columns = 0;        // arc columns of the model that closed k
  int64_t columns_fixed = 0;  // arcs of k's model left out of it
};

// Rising targets. Fixing is only as strong as the energy it is asked about: against a
// heuristic schedule 3% above the optimum (ResNet-101 at 1.1x) it leaves 486k of 577k
// arcs. So k is first solved restricted to the schedules below the dual bound plus a small
// gap. CBC's answer there is k's optimum, since every schedule left out costs more than
// the target and the answer does not. A restricted model proven empty only raises the
// bound: the gap doubles and CBC tries again, up to the incumbent's energy. (Doubling,
// not quadrupling: a target far above the optimum leaves CBC a loose cutoff to search
// under; ResNet-101 at 1.5x takes 6 s doubling and over 2 minutes quadrupling.)
constexpr double kFirstTargetGap = 1e-6;  // relative to the dual bound

void addSolve(const ModelSolve &solved, const detail::ArcMask &mask, IdleProof &proof) {
  proof.nodes += solved.nodes;
  proof.closed = solved.closed;
  proof.schedule = solved.schedule;
  proof.columns = mask.openCount();
  proof.columns_fixed = mask.modelCount() - proof.columns;
}

IdleProof proveIdle(const Instance &instance, int k, const std::vector<double> &lambdas,
                    double incumbent_pj, Clock::time_point end) {
  IdleProof proof;
  detail::ArcMask base(instance, k);
  const double bound = detail::fixArcs(instance, lambdas, incumbent_pj, base);
  double gap = kFirstTargetGap * std::max(1.0, std::abs(bound));
  while (secondsLeft(end) > 0.0) {
    double target = incumbent_pj;
    detail::ArcMask mask = base;
    if (std::isfinite(bound) && bound + gap < incumbent_pj) {
      detail::fixArcs(instance, lambdas, bound + gap, mask);
      if (mask.openCount() < base.openCount())
        target = bound + gap;
      else
        mask = base;  // the target removes nothing: prove against the incumbent instead
    }
    addSolve(solveModel(instance, mask, target, secondsLeft(end)), mask, proof);
    // A schedule found is k's optimum; not closed means out of time; closed and empty at
    // the incumbent proves that nothing in k beats it. Empty below a target proves only
    // that: raise the target.
    if (proof.schedule || !proof.closed || target == incumbent_pj) return proof;
    proof.closed = false;
    gap *= 2.0;
  }
  return proof;
}

// What the heuristic leaves for CBC: the idle options in the order to solve them
// (cheapest heuristic schedule first, so that its energy bounds the others) and per idle
// option the prices it tried.
struct WarmStart {
  std::vector<int> order;
  std::vector<std::vector<double>> lambdas;
};

WarmStart warmStart(const Instance &instance, bool enabled, Incumbent &incumbent) {
  WarmStart warm;
  warm.order.resize(instance.idle.size());
  warm.lambdas.resize(instance.idle.size());
  std::iota(warm.order.begin(), warm.order.end(), 0);
  if (!enabled) return warm;
  std::vector<double> heuristic_pj;
  for (int k : warm.order) {
    detail::LagrangianSearch search = detail::lagrangianSearch(instance, k);
    heuristic_pj.push_back(search.best ? search.best_pj : std::numeric_limits<double>::infinity());
    if (search.best) incumbent.offer(instance, *search.best);
    warm.lambdas[size_t(k)] = std::move(search.lambdas);
  }
  std::stable_sort(warm.order.begin(), warm.order.end(),
                   [&](int a, int b) { return heuristic_pj[size_t(a)] < heuristic_pj[size_t(b)]; });
  return warm;
}

// Idle option k the plain way: its whole model, with a cutoff if finite.
IdleProof solveWholeModel(const Instance &instance, int k, double cutoff_pj,
                          Clock::time_point end) {
  IdleProof proof;
  const detail::ArcMask mask(instance, k);
  addSolve(solveModel(instance, mask, cutoff_pj, secondsLeft(end)), mask, proof);
  return proof;
}

SolveResult resultOf(const Instance &instance, const Incumbent &incumbent, bool all_closed) {
  SolveResult result;
  if (incumbent.schedule) {
    result.status = all_closed ? SolveStatus::Optimal : SolveStatus::Feasible;
    result.schedule = *incumbent.schedule;
    result.evaluation = incumbent.evaluation;
    if (!all_closed) result.message = "time limit reached; optimality not proven";
  } else if (all_closed) {
    result.status = SolveStatus::Infeasible;
    result.min_busy_time = minimumBusyTime(instance);
    result.message = detail::infeasibleMessage(instance, result.min_busy_time) + " (proven by CBC)";
  } else {
    result.status = SolveStatus::Failed;
    result.message = "time limit reached before CBC found a schedule";
  }
  return result;
}

}  // namespace

SolveResult solveIlpWith(const Instance &instance, const IlpOptions &options) {
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(options.time_limit_s));
  Incumbent incumbent;
  if (options.warm_start && options.start) incumbent.offer(instance, *options.start);
  const WarmStart warm = warmStart(instance, options.warm_start, incumbent);
  SolverStats stats;
  bool all_closed = true;
  for (int k : warm.order) {
    if (secondsLeft(end) <= 0.0) {
      all_closed = false;
      break;
    }
    const double cutoff =
        options.warm_start ? incumbent.energyPj() : std::numeric_limits<double>::infinity();
    const IdleProof proof =
        options.warm_start && options.fix_arcs
            ? proveIdle(instance, k, warm.lambdas[size_t(k)], incumbent.energyPj(), end)
            : solveWholeModel(instance, k, cutoff, end);
    stats.nodes += proof.nodes;
    stats.columns += proof.columns;
    stats.columns_fixed += proof.columns_fixed;
    all_closed = all_closed && proof.closed;
    if (proof.schedule) incumbent.offer(instance, *proof.schedule);
  }
  SolveResult result = resultOf(instance, incumbent, all_closed);
  result.stats = stats;
  result.stats.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return result;
}

SolveResult solveIlp(const Instance &instance, double time_limit_s) {
  IlpOptions options;
  options.time_limit_s = time_limit_s;
  return solveIlpWith(instance, options);
}

}  // namespace pf::sched
