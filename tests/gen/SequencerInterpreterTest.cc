// The cycle-by-cycle behaviour docs/microcode.md promises, edge by edge, on short
// programs: power-up, power-down, retention and rail-change order, the DVFS rule, WAIT,
// the chain handshake, SLEEP and the tick, the power-good timeout window, errors. Each
// scenario runs on the interpreter and on the Verilated RTL (shape r3d12), which must
// agree at every edge; the expectations are checked on the interpreter's outputs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>

#include "gen/Interpreter.hh"
#include "tests/gen/SequencerCosim.hh"
#include "tests/gen/SequencerDut.hh"
#include "tests/gen/SequencerSpec.hh"

namespace pf::gen {
namespace {

// ---- a tiny assembler ----------------------------------------------------------------------

uint32_t op(Opcode code, int domain = 0, int rail = 0, uint32_t imm = 0, bool flag = false) {
  Instruction in;
  in.op = code;
  in.domain = domain;
  in.rail = rail;
  in.divider = code == Opcode::Div ? int(imm) : 0;
  in.imm = code == Opcode::Div ? 0 : imm;
  in.flag = flag;
  return encode(in);
}
uint32_t pwrOn(int d, int r) { return op(Opcode::PwrOn, d, r); }
uint32_t pwrOff(int d) { return op(Opcode::PwrOff, d); }
uint32_t ret(int d) { return op(Opcode::Ret, d); }
uint32_t rail(int d, int r) { return op(Opcode::Rail, d, r); }
uint32_t div(int k) { return op(Opcode::Div, 0, 0, uint32_t(k)); }
uint32_t wait(uint32_t n) { return op(Opcode::Wait, 0, 0, n); }
uint32_t desc(uint32_t units) { return op(Opcode::Desc, 0, 0, units); }
uint32_t need(uint32_t mask) { return op(Opcode::Need, 0, 0, mask); }
uint32_t run(uint32_t n, bool wait_for_it) { return op(Opcode::Run, 0, 0, n, wait_for_it); }
uint32_t sleep(bool stop) { return op(Opcode::Sleep, 0, 0, 0, stop); }
uint32_t jump(uint32_t to) { return op(Opcode::Jump, 0, 0, to); }
const uint32_t kSettle = op(Opcode::Settle), kSync = op(Opcode::Sync), kHalt = op(Opcode::Halt);

// r3d12: div_min (rail 0, 1, 2) of d0 = 4 2 0 (retention), d1 = f 3 1, d9 = 0 0 0.
const SequencerModel &r3d12() {
  for (const SequencerModel &m : sequencerModels())
    if (m.name == "pf_seq_r3d12") return m;
  throw std::runtime_error("pf_seq_r3d12 was not Verilated");
}

// ---- scenarios -------------------------------------------------------------------------------

// Runs a program for some edges. Power-good follows each switch: it is seen high from the
// `rise`-th edge after the edge that closed the switch, and low from the `fall`-th edge
// after the one that opened it. `tweak` changes the inputs of an edge (done, tick, faults).
class Scenario {
 public:
  explicit Scenario(std::vector<uint32_t> rom)
      : params_(parseSequencerSpec(r3d12().spec)), model_(params_, rom), dut_(r3d12().make()) {
    dut_->setRom(rom);
    dut_->reset();
    record();
  }
  int rise = 2, fall = 1;
  std::function<void(int edge, SequencerInputs &)> tweak = [](int, SequencerInputs &) {};

  void run(int edges) {
    for (int i = 0; i < edges; ++i) step();
  }
  const SequencerOutputs &out(int edge) const { return outs_.at(size_t(edge)); }
  const SequencerState &state(int edge) const { return states_.at(size_t(edge)); }
  bool pin(int edge, int d, uint32_t SequencerOutputs::*field) const {
    return (out(edge).*field >> d & 1u) != 0;
  }
  int edges() const { return int(outs_.size()) - 1; }

 private:
  void step() {
    const int edge = edges() + 1;
    SequencerInputs in;
    for (int d = 0; d < params_.domains; ++d)
      if (pgood(d, edge)) in.pgood |= 1u << d;
    tweak(edge, in);
    model_.step(in);
    dut_->step(in);
    const std::optional<std::string> difference =
        firstDifference(model_.outputs(), dut_->outputs());
    if (!failed_) {  // report the first disagreement only
      EXPECT_FALSE(difference) << "edge " << edge << ": " << *difference;
      EXPECT_FALSE(dut_->assertionFailed()) << "edge " << edge;
    }
    failed_ = failed_ || difference || dut_->assertionFailed();
    record();
  }
  // The switch's state after edge e-1 and since when.
  bool pgood(int d, int edge) const {
    const bool closed = pin(edge - 1, d, &SequencerOutputs::dom_sw);
    int since = edge - 1;
    while (since > 0 && pin(since - 1, d, &SequencerOutputs::dom_sw) == closed) --since;
    const bool settled = edge - since >= (closed ? rise : fall);
    return closed == settled;  // closed and risen, or open and not yet fallen
  }
  void record() {
    outs_.push_back(model_.outputs());
    states_.push_back(model_.state());
  }

