#include "workload/ProfileCommand.hh"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/Error.hh"
#include "core/Files.hh"
#include "net/Network.hh"
#include "net/onnx/OnnxReader.hh"
#include "sim/DataSparsity.hh"
#include "workload/Mapping.hh"

namespace pf {

const cli::Spec &profileCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow profile",
                "map a network onto the accelerator and write its per-layer workload profile");
    s.description(
        "Maps every layer of a network (TOML, docs/networks.md, or ONNX, docs/onnx.md) onto\n"
        "pf_accel and writes the workload profile the scheduler reads (format: docs/formats.md,\n"
        "\"Workload profile\"; mapping rules: docs/mapping.md). Per layer: the descriptors\n"
        "(tiles) that run it and how the layer was tiled, cycles per phase (fetch, load,\n"
        "compute, store, control) exactly as the RTL takes them, external-memory traffic\n"
        "(weights, network input/output, spilled tensors), MACs, buffer accesses per bank, the\n"
        "PE column groups and banks used, the banks holding live tensors after the layer, and\n"
        "operand sparsity.");
    s.positional("NET", "the network: TOML (docs/networks.md) or ONNX (docs/onnx.md)");
    s.path("--out", "PROFILE.json", "the profile to write; written only on success").isRequired();
    s.path("--design", "FILE",
           "take the accelerator parameters (ROWS, COLS, COL_GROUPS, ACT_BANKS, ACT_BANK_WORDS, "
           "W_BANKS, W_BANK_WORDS) from a design TOML; without it, the defaults of "
           "docs/accelerator.md. With a [clock] and [memory] table the table printed also "
           "shows each layer's time at the base clock and the share spent waiting for memory.");
    s.integer("--read-latency", "N",
              "external-memory read latency in cycles the cycle counts assume")
        .range(1, 999999)
        .defaultValue(2);
    s.flag("--spill-all",
           "keep no tensor on chip between layers (every output stored and reloaded); for "
           "testing and comparison");
    s.integer("--sparsity-from-data", "SEED",
              "weight and activation sparsity per layer measured on the golden model's run "
              "over seeded random data (the generator the co-simulation uses; powerflow sim's "
              "periods use seeds 1, 2, ...) instead of the network file's declared values (0 "
              "when absent)")
        .range(0, 999999999);
    s.epilogue(
        "A layer that cannot be mapped (e.g. a weight tile or an output row too large for the\n"
        "buffers) is reported with the layer's name, file and line, the status is 1 and no\n"
        "profile is written.\n");
    return s;
  }();
  return spec;
}

namespace {

struct ProfileArgs {
  std::string network;
  std::string out;
  std::string design;
  int read_latency = 2;
  bool spill_all = false;
  long sparsity_seed = -1;  // -1: the network's declared sparsity
};

ProfileArgs argumentsOf(const cli::Args &args) {
  ProfileArgs parsed;
  parsed.network = args.text("NET");
  parsed.out = args.text("--out");
  parsed.design = args.text("--design");
  parsed.read_latency = int(args.integer("--read-latency"));
  parsed.spill_all = args.flag("--spill-all");
  if (args.given("--sparsity-from-data"))
    parsed.sparsity_seed = long(args.integer("--sparsity-from-data"));
  return parsed;
}

std::string joinArgs(const std::vector<std::string> &args) {
  std::string text = "powerflow profile";
  for (const std::string &arg : args) text += " " + arg;
  return text;
}

std::string bankList(uint32_t mask) {
  std::string text;
  for (int i = 0; i < 32; ++i)
    if (mask >> i & 1u) text += fmt::format("{}{}", text.empty() ? "" : ",", i);
  return text.empty() ? "-" : text;
}

// Layer time in microseconds at f MHz and B MB/s (bytes per microsecond) by the rule of
// workload/Profile.hh, and the part of it spent waiting for the memory.
struct LayerTime {
  double us = 0;
  double memory_wait_us = 0;
};
LayerTime layerTime(const LayerProfile &l, double f_mhz, double b_mb_per_s) {
  LayerTime t;
  t.us = double(l.cycles.compute + l.cycles.control) / f_mhz;
  auto phase = [&](int64_t cycles, int64_t beats, int64_t bytes) {
    const double transfer = std::max(double(beats) / f_mhz, double(bytes) / b_mb_per_s);
    t.us += double(cycles - beats) / f_mhz + transfer;
    t.memory_wait_us += transfer - double(beats) / f_mhz;
  };
  phase(l.cycles.fetch, l.traffic.fetch_beats, l.traffic.fetch_bytes);
  phase(l.cycles.load, l.traffic.load_beats, l.traffic.load_bytes);
  phase(l.cycles.store, l.traffic.store_beats, l.traffic.store_bytes);
  return t;
}

}  // namespace

