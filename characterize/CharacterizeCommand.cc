#include "characterize/CharacterizeCommand.hh"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "characterize/Characterize.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Progress.hh"

namespace pf {

namespace fs = std::filesystem;

const cli::Spec &characterizeCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow characterize",
                "synthesize, time and measure energy/leakage of every power domain per voltage");
    s.description(
        "Turns the design's RTL and a set of liberty files (a corner per supply voltage, one or\n"
        "more files each) into the characterization table the scheduler reads: per power\n"
        "domain, cells and area, fmax, leakage (on, gated, retention), wake-up time and energy,\n"
        "and energy per operation class (PE MAC cycles vs operand sparsity, idle and\n"
        "clock-gated cycles, SRAM read and write) at every corner, with where every figure\n"
        "came from.");
    s.path("--design", "FILE", "design description").defaultValue("rtl/design.toml");
    s.path("--corners", "FILE",
           "corner set: liberty files per voltage and, optionally, the power model "
           "(docs/formats.md, \"Corner set\" and \"Power model\")")
        .defaultValue("pdk_stub/corners.toml");
    s.path("--out", "FILE",
           "characterization table, JSON; a human-readable summary goes next to it (.txt)")
        .defaultValue("out/characterization.json");
    s.path("--work", "DIR", "netlists, tool logs and simulation builds").defaultValue("out/work");
    s.integer("--max-fanout", "N", "buffer trees keep every non-clock net at or below N")
        .atLeast(2)
        .atMost(1000000)
        .defaultValue(16);
    s.flag("--allow-mixed-corners",
           "accept corners of different process or temperature (e.g. slow, typical, fast); "
           "every output then carries a warning that they are not a voltage sweep of one "
           "process");
    s.flag("--force", "recompute even if the table is up to date");
    s.flag("--quiet", "no progress lines");
    s.epilogue(
        "Progress goes to stderr, one line per step as it starts and ends, counted, with its\n"
        "wall time or \"(cached)\" (e.g. \"characterize: 2/5 timing at 6 corners (OpenSTA) ...\n"
        "done in 4.3 s\"); it is never written into the output files.\n"
        "\n"
        "Every liberty file is parsed and checked first, before any tool runs: a file that is\n"
        "empty, truncated, binary or without nom_voltage, a corner whose voltage_v is not its\n"
        "libraries' nom_voltage, or corners of several processes/temperatures (without the\n"
        "option above) are refused naming file, line and field.\n"
        "\n"
        "The table and its summary say where every figure comes from: your liberty files, your\n"
        "power model, a number borrowed from the stub PDK (flagged '!'), or a stated option.\n"
        "Without a power model the stub's applies (a warning says how to write one); a model\n"
        "made for other libraries, used outside its voltages, or a liberty file standing for\n"
        "several corners is warned about.\n"
        "\n"
        "The table records the SHA-256 of everything it depends on (RTL, liberty files, corner\n"
        "set, power model, options, tool versions); a run whose inputs have not changed\n"
        "reports the existing table and exits at once. Nothing is written on failure.\n");
    return s;
  }();
  return spec;
}

namespace {

struct Arguments {
  std::string design;
  std::string corners;
  std::string out;
  std::string work;
  int max_fanout = 16;
  bool force = false;
  bool quiet = false;
  bool allow_mixed_corners = false;
};

Arguments argumentsOf(const cli::Args &args) {
  Arguments parsed;
  parsed.design = args.text("--design");
  parsed.corners = args.text("--corners");
  parsed.out = args.text("--out");
  parsed.work = args.text("--work");
  parsed.max_fanout = int(args.integer("--max-fanout"));
  parsed.force = args.flag("--force");
  parsed.quiet = args.flag("--quiet");
  parsed.allow_mixed_corners = args.flag("--allow-mixed-corners");
  return parsed;
}

std::string summaryPath(const std::string &out) {
  return fs::path(out).replace_extension(".txt").string();
}

// The existing table if it was made from exactly these inputs.
bool upToDate(const std::string &out, const std::string &inputs_sha256) {
  if (!fs::exists(out)) return false;
  try {
    const Characterization existing = readCharacterization(out);
    return existing.inputs_sha256 == inputs_sha256;
  } catch (const Error &) {
    return false;  // unreadable or older format: recompute
  }
}

}  // namespace

int runCharacterizeCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> parsed = characterizeCommandLine().parseOrPrintHelp(args);
  if (!parsed) return 0;
  const Arguments arguments = argumentsOf(*parsed);
  const DesignSpec design = readDesign(arguments.design);
  const CornerSet corners = readCornerSet(arguments.corners);
  // Every liberty file through our own parser before any tool runs (even `yosys -V` for
  // the inputs hash below); the tools only see files that passed.
  LibraryCheckOptions check_options;
  check_options.allow_mixed_corners = arguments.allow_mixed_corners;
  const CheckedLibraries checked = checkCornerLibraries(corners, check_options);
  for (const CharacterizationWarning &warning : checked.warnings)
    fmt::print(stderr, "{}\n", warning.text);
  CharacterizeOptions options;
  options.work_dir =
      fs::absolute(arguments.work).lexically_normal().string();  // tools run in subdirectories
  options.max_fanout = arguments.max_fanout;
  options.allow_mixed_corners = arguments.allow_mixed_corners;
  options.command_line = fmt::format("powerflow characterize --design {} --corners {}",
                                     arguments.design, arguments.corners);
  StreamProgress terminal(std::cerr);  // status on stderr, as before; results on stdout
  if (!arguments.quiet) options.progress = &terminal;
  if (!arguments.force &&
      upToDate(arguments.out, characterizationInputsHash(design, corners, options))) {
    fmt::print("{} is up to date (inputs unchanged)\n", arguments.out);
    fmt::print("{}", readTextFile(summaryPath(arguments.out)));
    return 0;
  }
  const Characterization table = characterize(design, corners, checked, options);
  const std::string summary = characterizationSummary(table);
  OutputSet outputs;
  outputs.add(arguments.out, characterizationToJson(table).dump());
  outputs.add(summaryPath(arguments.out), summary);
  outputs.commit();
  fmt::print("wrote {}\n{}", arguments.out, summary);
  return 0;
}

}  // namespace pf
