// Schedule -> sequencer program. Pure: a plain description of the schedule in the
// sequencer's terms (switchable domains only, divider indices) in, microcode out, with the
// schedule entry every instruction came from (docs/microcode.md "Compiling a schedule").
//
// The program:
//   init:  the boundary from the reset state (all off, slowest clock) to the idle state
//   loop:  SLEEP until the period tick
//          the boundary idle -> layer 0
//          per layer: NEED, DESC, RUN (no wait); the look-ahead changes into the next
//          layer (domains this layer does not use); SYNC; the rest of the boundary
//          the boundary last layer -> idle; JUMP loop
// A boundary keeps the DVFS order: a slower clock first, then the domain changes, SETTLE,
// then a faster clock (with a WAIT for the divider switch after each DIV).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gen/Microcode.hh"
#include "sched/Instance.hh"

namespace pf::gen {

// One power state in the sequencer's terms. divider_index -1: the clock is stopped.
struct ProgramState {
  std::vector<sched::DomainState> domains;  // per switchable domain
  int divider_index = 0;
};

struct ProgramLayer {
  std::string name;
  ProgramState state;
  std::vector<bool> uses;          // per switchable domain: must be on during the layer
  std::vector<bool> lookahead_in;  // per domain: its change into this layer may start
                                   // while the previous layer runs
  uint32_t first_desc_addr = 0;    // bytes, 8-aligned
  int64_t desc_count = 0;
  // A host segment (docs/host.md) runs no chain: the program waits host_wait_cycles of the
  // segment's clock (the profile's host time) with the domains in `state`. The look-ahead
  // changes into the next stage go in its last lookahead_tail_cycles, so a domain gated
  // for the segment wakes only as late as the schedule's look-ahead assumed.
  int64_t host_wait_cycles = 0;
  int64_t lookahead_tail_cycles = 0;

  bool onHost() const { return host_wait_cycles > 0; }
};

struct ProgramSpec {
  std::vector<std::string> domain_names;  // switchable domains, sequencer order
  std::vector<bool> has_retention;
  std::vector<int> div_min;  // [d * rails + r], as SequencerParams::div_min
  int rails = 1;
  int dividers = 1;
  int rom_depth = 2;
  // Cycles of WAIT after a DIV (the divider switch), at the new clock.
  std::vector<uint32_t> divider_switch_cycles;  // per divider index
  std::vector<ProgramLayer> layers;
  std::string idle_name;
  ProgramState idle;
  std::vector<bool> idle_lookahead_in;  // per domain, into idle from the last layer
};

struct ProgramLine {
  uint32_t word = 0;
  Instruction instruction;
  std::string source;  // the schedule entry, e.g. "layer 3 conv2: run"
};

struct Program {
  std::vector<ProgramLine> lines;
  int loop_address = 0;  // the SLEEP that starts every period
  // Per ProgramSpec layer: the address of the last instruction of its host segment (the
  // host has finished when the pc leaves it), -1 for a layer that runs a chain.
  std::vector<int> host_end_address;
  std::vector<uint32_t> words() const;
};

// Throws pf::Error (PF-83xx, field named) when the schedule cannot be expressed: a state
// that clocks an on domain above its fmax (the sequencer would never release its
// isolation), a change the sequencer has no instruction for (off <-> retention), a
// descriptor chain out of the encoding's range, a program longer than the ROM.
Program compileProgram(const ProgramSpec &spec);

// The listing: address, word, instruction, source; `header` lines come first.
std::string programListing(const Program &program, const SequencerShape &shape,
                           const NameTable &names, const std::string &header);

}  // namespace pf::gen
