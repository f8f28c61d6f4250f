#include "characterize/Characterize.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include "characterize/AlwaysOnEnergyStage.hh"
#include "characterize/ClockLimit.hh"
#include "characterize/LibraryCheck.hh"
#include "characterize/PowerModel.hh"
#include "characterize/Provenance.hh"
#include "characterize/SequencerCost.hh"
#include "characterize/energy/BoolExpr.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/NativeToggleSim.hh"
#include "characterize/energy/PeGroupEnergy.hh"
#include "characterize/energy/YosysMap.hh"
#include "characterize/liberty/Liberty.hh"
#include "characterize/synth/Synth.hh"
#include "core/Error.hh"
#include "core/FileList.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "core/Progress.hh"
#include "core/Subprocess.hh"
#include "gen/Sequencer.hh"

namespace pf {

namespace fs = std::filesystem;

namespace {

constexpr const char *kPeGroupModule = "pf_pe_group";

void report(const CharacterizeOptions &options, const std::string &line) {
  progressLine(options.progress, line);
}

// "build 20.1 s" or "build reused": what a Verilator step's time went into.
std::string buildNote(bool reused, double build_seconds) {
  return reused ? "build reused" : fmt::format("build {:.1f} s", build_seconds);
}

// File-name-safe text of a corner name ("tt 0.8" -> "tt_0.8").
std::string fileStem(const std::string &name) {
  std::string stem;
  for (const char c : name)
    stem +=
        std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ? c : '_';
  return stem.empty() ? "corner" : stem;
}

// The corner set as the tools see it: one standard-cell and at most one SRAM liberty file
// per corner, which is what Yosys 0.23 maps onto (its dfflibmap and abc keep only one
// -liberty; docs/characterize.md, "Several files per corner"). A corner of several files
// gets the merged library the check wrote (CheckedCorner::std_merged_text), written here
// into <work>/liberty/<corner>_std.lib (and _sram.lib); a corner of one file keeps it.
CornerSet toolCorners(const CornerSet &corners, const CheckedLibraries &checked,
                      const CharacterizeOptions &options) {
  CornerSet tools = corners;
  const std::string dir = options.work_dir + "/liberty";
  std::set<std::string> stems;
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    Corner &corner = tools.corners[c];
    const CheckedCorner &libraries = checked.corners[c];
    std::string stem = fileStem(corner.name);
    if (!stems.insert(stem).second) stem += fmt::format("_{}", c);
    auto place = [&](std::vector<std::string> &files, const std::string &text, const char *kind) {
      if (text.empty()) return;
      fs::create_directories(dir);
      const std::string path = fmt::format("{}/{}_{}.lib", dir, stem, kind);
      if (!fs::exists(path) || readTextFile(path) != text) writeFileAtomic(path, text);
      report(options,
             fmt::format("characterize: corner '{}': {} {} liberty files merged into one library "
                         "for the tools: {}",
                         corner.name, files.size(),
                         std::string(kind) == "std" ? "standard-cell" : "SRAM", path));
      files = {path};
    };
    place(corner.std_liberty, libraries.std_merged_text, "std");
    place(corner.sram_liberty, libraries.sram_merged_text, "sram");
  }
  return tools;
}

// One std-cell and at most one SRAM liberty per corner (toolCorners) is what synthesis
// and STA take.
std::vector<synth::LibertyCorner> synthCorners(const CornerSet &tools) {
  std::vector<synth::LibertyCorner> result;
  for (const Corner &corner : tools.corners)
    result.push_back({corner.voltage_v, corner.std_liberty.front(),
                      corner.sram_liberty.empty() ? "" : corner.sram_liberty.front()});
  return result;
}

// A corner's libraries as the check parsed them: its standard cells and its SRAM macros,
// each one library (the union of its files where it has several).
struct CornerLibraries {
  const liberty::Library *std_cells = nullptr;
  const liberty::Library *srams = nullptr;  // none if the corner has no SRAM library
};

std::vector<CornerLibraries> cornerLibraries(const CheckedLibraries &checked) {
  std::vector<CornerLibraries> libraries;
  for (const CheckedCorner &corner : checked.corners)
    libraries.push_back({&corner.stdLibrary(), corner.sramLibrary()});
  return libraries;
}

std::vector<const liberty::Library *> stdLibraries(const std::vector<CornerLibraries> &libraries) {
  std::vector<const liberty::Library *> libs;
  for (const CornerLibraries &corner : libraries) libs.push_back(corner.std_cells);
  return libs;
}

const liberty::Cell &findLibraryCell(const CornerLibraries &libs, const std::string &type,
                                     const std::string &domain) {
  if (const liberty::Cell *cell = libs.std_cells->findCell(type)) return *cell;
  if (libs.srams)
    if (const liberty::Cell *cell = libs.srams->findCell(type)) return *cell;
  throw Error(5030, {libs.std_cells->source_file}, "",
              fmt::format("domain '{}' uses cell '{}', which this corner's libraries do not have "
                          "(every corner must have the same cells)",
                          domain, type));
}

double leakageNw(const synth::DomainSynthesis &domain, const CornerLibraries &libs) {
  double total_nw = 0;
  for (const auto &[type, count] : domain.cell_counts)
    total_nw +=
        static_cast<double>(count) * findLibraryCell(libs, type, domain.domain).leakage_power_nw;
  return total_nw;
}

// Energy of one clock cycle (rising + falling edge) of an SRAM macro in a state given by
// its chip and write enables, from the clock pin's internal_power groups whose `when`
// holds in that state. Conditional groups describe states; unconditional ones apply
// always.
double sramCycleEnergyPj(const liberty::Cell &macro, const synth::SramPinRoles &roles, bool enabled,
                         bool writing, double slew_ns) {
  const liberty::Pin *clock = macro.findPin(roles.clock);
  if (!clock)
    throw Error(5031, {}, "",
                fmt::format("SRAM macro '{}' has no clock pin '{}'", macro.name, roles.clock));
  auto pinValue = [&](const std::string &pin) {
    if (pin == roles.chip_enable) return enabled != roles.chip_enable_active_low;
    if (pin == roles.write_enable) return writing != roles.write_enable_active_low;
    return false;
  };
  double conditional_pj = 0, unconditional_pj = 0;
  int conditional_groups = 0;
  for (const liberty::InternalPower &power : clock->internal_power) {
    const double cycle_pj =
        power.rise_energy_pj.lookup(slew_ns, 0) +
        (power.fall_energy_pj.empty() ? 0 : power.fall_energy_pj.lookup(slew_ns, 0));
    if (power.when.empty()) {
      unconditional_pj += cycle_pj;
    } else if (energy::BoolExpr::parse(power.when, macro.name + " " + clock->name).eval(pinValue)) {
      conditional_pj += cycle_pj;
      ++conditional_groups;
    }
  }
  return unconditional_pj + (conditional_groups > 0 ? conditional_pj / conditional_groups : 0);
}

void addSramOperations(DomainCharacterization &out, const synth::DomainSynthesis &domain,
                       const std::vector<CornerLibraries> &libraries, double slew_ns) {
  OperationEnergy read{"read", 0, {}}, write{"write", 0, {}}, idle{"idle_clocked_cycle", 0, {}};
  for (const CornerLibraries &libs : libraries) {
    const liberty::Cell &macro = findLibraryCell(libs, domain.macro, domain.domain);
    read.energy_pj.push_back(sramCycleEnergyPj(macro, domain.sram_pins, true, false, slew_ns));
    write.energy_pj.push_back(sramCycleEnergyPj(macro, domain.sram_pins, true, true, slew_ns));
    idle.energy_pj.push_back(sramCycleEnergyPj(macro, domain.sram_pins, false, false, slew_ns));
  }
  out.operations = {read, write, idle};
}

// A powered domain moved through its power multiplexer from one fixed rail to another
// (docs/pdk_stub.md, "Power sidecar"): the in-rush limit sets the time; a step up
// draws C * v_to * (v_to - v_from) from the new rail, a step down returns charge to the
// lower rail at no cost.
void addRailChanges(DomainCharacterization &out, const PowerModel &power,
                    const CornerSet &corners) {
  const size_t count = corners.corners.size();
  out.rail_change_time_ns.assign(count, std::vector<double>(count, 0.0));
  out.rail_change_energy_pj.assign(count, std::vector<double>(count, 0.0));
  for (size_t from = 0; from < count; ++from)
    for (size_t to = 0; to < count; ++to) {
      if (from == to) continue;
      const double v_from = corners.corners[from].voltage_v, v_to = corners.corners[to].voltage_v;
      out.rail_change_time_ns[from][to] =
          power.rail_switch_settle_us * 1000.0 +
          out.switched_capacitance_pf * std::abs(v_to - v_from) / power.rail_switch_inrush_limit_ma;
      out.rail_change_energy_pj[from][to] = out.switched_capacitance_pf * v_to *
                                            std::max(0.0, v_to - v_from) /
                                            power.regulator_efficiency_ratio;
    }
}

void addWakeUp(DomainCharacterization &out, const PowerModel &power, const CornerSet &corners) {
  out.switched_capacitance_pf = power.domain_capacitance_ff_per_um2 * out.area_um2 / 1000.0;
  for (size_t c = 0; c < corners.corners.size(); ++c) {
    const double v = corners.corners[c].voltage_v;
    // pF * V / mA = ns; pF * V^2 = pJ (docs/pdk_stub.md, "Power sidecar").
    out.wake_up_time_ns.push_back(power.wake_fixed_ns +
                                  out.switched_capacitance_pf * v / power.inrush_limit_ma);
    out.wake_up_energy_pj.push_back(out.switched_capacitance_pf * v * v /
                                    power.regulator_efficiency_ratio);
    out.gated_leakage_nw.push_back(out.leakage_nw[c] * power.gatedLeakageRatioAt(v));
  }
}

// The synthesized module of a PE-group domain: its RTL module's derived copy
// ("pf_pe_group", or "pf_pe_group_<k>" when groups differ in parameters), which the
// energy stimulus drives through the pf_pe_group port contract.
std::string peGroupNetlistModule(const DomainSpec &domain,
                                 const synth::DomainSynthesis &synthesized) {
  std::vector<std::string> found;
  for (const std::string &module : synthesized.modules) {
    const std::string prefix = domain.module + "_";
    const bool derived =
        module.rfind(prefix, 0) == 0 && module.size() > prefix.size() &&
        std::all_of(module.begin() + long(prefix.size()), module.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (module == domain.module || derived) found.push_back(module);
  }
  if (found.size() != 1)
    throw Error(5034, domain.loc, "instances",
                fmt::format("domain '{}': its instance holds {} synthesized copies of module '{}' "
                            "(expected one: the energy stimulus drives one {} netlist)",
                            domain.name, found.size(), domain.module, kPeGroupModule));
  return found.front();
}

// The gate-level energy stimulus knows the pf_pe_group port contract; a group whose
// module is not given cannot be simulated, and one with another module is refused.
bool peEnergySupported(const DomainSpec &domain, const CharacterizeOptions &options) {
  if (domain.module == kPeGroupModule) return true;
  if (domain.module.empty()) {
    report(options, characterizationWarning(
                        5069, domain.loc, "module",
                        fmt::format("domain '{}' names no module: its MAC/idle energy is not "
                                    "characterized (set module = \"{}\" in the design TOML)",
                                    domain.name, kPeGroupModule))
                        .text);
    return false;
  }
  throw Error(
      5033, domain.loc, "module",
      fmt::format("domain '{}': no energy stimulus for module '{}' (this version simulates the {} "
                  "port contract, docs/characterize-energy.md)",
                  domain.name, domain.module, kPeGroupModule));
}

// `tools`: the corner set as the tools read it (toolCorners). The simulated netlist is the
// group's module exactly as synthesis made it (buffered, the cells STA timed and synthesis
// counted), flattened to BLIF: no second synthesis of the RTL.
std::vector<energy::PeGroupEnergyTable> peGroupEnergy(const DomainSpec &domain,
                                                      const synth::DomainSynthesis &synthesized,
                                                      const CornerSet &tools,
                                                      const std::vector<CornerLibraries> &libraries,
                                                      const CharacterizeOptions &options) {
  const std::string work = options.work_dir + "/energy_" + domain.name;
  const std::string module = peGroupNetlistModule(domain, synthesized);
  ProgressStep map_step(options.progress, fmt::format("cut {} out of the netlist (Yosys)", module));
  const energy::YosysMapResult mapped = energy::cutDomainWithYosys(
      {synthesized.netlist_file, module, tools.synthesisCorner().std_liberty, {}}, work + "/map");
  const energy::GateNetlist netlist = energy::readBlif(mapped.blif_path);
  map_step.done(fmt::format("{} cells", netlist.cells.size()));
  const std::vector<const liberty::Library *> libs = stdLibraries(libraries);
  energy::PeGroupEnergyOptions energy_options;
  energy_options.cycles_per_point = options.energy_cycles_per_class;
  energy_options.energy.input_slew_ns = options.input_slew_ns;
  // characterizePeGroup() simulates in process where the native simulator applies.
  const bool native = energy::NativeToggleSim::supports(netlist, *libs.front(), "clk");
  ProgressStep sim_step(options.progress,
                        fmt::format("gate-level simulation, priced at {} corners ({})", libs.size(),
                                    native ? "native simulator" : "Verilator"));
  energy::ToggleSimStats stats;
  std::vector<energy::PeGroupEnergyTable> tables =
      energy::characterizePeGroup(netlist, libs, energy_options, work + "/sim", &stats);
  sim_step.done(stats.native ? fmt::format("simulated in {:.1f} s", stats.run_seconds)
                             : fmt::format("{}; not native: {}",
                                           buildNote(stats.reused_build, stats.build_seconds),
                                           stats.not_native));
  return tables;
}

void addPeOperations(DomainCharacterization &out,
                     const std::vector<energy::PeGroupEnergyTable> &tables) {
  const auto &classes = tables.front().classes;
  for (const energy::PeGroupClassEnergy &cls : classes) {
    std::string name;
    if (cls.op_class == "mac")
      name = "mac_cycle";
    else if (cls.op_class == "idle_clocked")
      name = "idle_clocked_cycle";
    else if (cls.op_class == "gated")
      name = "clock_gated_cycle";
    else
      continue;  // the "quiet" variants are diagnostics, not schedule inputs
    OperationEnergy op{name, cls.sparsity, {}};
    for (const energy::PeGroupEnergyTable &table : tables)
      op.energy_pj.push_back(table.find(cls.op_class, cls.sparsity)->per_cycle.totalPj());
    out.operations.push_back(std::move(op));
  }
}

DomainCharacterization domainTable(const DomainSpec &spec, const synth::DomainSynthesis &synthesis,
                                   const synth::DomainTiming &timing,
                                   const std::vector<CornerLibraries> &libraries) {
  DomainCharacterization out;
  out.name = spec.name;
  out.kind = spec.kind;
  out.macro = synthesis.macro;
  out.cells = synthesis.cells;
  out.area_um2 = synthesis.area_um2;
  out.critical_path_ns = timing.critical_path_ns;
  out.fmax_mhz = timing.fmax_mhz;
  for (const CornerLibraries &libs : libraries)
    out.leakage_nw.push_back(leakageNw(synthesis, libs));
  return out;
}

}  // namespace

std::string characterizationInputsHash(const DesignSpec &design, const CornerSet &corners,
                                       const CharacterizeOptions &options) {
  Sha256 hash;
  hash.field("powerflow-characterization-version", std::to_string(kCharacterizationVersion));
  hash.field("design", readTextFile(design.source_file));
  // Sources are labelled by their path relative to the list, so the hash (and the
  // table that records it) does not depend on where the checkout lives nor on how the
  // design file was named (absolute, or relative from anywhere: both sides normalized).
  for (const std::string &list : {design.filelist, design.synth_filelist}) {
    hash.field("filelist", readTextFile(list));
    const fs::path list_dir = fs::absolute(list).lexically_normal().parent_path();
    for (const std::string &file : readFileList(list))
      hash.field(fs::absolute(file).lexically_normal().lexically_relative(list_dir).string(),
                 readTextFile(file));
  }
  hash.field("corners", readTextFile(corners.source_file));
  for (const Corner &corner : corners.corners) {  // by contents and position, not path
    for (const std::string &file : corner.std_liberty)
      hash.field("liberty " + corner.name, readTextFile(file));
    for (const std::string &file : corner.sram_liberty)
      hash.field("sram " + corner.name, readTextFile(file));
  }
  if (!corners.power_model.empty()) hash.field("power", readTextFile(corners.power_model));
  hash.field("options", fmt::format("{} {} {}", options.max_fanout, options.input_slew_ns,
                                    options.energy_cycles_per_class));
  hash.field("yosys", toolVersionOutput({"yosys", "-V"}));
  hash.field("sta", toolVersionOutput({"sta", "-version"}));
  hash.field("verilator", toolVersionOutput({"verilator", "--version"}));
  // What the stage computes from the same inputs: 2 added the always-on domain's energy
  // per cycle, 3 the power sequencer (and its template), 4 the corners' process and
  // temperature and the warnings (mixed corners, a clock above a domain's fmax), 5 the
  // provenance of every figure and the optional power model (the stub's built in), 6 the
  // cells' internal energy at propagated per-net slews, 7 the native gate-level simulator
  // (a flop whose clear or preset is active at the start is defined to be cleared or set,
  // where Verilator's model may miss that edge), 8 the PE group's energy simulated on its
  // synthesized, buffered module instead of a second mapping of its RTL, so a table
  // written before is not taken as up to date.
  hash.field("stage-revision", "8");
  hash.field("sequencer-template", gen::sequencerTemplate());
  return hash.hexDigest();
}

// The power sequencer gen will make for this design: its rails and switchable domains
// (the ROM depth, timeout and divider limits barely change its size; SequencerCost.hh).
SequencerCharacterization sequencerTable(const DesignSpec &design, const CornerSet &corners,
                                         const CharacterizeOptions &options) {
  const int switchable = int(design.domains.size()) - design.countDomains(DomainKind::AlwaysOn);
  gen::SequencerParams params =
      representativeSequencerParams(int(design.rail_voltages_v.size()), switchable);
  if (design.clock.given && design.clock.dividers.size() <= 8)
    params.dividers = int(design.clock.dividers.size());
  SequencerCostOptions cost_options;
  cost_options.work_dir = options.work_dir + "/sequencer";
  cost_options.loads.input_slew_ns = options.input_slew_ns;
  const SequencerCost cost = characterizeSequencer(params, corners, cost_options);
  SequencerCharacterization out;
  out.present = true;
  out.module = cost.module;
  out.rails = cost.rails;
  out.domains = cost.domains;
  out.cells = cost.cells;
  out.flip_flops = cost.flip_flops;
  out.area_um2 = cost.area_um2;
  out.data_activity = cost.data_activity;
  for (const SequencerCornerCost &corner : cost.corners) {
    out.leakage_nw.push_back(corner.leakage_nw);
    out.clock_energy_pj.push_back(corner.clock_energy_pj);
    out.energy_per_cycle_pj.push_back(corner.energyPerCyclePj());
  }
  return out;
}

Characterization characterize(const DesignSpec &design, const CornerSet &corners,
                              const CharacterizeOptions &options) {
  // Before anything else, and before any tool: every liberty file through our own parser.
  LibraryCheckOptions check_options;
  check_options.allow_mixed_corners = options.allow_mixed_corners;
  const CheckedLibraries checked = checkCornerLibraries(corners, check_options);
  for (const CharacterizationWarning &warning : checked.warnings) report(options, warning.text);
  return characterize(design, corners, checked, options);
}

Characterization characterize(const DesignSpec &design, const CornerSet &corners,
                              const CheckedLibraries &checked, const CharacterizeOptions &options) {
  if (checked.corners.size() != corners.corners.size())
    throw Error(5056, {corners.source_file}, "corner",
                "the checked libraries are not those of this corner set (internal error)");
  // The corner set's power model, or the stub's built in (PF-5060): read and set against
  // the libraries by the check, like them before any tool.
  const PowerModel &power = checked.power_model;
  // What the tools read: the corners' files, a corner of several files merged into one.
  const CornerSet tools = toolCorners(corners, checked, options);
  const std::vector<synth::LibertyCorner> synth_corners = synthCorners(tools);
  synth::SynthOptions synth_options;
  synth_options.work_dir = options.work_dir + "/synth";
  synth_options.max_fanout = options.max_fanout;
  // Sub-steps of synthesis and timing as lines under the counted step; whether it came
  // from the cache is said by the step itself.
  if (options.progress)
    synth_options.progress = [&options](const std::string &line) {
      if (line.find("up to date (cache)") == std::string::npos) report(options, line);
    };
  for (size_t c = 0; c < corners.corners.size(); ++c)
    if (corners.corners[c].name == corners.synthesis_corner)
      synth_options.synthesis_corner = static_cast<int>(c);

  // Which energy steps run (warnings about the others come now, before the tools), so
  // the steps can be counted: synthesis, timing, the always-on domain's energy, the PE
  // groups' energy (identical groups: simulated once), the power sequencer. `always_on` is
  // the first always-on domain (synthesis gives it everything else), -1 if its energy is
  // not characterized.
  int always_on = -1;
  bool first_always_on = true;
  std::vector<bool> pe_energy_supported(design.domains.size(), false);
  int pe_groups = 0;
  for (size_t d = 0; d < design.domains.size(); ++d) {
    const DomainSpec &spec = design.domains[d];
    if (spec.kind == DomainKind::AlwaysOn && first_always_on) {
      first_always_on = false;
      if (alwaysOnEnergySupported(spec, options)) always_on = static_cast<int>(d);
    }
    if (spec.kind == DomainKind::PeGroup && peEnergySupported(spec, options)) {
      pe_energy_supported[d] = true;
      ++pe_groups;
    }
  }
  const int steps = 3 + (always_on >= 0 ? 1 : 0) + (pe_groups > 0 ? 1 : 0);
  int step = 0;
  auto counted = [&](const std::string &what) {
    return fmt::format("characterize: {} {}", progressCount(++step, steps), what);
  };

  // Every liberty file passed our own parser (checkCornerLibraries); synthesis then reads
  // them with Yosys and OpenSTA, whose own quirks it reports in the tools' words.
  const std::vector<CornerLibraries> libraries = cornerLibraries(checked);
  ProgressStep synthesis_step(
      options.progress, counted(fmt::format("synthesis of {} onto the {:.2f} V cells (Yosys)",
                                            design.top, corners.synthesisCorner().voltage_v)));
  const synth::SynthesisResult synthesis = synth::synthesize(design, synth_corners, synth_options);
  if (synthesis.from_cache)
    synthesis_step.cached();
  else
    synthesis_step.done(fmt::format("{} cells", synthesis.total_cells));
  synth::SynthOptions timing_options = synth_options;
  timing_options.progress = nullptr;  // its one line says what the step says
  ProgressStep timing_step(options.progress, counted(fmt::format("timing at {} corners (OpenSTA)",
                                                                 corners.corners.size())));
  const synth::TimingResult timing =
      synth::analyzeTiming(design, synth_corners, synthesis, timing_options);
  if (timing.from_cache)
    timing_step.cached();
  else
    timing_step.done(fmt::format("{} endpoints", timing.endpoints));

  Characterization table;
  table.generated_by = options.command_line;
  table.design = design.name;
  table.inputs_sha256 = characterizationInputsHash(design, corners, options);
  for (size_t c = 0; c < corners.corners.size(); ++c)
    table.corners.push_back({corners.corners[c].name, corners.corners[c].voltage_v,
                             libraries[c].std_cells->nominal_process,
                             libraries[c].std_cells->nominal_temperature_c});
  table.mixed_corners = checked.mixed;
  table.warnings = checked.warnings;
  table.level_shifter_delay_ns = timing.level_shifter_delay_ns;
  std::optional<std::vector<energy::PeGroupEnergyTable>>
      pe_energy;  // identical groups: simulate once
  for (size_t d = 0; d < design.domains.size(); ++d) {
    const DomainSpec &spec = design.domains[d];
    DomainCharacterization out =
        domainTable(spec, synthesis.domains[d], timing.domains[d], libraries);
    if (static_cast<int>(d) == always_on) {
      ProgressStep energy_step(
          options.progress,
          counted(fmt::format("always-on energy of {} (Yosys, Verilator)", spec.name)));
      bool from_cache = false;
      out.operations = alwaysOnOperations(design, synthesis, tools, stdLibraries(libraries),
                                          options, &from_cache);
      if (from_cache)
        energy_step.cached();
      else
        energy_step.done();
    }
    if (pe_energy_supported[d]) {
      if (!pe_energy) {
        ProgressStep energy_step(
            options.progress,
            counted(fmt::format("PE-group energy of {} (one simulation for {} group{}; Yosys, "
                                "gate-level simulation)",
                                spec.module, pe_groups, pe_groups == 1 ? "" : "s")));
        pe_energy = peGroupEnergy(spec, synthesis.domains[d], tools, libraries, options);
        energy_step.done();
      }
      addPeOperations(out, *pe_energy);
    }
    // A PE group without energy support was reported, and is visible in the table as a
    // group without operations.
    if (spec.kind == DomainKind::SramBank) {
      addSramOperations(out, synthesis.domains[d], libraries, options.input_slew_ns);
      // A macro the model does not list takes the stub's entry if it is a stub macro
      // (flagged by the provenance), else it has no retention.
      const PowerModel stub = stubPowerModel();
      const SramRetention *retention = power.findSram(out.macro);
      if (!retention) retention = stub.findSram(out.macro);
      if (retention) {
        out.retention_leakage_nw = retention->retention_leakage_nw;
        out.retention_voltage_v = retention->retention_voltage_v;
      }
    }
    if (spec.kind != DomainKind::AlwaysOn) {
      addWakeUp(out, power, corners);
      addRailChanges(out, power, corners);
    }
    table.domains.push_back(std::move(out));
  }
  ProgressStep sequencer_step(options.progress, counted("power sequencer cost (Yosys)"));
  table.sequencer = sequencerTable(design, tools, options);
  sequencer_step.done(fmt::format("{} cells", table.sequencer.cells));
  // Where every figure came from.
  ProvenanceFacts facts;
  facts.level_shifter_cell = synthesis.level_shifter_cell;
  facts.level_shifter_load_pf = synth_options.level_shifter_load_pf;
  recordProvenance(table, corners, checked, facts);
  // Now that fmax is known: can every domain take the design's fastest clock?
  if (const std::optional<CharacterizationWarning> clock = clockLimitWarning(design, table)) {
    report(options, clock->text);
    table.warnings.push_back(*clock);
  }
  return table;
}

}  // namespace pf
