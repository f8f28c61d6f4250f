// Random sequencer programs for the co-simulation (SequencerEquivalenceTest.cc). They are
// meant to run for a long time, not to die at once: the generator tracks a rough model of
// the state the program will be in (each domain off, on at a rail or in retention; the
// divider; whether a chain runs; the NEED mask) and mostly emits instructions that are legal
// there, in the orders the ISA expects (DVFS order, SETTLE before using a domain, SYNC
// before DIV). A small share of illegal words and illegal uses is mixed in on purpose.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gen/Sequencer.hh"

namespace pf::gen {

using Rng = std::mt19937_64;

struct RandomProgram {
  std::vector<uint32_t> words;
  std::string kind;  // "loop", "halt", "falls off", ... (for the statistics)
};

RandomProgram randomProgram(const SequencerParams &params, Rng &rng);

// The program as text, one "addr: word  disassembly" line per word.
std::string listing(const std::vector<uint32_t> &words, const SequencerParams &params);

}  // namespace pf::gen
