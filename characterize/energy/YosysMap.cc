#include "characterize/energy/YosysMap.hh"

#include <fmt/format.h>

#include <filesystem>

#include "core/Error.hh"
#include "core/Files.hh"
#include "core/Subprocess.hh"

namespace pf::energy {

YosysMapResult mapWithYosys(const std::vector<std::string> &rtl_files, const std::string &top,
                            const std::string &liberty_path, const std::string &work_dir,
                            const std::vector<std::string> &parameters) {
  namespace fs = std::filesystem;
  fs::create_directories(work_dir);
  const std::string blif = (fs::path(work_dir) / (top + ".blif")).string();
  std::string script;
  // Yosys runs in work_dir, so every path it reads is made absolute.
  for (const std::string &file : rtl_files)
    script += fmt::format("read_verilog {}\n", fs::absolute(file).string());
  for (const std::string &p : parameters) {
    const size_t eq = p.find('=');
    if (eq == std::string::npos) throw Error(5343, {}, p, "parameter must be NAME=VALUE");
    script += fmt::format("chparam -set {} {} {}\n", p.substr(0, eq), p.substr(eq + 1), top);
  }
  script += fmt::format(
      "synth -top {0} -flatten\n"
      "rename -top {0}\n"
      "dfflibmap -liberty {1}\n"
      "abc -liberty {1}\n"
      "opt_clean -purge\n"
      "write_blif {2}\n",
      top, fs::absolute(liberty_path).string(), fs::absolute(blif).string());
  const std::string script_path = (fs::path(work_dir) / "map.ys").string();
  writeFileAtomic(script_path, script);
  const ProcessResult result = runProcess({"yosys", "-q", "-s", script_path}, work_dir);
  throwIfCrashedOrHung(result, "Yosys", fmt::format("mapping {}", top), script_path);
  if (result.exit_status != 0 || !fs::exists(blif)) {
    throw Error(5341, {script_path}, "yosys",
                fmt::format("mapping {} failed (exit {}):\n{}", top, result.exit_status,
                            result.output.substr(0, 3000)));
  }
  return {blif, result.wall_seconds};
}

YosysMapResult cutDomainWithYosys(const DomainCutSpec &spec, const std::string &work_dir) {
  namespace fs = std::filesystem;
  fs::create_directories(work_dir);
  const std::string blif = (fs::path(work_dir) / (spec.top + "_cut.blif")).string();
  std::string script;
  for (const std::string &lib : spec.liberty_files)
    script += fmt::format("read_liberty -lib {}\n", fs::absolute(lib).string());
  script += fmt::format("read_verilog {}\n", fs::absolute(spec.netlist_verilog).string());
  std::string types;
  for (const std::string &type : spec.cut_types) {
    // A module of the netlist becomes a blackbox (its ports stay, its cells go); a macro
    // read with -lib already is one.
    script += fmt::format("blackbox {}\n", type);
    types += " t:" + type;
  }
  script += fmt::format("hierarchy -top {}\nflatten\n", spec.top);
  if (!types.empty()) script += "expose -evert" + types + "\n";
  script += fmt::format("write_blif {}\n", fs::absolute(blif).string());
  const std::string script_path = (fs::path(work_dir) / "cut.ys").string();
  writeFileAtomic(script_path, script);
  fs::remove(blif);
  const ProcessResult result = runProcess({"yosys", "-q", "-s", script_path}, work_dir);
  throwIfCrashedOrHung(result, "Yosys", fmt::format("cutting {} out of the netlist", spec.top),
                       script_path);
  if (result.exit_status != 0 || !fs::exists(blif)) {
    throw Error(
        5342, {script_path}, "yosys",
        fmt::format("cutting {} out of {} failed (exit {}):\n{}", spec.top, spec.netlist_verilog,
                    result.exit_status, result.output.substr(0, 3000)));
  }
  return {blif, result.wall_seconds};
}

}  // namespace pf::energy
