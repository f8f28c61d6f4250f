#include "characterize/CharacterizeCommand.hh"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "characterize/Characterize.hh"
#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Progress.hh"

namespace pf {

namespace fs = std::filesystem;

const char *const kCharacterizeCommandSummary =
    "synthesize, time and measure energy/leakage of every power domain per voltage";
const char *const kCharacterizeCommandHelp =
    "usage: powerflow characterize [--design FILE] [--corners FILE] [--out FILE]\n"
    "                              [--work DIR] [--max-fanout N] [--allow-mixed-corners]\n"
    "                              [--force] [--quiet]\n"
    "\n"
    "Turns the design's RTL and a set of liberty files (a corner per supply voltage, one or\n"
    "more files each) into the characterization table the scheduler reads: per power\n"
    "domain, cells and area, fmax, leakage (on, gated, retention), wake-up time and energy,\n"
    "and energy per operation class (PE MAC cycles vs operand sparsity, idle and\n"
    "clock-gated cycles, SRAM read and write) at every corner, with where every figure\n"
    "came from.\n"
    "\n"
    "  --design FILE     design description (default rtl/design.toml)\n"
    "  --corners FILE    corner set: liberty files per voltage and, optionally, the power\n"
    "                    model (default pdk_stub/corners.toml; docs/formats.md, \"Corner\n"
    "                    set\" and \"Power model\")\n"
    "  --out FILE        characterization table, JSON (default out/characterization.json);\n"
    "                    a human-readable summary goes next to it (.txt)\n"
    "  --work DIR        netlists, tool logs and simulation builds (default out/work)\n"
    "  --max-fanout N    buffer trees keep every non-clock net at or below N (default 16)\n"
    "  --allow-mixed-corners\n"
    "                    accept corners of different process or temperature (e.g. slow,\n"
    "                    typical, fast); every output then carries a warning that they\n"
    "                    are not a voltage sweep of one process\n"
    "  --force           recompute even if the table is up to date\n"
    "  --quiet           no progress lines\n"
    "\n"
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
    "reports the existing table and exits at once. Nothing is written on failure.\n";

namespace {

struct Arguments {
  std::string design = "rtl/design.toml";
  std::string corners = "pdk_stub/corners.toml";
  std::string out = "out/characterization.json";
  std::string work = "out/work";
  int max_fanout = 16;
  bool force = false;
  bool quiet = false;
  bool allow_mixed_corners = false;
};

Arguments parseArguments(const std::vector<std::string> &args) {
  Arguments parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &flag = args[i];
    if (flag == "--force") {
      parsed.force = true;
      continue;
    }
    if (flag == "--quiet") {
      parsed.quiet = true;
      continue;
    }
    if (flag == "--allow-mixed-corners") {
      parsed.allow_mixed_corners = true;
      continue;
    }
    if (i + 1 >= args.size()) throw Error(1202, {}, flag, "expects a value");
    const std::string &value = args[++i];
    if (flag == "--design")
      parsed.design = value;
    else if (flag == "--corners")
      parsed.corners = value;
    else if (flag == "--out")
      parsed.out = value;
    else if (flag == "--work")
      parsed.work = value;
    else if (flag == "--max-fanout") {
      try {
        parsed.max_fanout = std::stoi(value);
      } catch (const std::exception &) {
        throw Error(1203, {}, flag, fmt::format("'{}' is not a number", value));
      }
      if (parsed.max_fanout < 2) throw Error(1203, {}, flag, "must be at least 2");
    } else {
      throw Error(1204, {}, flag, "unknown option (see powerflow characterize --help)");
    }
  }
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
  const Arguments arguments = parseArguments(args);
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
