#include "sim/cosim/SimCommand.hh"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "core/Design.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Progress.hh"
#include "sim/cosim/SimInputs.hh"
#include "sim/cosim/SimReport.hh"

namespace pf {

const cli::Spec &simCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow sim",
                "co-simulate datapath + generated sequencer: outputs, monitors, deadline, energy");
    s.description(
        "Runs the RTL of the accelerator with the sequencer and ROM that powerflow gen wrote\n"
        "in Verilator for N periods of the scheduled network, with behavioural header\n"
        "switches, rails, clock generator, period timer and external memory (docs/sim.md), and\n"
        "checks: every layer's output bit-exact against the golden model in every period, the\n"
        "power-aware monitors silent, the deadline met, each layer's cycles equal to the\n"
        "profile's, and the energy integrated every cycle within 1 % of the schedule's\n"
        "prediction. Writes DIR/report.json and DIR/report.txt; exit status 1 when a check\n"
        "fails (the report says which), 0 when all pass. Progress goes to stdout: a line per\n"
        "period simulated (\"sim: period 2/3 done (...)\") and, in a long period, one about\n"
        "every 2 s naming the layer that runs.");
    const sim::SimFiles files;
    s.path("--design", "FILE", "design description").defaultValue(files.design);
    s.path("--characterization", "FILE", "from powerflow characterize")
        .defaultValue(files.characterization);
    s.path("--profile", "FILE", "from powerflow profile").defaultValue(files.profile);
    s.path("--schedule", "FILE", "from powerflow schedule").defaultValue(files.schedule);
    s.path("--gen", "DIR", "powerflow gen's output").defaultValue(files.gen_dir);
    s.path("--out", "DIR", "report directory").defaultValue("out/sim");
    s.path("--work", "DIR", "Verilator build cache").defaultValue("out/sim-work");
    s.integer("--periods", "N", "periods to simulate").range(1, 1000).defaultValue(3);
    s.integer("--seed", "N",
              "the network input of period p from seed N + p (the weights are the network's, "
              "sim/NetData.hh)")
        .range(0, 999999999)
        .defaultValue(1);
    s.path("--trace", "FILE.fst",
           "also write an FST trace (power state, rail and divider of every domain as named "
           "signals pwr_*, rail_*, divider)");
    s.path("--rom", "FILE", "run this ROM image instead of gen's (a patched program)");
    s.path("--net", "FILE", "the network the profile was made from")
        .defaultShown("the profile's network_file");
    s.list("--rails", "\"V1 V2 ...\"", "the rails the schedule was made with (as for gen)")
        .count(size_t(kMinRails), size_t(kMaxRails));
    s.integer("--switch-slowdown", "X",
              "power-good comes X times later than characterized: what a slower switch or "
              "regulator would do; the run's checks still judge it against the schedule")
        .range(1, 1000)
        .defaultValue(1);
    return s;
  }();
  return spec;
}

namespace {

struct Arguments {
  sim::SimFiles files;
  std::string out;
  std::string work;
  std::string trace;
  int periods = 3;
  uint32_t seed = 1;
  double switch_slowdown = 1.0;
  std::string command_line = "powerflow sim";
};

Arguments argumentsOf(const cli::Args &args) {
  Arguments parsed;
  for (const std::string &arg : args.words()) parsed.command_line += " " + arg;
  parsed.files.design = args.text("--design");
  parsed.files.characterization = args.text("--characterization");
  parsed.files.profile = args.text("--profile");
  parsed.files.schedule = args.text("--schedule");
  parsed.files.gen_dir = args.text("--gen");
  parsed.files.rom = args.text("--rom");
  parsed.files.network = args.text("--net");
  parsed.files.rails = args.text("--rails");
  parsed.out = args.text("--out");
  parsed.work = args.text("--work");
  parsed.trace = args.text("--trace");
  parsed.periods = int(args.integer("--periods"));
  parsed.seed = uint32_t(args.integer("--seed"));
  parsed.switch_slowdown = double(args.integer("--switch-slowdown"));
  return parsed;
}

// Refuse an output directory we cannot write before minutes of simulation, not after.
void checkWritable(const std::string &dir, const std::string &flag) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(dir, error);
  const fs::path probe = fs::path(dir) / ".pf_sim_write_probe";
  std::ofstream out(probe);
  if (error || !out) throw Error(9002, {dir}, flag, "cannot write into this directory");
  out.close();
  fs::remove(probe, error);
}

}  // namespace

int runSimCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> command_line = simCommandLine().parseOrPrintHelp(args);
  if (!command_line) return 0;
  const Arguments parsed = argumentsOf(*command_line);
  sim::SimInputs inputs =
      sim::loadSimInputs(parsed.files, parsed.periods, parsed.seed, parsed.command_line);
  checkWritable(parsed.out, "--out");
  checkWritable(parsed.work, "--work");
  if (!parsed.trace.empty())
    checkWritable(std::filesystem::absolute(parsed.trace).parent_path().string(), "--trace");
  inputs.sources.trace = !parsed.trace.empty();
  inputs.setup.switch_slowdown = parsed.switch_slowdown;
  const std::string work =
      (std::filesystem::path(parsed.work) / (parsed.trace.empty() ? "model" : "model_fst"))
          .string();
  StreamProgress progress(std::cout);  // status on stdout, as the command printed it before
  ProgressStep build_step(&progress,
                          fmt::format("sim: co-simulation model (Verilator, cached in {})", work));
  const sim::SystemModelBuild build = sim::buildSystemModel(inputs.sources, work);
  if (build.reused)
    build_step.cached();
  else
    build_step.done();
  sim::SystemModel model(build.library, inputs.rom_image);
  if (!parsed.trace.empty()) model.openTrace(parsed.trace);
  inputs.setup.progress = &progress;
  const sim::CoSimResult result = sim::runCoSim(inputs.setup, model);
  const sim::SimVerdict verdict = sim::judge(inputs.setup, result);
  // Whether the Verilated model was reused is on the terminal (above), not in the report:
  // a warm run writes the same bytes as a cold one.
  sim::SimRunInfo info{parsed.command_line, inputs.inputs, inputs.input_hashes, parsed.trace};
  const std::string summary = sim::simSummaryText(inputs.setup, result, verdict);
  OutputSet outputs;
  outputs.add((std::filesystem::path(parsed.out) / "report.json").string(),
              sim::simReportJson(inputs.setup, result, verdict, info).dump());
  outputs.add((std::filesystem::path(parsed.out) / "report.txt").string(), summary);
  outputs.commit();
  // The wall time on the terminal only: report.txt stays the same for the same inputs.
  fmt::print("{}sim: {} cycles in {:.2f} s of wall time\nwrote {}/report.json and report.txt\n",
             summary, result.cycles, result.wall_seconds, parsed.out);
  return verdict.passed ? 0 : 1;
}

}  // namespace pf
