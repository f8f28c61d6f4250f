// Script-style test: synthesis + STA of the default pf_accel design at the six stub
// corners. Prints the per-domain fmax table and the tool times; fails (exit 1) if a
// domain's fmax does not rise with voltage or buffering left a net above the limit.
#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "characterize/synth/Synth.hh"
#include "core/Design.hh"
#include "core/Error.hh"

int main(int argc, char **argv) {
  const std::string source = PF_SOURCE_DIR;
  // With an argument: the directory of a characterization of the default design (the
  // characterization_default fixture), whose synth work directory answers from its cache.
  const std::string work =
      argc > 1 ? (std::filesystem::path(argv[1]) / "work" / "synth").string()
               : std::filesystem::temp_directory_path().string() + "/pf_synth_default_" +
                     std::to_string(::getpid());  // concurrent runs must not share it
  std::vector<pf::synth::LibertyCorner> corners;
  for (const char *tag : {"v0p60", "v0p70", "v0p80", "v0p90", "v1p00", "v1p10"}) {
    const std::string t = tag;
    corners.push_back({std::stod(t.substr(1, 1) + "." + t.substr(3, 2)),
                       source + "/pdk_stub/lib/pf40lp_std_" + t + ".lib",
                       source + "/pdk_stub/lib/pf40lp_sram_" + t + ".lib"});
  }
  try {
    const pf::DesignSpec design = pf::readDesign(source + "/rtl/design.toml");
    pf::synth::SynthOptions options;
    options.work_dir = work;
    options.progress = [](const std::string &line) { fmt::print("  .. {}\n", line); };
    const auto start = std::chrono::steady_clock::now();
    const pf::synth::SynthesisResult synth = pf::synth::synthesize(design, corners, options);
    const auto synthesized = std::chrono::steady_clock::now();
    const pf::synth::TimingResult timing =
        pf::synth::analyzeTiming(design, corners, synth, options);
    const auto timed = std::chrono::steady_clock::now();
    fmt::print("  .. synthesize() {:.2f} s{}, analyzeTiming() {:.2f} s{} (wall)\n",
               std::chrono::duration<double>(synthesized - start).count(),
               synth.from_cache ? " (cache)" : "",
               std::chrono::duration<double>(timed - synthesized).count(),
               timing.from_cache ? " (cache)" : "");

    fmt::print(
        "\nsynthesis: Yosys {:.1f} s ({} MiB peak), netlist pass {:.1f} s; STA {:.1f} s "
        "({} MiB peak), {} endpoints per corner\n",
        synth.yosys_wall_seconds, synth.yosys_peak_rss_kib / 1024, synth.netlist_pass_wall_seconds,
        timing.sta_wall_seconds, timing.sta_peak_rss_kib / 1024, timing.endpoints);
    fmt::print("cells {} area {:.0f} um2; max fan-out {} -> {} ({} x {} inserted)\n",
               synth.total_cells, synth.total_area_um2, synth.max_fanout_before,
               synth.max_fanout_after, synth.buffers_inserted, synth.buffer_cell);
    fmt::print("\n| domain | cells | area um2 |");
    for (double v : timing.voltages_v) fmt::print(" fmax {:.2f} V |", v);
    fmt::print("\n|---|---|---|");
    for (size_t k = 0; k < timing.voltages_v.size(); ++k) fmt::print("---|");
    fmt::print("\n");
    bool ok = synth.max_fanout_after <= options.max_fanout;
    for (size_t d = 0; d < timing.domains.size(); ++d) {
      const auto &domain = timing.domains[d];
      fmt::print("| {} | {} | {:.0f} |", domain.domain, synth.domains[d].cells,
                 synth.domains[d].area_um2);
      for (size_t k = 0; k < domain.fmax_mhz.size(); ++k) {
        fmt::print(" {:.0f}{} |", domain.fmax_mhz[k], domain.critical_crosses_domain[k] ? "*" : "");
        if (k > 0 && !(domain.fmax_mhz[k] > domain.fmax_mhz[k - 1])) ok = false;
      }
      fmt::print("\n");
    }
    fmt::print("(MHz; * = the limiting path crosses a domain boundary, level shifter included)\n");
    fmt::print("level shifter {} delay per corner:", synth.level_shifter_cell);
    for (double ns : timing.level_shifter_delay_ns) fmt::print(" {:.3f}", ns);
    fmt::print(" ns\n");
    for (const auto &domain : timing.domains)
      fmt::print("critical @{:.2f} V {}: {:.3f} ns {} -> {}\n", timing.voltages_v.back(),
                 domain.domain, domain.critical_path_ns.back(), domain.critical_startpoint.back(),
                 domain.critical_endpoint.back());
    if (!ok) {
      fmt::print("FAIL: fmax not rising with voltage, or fan-out above the limit\n");
      return 1;
    }
    if (argc <= 1) std::filesystem::remove_all(work);  // a given work dir is kept (caches)
    return 0;
  } catch (const pf::Error &error) {
    fmt::print(stderr, "{}\n", error.formatted());
    return 1;
  }
}
