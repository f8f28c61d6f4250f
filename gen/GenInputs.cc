#include "gen/GenInputs.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "characterize/Characterization.hh"
#include "core/Files.hh"
#include "core/Hash.hh"
#include "gen/SystemTop.hh"
#include "sched/io/ChipModelFromTables.hh"

namespace pf::gen {

namespace {

void checkHash(const std::string &recorded, const std::string &path, const std::string &role,
               const std::string &schedule_file) {
  if (recorded == sha256Hex(readTextFile(path))) return;
  throw Error(8402, {schedule_file, 0, 0}, "input_hashes." + role,
              fmt::format("the schedule was made from another {} than {} (its SHA-256 "
                          "differs); re-run powerflow schedule with this {}",
                          role, path, role));
}

void checkDomains(const DesignSpec &design, const ScheduleFile &schedule,
                  const std::string &schedule_file) {
  for (size_t i = 0; i < schedule.domains.size(); ++i)
    if (!design.findDomain(schedule.domains[i]))
      throw Error(8403, {schedule_file, 0, 0}, fmt::format("domains[{}]", i),
                  fmt::format("'{}' is not a domain of the design {}", schedule.domains[i],
                              design.source_file));
  bool same_order = schedule.domains.size() == design.domains.size();
  for (size_t i = 0; same_order && i < design.domains.size(); ++i)
    same_order = schedule.domains[i] == design.domains[i].name;
  if (!same_order)
    throw Error(8408, {schedule_file, 0, 0}, "domains",
                fmt::format("the schedule's domains are not the design's {} domains in order",
                            design.domains.size()));
}

void checkRails(const DesignSpec &design, const ScheduleFile &schedule,
                const std::string &schedule_file) {
  const size_t used = schedule.rail_voltages_v.size(), have = design.rail_voltages_v.size();
  if (used > have)
    throw Error(8404, {schedule_file, 0, 0}, "rail_voltages_v",
                fmt::format("the schedule uses {} rails; the design {} has {}", used,
                            design.source_file, have));
  for (size_t r = 0; r < used; ++r)
    if (std::abs(schedule.rail_voltages_v[r] - design.rail_voltages_v[r]) > 1e-6 || used != have)
      throw Error(8410, {schedule_file, 0, 0}, fmt::format("rail_voltages_v[{}]", r),
                  fmt::format("the schedule's rails are not the design's ({}; a schedule made with "
                              "--rails needs the same --rails here)",
                              design.source_file));
}

void checkClock(const DesignSpec &design, const ScheduleFile &schedule,
                const std::string &schedule_file) {
  std::vector<int> dividers;
  for (int64_t divider : design.clock.dividers) dividers.push_back(int(divider));
  if (schedule.clock.dividers != dividers)
    throw Error(
        8405, {schedule_file, 0, 0}, "clock.dividers",
        fmt::format("the schedule's dividers are not the design's ({})", design.source_file));
  if (dividers.size() > size_t(kMaxDividers))
    throw Error(8411, {design.source_file, design.clock.loc.line, 0}, "clock.dividers",
                fmt::format("{} divider settings; the sequencer selects among {} at most",
                            dividers.size(), kMaxDividers));
}

std::vector<bool> perSwitchable(const std::vector<bool> &per_domain,
                                const std::vector<int> &switchable) {
  std::vector<bool> result;
  for (int d : switchable) result.push_back(d < int(per_domain.size()) && per_domain[d]);
  return result;
}

std::vector<bool> lookaheadOf(const ScheduleTransition &transition,
                              const std::vector<int> &switchable) {
  std::vector<bool> result(switchable.size(), false);
  for (const sched::DomainChange &change : transition.changes)
    for (size_t s = 0; s < switchable.size(); ++s)
      if (switchable[s] == change.domain) result[s] = change.lookahead;
  return result;
}

// Whole cycles of a clock of f_mhz covering ns (at least 1 for a positive span).
int64_t cyclesAt(double ns, double f_mhz) { return int64_t(std::ceil(ns * f_mhz / 1000.0 - 1e-9)); }

// The longest look-ahead change of a boundary: how early before it a gated domain must
// start waking.
double lookaheadNs(const ScheduleTransition &transition) {
  double longest = 0.0;
  for (const sched::DomainChange &change : transition.changes)
    if (change.lookahead) longest = std::max(longest, change.time_ns);
  return longest;
}

ProgramState stateOf(const std::vector<sched::DomainState> &domains, int divider_index,
                     const std::vector<int> &switchable) {
  ProgramState state;
  for (int d : switchable) state.domains.push_back(domains[d]);
  state.divider_index = divider_index;
  return state;
}

std::vector<uint32_t> switchCycles(const ScheduleClock &clock) {
  std::vector<uint32_t> cycles;
  for (int divider : clock.dividers)
    cycles.push_back(
        uint32_t(std::ceil(clock.switch_time_ns * clock.base_mhz / divider / 1000.0 - 1e-9)));
  return cycles;
}

ProgramSpec programSpecOf(const GenModel &model) {
  const ScheduleFile &schedule = model.schedule;
  ProgramSpec spec;
  for (int d : model.switchable) spec.domain_names.push_back(model.design.domains[d].name);
  spec.has_retention = model.params.has_retention;
  spec.div_min = model.params.div_min;
  spec.rails = model.params.rails;
  spec.dividers = model.params.dividers;
  spec.rom_depth = model.params.rom_depth;
  spec.divider_switch_cycles = switchCycles(schedule.clock);
  for (size_t i = 0; i < schedule.layers.size(); ++i) {
    const ScheduleLayer &layer = schedule.layers[i];
    ProgramLayer out;
    out.name = layer.name;
    out.state =
        stateOf(layer.domains, schedule.clock.dividerIndex(layer.clock_divider), model.switchable);
    out.uses = perSwitchable(layer.uses, model.switchable);
    out.lookahead_in = lookaheadOf(layer.transition_in, model.switchable);
    out.first_desc_addr = layer.descriptors.first_addr;
    out.desc_count = layer.descriptors.count;
    if (layer.host) {
      const ScheduleTransition &next = i + 1 < schedule.layers.size()
                                           ? schedule.layers[i + 1].transition_in
                                           : schedule.idle.transition_in;
      out.host_wait_cycles = cyclesAt(layer.host->time_ns, layer.clock_mhz);
      out.lookahead_tail_cycles = cyclesAt(lookaheadNs(next), layer.clock_mhz);
    }
    spec.layers.push_back(std::move(out));
  }
  const ScheduleIdle &idle = schedule.idle;
  spec.idle_name = idle.state;
  spec.idle = stateOf(
      idle.domains, idle.clock_divider == 0 ? -1 : schedule.clock.dividerIndex(idle.clock_divider),
      model.switchable);
  spec.idle_lookahead_in = lookaheadOf(idle.transition_in, model.switchable);
  return spec;
}

// The sequencer drives a multiplexer per domain between fixed rails and a glitch-free
// divider, and the co-simulation's power network models exactly that (sim/cosim/
// PowerNetwork.hh): neither has a shared regulator that ramps, nor a PLL that stalls the
// clock while it relocks, and a ramp of more than PG_TIMEOUT's 65535 cycles would read as a
// power-good fault. A design with other transition physics is scheduled only
// (docs/transitions.md), never turned into hardware that would disagree with its schedule.
void checkTransitions(const DesignSpec &design) {
  const TransitionSpec &spec = design.transitions;
  if (spec.isDefault()) return;
  const bool regulator = spec.rail_change != RailChangeModel::PowerMux;
  throw Error(
      8407, {design.source_file, spec.loc.line, spec.loc.column},
      regulator ? "transitions.rail_change" : "transitions.clock_change",
      fmt::format("gen and sim build and co-simulate power multiplexers and a divider clock "
                  "only; this design's {} = \"{}\" is for powerflow schedule (and its "
                  "benchmarks) alone (docs/transitions.md)",
                  regulator ? "rail_change" : "clock_change",
                  regulator ? railChangeModelName(spec.rail_change)
                            : clockChangeModelName(spec.clock_change)));
}

}  // namespace

int powerGoodTimeoutCycles(const sched::ChipModel &chip) {
  double slowest_ns = 0.0;
  for (const sched::DomainPhysics &domain : chip.domains) {
    for (double ns : domain.wake_up_time_ns) slowest_ns = std::max(slowest_ns, ns);
    for (const std::vector<double> &row : domain.rail_change_time_ns)
      for (double ns : row) slowest_ns = std::max(slowest_ns, ns);
  }
  const double cycles = 2.0 * slowest_ns * chip.clock.base_mhz / 1000.0 + 16.0;
  return int(std::min(65535.0, std::ceil(cycles)));
}

std::vector<int> dividerLimits(const sched::ChipModel &chip, const std::vector<int> &switchable) {
  std::vector<int> limits;
  for (int d : switchable) {
    const sched::DomainPhysics &domain = chip.domains[d];
    for (double fmax_mhz : domain.fmax_mhz) {
      int limit = kDividerNever;
      for (size_t k = 0; k < chip.clock.dividers.size(); ++k)
        if (chip.clock.base_mhz / chip.clock.dividers[k] <= fmax_mhz * (1 + 1e-12)) {
          limit = int(k);
          break;
        }
      limits.push_back(limit);
    }
  }
  return limits;
}

GenModel loadGenModel(const GenFiles &files, const GenOptions &options) {
  GenModel model;
  model.design = readDesign(files.design);
  if (!options.rails.empty()) overrideRails(model.design, options.rails, "--rails");
  checkTransitions(model.design);
  const Characterization table = readCharacterization(files.characterization);
  model.schedule = readScheduleFile(files.schedule);
  const ScheduleFile &schedule = model.schedule;
  if (!schedule.physical)
    throw Error(8401, {files.schedule, 0, 0}, "physical",
                "the schedule was solved from a dumped instance and has no descriptors or "
                "design behind it; run powerflow schedule with the design, characterization "
                "and profile");
  // The specific mismatches first (they say what differs), then the hashes (that
  // anything differs).
  checkDomains(model.design, schedule, files.schedule);
  checkRails(model.design, schedule, files.schedule);
  checkClock(model.design, schedule, files.schedule);
  checkHash(schedule.input_hashes.design, files.design, "design", files.schedule);
  checkHash(schedule.input_hashes.characterization, files.characterization, "characterization",
            files.schedule);
  if (options.rom_depth < 2 || options.rom_depth > kMaxRomDepth)
    throw Error(8406, {}, "--rom-depth",
                fmt::format("{} words: the ROM holds 2..{}", options.rom_depth, kMaxRomDepth));
  model.chip = chipModelFromTables(model.design, table, files.characterization);
  for (size_t d = 0; d < model.design.domains.size(); ++d)
    if (model.design.domains[d].kind != DomainKind::AlwaysOn) model.switchable.push_back(int(d));
  if (model.switchable.empty() || model.switchable.size() > size_t(kMaxDomains))
    throw Error(8409, {files.design, 0, 0}, "domain",
                fmt::format("{} switchable domains; the sequencer drives 1..{}",
                            model.switchable.size(), kMaxDomains));
  SequencerParams &params = model.params;
  params.module_name = options.module_name;
  params.rails = int(model.design.rail_voltages_v.size());
  params.domains = int(model.switchable.size());
  params.dividers = int(model.design.clock.dividers.size());
  params.rom_depth = options.rom_depth;
  params.pg_timeout_cycles = powerGoodTimeoutCycles(model.chip);
  for (int d : model.switchable) {
    const DomainSpec &domain = model.design.domains[d];
    params.has_retention.push_back(domain.kind == DomainKind::SramBank &&
                                   !domain.retention_port.empty());
  }
  params.div_min = dividerLimits(model.chip, model.switchable);
  const std::vector<std::string> problems = checkSequencerParams(params);
  if (!problems.empty()) throw Error(8101, {files.design, 0, 0}, "sequencer", problems.front());
  model.program = programSpecOf(model);
  return model;
}

}  // namespace pf::gen

