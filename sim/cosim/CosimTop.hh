// pf_cosim: the Verilated top of the co-simulation. It instantiates the generated
// pf_system (datapath + sequencer + ROM) unchanged and adds only what a testbench needs
// to see: the sequencer's start/descriptor address and the buffers' write enables
// (hierarchical references, so no RTL is touched), a combinational read port onto the
// data buffer's banks for checking tensors in place, and per-domain power-state and rail
// annotations driven by the behavioural power network, so a trace shows them as named
// signals (pwr_<domain>, rail_<domain>, divider). Power-aware: while a PE group's switch
// is open with its reset released (a rail change's break, where nothing holds its state),
// its flops take random values every cycle (scramble_bits, seeded by the run); while it
// is off its reset holds them, as the sequencer keeps reset asserted when off.
#pragma once

#include <string>
#include <vector>

namespace pf::sim {

struct CosimTopShape {
  std::vector<std::string> domains;  // switchable domains, sequencer order (<= 32)
  int rails = 1;
  int col_groups = 1;
  int act_banks = 1;
  int act_bank_words = 2;
  int w_banks = 1;
  int data_word_bits = 64;  // ROWS * 8
  std::string generated_by;
  std::vector<int> pe_group_domain;  // sequencer domain of PE column group g
};

inline constexpr const char *kCosimTop = "pf_cosim";

std::string cosimTopVerilog(const CosimTopShape &shape);

}  // namespace pf::sim
