// pf_transition_bench: where the inter-layer schedule starts to matter as transitions get
// slower -> bench/transition_results.md (`make bench`; docs/transitions.md).
//
// The default design (real characterization from `powerflow characterize`) runs MLPerf Tiny
// KWS, ResNet-8, MobileNetV1-0.25 and ResNet-18 (profiled here with the sparsity the network
// files declare) under four transition physics: today's power multiplexers and divider,
// a regulator whose output ramps (with and without the charge of its output capacitance),
// and a PLL that relocks at every clock change. The transition time T sweeps from today's
// value (0.2 us) to 20 ms. At 1.2x, 1.5x and 2x the instance's minimum latency, `exact`'s
// optimum is compared with the repaired `layer-level` and `super-block` baselines
// (sched/Baselines.hh), all priced by the same evaluate(). Nothing is asserted.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "core/Cli.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "net/onnx/OnnxReader.hh"
#include "sched/Baselines.hh"
#include "sched/InstanceBuilder.hh"
#include "sched/Schedule.hh"
#include "sched/io/ChipModelFromTables.hh"
#include "sched/io/WorkloadFromProfile.hh"
#include "workload/Mapping.hh"
#include "workload/Profile.hh"

namespace {

using pf::sched::Baseline;
using pf::sched::BaselineResult;
using pf::sched::ChipModel;
using pf::sched::Instance;
using pf::sched::SolveResult;
using pf::sched::SolveStatus;
using pf::sched::Ticks;

constexpr double kTickNs = 10.0;
// Transition times swept, us: today's 0.2 us rail settle, then x10 steps to 20 ms.
const std::vector<double> kTimesUs = {0.2, 2, 20, 200, 2000, 20000};
const std::vector<double> kDeadlineFactors = {1.2, 1.5, 2.0};
// A gap the schedule is said to matter from.
constexpr double kMattersPercent = 1.0;

// Borrowed numbers (docs/transitions.md): the regulator output capacitance (a few uF on an
// off-chip buck's output, labelled engineering choice) and efficiency (pdk_stub's 0.85).
constexpr double kRegulatorCapacitanceUf = 4.7;
constexpr double kRegulatorEfficiency = 0.85;
// pdk_stub's rail_ramp splits a 0.5 V ramp into 2 us settle + 10 us slew (0.05 V/us):
// each swept T keeps that 1:5 split for a full 0.6 -> 1.1 V swing.
constexpr double kFullSwingV = 0.5;
constexpr double kSettleShare = 1.0 / 6.0;

struct Network {
  std::string title;
  std::string file;
};

const std::vector<Network> kNetworks = {
    {"MLPerf Tiny KWS (DS-CNN)", "nets/mlperf_tiny_kws_dscnn.toml"},
    {"MLPerf Tiny IC (ResNet-8)", "nets/mlperf_tiny_ic_resnet8.toml"},
    {"MLPerf Tiny VWW (MobileNetV1-0.25)", "nets/mlperf_tiny_vww_mobilenetv1_025.toml"},
    {"ResNet-18", "nets/resnet18.toml"},
};

enum class Model { Regulator, RegulatorNoCharge, Pll };

const char *modelName(Model model) {
  switch (model) {
    case Model::Regulator:
      return "regulator";
    case Model::RegulatorNoCharge:
      return "regulator, C = 0";
    case Model::Pll:
      return "pll";
  }
  return "?";
}

// The chip under `model` with transition time `t_us`.
ChipModel withPhysics(ChipModel chip, Model model, double t_us) {
  if (model == Model::Pll) {
    chip.transitions.pll = true;
    chip.clock.switch_time_ns = t_us * 1000.0;
    return chip;
  }
  chip.transitions.rail_change = pf::sched::RailChange::Regulator;
  pf::sched::RegulatorPhysics &regulator = chip.transitions.regulator;
  regulator.settle_ns = t_us * kSettleShare * 1000.0;
  regulator.ramp_v_per_us = kFullSwingV / (t_us * (1.0 - kSettleShare));
  regulator.capacitance_pf = model == Model::Regulator ? kRegulatorCapacitanceUf * 1e6 : 0.0;
  regulator.efficiency_ratio = kRegulatorEfficiency;
  return chip;
}

// Layer-to-layer boundaries where the operating point (rails, clock) changes.
int operatingPointChanges(const Instance &instance, const pf::sched::Schedule &schedule) {
  int changes = 0;
  for (int i = 1; i < instance.layerCount(); ++i) {
    const auto point = [&](int layer) {
      const auto &option =
          instance.layers[size_t(layer)].options[size_t(schedule.layer_options[size_t(layer)])];
      return instance.states[size_t(option.state)].operating_point;
    };
    changes += point(i - 1) != point(i);
  }
  return changes;
}

struct Cell {
  bool solved = false;
  double exact_pj = 0.0;
  int exact_changes = 0;
  double exact_transition_share = 0.0;
  std::string exact_idle;  // the idle kind the optimum sleeps in
  // Per baseline: the gap to exact in percent, or NaN when it misses D or P.
  double layer_level_gap = NAN;
  double super_block_gap = NAN;
  int layer_level_changes = 0;
};

double gapPercent(const BaselineResult &result, double optimum_pj) {
  if (!result.feasible()) return NAN;
  return 100.0 * (result.evaluation.total_pj / optimum_pj - 1.0);
}

Cell measure(Instance instance, Ticks deadline) {
  instance.deadline = deadline;
  Cell cell;
  const SolveResult exact = pf::sched::solveExact(instance, true);
  if (exact.status != SolveStatus::Optimal) return cell;
  cell.solved = true;
  cell.exact_pj = exact.evaluation.total_pj;
  cell.exact_changes = operatingPointChanges(instance, exact.schedule);
  cell.exact_transition_share = exact.evaluation.transition_pj / exact.evaluation.total_pj;
  cell.exact_idle = pf::sched::idleKindName(instance.idle[size_t(exact.schedule.idle_option)].kind);
  const BaselineResult layer_level = pf::sched::runBaseline(instance, Baseline::LayerLevel);
  const BaselineResult super_block = pf::sched::runBaseline(instance, Baseline::SuperBlock);
  cell.layer_level_gap = gapPercent(layer_level, cell.exact_pj);
  cell.super_block_gap = gapPercent(super_block, cell.exact_pj);
  if (layer_level.available)
    cell.layer_level_changes = operatingPointChanges(instance, layer_level.schedule);
  return cell;
}

std::string gapText(double gap) {
  return std::isnan(gap) ? std::string("misses D") : fmt::format("{:+.2f} %", gap);
}

// The first swept T at which `gap_of` reaches kMattersPercent (or misses D), as text.
template <class Gap>
std::string crossover(const std::vector<Cell> &cells, Gap gap_of) {
  for (size_t t = 0; t < cells.size(); ++t) {
    const double gap = gap_of(cells[t]);
    if (cells[t].solved && (std::isnan(gap) || gap >= kMattersPercent))
      return fmt::format("{:g} us", kTimesUs[t]);
  }
  return fmt::format("> {:g} us", kTimesUs.back());
}

std::string usText(double us) { return fmt::format("{:g} us", us); }

struct NetworkResult {
  std::string summary_rows;  // for the crossover table
  std::string detail;        // the network's own section
};

NetworkResult benchNetwork(const Network &net, const pf::DesignSpec &design,
                           const ChipModel &chip) {
  const pf::Network network = pf::readNetworkFile(net.file);
  const pf::Profile profile =
      pf::profileMapping(pf::mapNetwork(network, pf::accelConfigOf(design)), network);
  const pf::sched::Workload workload = pf::workloadFromProfile(profile, design, net.file);
  // The period: 20x the minimum latency on today's chip, the same for every physics, so
  // that a deep sleep pays for its wake-up; the deadlines are multiples of each instance's
  // own minimum latency.
  const Instance probe = pf::sched::buildInstance(chip, workload, {kTickNs, 1e12, 1e12});
  const Ticks today_min = pf::sched::minimumBusyTime(probe);
  const double period_ns = 20.0 * double(today_min) * kTickNs;
  NetworkResult out;
  out.detail = fmt::format(
      "## {}\n\n`{}`: {} layers, minimum latency {:.1f} us on today's chip, period {:.1f} us.\n\n",
      net.title, net.file, workload.layers.size(), double(today_min) * kTickNs / 1e3,
      period_ns / 1e3);

  // Today's physics, for reference.
  {
    const Instance instance =
        pf::sched::buildInstance(chip, workload, {kTickNs, period_ns, period_ns});
    const Ticks min_busy = pf::sched::minimumBusyTime(instance);
    out.detail +=
        "Today's chip (power multiplexers, 0.2 us rail settle; 40 ns divider switch):\n\n"
        "| deadline | exact | exact: point changes | exact: idle | transitions in exact | "
        "layer-level | super-block |\n|---|---|---|---|---|---|---|\n";
    for (double factor : kDeadlineFactors) {
      const Cell cell = measure(instance, Ticks(std::floor(factor * double(min_busy))));
      out.detail += fmt::format("| {:g}x | {:.2f} nJ | {} | {} | {:.3f} % | {} | {} |\n", factor,
                                cell.exact_pj / 1e3, cell.exact_changes, cell.exact_idle,
                                100.0 * cell.exact_transition_share, gapText(cell.layer_level_gap),
                                gapText(cell.super_block_gap));
    }
    out.detail += "\n";
  }

  for (Model model : {Model::Regulator, Model::RegulatorNoCharge, Model::Pll}) {
    out.detail += fmt::format(
        "{}:\n\n| T | deadline | minimum latency | exact | exact: point changes | exact: idle | "
        "transitions in exact | layer-level | layer-level: point changes | super-block |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n",
        modelName(model));
    std::vector<std::vector<Cell>> by_deadline(kDeadlineFactors.size());
    for (double t_us : kTimesUs) {
      const ChipModel physics = withPhysics(chip, model, t_us);
      const Instance instance =
          pf::sched::buildInstance(physics, workload, {kTickNs, period_ns, period_ns});
      const Ticks min_busy = pf::sched::minimumBusyTime(instance);
      for (size_t f = 0; f < kDeadlineFactors.size(); ++f) {
        const double factor = kDeadlineFactors[f];
        const Cell cell = measure(instance, Ticks(std::floor(factor * double(min_busy))));
        by_deadline[f].push_back(cell);
        if (!cell.solved) {
          out.detail += fmt::format("| {} | {:g}x | {:.1f} us | no schedule | | | | | | |\n",
                                    usText(t_us), factor, double(min_busy) * kTickNs / 1e3);
          continue;
        }
        out.detail += fmt::format(
            "| {} | {:g}x | {:.1f} us | {:.2f} nJ | {} | {} | {:.2f} % | {} | {} | {} |\n",
            usText(t_us), factor, double(min_busy) * kTickNs / 1e3, cell.exact_pj / 1e3,
            cell.exact_changes, cell.exact_idle, 100.0 * cell.exact_transition_share,
            gapText(cell.layer_level_gap), cell.layer_level_changes, gapText(cell.super_block_gap));
      }
    }
    out.detail += "\n";
    for (size_t f = 0; f < kDeadlineFactors.size(); ++f) {
      const std::vector<Cell> &cells = by_deadline[f];
      std::string gaps;
      for (const Cell &cell : cells)
        gaps += cell.solved ? fmt::format(" {} / {} |", gapText(cell.layer_level_gap),
                                          gapText(cell.super_block_gap))
                            : std::string(" no schedule |");
      out.summary_rows += fmt::format(
          "| {} | {} | {:g}x | {} | {} |{}\n", net.title, modelName(model), kDeadlineFactors[f],
          crossover(cells, [](const Cell &cell) { return cell.layer_level_gap; }),
          crossover(cells, [](const Cell &cell) { return cell.super_block_gap; }), gaps);
    }
  }
  return out;
}

pf::cli::Spec commandLine() {
  pf::cli::Spec s("pf_transition_bench",
                  "where the inter-layer schedule starts to matter as transitions get slower -> "
                  "bench/transition_results.md");
  s.description(
      "Sweeps the transition time of four transition physics on the MLPerf Tiny networks and\n"
      "ResNet-18 and compares exact's optimum with the repaired layer-level and super-block\n"
      "baselines (`make bench`; docs/transitions.md).");
  s.path("--out", "FILE", "the results page").defaultValue("bench/transition_results.md");
  s.path("--design", "FILE", "design description, without [transitions] models")
      .defaultValue("rtl/design.toml");
  s.path("--characterization", "FILE", "from powerflow characterize")
      .defaultValue("out/characterization.json");
  return s;
}

}  // namespace

