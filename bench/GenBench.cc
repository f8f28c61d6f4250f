// pf_gen_bench: code generation figures -> bench/gen_results.md (`make bench`).
//
//  (a) `powerflow gen` on ResNet-101 (nets/resnet101.toml, 140 layers) on the default
//      design with the real characterization: profile and schedule it once (deadline twice
//      the minimum latency the scheduler reports), then time gen (median of 5) and record
//      the program's ROM words from the manifest.
//  (b) the power sequencer's own cost (characterize/SequencerCost.hh) for R = 1..8 rails
//      at 12 domains, and for the sequencer gen made in (a), next to the accelerator's
//      always-on domain from the characterization.
//
// Timing targets are recorded here, never asserted.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "characterize/Characterization.hh"
#include "characterize/Corners.hh"
#include "characterize/SequencerCost.hh"
#include "core/Cli.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"
#include "gen/Manifest.hh"

namespace {

constexpr const char *kNetwork = "nets/resnet101.toml";
constexpr int kGenRuns = 5;
constexpr int kDomains = 12;

struct Arguments {
  std::string out, design, characterization, corners, powerflow, work;
};

pf::ProcessResult runPowerflow(const Arguments &args, const std::vector<std::string> &tail,
                               const char *what) {
  std::vector<std::string> argv = {args.powerflow};
  argv.insert(argv.end(), tail.begin(), tail.end());
  const pf::ProcessResult run = pf::runProcess(argv);
  if (run.exit_status != 0)
    throw pf::Error(4911, {args.powerflow}, what,
                    fmt::format("powerflow {} failed (exit {}):\n{}", what, run.exit_status,
                                run.output.substr(0, 3000)));
  return run;
}

std::string firstCapture(const std::string &text, const std::regex &pattern, const char *what) {
  std::smatch match;
  if (!std::regex_search(text, match, pattern))
    throw pf::Error(4912, {}, what, fmt::format("no {} in:\n{}", what, text.substr(0, 2000)));
  return match[1];
}

// The minimum latency in us, from the scheduler's refusal (PF-7005) of a 1 us deadline.
double minimumLatencyUs(const Arguments &args, const std::string &profile) {
  const pf::ProcessResult run =
      pf::runProcess({args.powerflow, "schedule", "--design", args.design, "--characterization",
                      args.characterization, "--profile", profile, "--period-us", "2000000",
                      "--deadline-us", "1", "--out", args.work + "/refused.json"});
  if (run.exit_status == 0)
    throw pf::Error(4912, {}, "schedule", "a 1 us deadline for ResNet-101 was accepted");
  return std::stod(firstCapture(
      run.output, std::regex(R"(minimum latency of [^:]*: ([0-9.eE+]+) us)"), "minimum latency"));
}

struct GenFigures {
  double profile_seconds = 0, schedule_seconds = 0;
  double deadline_us = 0, period_us = 0;
  int layers = 0;
  int rom_depth = 0;
  pf::gen::GenManifest manifest;
  std::vector<double> gen_seconds;  // sorted
  long gen_peak_rss_mib = 0;
};

std::vector<std::string> genCommand(const Arguments &args, int rom_depth) {
  return {"gen",
          "--design",
          args.design,
          "--characterization",
          args.characterization,
          "--schedule",
          args.work + "/schedule.json",
          "--out",
          args.work + "/gen",
          "--rom-depth",
          std::to_string(rom_depth)};
}

int nextPowerOfTwo(int words) {
  int depth = 1024;  // the default ROM depth is the smallest reported
  while (depth < words) depth *= 2;
  return depth;
}

GenFigures benchGen(const Arguments &args) {
  GenFigures figures;
  std::filesystem::create_directories(args.work);
  const std::string profile = args.work + "/profile.json";
  fmt::print("profiling {} ...\n", kNetwork);
  figures.profile_seconds =
      runPowerflow(args, {"profile", kNetwork, "--design", args.design, "--out", profile},
                   "profile")
          .wall_seconds;
  figures.deadline_us = 2 * minimumLatencyUs(args, profile);
  // One inference every 2 s, as in the scheduler benchmark, unless the deadline needs more.
  figures.period_us = figures.deadline_us < 2e6 ? 2e6 : 2 * figures.deadline_us;
  fmt::print("scheduling (deadline {:.0f} us, period {:.0f} us) ...\n", figures.deadline_us,
             figures.period_us);
  figures.schedule_seconds =
      runPowerflow(
          args,
          {"schedule", "--design", args.design, "--characterization", args.characterization,
           "--profile", profile, "--period-us", fmt::format("{:.0f}", figures.period_us),
           "--deadline-us", fmt::format("{:.0f}", figures.deadline_us), "--out",
           args.work + "/schedule.json"},
          "schedule")
          .wall_seconds;
  // A first run with the largest ROM learns the program's length; the timed runs use the
  // smallest power-of-two ROM that holds it.
  runPowerflow(args, genCommand(args, 65536), "gen");
  const int words = pf::gen::readGenManifest(args.work + "/gen/manifest.json").program_words;
  figures.rom_depth = nextPowerOfTwo(words);
  fmt::print("timing powerflow gen ({} runs, ROM depth {}) ...\n", kGenRuns, figures.rom_depth);
  for (int run = 0; run < kGenRuns; ++run) {
    const pf::ProcessResult gen = runPowerflow(args, genCommand(args, figures.rom_depth), "gen");
    figures.gen_seconds.push_back(gen.wall_seconds);
    figures.gen_peak_rss_mib = std::max(figures.gen_peak_rss_mib, gen.peak_rss_kib / 1024);
    figures.layers =
        std::stoi(firstCapture(gen.output, std::regex(R"(\((\d+) layers\))"), "layers"));
  }
  std::sort(figures.gen_seconds.begin(), figures.gen_seconds.end());
  figures.manifest = pf::gen::readGenManifest(args.work + "/gen/manifest.json");
  return figures;
}

struct CostRow {
  std::string label;
  pf::SequencerCost cost;
};

std::vector<CostRow> benchSequencerCost(const Arguments &args, const GenFigures &gen,
                                        const pf::CornerSet &corners) {
  std::vector<CostRow> rows;
  for (int rails = 1; rails <= 8; ++rails) {
    fmt::print("sequencer cost, R={} at {} domains ...\n", rails, kDomains);
    pf::SequencerCostOptions options;
    options.work_dir = fmt::format("{}/sequencer_r{}", args.work, rails);
    rows.push_back({std::to_string(rails),
                    pf::characterizeSequencer(pf::representativeSequencerParams(rails, kDomains),
                                              corners, options)});
  }
  const pf::gen::SequencerParams &own = gen.manifest.sequencer;
  fmt::print("sequencer cost of the ResNet-101 gen output ...\n");
  pf::SequencerCostOptions options;
  options.work_dir = args.work + "/sequencer_gen";
  rows.push_back(
      {fmt::format("{} (gen's, {} domains, ROM {})", own.rails, own.domains, own.rom_depth),
       pf::characterizeSequencer(own, corners, options)});
  return rows;
}

std::string machineLine() {
  const pf::ProcessResult cpu = pf::runProcess(
      {"sh", "-c", "echo $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"});
  std::string text = cpu.output;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string genSection(const GenFigures &gen) {
  const double median = gen.gen_seconds[gen.gen_seconds.size() / 2];
  return fmt::format(
      "## `powerflow gen` on ResNet-101 (default design, real characterization)\n\n"
      "Schedule: deadline {:.0f} us (twice the minimum latency `powerflow schedule` reports), "
      "period {:.0f} us.\n\n"
      "| figure | value |\n|---|---|\n"
      "| layers | {} |\n"
      "| ROM words (program, manifest `program.words`) | {} |\n"
      "| ROM depth used | {} words |\n"
      "| gen wall time | {:.3f} s (median of {}; {:.3f}..{:.3f} s) |\n"
      "| gen peak memory | {} MiB |\n"
      "| profile (once, for context) | {:.1f} s |\n"
      "| schedule (once, for context) | {:.1f} s |\n"
      "| sequencer | R = {}, {} switchable domains, {} dividers, power-good timeout {} cycles "
      "|\n\n",
      gen.deadline_us, gen.period_us, gen.layers, gen.manifest.program_words, gen.rom_depth, median,
      gen.gen_seconds.size(), gen.gen_seconds.front(), gen.gen_seconds.back(), gen.gen_peak_rss_mib,
      gen.profile_seconds, gen.schedule_seconds, gen.manifest.sequencer.rails,
      gen.manifest.sequencer.domains, gen.manifest.sequencer.dividers,
      gen.manifest.sequencer.pg_timeout_cycles);
}

std::string costRow(const std::string &label, const pf::SequencerCost &cost) {
  const pf::SequencerCornerCost &low = cost.corners.front(), &high = cost.corners.back();
  return fmt::format(
      "| {} | {} | {} | {:.0f} | {:.1f} | {:.1f} | {:.2f} | {:.2f} | {:.2f} + {:.2f} | {:.1f} s "
      "|\n",
      label, cost.cells, cost.flip_flops, cost.area_um2, low.leakage_nw, high.leakage_nw,
      low.energyPerCyclePj(), high.energyPerCyclePj(), high.clock_energy_pj, high.data_energy_pj,
      cost.yosys_wall_seconds);
}

// The accelerator's always-on domain from the characterization, for scale.
std::string alwaysOnRow(const pf::Characterization &table) {
  for (const pf::DomainCharacterization &domain : table.domains) {
    if (domain.kind != pf::DomainKind::AlwaysOn) continue;
    const pf::OperationEnergy *idle = domain.findOperation("idle_clocked_cycle");
    return fmt::format(
        "| pf_accel's always-on domain `{}` (characterization, for scale) | {} | - | {:.0f} | "
        "{:.1f} | {:.1f} | {} | {} | idle clocked cycle, simulated | - |\n",
        domain.name, domain.cells, domain.area_um2, domain.leakage_nw.front(),
        domain.leakage_nw.back(), idle ? fmt::format("{:.2f}", idle->energy_pj.front()) : "-",
        idle ? fmt::format("{:.2f}", idle->energy_pj.back()) : "-");
  }
  return "";
}

std::string costSection(const std::vector<CostRow> &rows, const pf::Characterization &table) {
  const pf::SequencerCost &first = rows.front().cost;
  const double low_v = first.corners.front().voltage_v, high_v = first.corners.back().voltage_v;
  std::string text = fmt::format(
      "## The power sequencer's own cost, R = 1..8 rails at {} domains\n\n"
      "`characterizeSequencer()` (characterize/SequencerCost.hh): the generated `pf_pwrseq` "
      "(without its ROM) synthesized by Yosys onto the synthesis corner ({}), flattened, no "
      "fan-out buffering. Rows 1..8: `representativeSequencerParams(R, {})` (6 dividers, "
      "1024-word ROM, 8 of 12 domains with retention); the last sequencer row is the one gen "
      "made for ResNet-101 above.\n\n"
      "Measured: cells, flip-flops, area (Yosys `stat -liberty`), leakage (sum of the "
      "corner's `cell_leakage_power`). Energy per cycle = clock + data: the clock part from "
      "the liberty tables (every flop's clock pin and the clock net, one rise and one fall "
      "per cycle, no clock gating in the sequencer); the data part is an **estimate**: every "
      "other net toggles {} times per cycle (a borrowed vectorless default, not simulated).\n\n"
      "| R | cells | flip-flops | area (um^2) | leakage {:.2f} V (nW) | leakage {:.2f} V (nW) | "
      "energy/cycle {:.2f} V (pJ) | energy/cycle {:.2f} V (pJ) | at {:.2f} V: clock + data "
      "(pJ) | Yosys |\n|---|---|---|---|---|---|---|---|---|---|\n",
      kDomains, first.synthesis_corner, kDomains, first.data_activity, low_v, high_v, low_v, high_v,
      high_v);
  for (const CostRow &row : rows) text += costRow(row.label, row.cost);
  text += alwaysOnRow(table);
  return text + "\n";
}

pf::cli::Spec commandLine() {
  pf::cli::Spec s("pf_gen_bench", "code generation figures -> bench/gen_results.md");
  s.description(
      "Times powerflow gen on ResNet-101 and measures the power sequencer's own cost for\n"
      "1 to 8 rails (`make bench`).");
  s.path("--out", "FILE", "the results page").defaultValue("bench/gen_results.md");
  s.path("--design", "FILE", "design description").defaultValue("rtl/design.toml");
  s.path("--characterization", "FILE", "from powerflow characterize")
      .defaultValue("out/characterization.json");
  s.path("--corners", "FILE", "corner set").defaultValue("pdk_stub/corners.toml");
  s.path("--powerflow", "BIN", "the powerflow program").defaultValue("build/flows/powerflow");
  s.path("--work", "DIR", "profiles, schedules and gen outputs of the runs")
      .defaultValue("out/bench-gen");
  return s;
}

// The arguments; nothing when --help printed the help.
std::optional<Arguments> parseArguments(const pf::cli::Spec &spec, int argc, char **argv) {
  const std::optional<pf::cli::Args> given = spec.parseOrPrintHelp(argc, argv);
  if (!given) return std::nullopt;
  return Arguments{
      given->text("--out"),     given->text("--design"),    given->text("--characterization"),
      given->text("--corners"), given->text("--powerflow"), given->text("--work")};
}

}  // namespace

int main(int argc, char **argv) {
  try {
    const pf::cli::Spec spec = commandLine();
    const std::optional<Arguments> parsed = parseArguments(spec, argc, argv);
    if (!parsed) return 0;
    const Arguments &args = *parsed;
    const pf::CornerSet corners = pf::readCornerSet(args.corners);
    const pf::Characterization table = pf::readCharacterization(args.characterization);
    const GenFigures gen = benchGen(args);
    const std::vector<CostRow> rows = benchSequencerCost(args, gen, corners);
    const std::string report =
        fmt::format(
            "# powerflow code generation benchmark\n\n"
            "Regenerate with `make bench` (program: `bench/GenBench.cc`; `{} --powerflow {} "
            "--design {} --corners {} --characterization {} --out {}`). Machine: {}.\n\n",
            "build/bench/pf_gen_bench", "build/flows/powerflow", args.design, args.corners,
            args.characterization, args.out, machineLine()) +
        genSection(gen) + costSection(rows, table);
    pf::writeFileAtomic(args.out, report);
    fmt::print("{}", report);
    return 0;
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return pf::cli::exitStatusOf(error);
  }
}
