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
// Warm start: a Lagrangian heuristic (below) finds good schedules first. The best
// schedule known so far becomes CBC's cutoff for each idle option (best - p_k P), so CBC
// only has to prove that nothing better exists, and reduced-cost fixing removes most arcs
// at the root. The answer is the best of the heuristic's and CBC's schedules; it is
// Optimal only when CBC closed every idle option's MILP (solved, or proven empty below the
// cutoff).
//
// CBC closes the gap completely (absolute and relative gap 0, a negligible cutoff
// increment); every schedule is priced again by evaluate(), never by CBC's objective.
// Size per idle option: |O_0| + sum_{0<i<L} |O_{i-1}| |O_i| + |O_{L-1}| binary columns and
// sum_i |O_i| + 4 rows (100 layers x 40 options: 158,480 x 4,004).
#include "sched/Ilp.hh"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sched/Bounds.hh"

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

// Where the arcs of idle option k's path model sit among the columns.
struct PathLayout {
  int idle = 0;
  std::vector<int> arc_first;  // per boundary b: first column, row-major in (from, to)

  int arc(const Instance &instance, int b, int from, int to) const {
    if (b == 0) return arc_first[0] + to;                        // from is the idle option
    if (b == instance.layerCount()) return arc_first[b] + from;  // to is the idle option
    return arc_first[b] + from * instance.transitions[b].to_count + to;
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
void addArc(const Instance &instance, int b, int from, int to, double power, const PathRows &rows,
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
}

PathLayout buildModel(const Instance &instance, int idle, MilpBuilder &milp) {
  const int layers = instance.layerCount();
  const double power = instance.idle[idle].power_pj_per_tick;
  const PathRows rows = addRows(instance, milp);
  PathLayout layout{idle, {}};
  for (int b = 0; b <= layers; ++b) {
    const TransitionMatrix &matrix = instance.transitions[b];
    layout.arc_first.push_back(milp.columnCount());
    for (int from = 0; from < matrix.from_count; ++from) {
      if (b == 0 && from != idle) continue;
      for (int to = 0; to < matrix.to_count; ++to)
        if (b < layers || to == idle) addArc(instance, b, from, to, power, rows, milp);
    }
  }
  return layout;
}

// Follows the unit flow from the idle option through the layers.
Schedule readSchedule(const Instance &instance, const PathLayout &layout, const double *x) {
  Schedule schedule{layout.idle, {}};
  int from = layout.idle;
  for (int i = 0; i < instance.layerCount(); ++i) {
    int chosen = -1;
    for (int to = 0; to < instance.transitions[i].to_count; ++to)
      if (x[layout.arc(instance, i, from, to)] > 0.5) chosen = to;
    if (chosen < 0) break;  // not a path: the caller sees a short schedule
    schedule.layer_options.push_back(chosen);
    from = chosen;
  }
  return schedule;
}

// ---- Warm start --------------------------------------------------------------------------
// Lagrangian heuristic: for idle option k and a price lambda on busy time, the cheapest
// path under energy + lambda * busy time - p_k * all time is a plain layered shortest path;
// bisecting lambda finds cheap paths that meet D. Speed only: CBC proves the answer.

// Weight of arc from -> to across boundary b (the entered layer's cost included).
double arcWeight(const Instance &instance, int b, int from, int to, double lambda, double p) {
  const TransitionMatrix &matrix = instance.transitions[b];
  double time = double(matrix.timeAt(from, to));
  double energy = matrix.energyAt(from, to);
  if (b == instance.layerCount()) return energy - p * time;
  const LayerOption &option = instance.layers[b].options[to];
  time += double(option.time);
  energy += option.energyPj();
  return energy + (lambda - p) * time;
}

Schedule cheapestPath(const Instance &instance, int idle, double lambda) {
  const int layers = instance.layerCount();
  const double p = instance.idle[idle].power_pj_per_tick;
  std::vector<std::vector<int>> previous(layers);
  std::vector<double> distance(instance.layers[0].options.size());
  for (size_t o = 0; o < distance.size(); ++o)
    distance[o] = arcWeight(instance, 0, idle, int(o), lambda, p);
  for (int i = 1; i < layers; ++i) {
    const TransitionMatrix &matrix = instance.transitions[i];
    std::vector<double> next(matrix.to_count, std::numeric_limits<double>::infinity());
    previous[i].assign(matrix.to_count, 0);
    for (int from = 0; from < matrix.from_count; ++from) {
      for (int to = 0; to < matrix.to_count; ++to) {
        const double weight = distance[from] + arcWeight(instance, i, from, to, lambda, p);
        if (weight < next[to]) next[to] = weight, previous[i][to] = from;
      }
    }
    distance.swap(next);
  }
  int last = 0;
  double best = std::numeric_limits<double>::infinity();
  for (size_t o = 0; o < distance.size(); ++o) {
    const double weight = distance[o] + arcWeight(instance, layers, int(o), idle, lambda, p);
    if (weight < best) best = weight, last = int(o);
  }
  Schedule schedule{idle, std::vector<int>(layers)};
  for (int i = layers - 1; i >= 0; --i) {
    schedule.layer_options[i] = last;
    if (i > 0) last = previous[i][last];
  }
  return schedule;
}

// The cheapest feasible schedule the bisection meets for idle option k, if any.
class StartSearch {
 public:
  StartSearch(const Instance &instance, int idle) : instance_(instance), idle_(idle) {
    if (tryPrice(0.0)) return;  // D does not bind: lambda = 0 is optimal for k
    double high = 1.0;
    while (!tryPrice(high))
      if ((high *= 4.0) > 1e12) return;  // no path meets D with this idle option
    double low = 0.0;
    for (int step = 0; step < 30; ++step) {
      const double middle = 0.5 * (low + high);
      (tryPrice(middle) ? high : low) = middle;
    }
  }
  const std::optional<Schedule> &best() const { return best_; }
  double bestPj() const { return best_ ? best_pj_ : std::numeric_limits<double>::infinity(); }

 private:
  // Records the path if it is the cheapest feasible so far; true if it meets D.
  bool tryPrice(double lambda) {
    Schedule schedule = cheapestPath(instance_, idle_, lambda);
    const Evaluation evaluation = evaluate(instance_, schedule);
    if (evaluation.feasible() && (!best_ || evaluation.total_pj < best_pj_)) {
      best_ = std::move(schedule);
      best_pj_ = evaluation.total_pj;
    }
    return evaluation.meets_deadline;
  }

  const Instance &instance_;
  const int idle_;
  std::optional<Schedule> best_;
  double best_pj_ = 0.0;
};

// The best schedule known, priced by evaluate().
struct Incumbent {
  std::optional<Schedule> schedule;
  Evaluation evaluation;

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

// What CBC settled for one idle option.
struct IdleSolve {
  bool closed = false;               // optimal, or proven: nothing below the cutoff
  std::optional<Schedule> schedule;  // its best schedule, if it found one
  int64_t nodes = 0;
};

// Solves idle option k's MILP; `cutoff_pj` (a whole-period energy) prunes what cannot
// beat the incumbent.
IdleSolve solveIdle(const Instance &instance, int idle, std::optional<double> cutoff_pj,
                    double time_limit_s) {
  MilpBuilder milp;
  const PathLayout layout = buildModel(instance, idle, milp);
  CbcModelHandle handle;
  milp.load(handle.model);
  configure(handle.model, time_limit_s);
  const double constant = instance.idle[idle].power_pj_per_tick * double(instance.period);
  if (cutoff_pj) setNumber(handle.model, "cutoff", *cutoff_pj - constant);
  Cbc_solve(handle.model);

  IdleSolve result;
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

double elapsedSeconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Idle options in the order to solve them: cheapest heuristic schedule first, so that
// its cutoff is in place for the others.
std::vector<int> solveOrder(const Instance &instance, bool warm_start, Incumbent &incumbent) {
  std::vector<int> order(instance.idle.size());
  std::iota(order.begin(), order.end(), 0);
  if (!warm_start) return order;
  std::vector<double> heuristic_pj;
  for (int k : order) {
    const StartSearch search(instance, k);
    heuristic_pj.push_back(search.bestPj());
    if (search.best()) incumbent.offer(instance, *search.best());
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return heuristic_pj[a] < heuristic_pj[b]; });
  return order;
}

}  // namespace

SolveResult solveIlpWith(const Instance &instance, const IlpOptions &options) {
  const auto start = std::chrono::steady_clock::now();
  SolveResult result;
  Incumbent incumbent;
  bool all_closed = true;
  for (int k : solveOrder(instance, options.warm_start, incumbent)) {
    const double remaining = options.time_limit_s - elapsedSeconds(start);
    if (remaining <= 0.0) {
      all_closed = false;
      break;
    }
    std::optional<double> cutoff;
    if (options.warm_start && incumbent.schedule) cutoff = incumbent.evaluation.total_pj;
    const IdleSolve solved = solveIdle(instance, k, cutoff, remaining);
    result.stats.nodes += solved.nodes;
    all_closed = all_closed && solved.closed;
    if (solved.schedule) incumbent.offer(instance, *solved.schedule);
  }

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
  result.stats.wall_ms = 1000.0 * elapsedSeconds(start);
  return result;
}

SolveResult solveIlp(const Instance &instance, double time_limit_s) {
  return solveIlpWith(instance, {time_limit_s, true});
}

}  // namespace pf::sched
