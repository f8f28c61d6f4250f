// The external memory behind pf_accel's DMA port (docs/accelerator.md): 64-bit beats,
// reads answered in order after a latency, a limited request rate.
//
// One model for every simulation of the accelerator: the Verilator regression's harness
// (sim/AccelHarness), the co-simulation, and the workload recorder that characterize builds
// at run time (characterize/energy/RtlRecorder.cc embeds this file's text into the program
// it has Verilator compile). Hence HEADER-ONLY and the C++ standard library only (C++17).
//
// Per clock cycle a harness asks requestReady() for dma_req_ready and takeResponse() for
// dma_rsp_valid/dma_rsp_rdata before the rising edge, and calls acceptRequest() when the
// accelerator's request fired (dma_req_valid && dma_req_ready) at that edge. The ready side
// depends only on the memory's own state, never on the request in flight, as a real
// bandwidth-limited port would.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace pf {

struct MemoryTiming {
  int read_latency = 2;      // cycles from an accepted read to its data (>= 1)
  int request_interval = 1;  // the memory accepts at most one request every K cycles
  // Variable latency: each read takes read_latency + uniform(0..latency_jitter) cycles,
  // still answered in order (at most one response per cycle). 0 = fixed latency.
  int latency_jitter = 0;
  uint32_t jitter_seed = 1;
  // Bandwidth limit of the port in bytes per ns of simulated time; 0 = no limit. Every
  // accepted beat (read or write) costs kBeatBytes / bandwidth ns.
  double bandwidth_bytes_per_ns = 0.0;

  // The doc's closed-form DMA timing assumes an always-ready, fixed-latency memory.
  bool isIdeal() const {
    return request_interval == 1 && latency_jitter == 0 && bandwidth_bytes_per_ns == 0.0;
  }
};

class ExternalMemory {
 public:
  static constexpr int kBeatBytes = 8;
  // Read data of a beat outside the memory (and what a harness may drive on dma_rsp_rdata
  // while dma_rsp_valid is low: a DUT sampling it would see garbage).
  static constexpr uint64_t kInvalidData = 0xdeadbeefbadc0ffeull;

  explicit ExternalMemory(size_t bytes, MemoryTiming timing = {}) : memory_(bytes, 0) {
    setTiming(timing);
  }

  // Throws std::invalid_argument for read_latency < 1, request_interval < 1,
  // latency_jitter < 0 or a negative (or NaN) bandwidth. Reseeds the jitter generator;
  // reads in flight and the bandwidth budget carry over.
  void setTiming(const MemoryTiming &timing) {
    if (timing.read_latency < 1)
      throw std::invalid_argument("ExternalMemory: read_latency must be >= 1");
    if (timing.request_interval < 1)
      throw std::invalid_argument("ExternalMemory: request_interval must be >= 1");
    if (timing.latency_jitter < 0)
      throw std::invalid_argument("ExternalMemory: latency_jitter must be >= 0");
    if (!(timing.bandwidth_bytes_per_ns >= 0.0))
      throw std::invalid_argument("ExternalMemory: bandwidth_bytes_per_ns must be >= 0");
    timing_ = timing;
    jitter_rng_.seed(timing.jitter_seed);
  }
  const MemoryTiming &timing() const { return timing_; }

  // Drops the reads in flight (the accelerator was reset).
  void clearPending() { pending_.clear(); }
  size_t pendingReads() const { return pending_.size(); }

  // --- one clock cycle of the DMA port ---------------------------------------------------
  // `cycle` is the cycle index (increasing), `now_ns` the time of this cycle's rising edge
  // (only the bandwidth limit uses it).

  // dma_req_ready this cycle: at most one request every request_interval cycles and, with a
  // bandwidth limit, not before the port's budget allows the next beat.
  bool requestReady(uint64_t cycle, double now_ns) const {
    if (accepted_any_ && cycle - last_accept_cycle_ < uint64_t(timing_.request_interval))
      return false;
    if (timing_.bandwidth_bytes_per_ns > 0.0 && budget_started_ && now_ns < next_allowed_ns_ - 1e-9)
      return false;
    return true;
  }

  // The oldest read in flight if it is due this cycle: pops it into `data`, true. Otherwise
  // false and `data` untouched.
  bool takeResponse(uint64_t cycle, uint64_t &data) {
    if (pending_.empty() || pending_.front().due_cycle > cycle) return false;
    data = pending_.front().data;
    pending_.pop_front();
    return true;
  }

