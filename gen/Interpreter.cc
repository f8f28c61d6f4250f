#include "gen/Interpreter.hh"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "core/Error.hh"

namespace pf::gen {

namespace {

uint32_t domainMask(int domains) { return domains >= 32 ? 0xffffffffu : (1u << domains) - 1; }

// The RTL's AW: the ROM address width, so pc + 1 wraps where the pc register does.
uint32_t addressMask(int depth) {
  int bits = 1;
  while ((1 << bits) < depth) ++bits;
  return (1u << bits) - 1;
}

bool stable(DomainState state) {
  return state == DomainState::Off || state == DomainState::On || state == DomainState::Ret;
}

}  // namespace

const char *modeName(SequencerMode mode) {
  switch (mode) {
    case SequencerMode::Exec:
      return "EXEC";
    case SequencerMode::Wait:
      return "WAIT";
    case SequencerMode::Sync:
      return "SYNC";
    case SequencerMode::Halt:
      return "HALT";
    case SequencerMode::Error:
      return "ERR";
  }
  return "?";
}

const char *domainStateName(DomainState state) {
  static const char *const kNames[] = {"OFF", "WAKE",  "READY", "ON",
                                       "ISO", "RETIN", "RET",   "BREAK"};
  return kNames[int(state) & 7];
}

const char *errorName(SequencerError error) {
  static const char *const kNames[] = {"none",          "illegal encoding", "illegal use",
                                       "pgood timeout", "pgood lost",       "datapath error"};
  return int(error) <= 5 ? kNames[int(error)] : "?";
}

Interpreter::Interpreter(SequencerParams params, std::vector<uint32_t> rom)
    : params_(std::move(params)), rom_(std::move(rom)) {
  const std::vector<std::string> problems = checkSequencerParams(params_);
  if (!problems.empty()) throw Error(8101, {}, "sequencer", problems.front());
  if (rom_.size() > size_t(params_.rom_depth))
    throw std::invalid_argument(
        fmt::format("interpreter: {} ROM words for a depth of {}", rom_.size(), params_.rom_depth));
  pc_mask_ = addressMask(params_.rom_depth);
  reset();
}

uint32_t Interpreter::romWord(uint32_t address) const {
  return address < rom_.size() ? rom_[address] : 0u;
}

// "registers", the reset branch: every domain isolated, in reset, off; slowest clock.
void Interpreter::reset() {
  st_ = SequencerState{};
  st_.domains.assign(size_t(params_.domains), DomainRegisters{});
  out_ = SequencerOutputs{};
  out_.dom_rail.assign(size_t(params_.domains), 0);
  out_.dom_iso = domainMask(params_.domains);
  out_.div_sel = params_.dividers - 1;
  cycle_ = 0;
}

// "decode" and the legality checks: the signals every other block reads.
Interpreter::Control Interpreter::control() const {
  Control c;
  c.word = romWord(st_.pc);
  c.instruction = decode(c.word, params_.shape());  // nullopt exactly when !enc_ok
  const bool exec = st_.mode == SequencerMode::Exec;
  if (c.instruction) checkUse(c);
  c.bad_enc = exec && !c.instruction;
  c.bad_use = exec && c.instruction && !c.use_ok;
  c.act = exec && c.instruction && c.use_ok;
  if (!c.act) return c;
  const Opcode op = c.instruction->op;
  c.cmd_on = op == Opcode::PwrOn;
  c.cmd_off = op == Opcode::PwrOff;
  c.cmd_ret = op == Opcode::Ret;
  c.cmd_rail = op == Opcode::Rail;
  c.run_fire = op == Opcode::Run;
  c.sleep_take = op == Opcode::Sleep && st_.tick_pending;
  return c;
}

// "Does the instruction finish this cycle (pc moves on), and is its use legal now?"
void Interpreter::checkUse(Control &c) const {
  const Instruction &in = *c.instruction;
  const DomainRegisters &a = st_.domains[size_t(in.domain)];  // a_state, a_rail (mux)
  const bool a_in_chain = st_.busy && (st_.chain_need >> in.domain & 1u);
  switch (in.op) {
    case Opcode::PwrOn:
      c.use_ok = a.state == DomainState::Off || a.state == DomainState::Ret;
      break;
    case Opcode::PwrOff:  // from ON (not used by a running chain) or from retention
      c.use_ok = (a.state == DomainState::On && !a_in_chain) || a.state == DomainState::Ret;
      break;
    case Opcode::Ret:
      c.use_ok = a.state == DomainState::On && !a_in_chain && params_.has_retention[in.domain];
      break;
    case Opcode::Rail:
      c.use_ok = a.state == DomainState::On && !a_in_chain && a.rail != in.rail;
      break;
    case Opcode::Settle:
      c.completes = true;
      for (const DomainRegisters &d : st_.domains) c.completes = c.completes && stable(d.state);
      break;
    case Opcode::Div:
      c.use_ok = !st_.busy && !tooFastForDiv(in.divider);
      break;
    case Opcode::Run:
      c.use_ok = !st_.busy && needReady();
      break;
    case Opcode::Sync:
      c.completes = !st_.busy;
      break;
    case Opcode::Sleep:
      c.use_ok = !st_.busy;
      c.completes = st_.tick_pending;
      break;
    default:
      break;
  }
  // Running off the end of the ROM is an illegal use of the last word.
  const bool at_last = st_.pc == uint32_t(params_.rom_depth - 1);
  if (c.completes && in.op != Opcode::Jump && in.op != Opcode::Halt && at_last) c.use_ok = false;
}

// too_fast_for_div: would this divider clock a domain that is on (or about to be) above
// its fmax at its rail?
bool Interpreter::tooFastForDiv(int divider) const {
  for (int d = 0; d < params_.domains; ++d) {
    const DomainRegisters &dom = st_.domains[size_t(d)];
    const bool functional = dom.state == DomainState::On || dom.state == DomainState::Ready;
    if (functional && divMinAt(d, dom.rail) > divider) return true;
  }
  return false;
}

// need_ready: every domain the next RUN needs is on.
bool Interpreter::needReady() const {
  for (int d = 0; d < params_.domains; ++d)
    if ((st_.need >> d & 1u) && st_.domains[size_t(d)].state != DomainState::On) return false;
  return true;
}

// "domain FSMs": each domain's next state and its power-control outputs.
void Interpreter::domainFsms(const Control &c, const SequencerInputs &in, Faults &faults) {
  for (int d = 0; d < params_.domains; ++d) domainFsm(d, c, (in.pgood >> d & 1u) != 0, faults);
}

void Interpreter::domainFsm(int d, const Control &c, bool pgood, Faults &faults) {
  const DomainRegisters &cur = st_.domains[size_t(d)];
  DomainRegisters &next = st_n_.domains[size_t(d)];
  const uint32_t bit = 1u << d;
  const bool addressed = c.instruction && c.instruction->domain == d;
  const uint32_t timeout = uint32_t(params_.pg_timeout_cycles);
  switch (cur.state) {
    case DomainState::Off:
    case DomainState::Ret:
      if (c.cmd_on && addressed) {
        // Close the switch onto the rail; isolation and reset (or retention) stay on.
        next.state = DomainState::Wake;
        next.rail = c.instruction->rail;
        out_n_.dom_rail[size_t(d)] = onehot(next.rail);
        out_n_.dom_sw |= bit;
        next.count = 0;
      } else if (c.cmd_off && addressed) {
        // Retention -> off: the data is dead; drop the retention supply (switch is open).
        next.state = DomainState::Off;
        out_n_.dom_ret &= ~bit;
        out_n_.dom_rst_n &= ~bit;
      }
      break;
    case DomainState::Wake:
      if (pgood) {
        // Powered: release reset and retention, keep isolating until the clock is safe.
        next.state = DomainState::Ready;
        out_n_.dom_rst_n |= bit;
        out_n_.dom_ret &= ~bit;
        next.count = 0;
      } else if (cur.count == timeout) {
        faults.timeout = true;
      } else {
        next.count = cur.count + 1;
      }
      break;
    case DomainState::Ready:
      if (!pgood) {
        faults.lost = true;
      } else if (divMinAt(d, cur.rail) <= out_.div_sel) {
        next.state = DomainState::On;
        out_n_.dom_iso &= ~bit;
      }
      break;
    case DomainState::On:
      if (!pgood) {
        faults.lost = true;
      } else if ((c.cmd_off || c.cmd_ret || c.cmd_rail) && addressed) {
        next.state = DomainState::Iso;
        out_n_.dom_iso |= bit;
        next.goal = c.cmd_off ? DomainGoal::Off : (c.cmd_ret ? DomainGoal::Ret : DomainGoal::Rail);
        next.new_rail = c.instruction->rail;  // 0 for PWR_OFF and RET (the field is reserved)
      }
      break;
    case DomainState::Iso:
      switch (cur.goal) {
        case DomainGoal::Off:
          next.state = DomainState::Off;
          out_n_.dom_rail[size_t(d)] = 0;
          out_n_.dom_sw &= ~bit;
          out_n_.dom_rst_n &= ~bit;
          break;
        case DomainGoal::Ret:
          next.state = DomainState::RetIn;
          out_n_.dom_ret |= bit;
          break;
        case DomainGoal::Rail:  // break: open the old rail's switch first
          next.state = DomainState::Break;
          out_n_.dom_rail[size_t(d)] = 0;
          out_n_.dom_sw &= ~bit;
          next.count = 0;
          break;
      }
      break;
    case DomainState::RetIn:
      next.state = DomainState::Ret;
      out_n_.dom_rail[size_t(d)] = 0;
      out_n_.dom_sw &= ~bit;
      break;
    case DomainState::Break:  // make only once the old supply's power-good has dropped
      if (!pgood) {
        next.state = DomainState::Wake;
        next.rail = cur.new_rail;
        out_n_.dom_rail[size_t(d)] = onehot(cur.new_rail);
        out_n_.dom_sw |= bit;
        next.count = 0;
      } else if (cur.count == timeout) {
        faults.timeout = true;
      } else {
        next.count = cur.count + 1;
      }
      break;
  }
}

// "chain engine": RUN starts a chain of descriptors; each done (not in a start cycle)
// starts the next one 64 bytes on, or ends the chain.
void Interpreter::chainEngine(const Control &c, const SequencerInputs &in, Faults &faults) {
  out_n_.start = false;
  if (c.run_fire) {
    st_n_.busy = true;
    out_n_.start = true;
    st_n_.chain_left = c.instruction->imm;
    out_n_.desc_addr = st_.desc_base << 3;
    st_n_.chain_need = st_.need & domainMask(params_.domains);
  } else if (st_.busy && !out_.start && in.done) {
    if ((in.dp_err & 0xfu) != 0) {
      faults.datapath = true;
    } else if (st_.chain_left == 1) {
      st_n_.busy = false;
    } else {
      st_n_.chain_left = st_.chain_left - 1;
      out_n_.desc_addr = out_.desc_addr + kDescriptorStrideBytes;
      out_n_.start = true;
    }
  }
}

// "program FSM": the pc, the modes that hold it, and the registers instructions set.
void Interpreter::programFsm(const Control &c) {
  switch (st_.mode) {
    case SequencerMode::Exec:
      if (!c.act) break;
      if (c.completes) st_n_.pc = (st_.pc + 1) & pc_mask_;
      switch (const Instruction &in = *c.instruction; in.op) {
        case Opcode::Div:
          out_n_.div_sel = in.divider;
          break;
        case Opcode::Desc:
          st_n_.desc_base = in.imm;
          break;
        case Opcode::Need:
          if (in.half != 0)
            st_n_.need = (st_.need & 0x0000ffffu) | (in.imm << 16);
          else
            st_n_.need = (st_.need & 0xffff0000u) | in.imm;
          break;
        case Opcode::Wait:
          if (in.imm != 0) {
            st_n_.mode = SequencerMode::Wait;
            st_n_.pc = st_.pc;
            st_n_.wait_left = in.imm;
          }
          break;
        case Opcode::Run:
          if (in.flag) st_n_.mode = SequencerMode::Sync;
          break;
        case Opcode::Sleep:
          out_n_.clk_stop = !st_.tick_pending && in.flag;
          break;
        case Opcode::Jump:
          st_n_.pc = in.imm;
          break;
        case Opcode::Halt:
          st_n_.mode = SequencerMode::Halt;
          st_n_.pc = st_.pc;
          break;
        default:
          break;
      }
      break;
    case SequencerMode::Wait:
      if (st_.wait_left == 1) {
        st_n_.mode = SequencerMode::Exec;
        st_n_.pc = (st_.pc + 1) & pc_mask_;
      } else {
        st_n_.wait_left = st_.wait_left - 1;
      }
      break;
    case SequencerMode::Sync:
      if (!st_.busy) st_n_.mode = SequencerMode::Exec;
      break;
    case SequencerMode::Halt:
    case SequencerMode::Error:
      break;
  }
}

// "registers", the error branch: terminal; isolate everything, never start the datapath,
// keep the clock running. Every other register keeps its value.
void Interpreter::enterError(const Control &c, const Faults &faults) {
  if (st_.mode != SequencerMode::Error) {
    // "error": the cause with the highest priority.
    SequencerError cause = SequencerError::Datapath;
    if (c.bad_enc)
      cause = SequencerError::Encoding;
    else if (c.bad_use)
      cause = SequencerError::Use;
    else if (faults.timeout)
      cause = SequencerError::Timeout;
    else if (faults.lost)
      cause = SequencerError::Lost;
    out_.err_cause = int(cause);
  }
  st_.mode = SequencerMode::Error;
  out_.err = true;
  out_.dom_iso = domainMask(params_.domains);
  out_.start = false;
  st_.busy = false;
  out_.clk_stop = false;
}

// The period tick latch: runs whatever the program does, so a late SLEEP still sees it.
void Interpreter::tickLatch(const Control &c, const SequencerInputs &in) {
  const bool pending = st_.tick_pending;
  st_.tick_pending = (pending && !c.sleep_take) || in.tick;
  out_.overrun = out_.overrun || (in.tick && pending && !c.sleep_take);
}

void Interpreter::step(const SequencerInputs &in) {
  const Control c = control();
  st_n_ = st_;
  out_n_ = out_;
  Faults faults;
  domainFsms(c, in, faults);
  chainEngine(c, in, faults);
  programFsm(c);
  const bool live = st_.mode != SequencerMode::Error;
  const bool go_err =
      live && (c.bad_enc || c.bad_use || faults.timeout || faults.lost || faults.datapath);
  const bool tick_pending = st_.tick_pending;
  if (!live || go_err) {
    enterError(c, faults);
  } else {
    std::swap(st_, st_n_);
    std::swap(out_, out_n_);
    out_.halted = st_.mode == SequencerMode::Halt;
  }
  // The tick latch is a separate always block: computed from the values before the edge.
  st_.tick_pending = tick_pending;
  tickLatch(c, in);
  out_.rom_addr = st_.pc;
  ++cycle_;
}

}  // namespace pf::gen
