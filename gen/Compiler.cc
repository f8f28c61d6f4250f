#include "gen/Compiler.hh"

#include <fmt/format.h>

#include <algorithm>

#include "core/Error.hh"

namespace pf::gen {

namespace {

using sched::DomainMode;
using sched::DomainState;

// Emits instructions and tracks the sequencer state they leave behind.
class Emitter {
 public:
  explicit Emitter(const ProgramSpec &spec)
      : spec_(spec), pending_on_(spec.domain_names.size(), false) {
    // The reset state: every switchable domain off, the slowest clock.
    current_.domains.assign(spec.domain_names.size(), DomainState{DomainMode::Off, -1});
    current_.divider_index = spec.dividers - 1;
  }

  Program &program() { return program_; }

  void emit(const Instruction &instruction, const std::string &source) {
    program_.lines.push_back({encode(instruction), instruction, source});
  }

  // The changes of the domains selected by `which` towards `target` (no clock change).
  void domainChanges(const ProgramState &target, const std::vector<bool> &which,
                     const std::string &source) {
    for (size_t d = 0; d < target.domains.size(); ++d) {
      if (!which[d] || pending_on_[d] || current_.domains[d] == target.domains[d]) continue;
      if (keepsArrayAcrossRailChange(int(d), current_.domains[d], target.domains[d])) {
        // A rail change opens the switch (break before make): a bank would lose its
        // array. It goes through retention instead, and is powered up on the new rail
        // once the retention has settled (resumePending).
        emit({.op = Opcode::Ret, .domain = int(d)}, source + ": rail change via retention");
        current_.domains[d] = {DomainMode::Retention, -1};
        pending_on_[d] = true;
      } else {
        emit(changeOf(int(d), current_.domains[d], target.domains[d], source), source);
        current_.domains[d] = target.domains[d];
      }
      unsettled_ = true;
    }
  }

  // The rail changes waiting in retention: power up on the new rail after a SETTLE.
  void resumePending(const ProgramState &target, const std::string &source) {
    if (std::find(pending_on_.begin(), pending_on_.end(), true) == pending_on_.end()) return;
    emit({.op = Opcode::Settle}, source + ": retention entered");
    for (size_t d = 0; d < target.domains.size(); ++d) {
      if (!pending_on_[d]) continue;
      pending_on_[d] = false;
      emit(changeOf(int(d), current_.domains[d], target.domains[d], source),
           source + ": rail change via retention");
      current_.domains[d] = target.domains[d];
    }
    unsettled_ = true;
  }

  // The rest of a boundary: slower clock, remaining changes, SETTLE, faster clock.
  void boundary(const ProgramState &target, const std::string &source) {
    const int divider = resolvedDivider(target);
    if (divider > current_.divider_index) setDivider(divider, source);
    domainChanges(target, std::vector<bool>(target.domains.size(), true), source);
    resumePending(target, source);
    if (unsettled_) emit({.op = Opcode::Settle}, source);
    unsettled_ = false;
    if (divider < current_.divider_index) setDivider(divider, source);
  }

  // `first`: the loop's first layer, where the NEED register holds whatever the last
  // layer of the previous period left in it, so it is always written.
  void layer(const ProgramLayer &layer, bool first, const std::string &source) {
    if (first) need_ = ~0u;
    setNeed(layer.uses, source);
    if (layer.first_desc_addr % 8 != 0 || layer.first_desc_addr / 8 > kMaxDescUnits)
      throw Error(
          8303, {}, "layers." + layer.name + ".descriptors.first_addr",
          fmt::format("0x{:x} is not an 8-aligned address below 2 GiB", layer.first_desc_addr));
    if (layer.desc_count < 1 || layer.desc_count > int64_t(kMaxRunCount))
      throw Error(
          8310, {}, "layers." + layer.name + ".descriptors.count",
          fmt::format("{} descriptors: a chain holds 1..{}", layer.desc_count, kMaxRunCount));
    emit({.op = Opcode::Desc, .imm = layer.first_desc_addr / 8}, source);
    emit({.op = Opcode::Run, .imm = uint32_t(layer.desc_count)},
         fmt::format("{}: run {} descriptors", source, layer.desc_count));
  }

