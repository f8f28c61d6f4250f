// Energy per cycle of an accelerator's always-on domain from a real workload.
//
//   1. The accelerator's RTL runs AcceleratorWorkload (representative layers) in Verilator;
//      every cycle the recorder keeps the values at the always-on domain's boundary: the
//      top-level inputs as driven and the outputs of the switchable instances (PE groups,
//      SRAM banks) as the RTL computed them (RtlRecorder).
//   2. The domain's gate netlist, cut out of the synthesized design with those instances
//      removed and their outputs turned into inputs, replays the trace in the toggle
//      simulator (ToggleSim). Replay is exact because the netlist computes what the RTL
//      does, which is checked every cycle: the domain's outputs (top-level ports and the
//      pins that drive the removed instances) must equal the RTL's.
//   3. Toggles are priced with each corner's liberty (EnergyModel), per class of cycle.
//
// Classes: "active" (the accelerator is busy, start to done), "idle_clocked" (not busy,
// clock running, waiting for start), and the busy cycles split by the accelerator's
// phase output: "fetch" (descriptor fetch and decode), "load", "compute", "store".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "characterize/energy/AcceleratorWorkload.hh"
#include "characterize/energy/EnergyModel.hh"
#include "characterize/energy/GateNetlist.hh"
#include "characterize/energy/RtlRecorder.hh"
#include "characterize/liberty/Liberty.hh"
#include "core/Progress.hh"

namespace pf::energy {

// The RTL the workload runs on (the design's simulation sources).
struct AlwaysOnRtl {
  std::string top;
  std::vector<std::string> files;
  std::map<std::string, int64_t> parameters;
};

// How the cut netlist's ports relate to the RTL. An input named in `instance_outputs` is
// an output pin of a removed instance, recorded from that RTL signal (path relative to the
// top, e.g. "u_act_buf.g_bank[0].u_sram.rdata"); an output named in `instance_inputs`
// drove an input pin of a removed instance, checked against that RTL signal ("": not
// checked, e.g. an enable behind an inserted inverter). Every other port is the top-level
// port of the same name; its inputs are driven by the contract or tied to `tied_inputs`.
struct AlwaysOnBoundary {
  std::map<std::string, std::string> instance_outputs;
  std::map<std::string, std::string> instance_inputs;
  std::map<std::string, uint64_t> tied_inputs;  // power-domain controls: top port -> value
};

struct AlwaysOnEnergyOptions {
  EnergyOptions energy;
  MemoryModel memory;
  int reset_cycles = 4;
  int idle_cycles_per_layer = 256;  // clocked idle after every layer
  int64_t layer_timeout_cycles = 1'000'000;
  ProgressSink *progress = nullptr;  // the two simulations as steps (core/Progress.hh)
};

struct AlwaysOnClassEnergy {
  std::string op_class;  // "active", "idle_clocked", "fetch", "load", "compute", "store"
  int64_t cycles = 0;    // simulated cycles of the class
  EnergyBreakdown per_cycle;
};

struct AlwaysOnEnergyTable {
  std::string library;
  double voltage_v = 0;
  std::vector<AlwaysOnClassEnergy> classes;
  const AlwaysOnClassEnergy *find(const std::string &op_class) const;
};

struct AlwaysOnRunStats {
  RecorderStats recorder;
  double gate_build_seconds = 0;
  double gate_run_seconds = 0;
  int64_t cycles = 0;
  int64_t checked_bits = 0;  // domain outputs compared with the RTL every cycle
  std::vector<std::pair<std::string, int64_t>> layer_cycles;  // start to done
};

// The classes in table order.
const std::vector<std::string> &alwaysOnClasses();

// Simulates once and prices with every library (cells must exist in all of them; the
// first one models the cells). `work_dir` holds the RTL recorder's Verilator build, the
// gate-level one if the netlist needs Verilator (simulateToggles), and the classes'
// toggle counts (kToggleCountsFile, ToggleCounts.hh). Throws
// pf::Error PF-5365 if the workload fails on the RTL (timeout, error code, wrong output;
// PF-5393 an access outside the image), PF-5366 if the gate-level replay departs from the
// RTL, PF-5397 if an input of the netlist has no source.
std::vector<AlwaysOnEnergyTable> characterizeAlwaysOn(
    const GateNetlist &netlist, const AlwaysOnRtl &rtl, const AlwaysOnBoundary &boundary,
    const AcceleratorWorkload &workload, const std::vector<const liberty::Library *> &libraries,
    const AlwaysOnEnergyOptions &options, const std::string &work_dir,
    AlwaysOnRunStats *stats = nullptr);

}  // namespace pf::energy
