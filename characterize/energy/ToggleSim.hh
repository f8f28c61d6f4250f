// Gate-level toggle counting in Verilator: the mapped netlist plus generated cell models
// is compiled at run time with a generic harness that compares every net between
// settled simulation states and counts rising and falling transitions per net. No VCD:
// the harness exports all nets through one wide output port and diffs 32 nets per word.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "characterize/energy/GateNetlist.hh"
#include "characterize/liberty/Liberty.hh"

namespace pf::energy {

// Input waveforms, as a sequence of steps grouped into named phases. Toggles are
// counted per phase. Every input port bit except the clock is driven from here.
class Stimulus {
 public:
  // `clock_port` may be empty for a combinational netlist.
  Stimulus(const GateNetlist &netlist, std::string clock_port);

  // Starts a new phase; its toggle counts start at zero (state carries over).
  void beginPhase(const std::string &name);
  // Sets bits [lsb, lsb+width) of an input port (width <= 64) to `value`.
  void set(const std::string &port, uint64_t value, int lsb = 0, int width = -1);
  // One clock period: rising edge, then the current inputs are applied (as if launched
  // by the edge, so a net changes at most once per edge), then the falling edge.
  void clockCycle();
  // Applies the current inputs without any clock edge and lets the logic settle.
  void settle();
  // Replaces every input bit at once: bit s of `words` (word s / 32, bit s % 32) is input
  // slot s, in the order of inputSlots(). For replaying recorded boundary traces.
  void setSlotWords(const uint32_t *words, size_t count);

  // (port, bit) of every input slot: input ports in netlist order (clock excluded), bits
  // LSB first.
  const std::vector<std::pair<std::string, int>> &inputSlots() const { return bit_of_port_; }

  const std::string &clockPort() const { return clock_port_; }
  int inputBits() const { return static_cast<int>(bit_of_port_.size()); }
  const std::vector<std::string> &phaseNames() const { return phase_names_; }
  const std::vector<uint32_t> &encoded() const { return ops_; }  // harness byte stream

 private:
  void push(uint32_t op);

  std::string clock_port_;
  std::vector<std::pair<std::string, int>> bit_of_port_;  // (port, bit) per input slot
  std::vector<std::pair<std::string, int>> port_first_slot_;
  std::vector<uint32_t> current_;  // current input words
  std::vector<uint32_t> ops_;
  std::vector<std::string> phase_names_;
  const GateNetlist *netlist_;
};

struct PhaseToggles {
  std::string name;
  int64_t clock_cycles = 0;
  std::vector<uint32_t> rise;        // per net
  std::vector<uint32_t> fall;        // per net
  std::vector<uint8_t> final_value;  // per net, at the end of the phase
};

struct ToggleSimStats {
  double build_seconds = 0;  // Verilator + C++ compile (0 if reused or native)
  double run_seconds = 0;
  bool reused_build = false;
  bool native = false;     // simulated in process by NativeToggleSim, nothing built
  std::string not_native;  // why the native simulator was not used (simulateToggles())
};

// Builds the simulator for one netlist (cells from `library`) in `work_dir` and runs
// stimuli on it. The build is skipped when `work_dir` holds one from identical sources.
class VerilatorToggleSim {
 public:
  VerilatorToggleSim(const GateNetlist &netlist, const liberty::Library &library,
                     std::string clock_port, std::string work_dir);
  std::vector<PhaseToggles> run(const Stimulus &stimulus);
  // Also samples `observed_nets` once per clockCycle() of the stimulus, after its falling
  // edge (the values the cycle's inputs settle to): `samples` gets ceil(n / 32) words per
  // cycle, bit i of a row = observed_nets[i]. For checking a replay cycle by cycle.
  std::vector<PhaseToggles> run(const Stimulus &stimulus, const std::vector<int> &observed_nets,
                                std::vector<uint32_t> &samples);
  const ToggleSimStats &stats() const { return stats_; }

 private:
  void build(const liberty::Library &library);

  const GateNetlist &netlist_;
  std::string clock_port_;
  std::string work_dir_;
  int input_bits_ = 0;
  ToggleSimStats stats_;
};

// The generated top module and harness (exposed for tests and debugging).
std::string toggleTopVerilog(const GateNetlist &netlist, const std::string &clock_port);
std::string toggleHarnessCpp(const GateNetlist &netlist, const std::string &clock_port);

}  // namespace pf::energy
