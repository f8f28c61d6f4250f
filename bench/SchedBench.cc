// pf_sched_bench: the scheduler's speed and memory figures -> bench/sched_results.md.
//
// Instance: the default design (characterization from `powerflow characterize`) running
// ResNet-101 (nets/resnet101.toml, profiled here), and a synthetic 140-layer instance
// (sched/Synthetic.hh) as a second data point with other numbers. Figures, each on one
// core: median wall time of `exact` over 5 runs (target <= 50 ms), the same DP without
// bound pruning (the speedup pruning gives), `ilp` (CBC) and its ratio to exact, the
// gap and time of `discretized` at several bucket widths, and peak memory (target
// < 200 MB). Targets are recorded, never asserted. `discretized` against exact has a
// section of its own: ResNet-101 and each MLPerf Tiny network (nets/mlperf_tiny_*.toml)
// at a tight and a looser deadline, buckets D/100 .. D/100,000, with energy, gap, wall
// time and peak memory.
#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "core/Cli.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Json.hh"
#include "net/onnx/OnnxReader.hh"
#include "sched/Ilp.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/Schedule.hh"
#include "sched/Synthetic.hh"
#include "sched/io/ChipModelFromTables.hh"
#include "sched/io/WorkloadFromProfile.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"
#include "workload/ProfileCommand.hh"

namespace {

using pf::sched::Instance;
using pf::sched::SolveResult;
using pf::sched::SolveStatus;

// Peak resident memory since the last resetPeakRss() (Linux: VmHWM, reset through
// clear_refs), so a solver's figure excludes what building the instance took.
void resetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }
long peakRssMib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  return -1;
}

struct Timed {
  SolveResult result;
  double median_ms = 0;
};

template <class Solve>
Timed timeRuns(int runs, Solve solve) {
  std::vector<double> times;
  Timed timed;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    timed.result = solve();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  timed.median_ms = times[times.size() / 2];
  return timed;
}

std::string describe(const Instance &instance) {
  size_t fewest = SIZE_MAX, most = 0;
  for (const auto &stage : instance.layers) {
    fewest = std::min(fewest, stage.options.size());
    most = std::max(most, stage.options.size());
  }
  return fmt::format(
      "{} layers, {}..{} options per layer, {} idle options, schedule space 10^{:.1f}, "
      "deadline {:.6g} us, period {:.6g} us",
      instance.layerCount(), fewest, most, instance.idle.size(),
      pf::sched::scheduleSpaceLog10(instance), double(instance.deadline) * instance.tick_ns / 1e3,
      double(instance.period) * instance.tick_ns / 1e3);
}

std::string energyCell(const SolveResult &result) {
  if (result.status != SolveStatus::Optimal && result.status != SolveStatus::Feasible)
    return pf::sched::solveStatusName(result.status);
  return fmt::format("{:.10g} pJ", result.evaluation.total_pj);
}

// An instance of the first `layers` layers (the whole workload for -1).
using InstanceSource = std::function<Instance(int layers)>;

// A deadline a quarter of the way from the minimum latency to the period:
// tight enough that clock and rails matter, loose enough that gating does too.
Instance withDeadline(Instance instance) {
  const pf::sched::Ticks min_busy = pf::sched::minimumBusyTime(instance);
  instance.deadline = min_busy + (instance.period - min_busy) / 4;
  return instance;
}

