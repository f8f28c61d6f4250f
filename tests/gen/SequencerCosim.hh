// Co-simulation of one program: the interpreter (gen/Interpreter.hh) and a Verilated
// sequencer side by side, the same inputs from the closed-loop environment, every output
// compared after every edge. Also watches the interpreter for the events the coverage
// requirements count.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gen/Interpreter.hh"
#include "tests/gen/SequencerDut.hh"
#include "tests/gen/SequencerEnvironment.hh"

namespace pf::gen {

struct Coverage {
  int64_t programs = 0, cycles = 0;
  int64_t domains_on = 0;    // a domain reached ON
  int64_t retentions = 0;    // a domain reached RET
  int64_t rail_changes = 0;  // ON -> ISO -> BREAK -> WAKE -> READY -> ON
  int64_t ready_waits = 0;   // held in READY (powered) for a slower clock, then ON
  int64_t long_chains = 0;   // a chain of more than one descriptor completed
  int64_t sleep_wakes = 0;   // SLEEP waited, then the tick woke it
  int64_t clock_stops = 0;   // clk_stop rose
  int64_t jumps = 0;         // JUMP executed
  int64_t halts = 0;
  int64_t overruns = 0;
  int64_t long_lived = 0;           // programs still running (no error, no HALT) after 1000 cycles
  std::array<int64_t, 6> errors{};  // by err_cause; [0] = programs ending without error
  std::array<std::array<int64_t, 8>, 8> transitions{};  // domain FSM [from][to] (DomainState)
  std::array<int64_t, 16> executed{};  // edges an instruction took effect at, by opcode
  std::array<int64_t, 16> refused{};   // illegal uses (err_cause 2), by opcode

  void add(const Coverage &other);
  std::string summary() const;  // one line
  std::string text() const;     // the summary, transitions and opcodes
};

// The first output that differs, as "name: interpreter X, RTL Y"; nullopt when equal.
std::optional<std::string> firstDifference(const SequencerOutputs &model,
                                           const SequencerOutputs &rtl);

struct CosimOptions {
  int max_cycles = 4000;
  int tail_cycles = 64;  // cycles still compared after HALT or an error
};

struct CosimResult {
  std::string failure;  // empty: identical every cycle; else the first mismatch, explained
  Coverage coverage;
  std::string ending;  // "running", "halted at cycle N", "error C at cycle N"
};

CosimResult coSimulate(SequencerDut &dut, const SequencerParams &params,
                       const std::vector<uint32_t> &rom, const EnvironmentProfile &profile,
                       uint64_t seed, const CosimOptions &options = {});

}  // namespace pf::gen
