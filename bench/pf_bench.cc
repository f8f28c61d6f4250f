// pf_bench: the performance figures of the foundation, written to bench/results.md.
//
//  * synthesis: Yosys time, peak memory and cell count/area of the default
//    accelerator mapped onto the stub library at nominal voltage;
//  * simulation: Verilator cycles per second of the RTL testbench harness running a
//    fixed set of random layers;
//  * characterize: cold and warm `powerflow characterize`;
//  * SHA-256: throughput of each pf::Sha256 engine (portable, SHA-NI) on a buffer the
//    size of the ResNet-101 profile that `powerflow schedule` hashes for provenance.
//    `--only sha256` measures just this and replaces its section in the --out file,
//    leaving the other (minutes-long) figures as they are.
//
// Timing targets are recorded here, never asserted in unit tests.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "bench/SimBench.hh"
#include "core/Cli.hh"
#include "core/Design.hh"
#include "core/Error.hh"
#include "core/FileList.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Subprocess.hh"

namespace {

struct SynthesisFigures {
  double wall_seconds = 0;
  long peak_rss_mib = 0;
  long cells = 0;
  double area_um2 = 0;
};

std::string lastMatch(const std::string &text, const std::regex &pattern) {
  std::string found;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it)
    found = (*it)[1];
  return found;
}

// The last capture of `pattern` in a tool log; an absent figure is an error, not a 0.
std::string requireMatch(const std::string &log, const std::regex &pattern, const char *what) {
  const std::string found = lastMatch(log, pattern);
  if (found.empty()) throw pf::Error(4902, {}, "", fmt::format("no {} in the Yosys log", what));
  return found;
}

SynthesisFigures benchSynthesis(const pf::DesignSpec &design, const std::string &liberty) {
  std::string files;
  for (const std::string &file : pf::readFileList(design.synth_filelist)) files += " " + file;
  const std::string script = fmt::format(
      "read_verilog{0}; hierarchy -check -top {1}; synth -flatten -top {1}; "
      "dfflibmap -liberty {2}; abc -liberty {2}; opt_clean; stat -liberty {2}",
      files, design.top, liberty);
  const pf::ProcessResult run = pf::runProcess({"yosys", "-p", script});
  if (run.exit_status != 0)
    throw pf::Error(4901, {design.synth_filelist}, "", "Yosys synthesis failed:\n" + run.output);
  SynthesisFigures figures;
  figures.wall_seconds = run.wall_seconds;
  figures.peak_rss_mib = run.peak_rss_kib / 1024;
  figures.cells =
      std::stol(requireMatch(run.output, std::regex(R"(Number of cells:\s+(\d+))"), "cell count"));
  figures.area_um2 = std::stod(requireMatch(
      run.output, std::regex(R"(Chip area for (?:top )?module '[^']+': ([0-9.]+))"), "chip area"));
  return figures;
}

// "N cores, CPU model" of this machine, for reading the figures in context.
struct CharacterizeFigures {
  double cold_seconds = 0;
  long cold_peak_rss_mib = 0;  // largest process of the run (Yosys, during synthesis)
  double warm_seconds = 0;
  long warm_peak_rss_mib = 0;
};

// `powerflow characterize` on the default design: cold (fresh work directory, no
// cache) and warm (unchanged inputs). Peak memory is ru_maxrss of
// each run as wait4 reports it: on Linux the maximum over the process and the
// descendants it waited for, i.e. the largest tool of the run.
CharacterizeFigures benchCharacterize(const std::string &powerflow, const std::string &design) {
  const std::string work = "out/bench-characterize";
  std::filesystem::remove_all(work);
  const std::vector<std::string> command = {
      powerflow, "characterize", "--design", design, "--out", work + "/characterization.json",
      "--work",  work + "/work"};
  CharacterizeFigures figures;
  const pf::ProcessResult cold = pf::runProcess(command);
  if (cold.exit_status != 0)
    throw pf::Error(4903, {design}, "", "characterize failed:\n" + cold.output);
  figures.cold_seconds = cold.wall_seconds;
  figures.cold_peak_rss_mib = cold.peak_rss_kib / 1024;
  const pf::ProcessResult warm = pf::runProcess(command);
  if (warm.exit_status != 0)
    throw pf::Error(4903, {design}, "", "characterize failed:\n" + warm.output);
  figures.warm_seconds = warm.wall_seconds;
  figures.warm_peak_rss_mib = warm.peak_rss_kib / 1024;
  return figures;
}