  // WAITs totalling `cycles` cycles (a WAIT n takes n + 1).
  void wait(int64_t cycles, const std::string &source) {
    while (cycles > 0) {
      const int64_t step = std::min<int64_t>(cycles, int64_t(kMaxWaitCycles) + 1);
      emit({.op = Opcode::Wait, .imm = uint32_t(step - 1)}, source);
      cycles -= step;
    }
  }

  int resolvedDivider(const ProgramState &state) const {
    // A stopped clock stops at the slowest setting: safe for every rail.
    return state.divider_index < 0 ? spec_.dividers - 1 : state.divider_index;
  }

 private:
  // Does this change need the retention detour? A rail change of a domain that can
  // retain (an SRAM bank): its switch opens during the change.
  bool keepsArrayAcrossRailChange(int d, const DomainState &from, const DomainState &to) const {
    return spec_.has_retention[size_t(d)] && from.mode == DomainMode::On &&
           to.mode == DomainMode::On && from.rail != to.rail;
  }

  Instruction changeOf(int d, const DomainState &from, const DomainState &to,
                       const std::string &source) const {
    const std::string &name = spec_.domain_names[d];
    if (to.mode == DomainMode::On && from.mode == DomainMode::On)
      return {.op = Opcode::Rail, .domain = d, .rail = to.rail};
    if (to.mode == DomainMode::On) return {.op = Opcode::PwrOn, .domain = d, .rail = to.rail};
    if (from.mode == DomainMode::Retention && to.mode == DomainMode::Off)
      return {.op = Opcode::PwrOff, .domain = d};  // the retained data is dead
    if (from.mode != DomainMode::On)
      throw Error(
          8302, {}, source + "." + name,
          fmt::format("{} goes from {} to {}: the sequencer has no such change (a "
                      "bank enters retention from on and leaves it to on or off)",
                      name, sched::domainModeName(from.mode), sched::domainModeName(to.mode)));
    if (to.mode == DomainMode::Retention) {
      if (!spec_.has_retention[d])
        throw Error(8309, {}, source + "." + name, name + " has no retention mode");
      return {.op = Opcode::Ret, .domain = d};
    }
    return {.op = Opcode::PwrOff, .domain = d};
  }

  void setDivider(int divider, const std::string &source) {
    emit({.op = Opcode::Div, .divider = divider}, source);
    const uint32_t cycles = spec_.divider_switch_cycles[divider];
    if (cycles > 1) emit({.op = Opcode::Wait, .imm = cycles - 1}, source + ": divider switch");
    current_.divider_index = divider;
  }

  void setNeed(const std::vector<bool> &uses, const std::string &source) {
    uint32_t mask = 0;
    for (size_t d = 0; d < uses.size(); ++d) mask |= uses[d] ? 1u << d : 0u;
    for (int half = 0; half < 2; ++half) {
      const uint32_t bits = (mask >> (16 * half)) & 0xffffu;
      const uint32_t old = (need_ >> (16 * half)) & 0xffffu;
      if (bits != old && (half == 0 || spec_.domain_names.size() > 16))
        emit({.op = Opcode::Need, .imm = bits, .half = half}, source);
    }
    need_ = mask;
  }

