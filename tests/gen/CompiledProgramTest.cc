// The compiler's programs do what the schedule says: random schedules are compiled and
// run on the reference interpreter (gen/Interpreter.hh, cycle-equal to the RTL) with a
// closed-loop power network and datapath, for two periods each. At the first descriptor
// start of every layer the domains are exactly in the layer's state (mode and rail) and
// the divider is the layer's; every descriptor of the layer's chain is started, in order;
// between layers the program sleeps until the period tick; nothing ever errs.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "gen/Compiler.hh"
#include "gen/Interpreter.hh"

namespace pf::gen {
namespace {

using sched::DomainMode;
using DState = sched::DomainState;

struct Case {
  SequencerParams params;
  ProgramSpec spec;
};

class CaseMaker {
 public:
  explicit CaseMaker(uint32_t seed) : rng_(seed) {}

  Case make() {
    Case c;
    SequencerParams &p = c.params;
    p.rails = pick(1, 4), p.domains = pick(1, 20), p.dividers = pick(1, 4);
    p.rom_depth = 512, p.pg_timeout_cycles = 60;
    for (int d = 0; d < p.domains; ++d) {
      p.has_retention.push_back(pick(0, 1) == 1);
      for (int r = 0; r < p.rails; ++r) p.div_min.push_back(pick(0, p.dividers - 1));
    }
    ProgramSpec &s = c.spec;
    for (int d = 0; d < p.domains; ++d) s.domain_names.push_back("d" + std::to_string(d));
    s.has_retention = p.has_retention, s.div_min = p.div_min;
    s.rails = p.rails, s.dividers = p.dividers, s.rom_depth = p.rom_depth;
    s.divider_switch_cycles.assign(size_t(p.dividers), uint32_t(pick(0, 4)));
    std::vector<DState> previous(size_t(p.domains), DState{DomainMode::Off, -1});
    const int layers = pick(1, 6);
    uint32_t addr = 0x100;
    for (int i = 0; i < layers; ++i) {
      ProgramLayer layer;
      layer.name = "l" + std::to_string(i);
      layer.state = state(p, previous, true);
      for (int d = 0; d < p.domains; ++d) {
        const bool on = layer.state.domains[d].mode == DomainMode::On;
        layer.uses.push_back(on && pick(0, 2) > 0);
        layer.lookahead_in.push_back(pick(0, 1) == 1);
      }
      layer.first_desc_addr = addr;
      layer.desc_count = pick(1, 3);
      addr += uint32_t(layer.desc_count) * kDescriptorStrideBytes;
      previous = layer.state.domains;
      s.layers.push_back(std::move(layer));
    }
    s.idle_name = "idle";
    s.idle = state(p, previous, false);
    if (pick(0, 1)) s.idle.divider_index = -1;
    for (int d = 0; d < p.domains; ++d) s.idle_lookahead_in.push_back(pick(0, 1) == 1);
    return c;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  // A state the sequencer can reach from `previous`: retention only from on or
  // retention, every on domain within its fmax at the chosen divider.
  ProgramState state(const SequencerParams &p, const std::vector<DState> &previous,
                     bool allow_retention) {
    ProgramState s;
    s.divider_index = pick(0, p.dividers - 1);
    for (int d = 0; d < p.domains; ++d) {
      const bool can_retain =
          allow_retention && p.has_retention[d] && previous[d].mode != DomainMode::Off;
      const int choice = pick(0, 3);
      DState domain{DomainMode::Off, -1};
      if (choice >= 2) {
        const int rail = pick(0, p.rails - 1);
        if (p.divMin(d, rail) <= s.divider_index) domain = {DomainMode::On, rail};
      } else if (choice == 1 && can_retain) {
        domain = {DomainMode::Retention, -1};
      }
      s.domains.push_back(domain);
    }
    return s;
  }

  std::mt19937 rng_;
};

// A power network whose power-good follows the rail select after a few cycles, and a
// datapath that answers every start with done a few cycles later.
class Environment {
 public:
  explicit Environment(int domains) : on_for_(size_t(domains), 0) {}

