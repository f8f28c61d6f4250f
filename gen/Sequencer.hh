// The power sequencer's parameters and its RTL, generated from the template in
// gen/templates/ (docs/microcode.md). The same parameters configure the reference
// interpreter (gen/Interpreter.hh), so the RTL and the model cannot drift apart on them.
#pragma once

#include <string>
#include <vector>

#include "gen/Microcode.hh"

namespace pf::gen {

// DIV_MIN value for a domain that may not run on a rail at any divider.
inline constexpr int kDividerNever = 15;

struct SequencerParams {
  std::string module_name = "pf_pwrseq";  // the ROM module is module_name + "_rom"
  int rails = 1;                          // R, 1..8
  int domains = 1;                        // switchable domains, 1..32
  int dividers = 1;                       // divider settings, 1..8; index 0 is the fastest
  int rom_depth = 2;                      // words, 2..65536
  int pg_timeout_cycles = 1;              // 1..65535
  std::vector<bool> has_retention;        // per domain
  // [d * rails + r]: the smallest divider index at which domain d may leave isolation on
  // rail r (its fmax there); kDividerNever when never. 0..15.
  std::vector<int> div_min;

  SequencerShape shape() const { return {rails, domains, dividers, rom_depth}; }
  int divMin(int domain, int rail) const { return div_min[size_t(domain) * rails + rail]; }
};

// Everything wrong with the parameters ("field: reason"); empty means usable.
std::vector<std::string> checkSequencerParams(const SequencerParams &params);

// The template the RTL is made from (embedded at build time from gen/templates/).
const std::string &sequencerTemplate();
const std::string &sequencerRomTemplate();

// The sequencer's Verilog: the template with the parameters as defaults and a banner
// naming `generated_by`. `template_text` is for tests that plant a bug in the template.
// Throws pf::Error (PF-8101) when checkSequencerParams() finds a problem.
std::string sequencerVerilog(const SequencerParams &params, const std::string &generated_by,
                             const std::string &template_text = sequencerTemplate());

// The ROM module: DEPTH words loaded with $readmemh from `rom_file` (a parameter; in
// Verilator a +pf_rom=FILE plusarg overrides it at run time, so a new program needs no
// new build). Words past the image read 0, the illegal word.
std::string sequencerRomVerilog(const SequencerParams &params, const std::string &rom_file,
                                const std::string &generated_by);

}  // namespace pf::gen
