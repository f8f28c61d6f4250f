#include "characterize/AlwaysOnEnergyStage.hh"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include "characterize/energy/AlwaysOnEnergy.hh"
#include "characterize/energy/YosysMap.hh"
#include "core/Error.hh"
#include "core/FileList.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Json.hh"
#include "core/JsonNode.hh"
#include "core/Progress.hh"
#include "core/Subprocess.hh"

namespace pf {

namespace fs = std::filesystem;

namespace {

// Bump when the step computes something else from the same inputs (workload, classes).
// 2: the native gate-level simulator (NativeToggleSim.hh defines a flop's start).
constexpr int kCacheVersion = 2;
constexpr const char *kCacheFormat = "powerflow-aon-energy-cache";
const std::vector<std::string> kEngineModules = {"pf_ctrl", "pf_dma"};

std::string exact(double value) { return fmt::format("{:.17g}", value); }

struct SwitchableInstance {
  std::string path;  // '.'-separated, as Yosys names the flattened instance
  const DomainSpec *domain = nullptr;
  const synth::DomainSynthesis *synthesis = nullptr;
};

std::vector<SwitchableInstance> switchableInstances(const DesignSpec &design,
                                                    const synth::SynthesisResult &synthesis) {
  std::vector<SwitchableInstance> instances;
  for (size_t d = 0; d < design.domains.size(); ++d) {
    const DomainSpec &domain = design.domains[d];
    if (domain.kind == DomainKind::AlwaysOn) continue;
    for (const std::string &path : domain.instances)
      instances.push_back({path, &domain, &synthesis.domains[d]});
  }
  // Longest first: an instance path may be a prefix of another's.
  std::sort(instances.begin(), instances.end(),
            [](const auto &a, const auto &b) { return a.path.size() > b.path.size(); });
  return instances;
}

// The modules (PE groups) and macros (SRAM banks) of the switchable domains.
std::vector<std::string> cutTypes(const DesignSpec &design,
                                  const synth::SynthesisResult &synthesis) {
  std::set<std::string> types;
  for (size_t d = 0; d < design.domains.size(); ++d) {
    const synth::DomainSynthesis &domain = synthesis.domains[d];
    if (design.domains[d].kind == DomainKind::PeGroup)
      types.insert(domain.modules.begin(), domain.modules.end());
    if (design.domains[d].kind == DomainKind::SramBank) types.insert(domain.macro);
  }
  return {types.begin(), types.end()};
}

std::vector<std::string> libertyFiles(const Corner &corner) {
  std::vector<std::string> files = corner.std_liberty;
  files.insert(files.end(), corner.sram_liberty.begin(), corner.sram_liberty.end());
  return files;
}

// "pe_pgood[2]" -> ("pe_pgood", 2); "pe_pgood" -> ("pe_pgood", 0).
std::pair<std::string, int> portBit(const std::string &reference) {
  const size_t open = reference.find('[');
  if (open == std::string::npos) return {reference, 0};
  return {reference.substr(0, open), std::stoi(reference.substr(open + 1))};
}

// Every switchable domain powered, out of isolation, out of reset and not retaining: the
// state in which the accelerator runs layers.
std::map<std::string, uint64_t> poweredControls(const DesignSpec &design) {
  std::map<std::string, uint64_t> tied;
  auto tie = [&](const std::string &reference, bool value) {
    if (reference.empty()) return;
    const auto [port, bit] = portBit(reference);
    tied[port] |= uint64_t{value} << bit;
  };
  for (const DomainSpec &domain : design.domains) {
    tie(domain.pgood_port, true);
    tie(domain.iso_port, false);
    tie(domain.reset_port, true);
    tie(domain.retention_port, false);
  }
  return tied;
}

// The RTL port behind a pin of a removed instance: the same name for a module (synthesis
// keeps port names), the bound RTL port for an SRAM macro pin ("" if it has none, e.g.
// an enable behind an inverter).
std::string rtlPort(const SwitchableInstance &instance, const std::string &pin) {
  if (instance.domain->kind != DomainKind::SramBank) return pin;
  const auto &ports = instance.synthesis->sram_pins.rtl_ports;
  const auto it = ports.find(pin);
  return it == ports.end() ? "" : it->second;
}

energy::AlwaysOnBoundary boundaryFor(const energy::GateNetlist &netlist, const DesignSpec &design,
                                     const synth::SynthesisResult &synthesis) {
  const std::vector<SwitchableInstance> instances = switchableInstances(design, synthesis);
  energy::AlwaysOnBoundary boundary;
  for (const energy::NetlistPort &port : netlist.ports) {
    for (const SwitchableInstance &instance : instances) {
      if (port.name.rfind(instance.path + ".", 0) != 0) continue;
      const std::string rtl = rtlPort(instance, port.name.substr(instance.path.size() + 1));
      const std::string signal = rtl.empty() ? "" : instance.path + "." + rtl;
      if (port.is_input && signal.empty())
        throw Error(5367, instance.domain->loc, "instances",
                    fmt::format("domain '{}': the always-on domain reads macro pin '{}', which "
                                "has no bound RTL port to record it from",
                                instance.domain->name, port.name));
      (port.is_input ? boundary.instance_outputs : boundary.instance_inputs)[port.name] = signal;
      break;
    }
  }
  boundary.tied_inputs = poweredControls(design);
  return boundary;
}

int64_t parameterOr(const DesignSpec &design, const char *name, int64_t fallback) {
  const auto it = design.parameters.find(name);
  return it == design.parameters.end() ? fallback : it->second;
}

// The golden model's view of the accelerator; parameters the design leaves at the RTL's
// defaults are the documented defaults (docs/accelerator.md).
AccelConfig accelConfig(const DesignSpec &design) {
  AccelConfig cfg;
  cfg.rows = int(parameterOr(design, "ROWS", cfg.rows));
  cfg.cols = int(parameterOr(design, "COLS", cfg.cols));
  cfg.col_groups = int(parameterOr(design, "COL_GROUPS", cfg.col_groups));
  cfg.act_banks = int(parameterOr(design, "ACT_BANKS", cfg.act_banks));
  cfg.act_bank_words = int(parameterOr(design, "ACT_BANK_WORDS", cfg.act_bank_words));
  cfg.w_banks = int(parameterOr(design, "W_BANKS", cfg.w_banks));
  cfg.w_bank_words = int(parameterOr(design, "W_BANK_WORDS", cfg.w_bank_words));
  return cfg;
}

energy::AlwaysOnEnergyOptions energyOptions(const CharacterizeOptions &options) {
  energy::AlwaysOnEnergyOptions result;
  result.energy.input_slew_ns = options.input_slew_ns;
  result.progress = options.progress;  // not an input: not in the cache key
  return result;
}

// Everything the operations depend on.
std::string cacheKey(const DesignSpec &design, const synth::SynthesisResult &synthesis,
                     const CornerSet &corners, const energy::AcceleratorWorkload &workload,
                     const energy::AlwaysOnEnergyOptions &options) {
  Sha256 hash;
  hash.field("format", fmt::format("{} {}", kCacheFormat, kCacheVersion));
  hash.field("yosys", toolVersionOutput({"yosys", "-V"}));
  hash.field("verilator", toolVersionOutput({"verilator", "--version"}));
  hash.field("netlist", readTextFile(synthesis.netlist_file));
  hash.field("top", design.top);
  for (const std::string &type : cutTypes(design, synthesis)) hash.field("cut", type);
  for (const std::string &file : libertyFiles(corners.synthesisCorner()))
    hash.field("cells", readTextFile(file));
  const fs::path list_dir = fs::absolute(design.filelist).parent_path();
  for (const std::string &file : readFileList(design.filelist))
    hash.field(fs::path(file).lexically_relative(list_dir).string(), readTextFile(file));
  for (const auto &[name, value] : design.parameters)
    hash.field("parameter", fmt::format("{}={}", name, value));
  for (size_t d = 0; d < design.domains.size(); ++d) {
    const DomainSpec &domain = design.domains[d];
    hash.field("domain", fmt::format("{} {} {} {} {} {}", domain.name, domainKindName(domain.kind),
                                     domain.pgood_port, domain.iso_port, domain.reset_port,
                                     domain.retention_port));
    for (const std::string &instance : domain.instances) hash.field("instance", instance);
    for (const auto &[pin, port] : synthesis.domains[d].sram_pins.rtl_ports)
      hash.field("sram_pin", pin + " " + port);
  }
  hash.field("workload", std::string(workload.memory.begin(), workload.memory.end()));
  for (const energy::WorkloadLayer &layer : workload.layers)
    hash.field("layer", fmt::format("{} {}", layer.name, layer.desc_addr));
  hash.field("options", fmt::format("{} {} {} {} {} {} {} {} {} {}", options.reset_cycles,
                                    options.idle_cycles_per_layer, options.layer_timeout_cycles,
                                    options.memory.read_latency, options.memory.request_interval,
                                    energy::slewModelName(options.energy.slew_model),
                                    exact(options.energy.input_slew_ns),
                                    exact(options.energy.wire_cap_base_pf),
                                    exact(options.energy.wire_cap_per_fanout_pf),
                                    exact(options.energy.output_port_load_pf)));
  for (const Corner &corner : corners.corners) {
    hash.field("voltage_v", exact(corner.voltage_v));
    for (const std::string &file : corner.std_liberty) hash.field("liberty", readTextFile(file));
  }
  return hash.hexDigest();
}

// Read through the field reader (core/JsonNode.hh): a field storeCache() does not write
// is refused like any other malformation, which makes a miss.
std::optional<std::vector<OperationEnergy>> loadCache(const std::string &file,
                                                      const std::string &key, size_t corners) {
  try {
    if (!fs::exists(file)) return std::nullopt;
    const Json json = parseJson(readTextFile(file), file);
    const JsonNode root(json, file);
    // The fields storeCache() writes; the breakdown's name has the top corner's voltage.
    std::vector<std::string_view> fields = {"format",
                                            "version",
                                            "key",
                                            "operations",
                                            "layer_cycles",
                                            "simulated_cycles",
                                            "checked_bits_per_cycle",
                                            "rtl_build_s",
                                            "rtl_run_s",
                                            "gate_build_s",
                                            "gate_run_s"};
    if (const Json::Object *members = json.ifObject())
      for (const auto &[name, value] : *members)  // names that live as long as `json`
        if (name.starts_with("per_cycle_at_")) fields.push_back(name);
    const JsonObject top = root.object(fields);
    if (top["format"].string() != kCacheFormat || top["key"].string() != key) return std::nullopt;
    std::vector<OperationEnergy> operations;
    for (const JsonNode &item : top["operations"].items()) {
      const JsonObject entry = item.object({"class", "energy_pj"});
      OperationEnergy op{entry["class"].string(), 0, {}};
      for (const JsonNode &value : entry["energy_pj"].items())
        op.energy_pj.push_back(value.number());
      if (op.energy_pj.size() != corners) return std::nullopt;
      operations.push_back(std::move(op));
    }
    return operations;
  } catch (const Error &) {
    return std::nullopt;  // unreadable or malformed: recompute
  }
}

// Where the energy of each class goes at the highest corner, for people.
Json breakdownJson(const energy::AlwaysOnEnergyTable &table) {
  Json json = Json::object();
  for (const energy::AlwaysOnClassEnergy &cls : table.classes) {
    Json entry = Json::object();
    entry.set("cycles", Json(cls.cycles));
    entry.set("output_internal_pj", cls.per_cycle.output_internal_pj);
    entry.set("input_internal_pj", cls.per_cycle.input_internal_pj);
    entry.set("cell_net_switching_pj", cls.per_cycle.cell_net_switching_pj);
    entry.set("port_net_switching_pj", cls.per_cycle.port_net_switching_pj);
    entry.set("switched_capacitance_pf", cls.per_cycle.switched_capacitance_pf);
    json.set(cls.op_class, std::move(entry));
  }
  return json;
}

void storeCache(const std::string &file, const std::string &key,
                const std::vector<OperationEnergy> &operations,
                const energy::AlwaysOnRunStats &stats, const energy::AlwaysOnEnergyTable &top) {
  Json json = Json::object();
  json.set("format", kCacheFormat);
  json.set("version", kCacheVersion);
  json.set("key", key);
  Json entries = Json::array();
  for (const OperationEnergy &op : operations) {
    Json entry = Json::object();
    entry.set("class", op.op_class);
    entry.set("energy_pj", Json::numbers(op.energy_pj));
    entries.push(std::move(entry));
  }
  json.set("operations", std::move(entries));
  Json layers = Json::object();  // for people: what the workload took on the RTL
  for (const auto &[name, cycles] : stats.layer_cycles) layers.set(name, Json(cycles));
  json.set("layer_cycles", std::move(layers));
  json.set("simulated_cycles", Json(stats.cycles));
  json.set(fmt::format("per_cycle_at_{}v", top.voltage_v), breakdownJson(top));
  json.set("checked_bits_per_cycle", Json(stats.checked_bits));
  json.set("rtl_build_s", stats.recorder.build_seconds);
  json.set("rtl_run_s", stats.recorder.run_seconds);
  json.set("gate_build_s", stats.gate_build_seconds);
  json.set("gate_run_s", stats.gate_run_seconds);
  writeFileAtomic(file, json.dump());
}

std::vector<OperationEnergy> toOperations(const std::vector<energy::AlwaysOnEnergyTable> &tables) {
  std::vector<OperationEnergy> operations;
  for (const energy::AlwaysOnClassEnergy &cls : tables.front().classes) {
    OperationEnergy op{cls.op_class + "_cycle", 0, {}};
    for (const energy::AlwaysOnEnergyTable &table : tables)
      op.energy_pj.push_back(table.find(cls.op_class)->per_cycle.totalPj());
    operations.push_back(std::move(op));
  }
  return operations;
}

}  // namespace

bool alwaysOnEnergySupported(const DomainSpec &domain, const CharacterizeOptions &options) {
  for (const std::string &module : kEngineModules)
    if (std::find(domain.modules.begin(), domain.modules.end(), module) == domain.modules.end()) {
      progressLine(options.progress,
                   characterizationWarning(
                       5070, domain.loc, "modules",
                       fmt::format("always-on domain '{}' does not list modules {} and {}: its "
                                   "energy per cycle is not characterized (the workload drives the "
                                   "pf_accel port contract, docs/accelerator.md)",
                                   domain.name, kEngineModules[0], kEngineModules[1]))
                       .text);
      return false;
    }
  return true;
}

std::vector<OperationEnergy> alwaysOnOperations(
    const DesignSpec &design, const synth::SynthesisResult &synthesis, const CornerSet &corners,
    const std::vector<const liberty::Library *> &std_libraries, const CharacterizeOptions &options,
    bool *from_cache) {
  const std::string work = options.work_dir + "/energy_aon";
  const std::string cache_file = work + "/aon_energy.cache.json";
  const energy::AcceleratorWorkload workload = energy::makeAcceleratorWorkload(accelConfig(design));
  const energy::AlwaysOnEnergyOptions energy_options = energyOptions(options);
  const std::string key = cacheKey(design, synthesis, corners, workload, energy_options);
  if (from_cache) *from_cache = false;
  if (auto cached = loadCache(cache_file, key, corners.corners.size())) {
    if (from_cache) *from_cache = true;
    return *cached;
  }
  fs::create_directories(work);
  fs::remove(cache_file);
  ProgressStep cut_step(options.progress, "cut the domain out of the netlist (Yosys)");
  const energy::YosysMapResult cut = energy::cutDomainWithYosys(
      {synthesis.netlist_file, synthesis.top, libertyFiles(corners.synthesisCorner()),
       cutTypes(design, synthesis)},
      work + "/cut");
  const energy::GateNetlist netlist = energy::readBlif(cut.blif_path);
  cut_step.done(fmt::format("{} cells", netlist.cells.size()));
  const energy::AlwaysOnRtl rtl{design.top, readFileList(design.filelist), design.parameters};
  energy::AlwaysOnRunStats stats;
  const std::vector<energy::AlwaysOnEnergyTable> tables =
      energy::characterizeAlwaysOn(netlist, rtl, boundaryFor(netlist, design, synthesis), workload,
                                   std_libraries, energy_options, work, &stats);
  const std::vector<OperationEnergy> operations = toOperations(tables);
  storeCache(cache_file, key, operations, stats, tables.back());
  return operations;
}

}  // namespace pf