// The DP without pruning grows too fast to finish on the whole network, so the speedup
// is measured on prefixes of growing length until the unpruned run passes 20 s.
std::string pruningRows(const InstanceSource &source) {
  std::string rows;
  for (int layers : {4, 8, 12, 16, 24, 32}) {
    const Instance prefix = withDeadline(source(layers));
    const Timed pruned = timeRuns(3, [&] { return pf::sched::solveExact(prefix, true); });
    resetPeakRss();
    const Timed unpruned = timeRuns(1, [&] { return pf::sched::solveExact(prefix, false); });
    rows += fmt::format(
        "| first {} layers | {:.2f} ms | {:.1f} ms | {:.0f}x | {} | {} MiB | {} |\n", layers,
        pruned.median_ms, unpruned.median_ms, unpruned.median_ms / pruned.median_ms,
        unpruned.result.stats.labels_created, peakRssMib(),
        std::abs(unpruned.result.evaluation.total_pj - pruned.result.evaluation.total_pj) <=
                1e-9 * pruned.result.evaluation.total_pj
            ? "yes"
            : "NO");
    if (unpruned.median_ms > 20'000) break;
  }
  return rows;
}

constexpr double kIlpLimitS = 120.0;

std::string ilpNotes(const Timed &ilp, const Timed &exact) {
  const double optimum = exact.result.evaluation.total_pj;
  const pf::sched::SolverStats &stats = ilp.result.stats;
  const std::string model = fmt::format("{} arcs to CBC, {} fixed; {} nodes", stats.columns,
                                        stats.columns_fixed, stats.nodes);
  if (ilp.result.status != SolveStatus::Optimal)
    return fmt::format("{} after the {:.0f} s limit ({}); {}; peak RSS {} MiB",
                       pf::sched::solveStatusName(ilp.result.status), kIlpLimitS,
                       ilp.result.message, model, peakRssMib());
  return fmt::format("relative difference to exact {:.2e}; {}; peak RSS {} MiB",
                     std::abs(ilp.result.evaluation.total_pj - optimum) / optimum, model,
                     peakRssMib());
}

// `ilp` on its own, and given exact's schedule as a start (CBC then only has to prove it).
std::string ilpRows(const Instance &instance, const Timed &exact) {
  std::string rows;
  for (bool seeded : {false, true}) {
    pf::sched::IlpOptions options;
    options.time_limit_s = kIlpLimitS;
    if (seeded) options.start = exact.result.schedule;
    resetPeakRss();
    const Timed ilp = timeRuns(1, [&] { return pf::sched::solveIlpWith(instance, options); });
    rows += fmt::format("| ilp (CBC, zero gap){} | {} | {:.0f} ms | {:.0f}x the exact time; {} |\n",
                        seeded ? ", exact's schedule as start" : "", energyCell(ilp.result),
                        ilp.median_ms, ilp.median_ms / exact.median_ms, ilpNotes(ilp, exact));
  }
  return rows;
}

// The discretized DP (sched/Discretized.cc) against exact: the bucket widths, as
// fractions of the deadline, from coarse to fine.
constexpr int kBucketParts[] = {100, 1000, 10'000, 100'000};

long currentRssMib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  return -1;
}

// The tables as the solver counts them, from its message ("... (back-pointers 19 MB,
// value tables 6 MB)").
std::string tablesOf(const std::string &message) {
  const size_t open = message.find("(back-pointers");
  if (open == std::string::npos) return "-";
  return message.substr(open + 1, message.find(')', open) - open - 1);
}

struct DiscretizedRun {
  pf::sched::Ticks bucket = 0;
  Timed timed;
  long start_rss = 0, peak_rss = 0;  // MiB: before the run, and the peak during it

  bool found() const {
    return timed.result.status == SolveStatus::Optimal ||
           timed.result.status == SolveStatus::Feasible;
  }
  std::string gap(double optimum) const {
    return found()
               ? fmt::format("{:+.4f} %", 100.0 * (timed.result.evaluation.total_pj / optimum - 1))
               : std::string("-");
  }
  std::string memory() const {
    return fmt::format("{} MiB (+{} MiB in the run; {})", peak_rss, peak_rss - start_rss,
                       tablesOf(timed.result.message));
  }
};

// One run with buckets of floor(D / parts) ticks; a run under a second is timed twice
// more (median of 3).
DiscretizedRun runDiscretized(const Instance &instance, int parts) {
  DiscretizedRun run;
  run.bucket = std::max<pf::sched::Ticks>(1, instance.deadline / parts);
  auto solve = [&] { return pf::sched::solveDiscretized(instance, run.bucket); };
  malloc_trim(0);
  resetPeakRss();
  run.start_rss = currentRssMib();
  run.timed = timeRuns(1, solve);
  run.peak_rss = peakRssMib();
  if (run.timed.median_ms < 1000) run.timed = timeRuns(3, solve);
  return run;
}

// The rows of a network's section table.
std::string discretizedRows(const Instance &instance, double optimum) {
  std::string rows;
  for (int parts : kBucketParts) {
    const DiscretizedRun run = runDiscretized(instance, parts);
    rows += fmt::format(
        "| discretized, bucket D/{} = {} ticks ({:.6g} us) | {} | {:.1f} ms | gap to exact {}; "
        "peak RSS {} |\n",
        parts, run.bucket, double(run.bucket) * instance.tick_ns / 1e3,
        energyCell(run.timed.result), run.timed.median_ms, run.gap(optimum), run.memory());
  }
  return rows;
}

