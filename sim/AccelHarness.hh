// Cycle-based Verilator harness around rtl/pf_accel.
//
// It owns the Verilated model and the external memory (sim/ExternalMemory.hh) on the DMA
// port of docs/accelerator.md: 64-bit beats, reads answered in order after a latency
// (optionally jittered), a limited request rate (at most one request accepted every
// `request_interval` cycles, and optionally a bandwidth in bytes per ns, both enforced
// through dma_req_ready). It drives the power-domain inputs, stages a layer (descriptor,
// tensors, weight image) in external memory, runs it and reports what the RTL did:
// err_code, cycles per phase, PE/bank activity, protocol violations and the output read
// back from external memory.
//
// Compiled once per Verilated parameter set (tests/rtl/CMakeLists.txt, pf_add_accel_tests:
// library pf_accel_harness<suffix>); builtConfig() reports the parameters.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "golden/Layer.hh"
#include "sim/ExternalMemory.hh"

class Vpf_accel;
class VerilatedContext;
class VerilatedVcdC;

namespace pf {

// Power-domain inputs of pf_accel, one bit per group/bank.
struct DomainInputs {
  uint32_t pe_pgood = 0, pe_iso = 0, pe_rst_n = 0;
  uint32_t act_pgood = 0, act_iso = 0, act_ret = 0;
  uint32_t w_pgood = 0, w_iso = 0, w_ret = 0;

  // Everything powered, not isolated, out of reset, no retention.
  static DomainInputs allOn(const AccelConfig &cfg);
};

constexpr int kPhaseCount = 8;  // `phase` is 3 bits
enum Phase : int { kIdle = 0, kFetch = 1, kLoad = 2, kCompute = 3, kStore = 4 };

struct RunResult {
  bool done = false;  // false: timed out
  int err_code = -1;
  uint64_t cycles = 0;  // from the start pulse to done
  std::array<uint64_t, kPhaseCount> phase_cycles{};
  uint32_t pe_active_in_compute = 0;  // OR of pe_active over compute-phase cycles
  uint32_t pe_active_any = 0;         // OR of pe_active over the whole run
  uint32_t pe_active_outside_compute = 0;
  bool pe_active_constant_in_compute = true;
  uint32_t act_bank_active_any = 0;
  uint32_t w_bank_active_any = 0;
  uint64_t read_beats = 0;
  uint64_t write_beats = 0;
  std::vector<std::string> protocol_errors;  // DMA/handshake rule violations seen
  std::vector<uint8_t> output_words;         // raw output image (out_dma_words words), if stored
  std::vector<int8_t> output;                // unpacked output HWC, if stored

  uint64_t phase(Phase p) const { return phase_cycles[size_t(p)]; }
};

class AccelHarness {
 public:
  explicit AccelHarness(MemoryTiming timing = {}, size_t memory_bytes = size_t{1} << 20);
  ~AccelHarness();
  AccelHarness(const AccelHarness &) = delete;
  AccelHarness &operator=(const AccelHarness &) = delete;

  // The parameters the linked model was Verilated with (PF_ACCEL_* compile definitions).
  static AccelConfig builtConfig();
  const AccelConfig &config() const { return cfg_; }
  // Throws std::invalid_argument for a timing ExternalMemory refuses.
  void setMemoryTiming(MemoryTiming timing);
  const MemoryTiming &memoryTiming() const { return memory_.timing(); }
  // Simulated clock period, for MemoryTiming::bandwidth_bytes_per_ns only: cycle c's rising
  // edge is at c * period ns. Default 1 ns.
  void setClockPeriodNs(double period_ns);
  double clockPeriodNs() const { return clock_period_ns_; }
  ExternalMemory &memory() { return memory_; }
  const ExternalMemory &memory() const { return memory_; }

  // Asserts rst_n for `cycles` cycles with the domains all on.
  void reset(int cycles = 4);
  // Power-cycles every buffer bank so that the behavioural SRAMs hold pseudo-random
  // garbage, as real SRAM does at power-up: a read of a word nobody wrote then shows up
  // as a mismatch instead of a lucky zero. The constructor does this once.
  void scrubBuffers();
  DomainInputs &domains() { return domains_; }  // applied from the next cycle on
  void idle(int cycles);

  void writeMemory(uint32_t addr, const std::vector<uint8_t> &bytes);
  std::vector<uint8_t> readMemory(uint32_t addr, size_t count) const;
  void fillMemory(uint32_t addr, size_t count, uint8_t value);

  // Writes the descriptor at desc_addr and, for each tensor the descriptor loads (DMA word
  // count > 0), its packed image at the descriptor's external address. The output area
  // is pre-filled with a marker so that unwritten words are noticed. Tensors that do not
  // fit the descriptor's shape (deliberately bad descriptors) are not staged.
  void stageLayer(const LayerDesc &desc, const LayerTensors &tensors, uint32_t desc_addr);
  // Pulses start and runs until done or the timeout; reads the output back if stored.
  // `extra_start_at` > 0 pulses start again (with another descriptor address) that many
  // cycles after the first, which the accelerator must ignore while busy.
  RunResult run(const LayerDesc &desc, uint32_t desc_addr, uint64_t timeout_cycles,
                uint64_t extra_start_at = 0);
  RunResult runLayer(const LayerDesc &desc, const LayerTensors &tensors, uint32_t desc_addr,
                     uint64_t timeout_cycles = 2'000'000);

  uint64_t cycle() const { return cycle_; }
  bool busy() const;
  // Simulated cycles of every harness in this process, for speed measurements.
  static uint64_t totalCycles();

 private:
  struct CycleObservation {
    bool req_fired = false;
    bool req_we = false;
    uint32_t req_addr = 0;
    uint64_t req_wdata = 0;
  };

  void applyInputs();
  CycleObservation step();  // one full clock cycle
  double nowNs() const { return double(cycle_) * clock_period_ns_; }
  void dump();

  AccelConfig cfg_ = builtConfig();
  ExternalMemory memory_;
  double clock_period_ns_ = 1.0;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vpf_accel> top_;
  VerilatedVcdC *trace_ = nullptr;  // owned; only with PF_RTL_TRACE builds
  DomainInputs domains_;
  uint64_t cycle_ = 0;
  bool start_ = false;
  uint32_t desc_addr_ = 0;
};

}  // namespace pf