// One timed pf::sha256Hex per engine over the same bytes (a fixed pseudo-random pattern,
// so every run hashes the same input); an engine this CPU lacks gets no row figures.
struct HashRun {
  pf::Sha256Engine engine;
  bool available = false;
  double seconds = 0;
};

constexpr size_t kHashBytes = 52'000'000;  // the ResNet-101 profile is ~52 MB

std::vector<HashRun> benchSha256() {
  std::string bytes(kHashBytes, '\0');
  uint32_t x = 0x9e3779b9;
  for (char &c : bytes) {
    x = x * 1664525u + 1013904223u;  // LCG: cheap, and not a run of equal bytes
    c = static_cast<char>(x >> 24);
  }
  std::vector<HashRun> runs;
  std::string first_digest;
  for (pf::Sha256Engine engine : {pf::Sha256Engine::Portable, pf::Sha256Engine::ShaNi}) {
    HashRun run{engine};
    run.available = pf::sha256EngineAvailable(engine);
    if (run.available) {
      const auto start = std::chrono::steady_clock::now();
      const std::string digest = pf::sha256Hex(bytes, engine);
      run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // The engines must agree, or the faster figure means nothing.
      if (first_digest.empty()) first_digest = digest;
      if (digest != first_digest)
        throw pf::Error(4904, {}, "", "SHA-256 engines disagree on the benchmark input");
    }
    runs.push_back(run);
  }
  return runs;
}

std::string sha256Section(const std::vector<HashRun> &runs) {
  const double megabytes = static_cast<double>(kHashBytes) / 1e6;
  std::string section = fmt::format(
      "## SHA-256 (`pf::sha256Hex`, the provenance hash of every input file)\n\n"
      "One run per engine, one thread, over {:.0f} MB (10^6 bytes) of pseudo-random bytes, the\n"
      "size of the ResNet-101 profile that `powerflow schedule` hashes for provenance. The\n"
      "default engine on this machine is {}. Refresh only this section with\n"
      "`build/bench/pf_bench --only sha256 --out bench/results.md`.\n\n"
      "| engine | time | throughput |\n|---|---|---|\n",
      megabytes, pf::sha256EngineName(pf::sha256DefaultEngine()));
  double portable = 0, sha_ni = 0;
  for (const HashRun &run : runs) {
    if (!run.available) {
      section +=
          fmt::format("| {} | not available on this CPU | |\n", pf::sha256EngineName(run.engine));
      continue;
    }
    const double rate = megabytes / run.seconds;
    (run.engine == pf::Sha256Engine::ShaNi ? sha_ni : portable) = rate;
    section += fmt::format("| {} | {:.1f} ms | {:.0f} MB/s |\n", pf::sha256EngineName(run.engine),
                           run.seconds * 1e3, rate);
  }
  if (portable > 0 && sha_ni > 0)
    section += fmt::format("| ratio sha-ni / portable | | {:.1f}x |\n", sha_ni / portable);
  return section;
}

// `report` with its SHA-256 section replaced by `section` (appended if it has none).
std::string withSha256Section(const std::string &report, const std::string &section) {
  const size_t begin = report.find("## SHA-256");
  if (begin == std::string::npos) {
    std::string out = report;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out + "\n\n" + section;
  }
  const size_t end = report.find("\n## ", begin);
  return report.substr(0, begin) + section + (end == std::string::npos ? "" : report.substr(end));
}

