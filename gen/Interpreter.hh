// The reference interpreter of the sequencer microcode (docs/microcode.md): a C++ model
// of gen/templates/pf_pwrseq.v with the RTL's exact cycle semantics. step() is one rising
// clock edge: every output is a register, so outputs() after step() is what the RTL's
// output flip-flops hold after that edge (rom_addr is the pc register).
//
// The model is built like the RTL, block by block, so the two can be read side by side:
// decode and legality (the RTL's enc_ok, through gen::decode), use checks (use_ok,
// completes), the per-domain FSMs, the chain engine, the error priority, the program FSM,
// the register update and the period tick latch. tests/gen/SequencerEquivalenceTest.cc
// runs random programs on this model and on the Verilated RTL and compares every output
// every cycle.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "gen/Microcode.hh"
#include "gen/Sequencer.hh"

namespace pf::gen {

// The sequencer's inputs during one clock cycle (sampled at the rising edge).
struct SequencerInputs {
  uint32_t pgood = 0;  // dom_pgood, bit d = domain d
  bool done = false;
  uint8_t dp_err = 0;  // 4 bits
  bool tick = false;
};

// The sequencer's outputs (all registers, rom_addr = pc).
struct SequencerOutputs {
  uint32_t rom_addr = 0;
  std::vector<uint8_t> dom_rail;  // per domain, bit r = rail r (one-hot or 0)
  uint32_t dom_sw = 0, dom_iso = 0, dom_rst_n = 0, dom_ret = 0;  // bit d = domain d
  int div_sel = 0;
  bool clk_stop = false, start = false;
  uint32_t desc_addr = 0;
  bool err = false;
  int err_cause = 0;  // SequencerError
  bool halted = false, overrun = false;

  bool operator==(const SequencerOutputs &other) const = default;
};

// The RTL's M_* program modes.
enum class SequencerMode : uint8_t { Exec = 0, Wait = 1, Sync = 2, Halt = 3, Error = 4 };
// The RTL's D_* domain states (stable: Off, On, Ret).
enum class DomainState : uint8_t {
  Off = 0,
  Wake = 1,   // switch closed, waiting for power-good (isolated)
  Ready = 2,  // powered, reset released, isolated until the divider is slow enough
  On = 3,
  Iso = 4,    // isolated on the way to off, retention or another rail
  RetIn = 5,  // retention asserted, periphery switch still closed
  Ret = 6,
  Break = 7,  // old rail's switch open, waiting for its power-good to drop
};
// The RTL's G_* goals of a domain leaving ON.
enum class DomainGoal : uint8_t { Off = 0, Ret = 1, Rail = 2 };
// err_cause values (E_*).
enum class SequencerError : uint8_t {
  None = 0,
  Encoding = 1,  // illegal word
  Use = 2,       // legal word, illegal in the current state
  Timeout = 3,   // power-good did not come (or go) in time
  Lost = 4,      // power-good dropped while powered
  Datapath = 5,  // done with dp_err != 0
};
const char *modeName(SequencerMode mode);
const char *domainStateName(DomainState state);
const char *errorName(SequencerError error);

// One domain's FSM registers (dst, drail, dnew, dgoal, dcnt in the RTL).
struct DomainRegisters {
  DomainState state = DomainState::Off;
  int rail = 0;      // the selected (or last selected) rail
  int new_rail = 0;  // RAIL's target while breaking
  DomainGoal goal = DomainGoal::Off;
  uint32_t count = 0;  // power-good wait, 0..PG_TIMEOUT
};

// The RTL's registers that are not outputs.
struct SequencerState {
  SequencerMode mode = SequencerMode::Exec;
  uint32_t pc = 0;
  uint32_t wait_left = 0;
  uint32_t desc_base = 0;  // 8-byte units
  uint32_t need = 0;
  bool busy = false;  // a descriptor chain is running
  uint32_t chain_left = 0;
  uint32_t chain_need = 0;
  bool tick_pending = false;
  std::vector<DomainRegisters> domains;
};

class Interpreter {
 public:
  // `rom`: the program from address 0; words past it (up to rom_depth) read 0, the
  // illegal word. Throws pf::Error (PF-8101) for unusable parameters and std::invalid_argument
  // for a ROM longer than rom_depth.
  Interpreter(SequencerParams params, std::vector<uint32_t> rom);

  // Asynchronous reset: every register to its reset value.
  void reset();
  // One rising clock edge with these inputs.
  void step(const SequencerInputs &in);

  const SequencerOutputs &outputs() const { return out_; }
  const SequencerState &state() const { return st_; }
  const SequencerParams &params() const { return params_; }
  uint32_t pc() const { return st_.pc; }
  SequencerMode mode() const { return st_.mode; }
  DomainState domainState(int domain) const { return st_.domains[size_t(domain)].state; }
  // The word at `address` as the ROM answers it (0 past the image).
  uint32_t romWord(uint32_t address) const;
  // Edges since the last reset.
  uint64_t cycle() const { return cycle_; }

 private:
  // The combinational signals of the decode and check blocks for the current pc.
  struct Control {
    uint32_t word = 0;
    std::optional<Instruction> instruction;  // nullopt: illegal encoding (!enc_ok)
    bool completes = true, use_ok = true;
    bool bad_enc = false, bad_use = false, act = false;
    bool cmd_on = false, cmd_off = false, cmd_ret = false, cmd_rail = false;
    bool run_fire = false, sleep_take = false;
  };
  struct Faults {
    bool timeout = false, lost = false, datapath = false;
  };

  Control control() const;
  void checkUse(Control &c) const;
  bool tooFastForDiv(int divider) const;
  bool needReady() const;
  void domainFsms(const Control &c, const SequencerInputs &in, Faults &faults);
  void domainFsm(int d, const Control &c, bool pgood, Faults &faults);
  void chainEngine(const Control &c, const SequencerInputs &in, Faults &faults);
  void programFsm(const Control &c);
  void enterError(const Control &c, const Faults &faults);
  void tickLatch(const Control &c, const SequencerInputs &in);
  int divMinAt(int domain, int rail) const { return params_.divMin(domain, rail); }
  uint8_t onehot(int rail) const { return uint8_t(1u << rail); }

  SequencerParams params_;
  std::vector<uint32_t> rom_;
  uint32_t pc_mask_ = 0;  // pc + 1 wraps at 2^AW, as in the RTL
  SequencerState st_;     // registers before the edge
  SequencerOutputs out_;
  SequencerState st_n_;  // the *_n values being computed during step()
  SequencerOutputs out_n_;
  uint64_t cycle_ = 0;
};

}  // namespace pf::gen