int main(int argc, char **argv) {
  const pf::cli::Spec spec = commandLine();
  std::string out, design_path, characterization;
  try {
    const std::optional<pf::cli::Args> args = spec.parseOrPrintHelp(argc, argv);
    if (!args) return 0;
    out = args->text("--out");
    design_path = args->text("--design");
    characterization = args->text("--characterization");
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return pf::cli::exitStatusOf(error);
  }
  try {
    const auto start = std::chrono::steady_clock::now();
    const pf::DesignSpec design = pf::readDesign(design_path);
    if (!design.transitions.isDefault()) {
      fmt::print(stderr,
                 "{}: the benchmark sweeps the transition physics itself; give it a "
                 "design without [transitions] models\n",
                 design_path);
      return 2;
    }
    const pf::Characterization table = pf::readCharacterization(characterization);
    const ChipModel chip = pf::chipModelFromTables(design, table, characterization);
    std::string summary, details;
    for (const Network &network : kNetworks) {
      const NetworkResult result = benchNetwork(network, design, chip);
      summary += result.summary_rows;
      details += result.detail;
      fmt::print(stderr, "{} done\n", network.title);
    }
    std::string header;
    for (double t_us : kTimesUs) header += fmt::format(" T = {} |", usText(t_us));
    std::string rule;
    for (size_t t = 0; t < kTimesUs.size(); ++t) rule += "---|";
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string report = fmt::format(
        "# Transition physics: the optimum against the transition-blind baselines\n\n"
        "Regenerate with `make bench` (program: `bench/TransitionBench.cc`; models and sources: "
        "`docs/transitions.md`). Default design, characterization `{}`, networks profiled with "
        "the sparsity their files declare. T is the transition time swept: for `regulator` the "
        "time of a full 0.6 -> 1.1 V ramp (1/6 settle, 5/6 slew, as pdk_stub's rail_ramp: 2 us + "
        "0.5 V at 0.05 V/us = 12 us), output capacitance {} uF (`regulator`; borrowed: an "
        "engineering choice within the few uF of an off-chip buck's output) or none "
        "(`regulator, C = 0`: time only), efficiency {} (borrowed from pdk_stub); for `pll` the "
        "relock time of every clock change. Gaps are the repaired baselines' energy over "
        "`exact`'s, same "
        "evaluate(); \"misses D\": even repaired, the baseline breaks the deadline. A point "
        "change is a layer-to-layer boundary where the rails or the clock change; exact's idle is "
        "the idle state it sleeps in (`power_gated`: switchable domains off, `clocked_on`: all on, "
        "clock running). Reference points: pdk_stub's off-chip PMIC ramp is 12 us, an MCU PLL "
        "relocks in tens to hundreds of us, a Jetson changes frequency in 5-20 ms (SparseDVFS). "
        "Wall time of "
        "the whole benchmark: {:.1f} s (one core).\n\n"
        "## Where the schedule starts to matter\n\n"
        "First T at which the baseline is {:g} % or more above the optimum (or misses D), then "
        "layer-level / super-block gap at each T:\n\n"
        "| network | physics | deadline | layer-level from | super-block from |{}\n"
        "|---|---|---|---|---|{}\n{}\n{}",
        characterization, kRegulatorCapacitanceUf, kRegulatorEfficiency, wall_s, kMattersPercent,
        header, rule, summary, details);
    pf::writeFileAtomic(out, report);
    fmt::print("{}", report);
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return 1;
  }
  return 0;
}