std::string formatProfileTable(const Profile &p, const DesignSpec *design) {
  const bool timed = design && design->clock.given && design->memory.given;
  const double f_mhz = timed ? design->clock.base_mhz : 0;
  const double b = timed ? design->memory.bandwidth_mb_per_s : 0;
  std::string out = fmt::format(
      "profile of {} on pf_accel ROWS={} COLS={} ({}x{} data words, {}x{} weight words), "
      "read latency {} cycles\n",
      p.network, p.accel.rows, p.accel.cols, p.accel.act_banks, p.accel.act_bank_words,
      p.accel.w_banks, p.accel.w_bank_words, p.read_latency_cycles);
  out += fmt::format("{:<22} {:<7} {:>5} {:>9} {:>10} {:>10} {:>9} {:>9} {:>6} {:>8} {:>8}",
                     "layer", "op", "tiles", "blocks", "cycles", "compute", "load B", "store B",
                     "pe", "banks", "live");
  if (timed) out += fmt::format(" {:>10} {:>6}", fmt::format("us@{:g}", f_mhz), "mem%");
  out += "\n";
  double host_us = 0.0, host_nj = 0.0;
  for (const LayerProfile &l : p.layers) {
    if (l.on_host) {
      // The accelerator waits: the host's time and energy from the profile's host model.
      out += fmt::format(
          "{:<22} {:<7} on the host ({}): {} cycles = {:.2f} us, {:.4g} nJ, "
          "{} B read, {} B written\n",
          l.name, l.accel_op, l.op, l.host_cost.cycles, l.host_cost.time_ns / 1e3,
          l.host_cost.energy_pj / 1e3, l.host_cost.bytes_read, l.host_cost.bytes_written);
      host_us += l.host_cost.time_ns / 1e3;
      host_nj += l.host_cost.energy_pj / 1e3;
      continue;
    }
    out += fmt::format("{:<22} {:<7} {:>5} {:>9} {:>10} {:>10} {:>9} {:>9} {:>6} {:>8} {:>8}",
                       l.name, l.accel_op, l.tiles,
                       fmt::format("{}x{}{}", l.channel_blocks,
                                   l.scheme == "pixels" ? "px" : std::to_string(l.row_bands),
                                   l.refolded ? "r" : ""),
                       l.cycles.total, l.cycles.compute, l.traffic.load_bytes,
                       l.traffic.store_bytes, bankList(l.pe_groups), bankList(l.act_banks_used),
                       bankList(l.act_banks_live_after));
    if (timed) {
      const LayerTime t = layerTime(l, f_mhz, b);
      out += fmt::format(" {:>10.2f} {:>5.0f}%", t.us, 100.0 * t.memory_wait_us / t.us);
    }
    out += "\n";
  }
  const PhaseCycles total = p.totalCycles();
  const LayerTraffic traffic = p.totalTraffic();
  out += fmt::format(
      "total: {} cycles ({} compute), {} B loaded ({} weights, {} spilled), {} B stored, "
      "{} MACs\n",
      total.total, total.compute, traffic.load_bytes, traffic.weight_load_bytes,
      traffic.spill_load_bytes, traffic.store_bytes, p.totalMacs());
  if (p.hasHostLayers())
    out += fmt::format(
        "host: {:.2f} us, {:.4g} nJ ({} at {:g} MHz, {:g} pJ/cycle; borrowed defaults, "
        "docs/host-model.md)\n",
        host_us, host_nj, p.host_model.core, p.host_model.clock_mhz,
        p.host_model.energy_pj_per_cycle);
  return out;
}

int runProfileCommand(const std::vector<std::string> &args) {
  const std::optional<cli::Args> command_line = profileCommandLine().parseOrPrintHelp(args);
  if (!command_line) return 0;
  const ProfileArgs parsed = argumentsOf(*command_line);
  const Network network = readNetworkFile(parsed.network);  // TOML or ONNX
  DesignSpec design;
  AccelConfig cfg;
  if (!parsed.design.empty()) {
    design = readDesign(parsed.design);
    cfg = accelConfigOf(design);
  }
  MappingOptions mapping_options;
  mapping_options.spill_all = parsed.spill_all;
  const Mapping mapping = mapNetwork(network, cfg, mapping_options);
  ProfileOptions options;
  options.read_latency = parsed.read_latency;
  options.generated_by = joinArgs(args);
  Profile profile = profileMapping(mapping, network, options);
  if (parsed.sparsity_seed >= 0)
    applyDataSparsity(profile, mapping, uint32_t(parsed.sparsity_seed));
  OutputSet outputs;
  outputs.add(parsed.out, profileJson(profile));
  outputs.commit();
  fmt::print("{}", formatProfileTable(profile, parsed.design.empty() ? nullptr : &design));
  fmt::print("wrote {}\n", parsed.out);
  return 0;
}

}  // namespace pf