  SequencerParams params_;
  Interpreter model_;
  std::unique_ptr<SequencerDut> dut_;
  std::vector<SequencerOutputs> outs_;
  std::vector<SequencerState> states_;
  bool failed_ = false;
};

constexpr auto kSw = &SequencerOutputs::dom_sw;
constexpr auto kIso = &SequencerOutputs::dom_iso;
constexpr auto kRst = &SequencerOutputs::dom_rst_n;
constexpr auto kRet = &SequencerOutputs::dom_ret;

TEST(SequencerCycles, ResetState) {
  Scenario s({kHalt});
  const SequencerOutputs &o = s.out(0);
  EXPECT_EQ(o.rom_addr, 0u);
  EXPECT_EQ(o.dom_iso, 0xfffu);
  EXPECT_EQ(o.dom_sw | o.dom_rst_n | o.dom_ret, 0u);
  EXPECT_EQ(o.div_sel, 5);  // the slowest divider
  EXPECT_FALSE(o.err || o.halted || o.start || o.clk_stop || o.overrun);
  s.run(2);
  EXPECT_TRUE(s.out(1).halted);
  EXPECT_EQ(s.out(2).rom_addr, 0u);  // HALT keeps its pc
}

// PWR_ON: switch closed on the rail at the instruction's edge; reset released at the edge
// that sees power-good; isolation released one edge later (the divider is slow enough).
TEST(SequencerCycles, PowerUpOrder) {
  Scenario s({pwrOn(9, 2), kSettle, kHalt});
  s.rise = 3;
  s.run(8);
  EXPECT_TRUE(s.pin(1, 9, kSw));
  EXPECT_EQ(s.out(1).dom_rail[9], 0b100);
  EXPECT_TRUE(s.pin(1, 9, kIso));
  EXPECT_FALSE(s.pin(1, 9, kRst));
  EXPECT_EQ(s.out(1).rom_addr, 1u);  // PWR_ON takes one cycle; the program goes on
  EXPECT_FALSE(s.pin(3, 9, kRst));   // power-good first seen at edge 1 + 3
  EXPECT_TRUE(s.pin(4, 9, kRst));
  EXPECT_TRUE(s.pin(4, 9, kIso));
  EXPECT_FALSE(s.pin(5, 9, kIso));
  EXPECT_EQ(s.out(5).rom_addr, 1u);  // SETTLE still waits: the domain was READY
  EXPECT_EQ(s.out(6).rom_addr, 2u);  // before edge 5, ON before edge 6
  EXPECT_TRUE(s.out(7).halted);
}

// PWR_OFF: isolate at the instruction's edge, then reset and open the switch together.
TEST(SequencerCycles, PowerDownOrder) {
  Scenario s({pwrOn(9, 0), kSettle, pwrOff(9), kSettle, kHalt});
  s.run(12);
  int k = 1;
  while (s.out(k - 1).rom_addr != 2 || s.out(k).rom_addr != 3) ++k;  // PWR_OFF's edge
  EXPECT_FALSE(s.pin(k - 1, 9, kIso));
  EXPECT_TRUE(s.pin(k, 9, kIso));
  EXPECT_TRUE(s.pin(k, 9, kSw) && s.pin(k, 9, kRst));
  EXPECT_FALSE(s.pin(k + 1, 9, kSw) || s.pin(k + 1, 9, kRst));
  EXPECT_EQ(s.out(k + 1).dom_rail[9], 0);
  EXPECT_EQ(s.out(k + 2).rom_addr, 4u);  // SETTLE: OFF before edge k + 2
}

// RET: isolate, then retain, then open the periphery switch; PWR_ON from retention closes
// it again and releases retention at power-good, isolation one edge later.
TEST(SequencerCycles, RetentionOrder) {
  Scenario s({div(4), pwrOn(0, 0), kSettle, ret(0), kSettle, pwrOn(0, 2), kSettle, kHalt});
  s.run(20);
  int k = 1;
  while (s.out(k - 1).rom_addr != 3 || s.out(k).rom_addr != 4) ++k;  // RET's edge
  EXPECT_TRUE(s.pin(k, 0, kIso) && !s.pin(k, 0, kRet) && s.pin(k, 0, kSw));
  EXPECT_TRUE(s.pin(k + 1, 0, kRet) && s.pin(k + 1, 0, kSw));
  EXPECT_TRUE(s.pin(k + 2, 0, kRet) && !s.pin(k + 2, 0, kSw));
  EXPECT_TRUE(s.pin(k + 2, 0, kRst));  // reset stays released: the state is retained
  EXPECT_EQ(s.state(k + 2).domains[0].state, DomainState::Ret);
  while (s.out(k - 1).rom_addr != 5 || s.out(k).rom_addr != 6) ++k;  // PWR_ON's edge
  EXPECT_TRUE(s.pin(k, 0, kSw) && s.pin(k, 0, kRet) && s.pin(k, 0, kIso));
  EXPECT_TRUE(s.pin(k + 1, 0, kRet));                            // rise = 2
  EXPECT_TRUE(!s.pin(k + 2, 0, kRet) && s.pin(k + 2, 0, kIso));  // power-good seen
  EXPECT_FALSE(s.pin(k + 3, 0, kIso));
}

// PWR_OFF of a domain in retention: the retained state is dropped at once (retention off,
// reset on; the switch is already open), no isolation step.
TEST(SequencerCycles, PowerOffFromRetention) {
  Scenario s({div(4), pwrOn(0, 0), kSettle, ret(0), kSettle, pwrOff(0), kSettle, kHalt});
  s.run(16);
  int k = 1;
  while (s.out(k - 1).rom_addr != 5 || s.out(k).rom_addr != 6) ++k;  // PWR_OFF's edge
  EXPECT_TRUE(s.pin(k - 1, 0, kRet) && s.pin(k - 1, 0, kRst));
  EXPECT_FALSE(s.pin(k, 0, kRet) || s.pin(k, 0, kRst) || s.pin(k, 0, kSw));
  EXPECT_TRUE(s.pin(k, 0, kIso));
  EXPECT_EQ(s.state(k).domains[0].state, DomainState::Off);
  EXPECT_EQ(s.out(k + 1).rom_addr, 7u);  // SETTLE: OFF already
  EXPECT_FALSE(s.out(k + 2).err);
}

// RAIL: isolate; open the old rail's switch; close the new one at the edge that sees
// power-good low (break before make); release isolation one edge after power-good.
TEST(SequencerCycles, RailChangeBreaksBeforeMake) {
  Scenario s({pwrOn(9, 0), kSettle, rail(9, 2), kSettle, kHalt});
  s.fall = 2;
  s.run(16);
  int k = 1;
  while (s.out(k - 1).rom_addr != 2 || s.out(k).rom_addr != 3) ++k;  // RAIL's edge
  EXPECT_TRUE(s.pin(k, 9, kIso) && s.out(k).dom_rail[9] == 0b001);
  EXPECT_TRUE(!s.pin(k + 1, 9, kSw) && s.out(k + 1).dom_rail[9] == 0);
  EXPECT_TRUE(!s.pin(k + 2, 9, kSw));  // power-good still high at edge k + 2
  EXPECT_TRUE(s.pin(k + 3, 9, kSw) && s.out(k + 3).dom_rail[9] == 0b100);
  EXPECT_TRUE(s.pin(k + 4, 9, kIso));  // rise = 2: power-good seen at k + 5
  EXPECT_TRUE(s.pin(k + 5, 9, kIso) && s.pin(k + 5, 9, kRst));
  EXPECT_FALSE(s.pin(k + 6, 9, kIso));
}

// DVFS: a domain whose fmax at its rail is below the clock waits in READY, isolated, until
// DIV slows the clock; a DIV that would clock an ON domain too fast is an illegal use.
TEST(SequencerCycles, ReadyWaitsForTheSlowerClock) {
  Scenario s({div(0), pwrOn(1, 1), wait(9), div(3), kSettle, div(2)});
  s.run(20);
  EXPECT_EQ(s.state(8).domains[1].state, DomainState::Ready);
  EXPECT_TRUE(s.pin(11, 1, kIso));
  EXPECT_EQ(s.out(12).div_sel, 0);
  EXPECT_EQ(s.out(13).div_sel, 3);  // DIV 3 at edge 13 (WAIT 9 occupied edges 3..12)
  EXPECT_TRUE(s.pin(13, 1, kIso));
  EXPECT_FALSE(s.pin(14, 1, kIso));
  EXPECT_FALSE(s.out(15).err);
  EXPECT_TRUE(s.out(16).err);  // DIV 2 at edge 16
  EXPECT_EQ(s.out(16).err_cause, int(SequencerError::Use));
  EXPECT_EQ(s.out(16).div_sel, 3);

  Scenario t({div(0), pwrOn(1, 1), wait(9), div(2)});  // d1 waits in READY: still too fast
  t.run(13);
  EXPECT_EQ(t.state(12).domains[1].state, DomainState::Ready);
  EXPECT_FALSE(t.out(12).err);
  EXPECT_TRUE(t.out(13).err);
  EXPECT_EQ(t.out(13).err_cause, int(SequencerError::Use));
}

TEST(SequencerCycles, WaitTakesNPlusOneCycles) {
  Scenario s({wait(5), wait(0), kHalt});
  s.run(9);
  for (int e = 0; e <= 5; ++e) EXPECT_EQ(s.out(e).rom_addr, 0u) << e;
  EXPECT_EQ(s.out(6).rom_addr, 1u);
  EXPECT_EQ(s.out(7).rom_addr, 2u);
  EXPECT_TRUE(s.out(8).halted);
}

// RUN: start is a one-cycle pulse at RUN's edge with desc_addr = DESC * 8; each done
// (ignored while start is high) starts the next descriptor 64 bytes on; RUN.WAIT holds
// the program until the edge after the last done.
TEST(SequencerCycles, ChainHandshake) {
  Scenario s({pwrOn(9, 0), kSettle, need(1u << 9), desc(0x10), run(3, true), kHalt});
  s.tweak = [](int edge, SequencerInputs &in) {
    in.done = edge == 9 || edge == 10 || edge == 13 || edge == 16;
  };
  s.run(20);
  EXPECT_FALSE(s.out(7).start);
  EXPECT_TRUE(s.out(8).start);  // RUN's edge (the domain was ON before edge 5)
  EXPECT_EQ(s.out(8).desc_addr, 0x80u);
  EXPECT_FALSE(s.out(9).start);  // the done at edge 9 came with start high: ignored
  EXPECT_TRUE(s.out(10).start);  // the done at edge 10
  EXPECT_EQ(s.out(10).desc_addr, 0xc0u);
  EXPECT_TRUE(s.out(13).start);
  EXPECT_EQ(s.out(13).desc_addr, 0x100u);
  EXPECT_TRUE(s.state(15).busy);
  EXPECT_FALSE(s.state(16).busy);  // the third done ends the chain
  EXPECT_FALSE(s.out(16).start);
  EXPECT_EQ(s.out(16).desc_addr, 0x100u);
  EXPECT_EQ(s.state(16).mode, SequencerMode::Sync);
  EXPECT_EQ(s.state(17).mode, SequencerMode::Exec);
  EXPECT_TRUE(s.out(18).halted);
}

// SLEEP: waits for the period tick (latched, so one that came earlier counts); with the
// stop flag, clk_stop is high while it waits. Two ticks without a SLEEP set overrun.
TEST(SequencerCycles, SleepWaitsForTheTick) {
  Scenario s({sleep(true), sleep(true), jump(0)});
  s.tweak = [](int edge, SequencerInputs &in) { in.tick = edge == 5 || edge == 7 || edge == 8; };
  s.run(12);
  EXPECT_TRUE(s.out(1).clk_stop);
  EXPECT_EQ(s.out(5).rom_addr, 0u);  // the tick is latched at edge 5
  EXPECT_TRUE(s.out(5).clk_stop);
  EXPECT_EQ(s.out(6).rom_addr, 1u);  // and taken at edge 6
  EXPECT_FALSE(s.out(6).clk_stop);
  EXPECT_TRUE(s.out(7).clk_stop);
  EXPECT_EQ(s.out(8).rom_addr, 2u);  // the tick of edge 7 taken at edge 8, tick 8 latched
  EXPECT_FALSE(s.out(8).overrun);
  EXPECT_EQ(s.out(9).rom_addr, 0u);   // JUMP
  EXPECT_EQ(s.out(10).rom_addr, 1u);  // the pending tick: SLEEP takes one cycle, no stop
  EXPECT_FALSE(s.out(10).clk_stop);

  Scenario t({wait(20), kHalt});
  t.tweak = [](int edge, SequencerInputs &in) { in.tick = edge == 3 || edge == 9; };
  t.run(10);
  EXPECT_FALSE(t.out(8).overrun);
  EXPECT_TRUE(t.out(9).overrun);
}

// Power-good may come as late as the (PG_TIMEOUT + 1)-th edge after the switch closed;
// one edge later is a timeout, seen at that edge.
TEST(SequencerCycles, PowerGoodTimeoutWindow) {
  const int timeout = parseSequencerSpec(r3d12().spec).pg_timeout_cycles;
  Scenario in_time({pwrOn(9, 0), kSettle, kHalt});
  in_time.rise = timeout + 1;
  in_time.run(timeout + 6);
  EXPECT_FALSE(in_time.out(timeout + 6).err);
  EXPECT_TRUE(in_time.out(timeout + 6).halted);

  Scenario late({pwrOn(9, 0), kSettle, kHalt});
  late.rise = timeout + 2;
  late.run(timeout + 3);
  EXPECT_FALSE(late.out(timeout + 1).err);
  EXPECT_TRUE(late.out(timeout + 2).err);
  EXPECT_EQ(late.out(timeout + 2).err_cause, int(SequencerError::Timeout));
}

// The error state: every domain isolated, no start, clock running; switches stay as they
// were; nothing changes any more except the tick latch. An illegal word outranks a
// timeout in the same cycle.
TEST(SequencerCycles, ErrorStateIsSafeAndTerminal) {
  Scenario s({pwrOn(9, 0), kSettle, need(1u << 9), run(2, false), wait(3), 0xffffffffu});
  s.run(16);
  int k = 1;
  while (!s.out(k).err) ++k;
  EXPECT_EQ(s.out(k).err_cause, int(SequencerError::Encoding));
  EXPECT_EQ(s.out(k).dom_iso, 0xfffu);
  EXPECT_FALSE(s.out(k).start);
  EXPECT_TRUE(s.pin(k, 9, kSw));  // still powered, isolated
  EXPECT_EQ(s.out(k + 3), s.out(k));

  Scenario both({pwrOn(9, 0), wait(11), 0u});
  both.rise = 100;  // never: the timeout comes at edge 1 + 12 + 1 = 14 = the word 0's edge
  both.run(14);
  EXPECT_EQ(both.out(14).err_cause, int(SequencerError::Encoding));
}

// Several faults at one edge: the lowest cause wins (1 encoding, 2 use, 3 timeout, 4 lost,
// 5 datapath).
TEST(SequencerCycles, ErrorPriority) {
  // d0 never gets power-good: timeout at edge 6 + 1 + 12; d9 (on) loses it at that edge.
  Scenario timeout_lost({pwrOn(9, 0), kSettle, pwrOn(0, 2), wait(100)});
  timeout_lost.tweak = [](int edge, SequencerInputs &in) {
    in.pgood &= ~1u;
    if (edge == 19) in.pgood &= ~(1u << 9);
  };
  timeout_lost.run(19);
  EXPECT_FALSE(timeout_lost.out(18).err);
  EXPECT_EQ(timeout_lost.out(19).err_cause, int(SequencerError::Timeout));

  // The chain's domain loses power-good at the edge its done reports an error.
  Scenario lost_dp({pwrOn(9, 0), kSettle, need(1u << 9), run(1, false), wait(100)});
  lost_dp.tweak = [](int edge, SequencerInputs &in) {
    if (edge != 9) return;
    in.pgood &= ~(1u << 9);
    in.done = true;
    in.dp_err = 3;
  };
  lost_dp.run(9);
  EXPECT_TRUE(lost_dp.out(7).start);
  EXPECT_FALSE(lost_dp.out(8).err);
  EXPECT_EQ(lost_dp.out(9).err_cause, int(SequencerError::Lost));

  // An illegal use (PWR_OFF of an off domain) at the edge d0 times out.
  Scenario use_timeout({pwrOn(0, 2), wait(11), pwrOff(1)});
  use_timeout.tweak = [](int, SequencerInputs &in) { in.pgood &= ~1u; };
  use_timeout.run(14);
  EXPECT_FALSE(use_timeout.out(13).err);
  EXPECT_EQ(use_timeout.out(14).err_cause, int(SequencerError::Use));
}

// Running off the end of the ROM is an illegal use of the last word; a JUMP there is fine.
TEST(SequencerCycles, LastWordMustNotFallThrough) {
  std::vector<uint32_t> rom(64, wait(0));
  Scenario s(rom);
  s.run(64);
  EXPECT_FALSE(s.out(63).err);
  EXPECT_EQ(s.out(63).rom_addr, 63u);
  EXPECT_TRUE(s.out(64).err);
  EXPECT_EQ(s.out(64).err_cause, int(SequencerError::Use));
  rom[63] = jump(0);
  Scenario t(rom);
  t.run(130);
  EXPECT_FALSE(t.out(130).err);
}

}  // namespace
}  // namespace pf::gen
