// pf_cosim_bench: co-simulation speed -> bench/sim_results.md (`make bench`).
//
// On the default flow's files (out/: profile, schedule, gen of KWS on the default design),
// in one process, each run repeated and the best taken:
//   (a) the co-simulation with energy accounting (what powerflow sim runs, no trace);
//   (b) the same without the energy accounting (the meter switched off): (a)/(b) is the
//       accounting's cost;
//   (c) the bare datapath harness (sim/AccelHarness, the Verilated pf_accel the tests
//       use) running the same descriptors back to back, all domains on: (a)/(c) is the
//       cost of the whole co-simulation around the datapath (sequencer, power network,
//       monitors, checks).
// Cycles per second count clock cycles simulated (the stopped-clock sleep is skipped in
// no time and not counted). Recorded, never asserted.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "core/Cli.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "sim/AccelHarness.hh"
#include "sim/NetData.hh"
#include "sim/cosim/CoSim.hh"
#include "sim/cosim/SimInputs.hh"
#include "workload/Profile.hh"

namespace {

constexpr int kRepeats = 3;
constexpr int kPeriods = 3;

struct Figure {
  uint64_t cycles = 0;
  double seconds = 1e300;
  double rate() const { return double(cycles) / seconds; }
};

Figure coSim(const pf::sim::SimInputs &inputs, const std::string &library, bool account) {
  Figure best;
  for (int r = 0; r < kRepeats; ++r) {
    pf::sim::CoSimSetup setup = inputs.setup;
    setup.account_energy = account;
    pf::sim::SystemModel model(library, inputs.rom_image);
    const pf::sim::CoSimResult result = pf::sim::runCoSim(setup, model);
    if (result.wall_seconds < best.seconds) best = {result.cycles, result.wall_seconds};
  }
  return best;
}

Figure bareHarness(const pf::sim::SimInputs &inputs, const pf::Profile &profile) {
  const pf::Mapping &mapping = inputs.setup.mapping;
  const pf::NetData data = pf::makeNetData(mapping, 1);
  Figure best;
  for (int r = 0; r < kRepeats; ++r) {
    pf::AccelHarness harness({}, std::max<size_t>(mapping.ext.end + 4096, size_t{1} << 20));
    harness.writeMemory(0, pf::externalImage(mapping, data));
    const uint64_t before = pf::AccelHarness::totalCycles();
    const auto start = std::chrono::steady_clock::now();
    for (int p = 0; p < kPeriods; ++p)
      for (const pf::LayerProfile &layer : profile.layers)
        for (const pf::ProfileTile &tile : layer.descriptors)
          harness.run(tile.desc, tile.desc_addr, 10'000'000);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < best.seconds) best = {pf::AccelHarness::totalCycles() - before, seconds};
  }
  return best;
}

pf::cli::Spec commandLine() {
  pf::cli::Spec s("pf_cosim_bench", "co-simulation speed -> bench/sim_results.md");
  s.description(
      "Times the co-simulation of the default flow's files with and without energy accounting\n"
      "and the bare datapath harness on the same descriptors (`make bench`).");
  const pf::sim::SimFiles files;
  s.path("--out", "FILE", "the results page").defaultValue("bench/sim_results.md");
  s.path("--work", "DIR", "Verilator build cache").defaultValue("out/sim-work");
  s.path("--gen", "DIR", "powerflow gen's output").defaultValue(files.gen_dir);
  s.path("--design", "FILE", "design description").defaultValue(files.design);
  s.path("--characterization", "FILE", "from powerflow characterize")
      .defaultValue(files.characterization);
  s.path("--profile", "FILE", "from powerflow profile").defaultValue(files.profile);
  s.path("--schedule", "FILE", "from powerflow schedule").defaultValue(files.schedule);
  return s;
}

}  // namespace

int main(int argc, char **argv) {
  const pf::cli::Spec spec = commandLine();
  std::string out, work;
  pf::sim::SimFiles files;
  try {
    const std::optional<pf::cli::Args> args = spec.parseOrPrintHelp(argc, argv);
    if (!args) return 0;
    out = args->text("--out");
    work = args->text("--work");
    files.gen_dir = args->text("--gen");
    files.design = args->text("--design");
    files.characterization = args->text("--characterization");
    files.profile = args->text("--profile");
    files.schedule = args->text("--schedule");
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return pf::cli::exitStatusOf(error);
  }
  try {
    const pf::sim::SimInputs inputs = pf::sim::loadSimInputs(files, kPeriods, 1, "pf_cosim_bench");
    const pf::sim::SystemModelBuild build =
        pf::sim::buildSystemModel(inputs.sources, (std::filesystem::path(work) / "model").string());
    const Figure with = coSim(inputs, build.library, true);
    const Figure without = coSim(inputs, build.library, false);
    const Figure bare = bareHarness(inputs, pf::readProfile(files.profile));
    std::string text = fmt::format(
        "# Co-simulation speed\n\n"
        "Generated by `make bench` (bench/CoSimBench.cc) on the default flow: {} on the "
        "default design, {} periods, best of {} runs each, no trace. Clock cycles simulated "
        "per second of wall time; the stopped-clock sleep is skipped and not counted.\n\n"
        "| run | cycles | seconds | cycles/s |\n|---|---:|---:|---:|\n"
        "| (a) co-simulation with energy accounting | {} | {:.3f} | {:.3g} |\n"
        "| (b) co-simulation without energy accounting | {} | {:.3f} | {:.3g} |\n"
        "| (c) bare datapath harness, same descriptors | {} | {:.3f} | {:.3g} |\n\n"
        "- energy accounting costs **{:.1f} %** of the co-simulation's speed ((b) / (a) - 1; "
        "target: under 20 %)\n"
        "- the co-simulation runs at **{:.2f}x** the bare harness's speed ((a) / (c))\n\n"
        "Builds: the co-simulation model of (a) and (b) is compiled at -O1 by Verilator's own "
        "make with g++ (sim/cosim/SystemModel.cc: the build is the cost of a run of a few "
        "periods; the model runs at about half its -O2 speed, docs/sim.md); the bare harness "
        "(c) is the test build's default datapath model, its generated code at -O2, compiled "
        "by the main tree's compiler (tests/rtl/CMakeLists.txt).\n",
        inputs.setup.schedule.network, kPeriods, kRepeats, with.cycles, with.seconds, with.rate(),
        without.cycles, without.seconds, without.rate(), bare.cycles, bare.seconds, bare.rate(),
        100.0 * (without.rate() / with.rate() - 1.0), with.rate() / bare.rate());
    pf::writeFileAtomic(out, text);
    fmt::print("{}", text);
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.what());
    return 1;
  }
  return 0;
}
