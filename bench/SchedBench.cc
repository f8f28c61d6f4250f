// pf_sched_bench: the scheduler's speed and memory figures -> bench/sched_results.md.
//
// Instance: the default design (characterization from `powerflow characterize`) running
// ResNet-101 (nets/resnet101.toml, profiled here), and a synthetic 140-layer instance
// (sched/Synthetic.hh) as a second data point with other numbers. Figures, each on one
// core: median wall time of `exact` over 5 runs (target <= 50 ms), the same DP without
// bound pruning (the speedup pruning gives), `ilp` (CBC) and its ratio to exact, the
// gap and time of `discretized` at several bucket widths, and peak memory (target
// < 200 MB). Targets are recorded, never asserted.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Json.hh"
#include "flows/schedule/ChipModelFromTables.hh"
#include "flows/schedule/WorkloadFromProfile.hh"
#include "net/onnx/OnnxReader.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/Schedule.hh"
#include "sched/Synthetic.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"

namespace {

using pf::sched::Instance;
using pf::sched::SolveResult;
using pf::sched::SolveStatus;

long peakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
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
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
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
  return fmt::format("{} layers, {}..{} options per layer, {} idle options, schedule space 10^{:.1f}, "
                     "deadline {:.6g} us, period {:.6g} us",
                     instance.layerCount(), fewest, most, instance.idle.size(), pf::sched::scheduleSpaceLog10(instance),
                     double(instance.deadline) * instance.tick_ns / 1e3, double(instance.period) * instance.tick_ns / 1e3);
}

std::string energyCell(const SolveResult &result) {
  if (result.status != SolveStatus::Optimal && result.status != SolveStatus::Feasible)
    return pf::sched::solveStatusName(result.status);
  return fmt::format("{:.10g} pJ", result.evaluation.total_pj);
}

std::string benchInstance(const std::string &title, Instance instance) {
  // A deadline halfway between the minimum latency and the period: tight enough that
  // the clock and rails matter, loose enough that gating does too.
  const pf::sched::Ticks min_busy = pf::sched::minimumBusyTime(instance);
  instance.deadline = min_busy + (instance.period - min_busy) / 4;
  std::string text = fmt::format("## {}\n\n{}.\n\n", title, describe(instance));
  const Timed exact = timeRuns(5, [&] { return pf::sched::solveExact(instance, true); });
  const long exact_rss = peakRssMib();
  const Timed unpruned = timeRuns(1, [&] { return pf::sched::solveExact(instance, false); });
  const long unpruned_rss = peakRssMib();
  const Timed ilp = timeRuns(1, [&] { return pf::sched::solveIlp(instance, 1800.0); });
  const double optimum = exact.result.evaluation.total_pj;
  text += "| solver | energy | wall time | notes |\n|---|---|---|---|\n";
  text += fmt::format("| exact (pruned) | {} | {:.1f} ms (median of 5) | target <= 50 ms; labels {} created, {} dominated, "
                      "{} pruned; peak RSS {} MiB (target < 200 MB) |\n",
                      energyCell(exact.result), exact.median_ms, exact.result.stats.labels_created,
                      exact.result.stats.labels_dominated, exact.result.stats.labels_pruned, exact_rss);
  text += fmt::format("| exact without pruning | {} | {:.1f} ms | pruning speedup {:.2f}x; labels {}; peak RSS {} MiB |\n",
                      energyCell(unpruned.result), unpruned.median_ms, unpruned.median_ms / exact.median_ms,
                      unpruned.result.stats.labels_created, unpruned_rss);
  text += fmt::format("| ilp (CBC, zero gap) | {} | {:.1f} ms | {:.0f}x the exact time; relative difference {:.2e}; {} nodes |\n",
                      energyCell(ilp.result), ilp.median_ms, ilp.median_ms / exact.median_ms,
                      std::abs(ilp.result.evaluation.total_pj - optimum) / optimum, ilp.result.stats.nodes);
  for (pf::sched::Ticks bucket : {10, 100, 1000, 10000}) {
    const Timed discretized = timeRuns(1, [&] { return pf::sched::solveDiscretized(instance, bucket); });
    const bool found = discretized.result.status == SolveStatus::Optimal;
    text += fmt::format("| discretized, bucket {} ticks ({:.6g} us) | {} | {:.1f} ms | gap to exact {} |\n", bucket,
                        double(bucket) * instance.tick_ns / 1e3, energyCell(discretized.result), discretized.median_ms,
                        found ? fmt::format("{:+.4f} %", 100.0 * (discretized.result.evaluation.total_pj / optimum - 1))
                              : std::string("-"));
  }
  return text + "\n";
}

Instance resnet101(const std::string &design_path, const std::string &characterization_path) {
  const pf::DesignSpec design = pf::readDesign(design_path);
  const pf::Characterization table = pf::characterizationFromJson(
      pf::parseJson(pf::readTextFile(characterization_path), characterization_path), characterization_path);
  const pf::sched::ChipModel chip = pf::chipModelFromTables(design, table, characterization_path);
  const pf::Network network = pf::readNetworkFile("nets/resnet101.toml");
  pf::AccelConfig accel;
  accel.rows = int(design.parameters.at("ROWS"));
  accel.cols = int(design.parameters.at("COLS"));
  accel.col_groups = int(design.parameters.at("COL_GROUPS"));
  accel.act_banks = int(design.parameters.at("ACT_BANKS"));
  accel.act_bank_words = int(design.parameters.at("ACT_BANK_WORDS"));
  accel.w_banks = int(design.parameters.at("W_BANKS"));
  accel.w_bank_words = int(design.parameters.at("W_BANK_WORDS"));
  const pf::Profile profile = pf::profileMapping(pf::mapNetwork(network, accel), network);
  const pf::sched::Workload workload = pf::workloadFromProfile(profile, design, "nets/resnet101.toml");
  // One ResNet-101 inference every 2 s (it needs ~0.8 s at the fastest clock).
  const pf::sched::BuildOptions options{10.0, 2e9, 2e9};
  return pf::sched::buildInstance(chip, workload, options);
}

}  // namespace

int main(int argc, char **argv) {
  std::string out = "bench/sched_results.md", design = "rtl/design.toml", characterization = "out/characterization.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--out") out = argv[i + 1];
    else if (flag == "--design") design = argv[i + 1];
    else if (flag == "--characterization") characterization = argv[i + 1];
    else {
      fmt::print(stderr, "usage: pf_sched_bench [--out FILE] [--design FILE] [--characterization FILE]\n");
      return 2;
    }
  }
  try {
    std::string report =
        "# powerflow scheduler benchmark\n\n"
        "Regenerate with `make bench` (program: `bench/SchedBench.cc`; one core, release build).\n"
        "Every solver prices its schedule with the same `evaluate()`; `exact` is the reference.\n\n";
    report += benchInstance("ResNet-101 on the default design (real characterization and profile)",
                            resnet101(design, characterization));
    const pf::sched::ChipModel chip = pf::sched::syntheticChip();
    report += benchInstance("Synthetic chip and workload, 140 layers (sched/Synthetic.hh)",
                            pf::sched::buildInstance(chip, pf::sched::syntheticWorkload(chip, 140, 7),
                                                     {10.0, 2e9, 2e9}));
    pf::writeFileAtomic(out, report);
    fmt::print("{}", report);
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return 1;
  }
  return 0;
}
