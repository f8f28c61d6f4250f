#include "tests/gen/SequencerCosim.hh"

#include <fmt/format.h>

namespace pf::gen {

namespace {

std::optional<Opcode> opcodeAt(const Interpreter &model, uint32_t pc) {
  const std::optional<Instruction> in = decode(model.romWord(pc), model.params().shape());
  return in ? std::optional<Opcode>(in->op) : std::nullopt;
}

// Counts the covered events from the interpreter's registers before and after each edge.
class CoverageMonitor {
 public:
  explicit CoverageMonitor(const SequencerParams &params)
      : params_(params),
        rail_pending_(size_t(params.domains)),
        ready_waited_(size_t(params.domains)) {}

  void before(const Interpreter &model) {
    state_ = model.state();
    out_ = model.outputs();
  }
  void after(const Interpreter &model, const SequencerInputs &in);
  const SequencerState &stateBefore() const { return state_; }
  Coverage coverage;

 private:
  void domains(const Interpreter &model, const SequencerInputs &in);
  void program(const Interpreter &model);

  const SequencerParams &params_;
  SequencerState state_;  // before the edge
  SequencerOutputs out_;
  std::vector<bool> rail_pending_, ready_waited_;
  int chain_starts_ = 0;
  bool sleep_waiting_ = false;
};

void CoverageMonitor::after(const Interpreter &model, const SequencerInputs &in) {
  ++coverage.cycles;
  domains(model, in);
  program(model);
  const SequencerOutputs &o = model.outputs();
  if (o.clk_stop && !out_.clk_stop) ++coverage.clock_stops;
  if (o.halted && !out_.halted) ++coverage.halts;
  if (o.overrun && !out_.overrun) ++coverage.overruns;
  if (o.err && !out_.err) ++coverage.errors[size_t(o.err_cause) % 6];
}

void CoverageMonitor::domains(const Interpreter &model, const SequencerInputs &in) {
  for (int d = 0; d < params_.domains; ++d) {
    const DomainRegisters &b = state_.domains[size_t(d)];
    const DomainState a = model.domainState(d);
    if (b.state == DomainState::Iso && a == DomainState::Break) rail_pending_[size_t(d)] = true;
    if (b.state == DomainState::Ready && (in.pgood >> d & 1u) &&
        params_.divMin(d, b.rail) > out_.div_sel)
      ready_waited_[size_t(d)] = true;
    if (a != b.state) ++coverage.transitions[size_t(b.state)][size_t(a)];
    if (a == DomainState::Ret && b.state != DomainState::Ret) ++coverage.retentions;
    if (a != DomainState::On || b.state == DomainState::On) continue;
    ++coverage.domains_on;
    if (rail_pending_[size_t(d)]) ++coverage.rail_changes;
    if (ready_waited_[size_t(d)]) ++coverage.ready_waits;
    rail_pending_[size_t(d)] = ready_waited_[size_t(d)] = false;
  }
}

void CoverageMonitor::program(const Interpreter &model) {
  const SequencerState &a = model.state();
  const bool erred = a.mode == SequencerMode::Error;
  if (!state_.busy && a.busy) chain_starts_ = 0;
  if (model.outputs().start) ++chain_starts_;
  if (state_.busy && !a.busy && !erred && chain_starts_ > 1) ++coverage.long_chains;
  if (state_.mode != SequencerMode::Exec) return;
  const std::optional<Opcode> op = opcodeAt(model, state_.pc);
  if (op && erred && model.outputs().err_cause == int(SequencerError::Use))
    ++coverage.refused[size_t(*op)];
  if (!op || erred) return;
  ++coverage.executed[size_t(*op)];
  if (op == Opcode::Jump) ++coverage.jumps;
  if (op != Opcode::Sleep) return;
  if (a.pc == state_.pc) {
    sleep_waiting_ = true;
  } else {
    if (sleep_waiting_) ++coverage.sleep_wakes;
    sleep_waiting_ = false;
  }
}

std::string hex(uint64_t value) { return fmt::format("0x{:x}", value); }

std::string explain(uint64_t cycle, const std::string &difference, const Interpreter &model,
                    const SequencerState &before, const SequencerInputs &in) {
  const uint32_t word = model.romWord(before.pc);
  return fmt::format(
      "cycle {}: {}\n  at the edge: pc {} ({}) executing {:08x} {}; pc after: {}\n"
      "  inputs: pgood {} done {} dp_err {} tick {}",
      cycle, difference, before.pc, modeName(before.mode), word,
      disassemble(word, model.params().shape()), model.pc(), hex(in.pgood), int(in.done),
      int(in.dp_err), int(in.tick));
}

}  // namespace

void Coverage::add(const Coverage &o) {
  programs += o.programs;
  cycles += o.cycles;
  domains_on += o.domains_on;
  retentions += o.retentions;
  rail_changes += o.rail_changes;
  ready_waits += o.ready_waits;
  long_chains += o.long_chains;
  sleep_wakes += o.sleep_wakes;
  clock_stops += o.clock_stops;
  jumps += o.jumps;
  halts += o.halts;
  overruns += o.overruns;
  long_lived += o.long_lived;
  for (size_t i = 0; i < errors.size(); ++i) errors[i] += o.errors[i];
  for (size_t i = 0; i < transitions.size(); ++i)
    for (size_t j = 0; j < transitions[i].size(); ++j) transitions[i][j] += o.transitions[i][j];
  for (size_t i = 0; i < executed.size(); ++i) executed[i] += o.executed[i];
  for (size_t i = 0; i < refused.size(); ++i) refused[i] += o.refused[i];
}

std::string Coverage::text() const {
  std::string moves, ops;
  for (size_t i = 0; i < transitions.size(); ++i)
    for (size_t j = 0; j < transitions[i].size(); ++j)
      if (transitions[i][j] != 0)
        moves += fmt::format(" {}->{} {}", domainStateName(DomainState(i)),
                             domainStateName(DomainState(j)), transitions[i][j]);
  for (size_t i = 1; i <= 14; ++i)
    ops += fmt::format(" {} {}/{}", opcodeName(Opcode(i)), executed[i], refused[i]);
  return fmt::format("{}\n  domain transitions:{}\n  executed/refused:{}", summary(), moves, ops);
}

std::string Coverage::summary() const {
  return fmt::format(
      "{} programs, {} cycles; domains ON {}, RET {}, rail changes {}, READY waits for the "
      "clock {}, chains > 1 descriptor {}, SLEEP woken by tick {}, clock stops {}, JUMPs {}, "
      "HALTs {}, overruns {}; running after 1000 cycles {}, ended without error {}, errors by "
      "cause 1..5: {} {} {} {} {}",
      programs, cycles, domains_on, retentions, rail_changes, ready_waits, long_chains, sleep_wakes,
      clock_stops, jumps, halts, overruns, long_lived, errors[0], errors[1], errors[2], errors[3],
      errors[4], errors[5]);
}

std::optional<std::string> firstDifference(const SequencerOutputs &m, const SequencerOutputs &r) {
  auto differs = [](const char *name, uint64_t a, uint64_t b) -> std::optional<std::string> {
    if (a == b) return std::nullopt;
    return fmt::format("{}: interpreter {}, RTL {}", name, hex(a), hex(b));
  };
  for (size_t d = 0; d < m.dom_rail.size() && d < r.dom_rail.size(); ++d)
    if (m.dom_rail[d] != r.dom_rail[d])
      return fmt::format("dom_rail[{}]: interpreter {}, RTL {}", d, hex(m.dom_rail[d]),
                         hex(r.dom_rail[d]));
  const std::pair<const char *, std::pair<uint64_t, uint64_t>> fields[] = {
      {"rom_addr", {m.rom_addr, r.rom_addr}},
      {"dom_rail (domains)", {m.dom_rail.size(), r.dom_rail.size()}},
      {"dom_sw", {m.dom_sw, r.dom_sw}},
      {"dom_iso", {m.dom_iso, r.dom_iso}},
      {"dom_rst_n", {m.dom_rst_n, r.dom_rst_n}},
      {"dom_ret", {m.dom_ret, r.dom_ret}},
      {"div_sel", {uint64_t(m.div_sel), uint64_t(r.div_sel)}},
      {"clk_stop", {m.clk_stop, r.clk_stop}},
      {"start", {m.start, r.start}},
      {"desc_addr", {m.desc_addr, r.desc_addr}},
      {"err", {m.err, r.err}},
      {"err_cause", {uint64_t(m.err_cause), uint64_t(r.err_cause)}},
      {"halted", {m.halted, r.halted}},
      {"overrun", {m.overrun, r.overrun}}};
  for (const auto &[name, values] : fields)
    if (auto text = differs(name, values.first, values.second)) return text;
  return std::nullopt;
}

CosimResult coSimulate(SequencerDut &dut, const SequencerParams &params,
                       const std::vector<uint32_t> &rom, const EnvironmentProfile &profile,
                       uint64_t seed, const CosimOptions &options) {
  CosimResult result;
  Interpreter model(params, rom);
  dut.setRom(rom);
  dut.reset();
  if (auto difference = firstDifference(model.outputs(), dut.outputs())) {
    result.failure = "after reset: " + *difference;
    return result;
  }
  SequencerEnvironment environment(params, profile, seed);
  CoverageMonitor monitor(params);
  monitor.coverage.programs = 1;
  int tail = options.tail_cycles;
  for (int cycle = 1; cycle <= options.max_cycles && tail > 0; ++cycle) {
    const SequencerInputs in = environment.next(model.outputs());
    monitor.before(model);
    model.step(in);
    dut.step(in);
    const SequencerOutputs rtl = dut.outputs();
    std::optional<std::string> difference = firstDifference(model.outputs(), rtl);
    if (!difference && dut.assertionFailed()) difference = "an RTL assertion failed (see the log)";
    if (difference) {
      result.failure = explain(uint64_t(cycle), *difference, model, monitor.stateBefore(), in);
      break;
    }
    monitor.after(model, in);
    if (result.ending.empty() && rtl.err)
      result.ending = fmt::format("error {} at cycle {}", rtl.err_cause, cycle);
    else if (result.ending.empty() && rtl.halted)
      result.ending = fmt::format("halted at cycle {}", cycle);
    if (rtl.err || rtl.halted) --tail;
    if (cycle == 1000 && !rtl.err && !rtl.halted) monitor.coverage.long_lived = 1;
  }
  result.coverage = monitor.coverage;
  if (result.ending.empty()) result.ending = "running";
  if (!model.outputs().err) ++result.coverage.errors[0];
  return result;
}

}  // namespace pf::gen
