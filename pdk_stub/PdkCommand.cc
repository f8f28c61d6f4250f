#include "pdk_stub/PdkCommand.hh"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "core/Error.hh"
#include "core/Files.hh"
#include "pdk_stub/Cells.hh"
#include "pdk_stub/LibertyWriter.hh"
#include "pdk_stub/PowerSidecarWriter.hh"
#include "pdk_stub/ProcessReader.hh"

namespace pf {

const cli::Spec &pdkCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow pdk",
                "regenerate the stub PDK (liberty per voltage, SRAM macros, rails and switches)");
    s.description(
        "Regenerates the stub 40 nm-class LP PDK from its physical model:\n"
        "  DIR/<name>_std_vX.lib    standard cells (NLDM liberty), one per corner in corners_v\n"
        "  DIR/<name>_sram_vX.lib   SRAM macros (sizes from [[sram.macros]]), one per corner\n"
        "  DIR/<name>_power.toml    rails, header switches, isolation, level shifters, SRAM\n"
        "                           retention");
    s.path("--params", "FILE", "process description").defaultValue("pdk_stub/process.toml");
    s.path("--out", "DIR", "output directory; created if missing").defaultValue("pdk_stub/lib");
    s.epilogue(
        "All files are written at the end or not at all. Output is byte-identical for identical\n"
        "inputs (no dates or absolute paths). Model and sources: docs/pdk_stub.md.\n");
    return s;
  }();
  return spec;
}

namespace {

namespace fs = std::filesystem;

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
  const std::optional<cli::Args> parsed = pdkCommandLine().parseOrPrintHelp(args);
  if (!parsed) return 0;
  const std::string params = parsed->text("--params");
  const std::string out = parsed->text("--out");
  const pdk::ProcessParams process = pdk::readProcessFile(params);
  const std::string command = bannerCommand(params);
  OutputSet outputs;
  std::vector<std::string> summaries;
  for (double v : process.corners_v) {
    const std::string std_path = joinPath(out, pdk::stdLibraryName(process, v) + ".lib");
    outputs.add(std_path, pdk::stdLibertyText(process, v, command));
    summaries.push_back(fmt::format("wrote {} ({} standard cells at {:.2f} V)", std_path,
                                    pdk::standardCells().size(), v));
    const std::string sram_path = joinPath(out, pdk::sramLibraryName(process, v) + ".lib");
    outputs.add(sram_path, pdk::sramLibertyText(process, v, command));
    summaries.push_back(fmt::format("wrote {} ({} SRAM macros at {:.2f} V)", sram_path,
                                    process.sram.macros.size(), v));
  }
  const std::string power_path = joinPath(out, pdk::powerSidecarFileName(process));
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