  // The accelerator's request fired at this cycle's rising edge. A write lands at once; a
  // read is answered read_latency (+ jitter) cycles later, in order, at most one response
  // per cycle. A beat outside the memory reads as kInvalidData; a write there is dropped.
  // The bandwidth budget: each beat costs beat_ns = kBeatBytes / bandwidth and
  // next_allowed_ns = max(next_allowed_ns, now_ns - beat_ns) + beat_ns, i.e. an idle port
  // keeps at most one beat of credit, so accepts quantized to clock edges do not drift below
  // the bandwidth on average. The first beat accepted under a bandwidth limit starts the
  // budget at its own time (no credit), so N back-to-back beats from then take N * beat_ns.
  void acceptRequest(uint64_t cycle, double now_ns, bool we, uint32_t addr, uint64_t wdata) {
    if (timing_.bandwidth_bytes_per_ns > 0.0) {
      const double beat_ns = double(kBeatBytes) / timing_.bandwidth_bytes_per_ns;
      const double budget = budget_started_ ? next_allowed_ns_ : now_ns;
      next_allowed_ns_ = std::max(budget, now_ns - beat_ns) + beat_ns;
      budget_started_ = true;
    }
    accepted_any_ = true;
    last_accept_cycle_ = cycle;
    if (we) {
      ++write_beats_;
      writeBeat(addr, wdata);
      return;
    }
    ++read_beats_;
    uint64_t latency = uint64_t(timing_.read_latency);
    if (timing_.latency_jitter > 0)
      latency +=
          uint64_t(std::uniform_int_distribution<int>(0, timing_.latency_jitter)(jitter_rng_));
    const uint64_t due = std::max(cycle + latency, last_response_due_ + 1);
    last_response_due_ = due;
    pending_.push_back({due, readBeat(addr)});
  }

  // When the bandwidth budget allows the next request (0 before the first beat accepted
  // under a bandwidth limit).
  double nextAllowedNs() const { return next_allowed_ns_; }
  uint64_t readBeats() const { return read_beats_; }  // accepted so far
  uint64_t writeBeats() const { return write_beats_; }

  // --- contents ----------------------------------------------------------------------------
  size_t size() const { return memory_.size(); }
  bool contains(uint32_t addr, size_t count) const {
    return size_t(addr) + count <= memory_.size();
  }

  // A beat without timing, little-endian (byte 0 = bits 7:0); outside: kInvalidData / dropped.
  uint64_t readBeat(uint32_t addr) const {
    if (!contains(addr, kBeatBytes)) return kInvalidData;
    uint64_t value = 0;
    for (int i = kBeatBytes - 1; i >= 0; --i)
      value = (value << 8) | memory_[size_t(addr) + size_t(i)];
    return value;
  }
  void writeBeat(uint32_t addr, uint64_t data) {
    if (!contains(addr, kBeatBytes)) return;
    for (int i = 0; i < kBeatBytes; ++i)
      memory_[size_t(addr) + size_t(i)] = uint8_t(data >> (8 * i));
  }

  // Byte access; a range beyond the memory throws std::out_of_range.
  void write(uint32_t addr, const std::vector<uint8_t> &bytes) {
    check("write", addr, bytes.size());
    std::copy(bytes.begin(), bytes.end(), memory_.begin() + std::ptrdiff_t(addr));
  }
  std::vector<uint8_t> read(uint32_t addr, size_t count) const {
    check("read", addr, count);
    const auto first = memory_.begin() + std::ptrdiff_t(addr);
    return std::vector<uint8_t>(first, first + std::ptrdiff_t(count));
  }
  void fill(uint32_t addr, size_t count, uint8_t value) {
    check("fill", addr, count);
    std::fill_n(memory_.begin() + std::ptrdiff_t(addr), count, value);
  }
  const std::vector<uint8_t> &bytes() const { return memory_; }
  std::vector<uint8_t> &bytes() { return memory_; }

 private:
  struct PendingRead {
    uint64_t due_cycle;
    uint64_t data;
  };

  void check(const char *what, uint32_t addr, size_t count) const {
    if (contains(addr, count)) return;
    char text[160];
    std::snprintf(text, sizeof text, "ExternalMemory::%s: %#x+%zu beyond the memory (%zu bytes)",
                  what, unsigned(addr), count, memory_.size());
    throw std::out_of_range(text);
  }

  std::vector<uint8_t> memory_;
  MemoryTiming timing_;
  std::deque<PendingRead> pending_;
  std::mt19937 jitter_rng_;
  bool accepted_any_ = false;
  uint64_t last_accept_cycle_ = 0;
  uint64_t last_response_due_ = 0;
  bool budget_started_ = false;
  double next_allowed_ns_ = 0.0;
  uint64_t read_beats_ = 0;
  uint64_t write_beats_ = 0;
};

}  // namespace pf