std::string benchInstance(const std::string &title, const InstanceSource &source,
                          bool discretized) {
  const Instance instance = withDeadline(source(-1));
  std::string text = fmt::format("## {}\n\n{}.\n\n", title, describe(instance));
  resetPeakRss();
  const Timed exact = timeRuns(5, [&] { return pf::sched::solveExact(instance, true); });
  const long exact_rss = peakRssMib();
  const double optimum = exact.result.evaluation.total_pj;
  text += "| solver | energy | wall time | notes |\n|---|---|---|---|\n";
  text += fmt::format(
      "| exact | {} | {:.1f} ms (median of 5) | target <= 50 ms; labels {} created, {} dominated, "
      "{} pruned; peak RSS {} MiB incl. the instance (target < 200 MB) |\n",
      energyCell(exact.result), exact.median_ms, exact.result.stats.labels_created,
      exact.result.stats.labels_dominated, exact.result.stats.labels_pruned, exact_rss);
  if (discretized)
    text += discretizedRows(instance, optimum);
  else
    text += "| discretized | - | - | in the section *Discretized DP against exact* below |\n";
  text +=
      "\nPruning: the same DP with and without bound pruning (dominance stays on), on prefixes of "
      "the network:\n\n"
      "| instance | pruned (median of 3) | unpruned | speedup | unpruned labels | unpruned peak "
      "RSS | same energy |\n"
      "|---|---|---|---|---|---|---|\n";
  text += pruningRows(source) + "\n";
  // CBC last: its heap would inflate the figures after it.
  text += "| solver | energy | wall time | notes |\n|---|---|---|---|\n";
  text += ilpRows(instance, exact);
  text += "\n";
  malloc_trim(0);  // hand CBC's heap back, so the next instance's peak memory is its own
  return text;
}

Instance buildPrefix(const pf::sched::ChipModel &chip, pf::sched::Workload workload, int layers,
                     double period_ns) {
  if (layers >= 0 && layers < int(workload.layers.size())) workload.layers.resize(size_t(layers));
  return pf::sched::buildInstance(chip, workload, {10.0, period_ns, period_ns});
}

InstanceSource resnet101(const std::string &design_path, const std::string &characterization_path) {
  const pf::DesignSpec design = pf::readDesign(design_path);
  const pf::Characterization table = pf::readCharacterization(characterization_path);
  const pf::sched::ChipModel chip = pf::chipModelFromTables(design, table, characterization_path);
  const pf::Network network = pf::readNetworkFile("nets/resnet101.toml");
  const pf::Profile profile =
      pf::profileMapping(pf::mapNetwork(network, pf::accelConfigOf(design)), network);
  const pf::sched::Workload workload =
      pf::workloadFromProfile(profile, design, "nets/resnet101.toml");
  // One ResNet-101 inference every 2 s (it needs ~0.8 s at the fastest clock).
  return [chip, workload](int layers) { return buildPrefix(chip, workload, layers, 2e9); };
}

// An MLPerf Tiny network on the default design, one inference per period of 4x its
// minimum latency (as the zoo test, tests/schedule/ZooScheduleTest.cc).
Instance tinyInstance(const pf::sched::ChipModel &chip, const pf::DesignSpec &design,
                      const std::string &path) {
  const pf::Network network = pf::readNetworkFile(path);
  const pf::Profile profile =
      pf::profileMapping(pf::mapNetwork(network, pf::accelConfigOf(design)), network);
  const pf::sched::Workload workload = pf::workloadFromProfile(profile, design, path);
  const Instance probe = pf::sched::buildInstance(chip, workload, {10.0, 1e12, 1e12});
  const double min_busy_ns = double(pf::sched::minimumBusyTime(probe)) * probe.tick_ns;
  return pf::sched::buildInstance(chip, workload, {10.0, 4 * min_busy_ns, 4 * min_busy_ns});
}

// The discretized DP against exact on one network at two deadlines.
std::string discretizedNetworkRows(const std::string &name, const Instance &network) {
  std::string rows;
  const pf::sched::Ticks min_busy = pf::sched::minimumBusyTime(network);
  const Instance tight = [&] {
    Instance instance = network;
    instance.deadline = pf::sched::Ticks(1.1 * double(min_busy));
    return instance;
  }();
  for (const Instance &instance : {tight, withDeadline(network)}) {
    const std::string deadline =
        fmt::format("{:.6g} us = {:.2f}x min", double(instance.deadline) * instance.tick_ns / 1e3,
                    double(instance.deadline) / double(min_busy));
    const Timed exact = timeRuns(5, [&] { return pf::sched::solveExact(instance, true); });
    const double optimum = exact.result.evaluation.total_pj;
    rows += fmt::format("| {} | {} | exact | {} | - | {:.1f} ms (median of 5) | 1 | - |\n", name,
                        deadline, energyCell(exact.result), exact.median_ms);
    for (int parts : kBucketParts) {
      const DiscretizedRun run = runDiscretized(instance, parts);
      rows +=
          fmt::format("| {} | {} | D/{} = {} ticks | {} | {} | {:.1f} ms | {:.0f} | {} |\n", name,
                      deadline, parts, run.bucket, energyCell(run.timed.result), run.gap(optimum),
                      run.timed.median_ms, run.timed.median_ms / exact.median_ms, run.memory());
    }
  }
  return rows;
}

