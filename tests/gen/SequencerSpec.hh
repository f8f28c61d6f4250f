// A sequencer's parameters as `key=value` words: the form in which tests/gen/interpreter.cmake
// states each Verilated shape once and hands it both to the generator tool (its command
// line) and to the test (a string in the generated model list), so the RTL and the
// interpreter are configured from the same text.
//
//   module=NAME rails=R domains=N dividers=K depth=D timeout=T has_ret=BITS div_min=HEX
//
// has_ret: one 0/1 per domain, domain 0 first. div_min: one hex digit per (domain, rail),
// index d * R + r, domain 0 rail 0 first; f (15) = never.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gen/Sequencer.hh"

namespace pf::gen {

// Throws std::invalid_argument naming the first bad word (unknown key, bad number, wrong
// table length, or parameters checkSequencerParams() refuses).
SequencerParams parseSequencerSpec(const std::vector<std::string> &words);
SequencerParams parseSequencerSpec(std::string_view text);  // words separated by blanks

}  // namespace pf::gen