  const ProgramSpec &spec_;
  Program program_;
  ProgramState current_;
  uint32_t need_ = 0;
  bool unsettled_ = false;
  std::vector<bool> pending_on_;  // in retention on the way to another rail
};

// Every on domain of a running state must be within its fmax at the state's divider, or
// the sequencer would hold it isolated for ever.
void checkClock(const ProgramSpec &spec, const ProgramState &state, int divider,
                const std::string &where) {
  for (size_t d = 0; d < state.domains.size(); ++d) {
    const DomainState &domain = state.domains[d];
    if (domain.mode != DomainMode::On) continue;
    if (domain.rail < 0 || domain.rail >= spec.rails)
      throw Error(8301, {}, where + "." + spec.domain_names[d],
                  fmt::format("rail {} is not one of the {} rails", domain.rail, spec.rails));
    const int limit = spec.div_min[d * size_t(spec.rails) + domain.rail];
    if (limit > divider)
      throw Error(8305, {}, where + "." + spec.domain_names[d],
                  fmt::format("divider index {} clocks {} above its fmax on rail {} (it needs "
                              "index {} or slower)",
                              divider, spec.domain_names[d], domain.rail, limit));
  }
}

void checkSpec(const ProgramSpec &spec) {
  const size_t domains = spec.domain_names.size();
  if (domains == 0 || domains > size_t(kMaxDomains))
    throw Error(8306, {}, "domains", fmt::format("{} switchable domains (1..32)", domains));
  if (spec.layers.empty()) throw Error(8307, {}, "layers", "the schedule has no layers");
  for (const ProgramLayer &layer : spec.layers)
    if (layer.state.divider_index < 0 || layer.state.divider_index >= spec.dividers)
      throw Error(8308, {}, "layers." + layer.name + ".clock_divider",
                  "a layer runs at one of the design's dividers");
  Emitter probe(spec);
  for (const ProgramLayer &layer : spec.layers)
    checkClock(spec, layer.state, layer.state.divider_index, "layers." + layer.name);
  checkClock(spec, spec.idle, probe.resolvedDivider(spec.idle), "idle");
}

}  // namespace

std::vector<uint32_t> Program::words() const {
  std::vector<uint32_t> words;
  for (const ProgramLine &line : lines) words.push_back(line.word);
  return words;
}

Program compileProgram(const ProgramSpec &spec) {
  checkSpec(spec);
  Emitter out(spec);
  const std::vector<bool> none(spec.domain_names.size(), false);
  out.boundary(spec.idle, "init: reset -> idle '" + spec.idle_name + "'");
  out.program().loop_address = int(out.program().lines.size());
  out.emit({.op = Opcode::Sleep, .flag = spec.idle.divider_index < 0},
           "idle: sleep until the period tick");
  bool first_chain = true;  // the loop's first chain writes the whole NEED register
  out.program().host_end_address.assign(spec.layers.size(), -1);
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const ProgramLayer &layer = spec.layers[i];
    const std::string source = fmt::format("layer {} {}", i, layer.name);
    out.boundary(layer.state, source + ": boundary in");
    if (!layer.onHost()) {
      out.layer(layer, first_chain, source);
      first_chain = false;
    }
    const bool last = i + 1 == spec.layers.size();
    const ProgramState &next = last ? spec.idle : spec.layers[i + 1].state;
    const std::vector<bool> &ahead =
        last ? spec.idle_lookahead_in : spec.layers[i + 1].lookahead_in;
    const std::string next_source =
        last ? std::string("idle: boundary in")
             : fmt::format("layer {} {}: boundary in", i + 1, spec.layers[i + 1].name);
    // Only domains the running layer does not need may change under it (the sequencer
    // refuses anything else while the chain runs).
    std::vector<bool> free(ahead.size());
    for (size_t d = 0; d < ahead.size(); ++d) free[d] = ahead[d] && !layer.uses[d];
    const std::string lookahead = next_source + " (look-ahead, during " + layer.name + ")";
    if (layer.onHost()) {
      // The segment ends in a WAIT of its own, so that its address marks the end.
      const int64_t tail =
          std::clamp<int64_t>(layer.lookahead_tail_cycles, 1, layer.host_wait_cycles);
      out.wait(layer.host_wait_cycles - tail, source + ": host segment, wait for the host");
      out.domainChanges(next, free, lookahead);
      out.wait(tail, source + ": host segment, the rest of the wait");
      out.program().host_end_address[i] = int(out.program().lines.size()) - 1;
      continue;
    }
    out.domainChanges(next, free, lookahead);
    out.emit({.op = Opcode::Sync}, source + ": wait for the chain");
  }
  out.boundary(spec.idle, "idle: boundary in");
  out.emit({.op = Opcode::Jump, .imm = uint32_t(out.program().loop_address)}, "next period");
  Program program = std::move(out.program());
  if (program.lines.size() > size_t(spec.rom_depth))
    throw Error(8304, {}, "rom_depth",
                fmt::format("the program has {} words; the ROM holds {} (raise the ROM depth)",
                            program.lines.size(), spec.rom_depth));
  return program;
}

std::string programListing(const Program &program, const SequencerShape &shape,
                           const NameTable &names, const std::string &header) {
  std::string text = header;
  text += fmt::format("{:>5}  {:<8}  {:<44}  {}\n", "addr", "word", "instruction", "from");
  for (size_t a = 0; a < program.lines.size(); ++a) {
    const ProgramLine &line = program.lines[a];
    text += fmt::format("{:>5}  {:08x}  {:<44}  {}\n", a, line.word,
                        disassemble(line.word, shape, names), line.source);
  }
  return text;
}

}  // namespace pf::gen