std::string discretizedSection(const std::string &design_path,
                               const std::string &characterization_path,
                               const InstanceSource &resnet) {
  std::string text =
      "## Discretized DP against exact: ResNet-101 and MLPerf Tiny\n\n"
      "The published time-bucket formulation as `sched/Discretized.cc` runs it (the running "
      "total bucketed with exact times carried, a partial schedule kept only if it can still "
      "finish in time, two rolling value layers and one-byte back-pointers; "
      "docs/schedule.md). The default design with the real characterization; ResNet-101 with "
      "the 2 s period above, each MLPerf Tiny network with a period of 4x its minimum "
      "latency. Two deadlines each: 1.1x the minimum latency, and a quarter of the way from "
      "the minimum latency to the period (the deadline of the sections above). Buckets of "
      "floor(D / n) ticks. Wall time of one run (median of 3 under 1 s); peak RSS of the "
      "process during the run, its rise over the start in brackets, with the tables as the "
      "solver counts them.\n\n"
      "| network | deadline | solver, bucket | energy | gap to exact | wall time | x exact's "
      "time | peak RSS |\n"
      "|---|---|---|---|---|---|---|---|\n";
  text += discretizedNetworkRows("ResNet-101", resnet(-1));
  const pf::DesignSpec design = pf::readDesign(design_path);
  const pf::Characterization table = pf::readCharacterization(characterization_path);
  const pf::sched::ChipModel chip = pf::chipModelFromTables(design, table, characterization_path);
  for (const char *net : {"mlperf_tiny_ad_fc_autoencoder", "mlperf_tiny_ic_resnet8",
                          "mlperf_tiny_kws_dscnn", "mlperf_tiny_vww_mobilenetv1_025"})
    text += discretizedNetworkRows(
        net, tinyInstance(chip, design, std::string("nets/") + net + ".toml"));
  return text + "\n";
}

pf::cli::Spec commandLine() {
  pf::cli::Spec s("pf_sched_bench",
                  "the scheduler's speed and memory figures -> bench/sched_results.md");
  s.description(
      "Times the solvers on ResNet-101 on the default design and on a synthetic 140-layer\n"
      "instance, and discretized against exact on the zoo networks (`make bench`).");
  s.path("--out", "FILE", "the results page").defaultValue("bench/sched_results.md");
  s.path("--design", "FILE", "design description").defaultValue("rtl/design.toml");
  s.path("--characterization", "FILE", "from powerflow characterize")
      .defaultValue("out/characterization.json");
  return s;
}

}  // namespace

int main(int argc, char **argv) {
  const pf::cli::Spec spec = commandLine();
  std::string out, design, characterization;
  try {
    const std::optional<pf::cli::Args> args = spec.parseOrPrintHelp(argc, argv);
    if (!args) return 0;
    out = args->text("--out");
    design = args->text("--design");
    characterization = args->text("--characterization");
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return pf::cli::exitStatusOf(error);
  }
  try {
    std::string report =
        "# powerflow scheduler benchmark\n\n"
        "Regenerate with `make bench` (program: `bench/SchedBench.cc`; one core, release build).\n"
        "Every solver prices its schedule with the same `evaluate()`; `exact` is the "
        "reference.\nThe whole `powerflow schedule` command (every baseline, the curve) is timed "
        "in "
        "`bench/schedule_command_results.md`;\nthe gap of the baselines as transitions get slower "
        "is in `bench/transition_results.md`.\n\n";
    const InstanceSource resnet = resnet101(design, characterization);
    report += benchInstance("ResNet-101 on the default design (real characterization and profile)",
                            resnet, false);
    const pf::sched::ChipModel chip = pf::sched::syntheticChip();
    const pf::sched::Workload synthetic = pf::sched::syntheticWorkload(chip, 140, 7);
    report += benchInstance(
        "Synthetic chip and workload, 140 layers (sched/Synthetic.hh)",
        [&](int layers) { return buildPrefix(chip, synthetic, layers, 2e9); }, true);
    report += discretizedSection(design, characterization, resnet);
    pf::writeFileAtomic(out, report);
    fmt::print("{}", report);
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return 1;
  }
  return 0;
}
