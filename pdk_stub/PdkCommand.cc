#include "pdk_stub/PdkCommand.hh"

#include <fmt/format.h>

#include <filesystem>

#include "core/Error.hh"
#include "core/Files.hh"
#include "pdk_stub/Cells.hh"
#include "pdk_stub/LibertyWriter.hh"
#include "pdk_stub/PowerSidecarWriter.hh"
#include "pdk_stub/ProcessReader.hh"

namespace pf {

const char *const kPdkCommandSummary =
    "regenerate the stub PDK (liberty per voltage, SRAM macros, rails and switches)";

const char *const kPdkCommandHelp =
    R"(usage: powerflow pdk [--params FILE] [--out DIR]

Regenerates the stub 40 nm-class LP PDK from its physical model:
  DIR/<name>_std_vX.lib    standard cells (NLDM liberty), one per corner in corners_v
  DIR/<name>_sram_vX.lib   SRAM macros (sizes from [[sram.macros]]), one per corner
  DIR/<name>_power.toml    rails, header switches, isolation, level shifters, SRAM retention

options:
  --params FILE   process description (default pdk_stub/process.toml)
  --out DIR       output directory (default pdk_stub/lib); created if missing
  -h, --help      show this text

All files are written at the end or not at all. Output is byte-identical for identical
inputs (no dates or absolute paths). Model and sources: docs/pdk_stub.md.
)";

namespace {

namespace fs = std::filesystem;

constexpr int kErrorUsage = 2010;

struct PdkOptions {
  std::string params = "pdk_stub/process.toml";
  std::string out = "pdk_stub/lib";
  bool help = false;
};

PdkOptions parseOptions(const std::vector<std::string> &args) {
  PdkOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "-h" || arg == "--help") {
      options.help = true;
    } else if (arg == "--params" || arg == "--out") {
      if (i + 1 >= args.size())
        throw Error(kErrorUsage, {}, arg, "option needs a value (see powerflow pdk --help)");
      (arg == "--params" ? options.params : options.out) = args[++i];
    } else {
      throw Error(kErrorUsage, {}, arg, "unknown argument (see powerflow pdk --help)");
    }
  }
  return options;
}

// The banner names the inputs, not the output directory, so files regenerated elsewhere
// (tests, other checkouts) are byte-identical. Absolute paths inside the working directory
// are shown relative to it.
std::string bannerCommand(const std::string &params) {
  fs::path path = fs::path(params).lexically_normal();
  if (path.is_absolute()) {
    const fs::path relative = path.lexically_relative(fs::current_path());
    if (!relative.empty() && *relative.begin() != "..") path = relative;
  }
  return "powerflow pdk --params " + path.generic_string();
}

std::string joinPath(const std::string &dir, const std::string &file) {
  return (fs::path(dir) / file).generic_string();
}

}  // namespace

int runPdkCommand(const std::vector<std::string> &args) {
  const PdkOptions options = parseOptions(args);
  if (options.help) {
    fmt::print("{}", kPdkCommandHelp);
    return 0;
  }
  const pdk::ProcessParams process = pdk::readProcessFile(options.params);
  const std::string command = bannerCommand(options.params);
  OutputSet outputs;
  std::vector<std::string> summaries;
  for (double v : process.corners_v) {
    const std::string std_path = joinPath(options.out, pdk::stdLibraryName(process, v) + ".lib");
    outputs.add(std_path, pdk::stdLibertyText(process, v, command));
    summaries.push_back(fmt::format("wrote {} ({} standard cells at {:.2f} V)", std_path,
                                    pdk::standardCells().size(), v));
    const std::string sram_path = joinPath(options.out, pdk::sramLibraryName(process, v) + ".lib");
    outputs.add(sram_path, pdk::sramLibertyText(process, v, command));
    summaries.push_back(fmt::format("wrote {} ({} SRAM macros at {:.2f} V)", sram_path,
                                    process.sram.macros.size(), v));
  }
  const std::string power_path = joinPath(options.out, pdk::powerSidecarFileName(process));
  outputs.add(power_path, pdk::powerSidecarText(process, command));
  summaries.push_back(
      fmt::format("wrote {} (rails, switches, isolation, level shifter, "
                  "SRAM retention for {} corners)",
                  power_path, process.corners_v.size()));
  outputs.commit();
  for (const std::string &line : summaries) fmt::print("{}\n", line);
  return 0;
}

}  // namespace pf