std::string machineLine() {
  const pf::ProcessResult cpu = pf::runProcess(
      {"sh", "-c", "echo $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"});
  std::string text = cpu.output;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

pf::cli::Spec commandLine() {
  pf::cli::Spec s("pf_bench", "the performance figures of the foundation -> bench/results.md");
  s.description(
      "Synthesis, RTL simulation, cold and warm powerflow characterize and SHA-256 throughput\n"
      "(`make bench`).");
  s.path("--out", "FILE", "the results page").defaultValue("bench/results.md");
  s.path("--design", "FILE", "design description").defaultValue("rtl/design.toml");
  s.path("--liberty", "FILE", "the standard-cell library synthesis maps onto")
      .defaultValue("pdk_stub/lib/pf40lp_std_v1p10.lib");
  s.choice("--only", "NAME", {"sha256"},
           "measure just this and replace its section in the --out file, leaving the other "
           "(minutes-long) figures as they are");
  return s;
}

}  // namespace

int main(int argc, char **argv) {
  const pf::cli::Spec spec = commandLine();
  std::string out_path, design_path, liberty, only;
  const std::string powerflow = "build/flows/powerflow";
  try {
    const std::optional<pf::cli::Args> args = spec.parseOrPrintHelp(argc, argv);
    if (!args) return 0;
    out_path = args->text("--out");
    design_path = args->text("--design");
    liberty = args->text("--liberty");
    only = args->text("--only");
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return pf::cli::exitStatusOf(error);
  }
  try {
    if (only == "sha256") {
      fmt::print("hashing {} MB with each SHA-256 engine ...\n", kHashBytes / 1000000);
      const std::string section = sha256Section(benchSha256());
      pf::writeFileAtomic(out_path, withSha256Section(pf::readTextFile(out_path), section));
      fmt::print("{}", section);
      return 0;
    }
    const pf::DesignSpec design = pf::readDesign(design_path);
    fmt::print("synthesising {} onto {} ...\n", design.top, liberty);
    const SynthesisFigures synth = benchSynthesis(design, liberty);
    fmt::print("simulating random layers in Verilator ...\n");
    const pf::SimFigures sim = pf::benchSimulation();
    fmt::print("characterizing (cold, then warm) ...\n");
    const CharacterizeFigures characterize = benchCharacterize(powerflow, design_path);
    fmt::print("hashing {} MB with each SHA-256 engine ...\n", kHashBytes / 1000000);
    const std::vector<HashRun> hashes = benchSha256();
    std::string report = fmt::format(
        "# powerflow benchmark results\n\n"
        "Regenerate with `make bench` (program: `bench/pf_bench.cc`). Machine: {}.\n\n"
        "## Synthesis of the default accelerator (Yosys, flattened, stub library at 1.10 V)\n\n"
        "| figure | value | target |\n|---|---|---|\n"
        "| wall time | {:.1f} s | < 60 s on 2 cores |\n"
        "| peak memory | {} MiB | |\n"
        "| cells (SRAM macros as black boxes) | {} | |\n"
        "| cell area | {:.0f} um^2 | |\n\n"
        "## RTL simulation (Verilator, testbench harness, no trace)\n\n"
        "| figure | value |\n|---|---|\n"
        "| layers run | {} |\n"
        "| simulated cycles | {} |\n"
        "| wall time | {:.2f} s |\n"
        "| cycles per second | {:.2f} M |\n\n"
        "## Characterize (`powerflow characterize`, default design, 6 stub corners)\n\n"
        "| figure | value | target |\n|---|---|---|\n"
        "| cold run (empty work directory) | {:.1f} s | < 180 s on 2 cores |\n"
        "| cold peak memory (largest process) | {} MiB | |\n"
        "| warm run (inputs unchanged) | {:.2f} s | < 2 s |\n"
        "| warm peak memory | {} MiB | |\n\n{}",
        machineLine(), synth.wall_seconds, synth.peak_rss_mib, synth.cells, synth.area_um2,
        sim.layers, sim.cycles, sim.wall_seconds,
        static_cast<double>(sim.cycles) / sim.wall_seconds / 1e6, characterize.cold_seconds,
        characterize.cold_peak_rss_mib, characterize.warm_seconds, characterize.warm_peak_rss_mib,
        sha256Section(hashes));
    pf::writeFileAtomic(out_path, report);
    fmt::print("{}", report);
    return 0;
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return 1;
  }
}