  SequencerInputs inputs(const SequencerOutputs &out, uint64_t cycle, uint64_t period) {
    SequencerInputs in;
    for (size_t d = 0; d < on_for_.size(); ++d) {
      on_for_[d] = out.dom_rail[d] ? on_for_[d] + 1 : 0;
      if (on_for_[d] > 3) in.pgood |= 1u << d;
    }
    if (out.start) done_in_ = 6;
    if (done_in_ > 0 && --done_in_ == 0) in.done = true;
    in.tick = cycle % period == period - 1;
    return in;
  }

 private:
  std::vector<int> on_for_;
  int done_in_ = 0;
};

DState observed(const SequencerOutputs &out, int d) {
  if (out.dom_ret >> d & 1u) return {DomainMode::Retention, -1};
  if (out.dom_iso >> d & 1u) return {DomainMode::Off, -1};
  for (int r = 0; r < 8; ++r)
    if (out.dom_rail[size_t(d)] >> r & 1u) return {DomainMode::On, r};
  return {DomainMode::Off, -1};
}

void runTwoPeriods(const Case &c, int index) {
  const Program program = compileProgram(c.spec);
  Interpreter seq(c.params, program.words());
  seq.reset();
  Environment env(c.params.domains);
  const uint64_t period = 4000;
  size_t layer = 0;
  int64_t starts = 0;
  int periods_done = 0;
  for (uint64_t cycle = 0; cycle < 3 * period && periods_done < 2; ++cycle) {
    const SequencerOutputs &out = seq.outputs();
    ASSERT_FALSE(out.err) << "case " << index << ": error " << out.err_cause << " at pc "
                          << seq.pc() << " cycle " << cycle << "\n"
                          << programListing(program, c.params.shape(), {}, "");
    if (out.start) {
      const ProgramLayer &want = c.spec.layers[layer];
      ASSERT_EQ(out.desc_addr, want.first_desc_addr + uint32_t(starts) * kDescriptorStrideBytes)
          << "case " << index << " layer " << layer;
      if (starts == 0) {
        EXPECT_EQ(out.div_sel, want.state.divider_index) << "case " << index << " layer " << layer;
        for (int d = 0; d < c.params.domains; ++d)
          ASSERT_EQ(observed(out, d), want.state.domains[size_t(d)])
              << "case " << index << " layer " << layer << " domain " << d;
      }
      if (++starts == want.desc_count) {
        starts = 0;
        if (++layer == c.spec.layers.size()) layer = 0, ++periods_done;
      }
    }
    seq.step(env.inputs(out, cycle, period));
  }
  EXPECT_EQ(periods_done, 2) << "case " << index << ": the program did not run two periods";
}

TEST(CompiledProgram, RandomSchedulesRunAsScheduledOnTheInterpreter) {
  CaseMaker maker(20261204);
  for (int i = 0; i < 300; ++i) {
    runTwoPeriods(maker.make(), i);
    if (HasFatalFailure()) return;
  }
}

// The check can fail: a program whose boundary forgets one domain change is caught.
TEST(CompiledProgram, AMissingPowerChangeIsCaught) {
  CaseMaker maker(7);
  for (int i = 0; i < 50; ++i) {
    Case c = maker.make();
    Program program = compileProgram(c.spec);
    for (size_t a = 0; a < program.lines.size(); ++a) {
      if (program.lines[a].instruction.op != Opcode::PwrOn) continue;
      // Replace the PWR_ON by a harmless WAIT 0.
      program.lines[a].word = encode({.op = Opcode::Wait});
      Interpreter seq(c.params, program.words());
      seq.reset();
      Environment env(c.params.domains);
      bool mismatch = false;
      size_t layer = 0;
      int64_t starts = 0;
      for (uint64_t cycle = 0; cycle < 8000 && !mismatch; ++cycle) {
        const SequencerOutputs &out = seq.outputs();
        if (out.err) mismatch = true;
        if (out.start) {
          const ProgramLayer &want = c.spec.layers[layer];
          for (int d = 0; starts == 0 && d < c.params.domains; ++d)
            mismatch = mismatch || !(observed(out, d) == want.state.domains[size_t(d)]);
          if (++starts == want.desc_count) starts = 0, layer = (layer + 1) % c.spec.layers.size();
        }
        seq.step(env.inputs(out, cycle, 4000));
      }
      EXPECT_TRUE(mismatch) << "case " << i << ": dropping the PWR_ON at " << a
                            << " went unnoticed";
      return;
    }
  }
  FAIL() << "no case had a PWR_ON to drop";
}

}  // namespace
}  // namespace pf::gen
