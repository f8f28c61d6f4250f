// Gate-level toggle counting in process: the same results as VerilatorToggleSim (same
// phases, rise/fall counts, final values and samples) without generating and compiling a
// Verilator model, which costs ~60 s of CPU per characterization against ~4 s of
// simulation. Each cell type is compiled once into truth tables over its input pins and
// state; nets settle event-driven in level order, flops update with non-blocking
// semantics and Verilator's edge detection. Netlists outside what it models exactly
// (combinational loops, latches, wide cells, flop controls that may be constant for
// Verilator, a clock that starts active and would change the flop) are refused by
// supports(); callers then use VerilatorToggleSim (simulateToggles() does that choice).
// One start condition is defined here rather than copied: a flop whose asynchronous clear
// or preset is active when the simulation starts is cleared or set at the first eval (the
// control is level-sensitive in silicon). Verilator's model does the same when it watches
// that control itself, and may miss it when it compiled the control into another signal's
// edge (docs/characterize-energy.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/ToggleSim.hh"
#include "characterize/liberty/Liberty.hh"

namespace pf::energy {

class NativeToggleSim {
 public:
  // Largest number of truth-table variables (input pins plus state) of a cell.
  static constexpr int kMaxCellVariables = 12;

  // True if the native simulator reproduces the Verilator models exactly for this netlist;
  // else false with the reason in `why` (if given).
  static bool supports(const GateNetlist &netlist, const liberty::Library &library,
                       const std::string &clock_port, std::string *why = nullptr);

  // Throws pf::Error if !supports(...): PF-5339 a cell type it cannot model, PF-5338 an
  // unconnected input pin, PF-5340 a combinational loop. run() throws PF-5329 for a stimulus
  // of another netlist, PF-5330 for an observed net out of range, PF-5337 for a truncated encoding.
  NativeToggleSim(const GateNetlist &netlist, const liberty::Library &library,
                  std::string clock_port);
  std::vector<PhaseToggles> run(const Stimulus &stimulus);
  // As VerilatorToggleSim::run: samples `observed_nets` after every clockCycle().
  std::vector<PhaseToggles> run(const Stimulus &stimulus, const std::vector<int> &observed_nets,
                                std::vector<uint32_t> &samples);
  const ToggleSimStats &stats() const { return stats_; }

 private:
  struct CellType {
    int inputs = 0;                         // truth-table variables 0..inputs-1
    bool sequential = false;                // variable `inputs` is the state
    std::vector<std::vector<bool>> output;  // per output pin of the instance order
    std::vector<bool> clock, clear, preset, next;
    std::vector<uint32_t> depends;  // per output: mask of inputs it depends on
    uint32_t control_depends = 0;   // inputs the clock, clear and preset read
    bool constant_control = false;  // a clock, clear or preset that reads nothing
  };
  struct Instance {
    int type = 0;
    int first_in = 0;   // into in_nets_
    int first_out = 0;  // into out_nets_
    int outputs = 0;
    int level = 0;
    int flop = -1;  // index into the flop state, -1 if combinational
  };

  // False (with the reason) where Verilator's edges may differ from the modelled ones.
  bool flopStartIsDefined(std::string *why);
  void reset();
  uint32_t address(const Instance &cell) const;
  void setNet(int net, uint8_t value);
  void evaluate(int cell);
  void settle();
  void eval();
  void count(std::vector<uint32_t> &rise, std::vector<uint32_t> &fall);

  const GateNetlist &netlist_;
  std::string clock_port_;
  int input_bits_ = 0;
  int clock_net_ = -1;
  std::vector<int> input_nets_;  // per input slot (-1 if the bit is unconnected)
  std::vector<CellType> types_;
  std::vector<Instance> cells_;
  std::vector<int> in_nets_, out_nets_;
  // Net -> cells whose outputs depend on it combinationally / flops whose controls read it.
  std::vector<int> comb_first_, comb_fanout_, seq_first_, seq_fanout_;
  std::vector<std::vector<int>> levels_;  // pending cells per level
  std::vector<uint8_t> scheduled_;
  // Nets; two extra entries at the end hold the constants 0 and 1.
  std::vector<uint8_t> value_, prev_;
  std::vector<int> touched_;  // nets changed since the last count
  std::vector<uint8_t> is_touched_;
  // Flops: state, the trigger expressions' values at the last edge detection, pending checks.
  std::vector<int> flop_cell_;
  std::vector<uint8_t> state_, prev_clock_, prev_clear_, prev_preset_, check_pending_;
  std::vector<int> check_;
  ToggleSimStats stats_;
};

// Runs `stimulus` on the netlist: natively when NativeToggleSim::supports() it, else with
// VerilatorToggleSim built in `work_dir`. `stats` (if given) says which (stats->native).
std::vector<PhaseToggles> simulateToggles(const GateNetlist &netlist,
                                          const liberty::Library &library,
                                          const std::string &clock_port,
                                          const std::string &work_dir, const Stimulus &stimulus,
                                          const std::vector<int> &observed_nets,
                                          std::vector<uint32_t> &samples, ToggleSimStats *stats);

}  // namespace pf::energy
