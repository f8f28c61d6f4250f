// Proof of the power sequencer's safety rules (the assertions at the end of
// gen/templates/pf_pwrseq.v) by k-induction: Yosys bit-blasts the generated RTL inside a
// harness with free inputs, yosys-smtbmc and z3 check the base case (BMC from reset) and
// the induction step. docs/proofs.md says what is proven and why it covers the general
// case.
//
// The ROM is either arbitrary (an anyconst word per address: the rules hold for every
// program, illegal words included) or a given image loaded through the generated ROM
// module, so a compiled program can be proven in the very module the chip uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gen/Sequencer.hh"

namespace pf::gen {

struct ProofOptions {
  // Base case: BMC from reset over this many steps (0 .. bmc_steps-1). k-induction needs
  // at least induction_steps; more finds a failure of a broken design from reset, with a
  // counterexample a person can read.
  int bmc_steps = 10;
  int induction_steps = 2;  // k: k consecutive good steps imply the next one is good
  // > 0: also search this many steps for the harness's cover statements (a layer starts
  // without an error; with an image, the image's last word executes), so a proof cannot
  // pass because the harness or the ROM allows no run at all.
  int cover_steps = 0;
  std::string work_dir;  // created if missing; every file of the proof goes here
  std::optional<std::vector<uint32_t>> rom_image;   // nullopt: arbitrary ROM contents
  std::string template_text = sequencerTemplate();  // tests plant bugs here
  // The tools (looked up in PATH).
  std::string yosys = "yosys";
  std::string smtbmc = "yosys-smtbmc";
  std::string solver = "z3";
};

// One assertion that failed, quoted from the generated Verilog.
struct FailedAssertion {
  std::string file;          // the generated Verilog's name in the work dir
  int line = 0;              // its first line there
  std::string text;          // the statement (guard included), whitespace collapsed
  std::string rule;          // the comment above it: "(b) a domain whose switch is open ..."
  bool safety_rule = false;  // rules (a)-(f), not an implementation invariant

  std::string where() const;  // "pf_pwrseq.v:514"
};

// One run of a tool: what it was, how long it took, what it said.
struct ProofStage {
  std::string name;    // "synthesis", "bmc", "induction", "cover"
  std::string status;  // "passed", "failed", "reached", "unreached"
  double seconds = 0;
};

struct ProofResult {
  bool passed = false;          // base case and induction step hold (and covers, if asked)
  std::string stage;            // the stage that failed: "bmc", "induction" or "cover"
  int failed_step = -1;         // the step of the trace at which the assertions failed
  std::string failed_property;  // "pf_pwrseq.v:514: if (...) assert (...);"
  std::vector<FailedAssertion> failures;      // every assertion failing at that step
  std::vector<std::string> covers;            // "formal_top.v:40: cover (...); step 5"
  std::vector<std::string> unreached_covers;  // cover statements no trace reached
  std::string counterexample_vcd;             // path of the trace, when there is one
  std::string counterexample_program;         // the arbitrary ROM of the trace, disassembled
  std::vector<ProofStage> stages;
  std::string log;  // every tool's output, each after a "$ command" line
  double seconds = 0;
  int bmc_steps = 0;  // what was proven, for the summary
  int induction_steps = 0;

  // One line: "PASSED: base case 10 steps (12.3 s), induction step k=2 (5.1 s), ..." or
  // "FAILED: pf_pwrseq.v:514: if (...) assert (...); failed at step 3 of BMC (rule (b) ...)".
  std::string summary() const;
  // The summary, every failing assertion with its rule, the counterexample's program and
  // trace, and the time per stage; for people.
  std::string report() const;
};

// Writes the generated Verilog, the harness and the scripts into options.work_dir and runs
// the proof. A property that does not hold is a result (passed == false), not an error.
// Throws pf::Error: PF-8201 bad parameters or options, PF-8202 the work dir cannot be
// written, PF-8203 Yosys failed, PF-8204 yosys-smtbmc or the solver failed (a crash, a
// missing solver, an output without a verdict).
ProofResult proveSequencer(const SequencerParams &params, const ProofOptions &options);

// The harness module `formal_top` (exposed for docs and tests): the sequencer with free
// inputs, reset at step 0, and the ROM as described by `options`.
std::string formalHarness(const SequencerParams &params, const ProofOptions &options);

}  // namespace pf::gen
