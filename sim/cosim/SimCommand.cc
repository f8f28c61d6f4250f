#include "sim/cosim/SimCommand.hh"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Progress.hh"
#include "sim/cosim/SimInputs.hh"
#include "sim/cosim/SimReport.hh"

namespace pf {

const char *const kSimCommandSummary =
    "co-simulate datapath + generated sequencer: outputs, monitors, deadline, energy";
const char *const kSimCommandHelp =
    "usage: powerflow sim [--design FILE] [--characterization FILE] [--profile FILE]\n"
    "                     [--schedule FILE] [--gen DIR] [--out DIR] [--work DIR]\n"
    "                     [--periods N] [--seed N] [--trace FILE.fst] [--rom FILE]\n"
    "                     [--net FILE] [--rails \"V1 V2 ...\"] [--switch-slowdown X]\n"
    "\n"
    "Runs the RTL of the accelerator with the sequencer and ROM that powerflow gen wrote\n"
    "in Verilator for N periods of the scheduled network, with behavioural header\n"
    "switches, rails, clock generator, period timer and external memory (docs/sim.md), and\n"
    "checks: every layer's output bit-exact against the golden model in every period, the\n"
    "power-aware monitors silent, the deadline met, each layer's cycles equal to the\n"
    "profile's, and the energy integrated every cycle within 1 % of the schedule's\n"
    "prediction. Writes DIR/report.json and DIR/report.txt; exit status 1 when a check\n"
    "fails (the report says which), 0 when all pass. Progress goes to stdout: a line per\n"
    "period simulated (\"sim: period 2/3 done (...)\") and, in a long period, one about\n"
    "every 2 s naming the layer that runs.\n"
    "\n"
    "  --design FILE            design description (default rtl/design.toml)\n"
    "  --characterization FILE  (default out/characterization.json)\n"
    "  --profile FILE           (default out/profile.json)\n"
    "  --schedule FILE          (default out/schedule.json)\n"
    "  --gen DIR                powerflow gen's output (default out/gen)\n"
    "  --out DIR                report directory (default out/sim)\n"
    "  --work DIR               Verilator build cache (default out/sim-work)\n"
    "  --periods N              periods to simulate, 1..1000 (default 3)\n"
    "  --seed N                 the network input of period p from seed N + p (default 1;\n"
    "                           the weights are the network's, sim/NetData.hh)\n"
    "  --trace FILE.fst         also write an FST trace (power state, rail and divider of\n"
    "                           every domain as named signals pwr_*, rail_*, divider)\n"
    "  --rom FILE               run this ROM image instead of gen's (a patched program)\n"
    "  --net FILE               the network the profile was made from (default: the\n"
    "                           profile's network_file)\n"
    "  --rails \"V1 V2 ...\"      the rails the schedule was made with (as for gen)\n"
    "  --switch-slowdown X      power-good comes X times later than characterized (1..1000,\n"
    "                           default 1): what a slower switch or regulator would do; the\n"
    "                           run's checks still judge it against the schedule\n";

namespace {

struct Arguments {
  sim::SimFiles files;
  std::string out = "out/sim";
  std::string work = "out/sim-work";
  std::string trace;
  int periods = 3;
  uint32_t seed = 1;
  double switch_slowdown = 1.0;
  std::string command_line = "powerflow sim";
};

long integerOption(const std::string &flag, const std::string &value, long lo, long hi) {
  const bool digits = !value.empty() && value.size() < 10 &&
                      value.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stol(value) < lo || std::stol(value) > hi)
    throw Error(9001, {}, flag, fmt::format("'{}' is not a whole number in {}..{}", value, lo, hi));
  return std::stol(value);
}

Arguments parseArguments(const std::vector<std::string> &args) {
  Arguments parsed;
  for (const std::string &arg : args) parsed.command_line += " " + arg;
  for (size_t i = 0; i < args.size(); i += 2) {
    const std::string &flag = args[i];
    if (i + 1 >= args.size()) throw Error(9001, {}, flag, "expects a value");
    const std::string &value = args[i + 1];
    if (flag == "--design")
      parsed.files.design = value;
    else if (flag == "--characterization")
      parsed.files.characterization = value;
    else if (flag == "--profile")
      parsed.files.profile = value;
    else if (flag == "--schedule")
      parsed.files.schedule = value;
    else if (flag == "--gen")
      parsed.files.gen_dir = value;
    else if (flag == "--rom")
      parsed.files.rom = value;
    else if (flag == "--net")
      parsed.files.network = value;
    else if (flag == "--rails")
      parsed.files.rails = value;
    else if (flag == "--out")
      parsed.out = value;
    else if (flag == "--work")
      parsed.work = value;
    else if (flag == "--trace")
      parsed.trace = value;
    else if (flag == "--periods")
      parsed.periods = int(integerOption(flag, value, 1, 1000));
    else if (flag == "--seed")
      parsed.seed = uint32_t(integerOption(flag, value, 0, 999999999));
    else if (flag == "--switch-slowdown")
      parsed.switch_slowdown = double(integerOption(flag, value, 1, 1000));
    else
      throw Error(9001, {}, flag, "unknown option (see powerflow sim --help)");
  }
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
  const Arguments parsed = parseArguments(args);
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
  sim::SimRunInfo info{parsed.command_line, inputs.inputs,       inputs.input_hashes,
                       build.reused,        build.build_seconds, parsed.trace};
  const std::string summary = sim::simSummaryText(inputs.setup, result, verdict);
  OutputSet outputs;
  outputs.add((std::filesystem::path(parsed.out) / "report.json").string(),
              sim::simReportJson(inputs.setup, result, verdict, info).dump());
  outputs.add((std::filesystem::path(parsed.out) / "report.txt").string(), summary);
  outputs.commit();
  fmt::print("{}wrote {}/report.json and report.txt\n", summary, parsed.out);
  return verdict.passed ? 0 : 1;
}

}  // namespace pf