namespace pf::gen {

namespace {

std::string identifier(const std::string &text) {
  std::string id;
  for (char c : text) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}

// Per UPF domain (aon first, then the sequencer's order): rail, kUpfOff or kUpfRetention.
std::vector<int> upfRails(const GenModel &model, const std::vector<sched::DomainState> &domains) {
  std::vector<int> rails{model.design.always_on_rail};
  for (int d : model.switchable) {
    const sched::DomainState &state = domains[d];
    rails.push_back(state.mode == sched::DomainMode::On          ? state.rail
                    : state.mode == sched::DomainMode::Retention ? kUpfRetention
                                                                 : kUpfOff);
  }
  return rails;
}

void addState(std::vector<UpfPowerState> &states, const std::string &name, std::vector<int> rails) {
  for (const UpfPowerState &state : states)
    if (state.rail_of_domain == rails) return;  // one state per distinct supply pattern
  states.push_back({identifier(name), std::move(rails)});
}

}  // namespace

UpfSpec upfSpecOf(const GenModel &model, const std::string &generated_by) {
  UpfSpec spec;
  spec.scope_top = kSystemModule;
  spec.generated_by = generated_by;
  spec.rail_voltages_v = model.design.rail_voltages_v;
  spec.always_on_rail = model.design.always_on_rail;
  for (const DomainSpec &domain : model.design.domains)
    if (domain.kind == DomainKind::AlwaysOn)
      spec.domains.push_back({domain.name, "always_on", {}, {}, "", "", ""});
  for (size_t s = 0; s < model.switchable.size(); ++s) {
    const DomainSpec &domain = model.design.domains[model.switchable[s]];
    UpfDomain out{domain.name,
                  domainKindName(domain.kind),
                  {},
                  systemRailSelects(model.params, int(s)),
                  systemPowerGood(int(s)),
                  systemIsolation(int(s)),
                  systemRetention(model.params, int(s))};
    for (const std::string &instance : domain.instances)
      out.elements.push_back(upfElementPath("u_accel", instance));
    spec.domains.push_back(std::move(out));
  }
  for (const ScheduleLayer &layer : model.schedule.layers)
    addState(spec.states, "layer_" + layer.name, upfRails(model, layer.domains));
  addState(spec.states, "idle", upfRails(model, model.schedule.idle.domains));
  return spec;
}

}  // namespace pf::gen
