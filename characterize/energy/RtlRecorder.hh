// Records what a block inside an accelerator sees, cycle by cycle, while the accelerator's
// RTL runs a real workload in Verilator.
//
// The accelerator must have the pf_accel port contract (docs/accelerator.md): clk, rst_n,
// start, desc_addr, the busy/done/err_code/phase status and the 64-bit external-memory
// port (dma_req_*, dma_rsp_*). A generated wrapper instantiates the RTL top, ties the
// remaining inputs (power-domain controls) to constants and exposes the recorded signals
// through Verilog hierarchical references, so any net of the RTL hierarchy can be
// recorded without touching the RTL. A generated harness models the external memory with
// sim/ExternalMemory.hh (in-order reads after a fixed latency, at most one request every
// `request_interval` cycles), pulses start per layer, and writes one record per clock
// cycle. The build goes through sim/VerilatorBuild (cached in the work folder).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pf::energy {

// One bit of an RTL signal: a top-level port, or a net below the top named by its
// hierarchical path relative to the top ("u_act_buf.g_bank[0].u_sram.rdata").
struct SignalBit {
  std::string signal;
  int bit = 0;
  int width = 1;  // of the signal; a 1-bit signal is read without a bit select
  bool hierarchical = false;
};

struct RecorderPort {
  std::string name;
  int width = 1;
  bool is_input = true;
};

struct RecorderSpec {
  std::string top;                              // RTL top module (the pf_accel contract)
  std::vector<std::string> rtl_files;           // simulation sources
  std::map<std::string, int64_t> parameters;    // top-level parameter values
  std::vector<RecorderPort> ports;              // every port of the top
  std::map<std::string, uint64_t> tied_inputs;  // inputs outside the contract: constant value
  std::vector<SignalBit> recorded;              // recorded every cycle, in this order
  std::vector<SignalBit> checked;               // recorded too; meant for equivalence checks
};

struct MemoryModel {
  int read_latency = 2;      // cycles from an accepted read request to its data (>= 1)
  int request_interval = 1;  // at most one request accepted every K cycles (>= 1)
};

// What the harness does, in order.
struct RecorderStep {
  enum Kind { Reset, Idle, Run } kind = Idle;
  int64_t cycles = 0;      // Reset / Idle: cycles; Run: timeout
  uint32_t desc_addr = 0;  // Run: descriptor address
};

// Per-cycle status word of a record.
struct CycleStatus {
  static constexpr uint32_t kResetReleased = 1u << 0;  // rst_n was high this cycle
  static constexpr uint32_t kBusy = 1u << 1;
  static constexpr uint32_t kDone = 1u << 2;
  static int phase(uint32_t status) { return int((status >> 3) & 7u); }
  static int errCode(uint32_t status) { return int((status >> 8) & 15u); }
};

struct RecordedRun {
  int64_t first_cycle = 0;  // the start pulse's cycle
  int64_t cycles = 0;       // the done cycle's index, the start cycle being 0 (as
                            // golden/Timing.hh counts LayerCycles::total)
  bool done = false;        // false: timed out
  int err_code = -1;
};

struct RecorderTrace {
  int recorded_words = 0;  // ceil(recorded bits / 32) per cycle
  int checked_words = 0;
  std::vector<uint32_t> status;    // per cycle (CycleStatus)
  std::vector<uint32_t> recorded;  // cycles x recorded_words; bit s = recorded[s]
  std::vector<uint32_t> checked;   // cycles x checked_words
  std::vector<RecordedRun> runs;   // one per Run step
  int64_t bad_accesses = 0;        // memory requests outside the image (such a read
                                   // returns ExternalMemory::kInvalidData, a write is dropped)
  std::vector<uint8_t> memory;     // external memory after the last step

  int64_t cycles() const { return static_cast<int64_t>(status.size()); }
  bool bit(const std::vector<uint32_t> &words, int per_cycle, int64_t cycle, int slot) const {
    return (words[size_t(cycle) * size_t(per_cycle) + size_t(slot / 32)] >> (slot % 32)) & 1u;
  }
};

struct RecorderStats {
  double build_seconds = 0;  // Verilator + C++ compile (0 if reused)
  double run_seconds = 0;
  bool reused_build = false;
};

// The ports of the contract, for callers that check a netlist against it.
bool isContractPort(const std::string &name);

// The generated wrapper and harness (exposed for tests and debugging).
std::string recorderWrapperVerilog(const RecorderSpec &spec);
std::string recorderHarnessCpp(const RecorderSpec &spec);

// Builds the recorder in `work_dir` (reused when the sources are identical) and runs
// `steps` on `memory`. Throws pf::Error PF-5362, PF-5368 or PF-5369 for a top without the
// contract or an input it cannot drive, PF-9113 when Verilator fails
// (sim/VerilatorBuild.hh), PF-5364 when the run fails.
RecorderTrace recordRtl(const RecorderSpec &spec, const std::vector<uint8_t> &memory,
                        const MemoryModel &memory_model, const std::vector<RecorderStep> &steps,
                        const std::string &work_dir, RecorderStats *stats = nullptr);

}  // namespace pf::energy
