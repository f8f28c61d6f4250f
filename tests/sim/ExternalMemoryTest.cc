// sim/ExternalMemory.hh: in-order reads after latency (+ seeded jitter), at most one
// response per cycle, the request interval, the bandwidth limit and the refused timings.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "sim/ExternalMemory.hh"
#include "sim/ExternalMemoryText.hh"

namespace pf {
namespace {

// A memory whose beat at address 8*i holds the value i.
ExternalMemory numbered(MemoryTiming timing, size_t beats = 64) {
  ExternalMemory memory(beats * ExternalMemory::kBeatBytes, timing);
  for (uint32_t i = 0; i < beats; ++i) memory.writeBeat(8 * i, i);
  return memory;
}

struct Response {
  uint64_t cycle;
  uint64_t data;
};

// Issues `reads` read requests back to back (one per cycle whenever ready) at 1 ns a cycle
// and collects the responses; `accepts` gets the cycle of each accepted request.
std::vector<Response> readBackToBack(ExternalMemory &memory, int reads,
                                     std::vector<uint64_t> &accepts) {
  std::vector<Response> responses;
  int issued = 0;
  for (uint64_t cycle = 0; cycle < 10'000 && responses.size() < size_t(reads); ++cycle) {
    const bool ready = memory.requestReady(cycle, double(cycle));
    uint64_t data = 0;
    if (memory.takeResponse(cycle, data)) responses.push_back({cycle, data});
    if (ready && issued < reads) {
      memory.acceptRequest(cycle, double(cycle), false, uint32_t(8 * issued), 0);
      accepts.push_back(cycle);
      ++issued;
    }
  }
  return responses;
}

TEST(ExternalMemory, FixedLatencyAnswersInOrder) {
  ExternalMemory memory = numbered({3, 1});
  std::vector<uint64_t> accepts;
  const std::vector<Response> responses = readBackToBack(memory, 10, accepts);
  ASSERT_EQ(responses.size(), 10u);
  for (size_t i = 0; i < responses.size(); ++i) {
    EXPECT_EQ(accepts[i], i);  // always ready
    EXPECT_EQ(responses[i].cycle, accepts[i] + 3);
    EXPECT_EQ(responses[i].data, i);
  }
  EXPECT_EQ(memory.readBeats(), 10u);
  EXPECT_EQ(memory.writeBeats(), 0u);
  EXPECT_EQ(memory.pendingReads(), 0u);
}

TEST(ExternalMemory, JitterKeepsOrderOneResponsePerCycleAndIsSeeded) {
  auto run = [](uint32_t seed) {
    MemoryTiming timing{2, 1, 5, seed};
    ExternalMemory memory = numbered(timing);
    std::vector<uint64_t> accepts;
    std::vector<Response> responses = readBackToBack(memory, 40, accepts);
    EXPECT_EQ(responses.size(), 40u);
    for (size_t i = 0; i < responses.size(); ++i) {
      EXPECT_EQ(responses[i].data, i) << "in order";
      EXPECT_GE(responses[i].cycle, accepts[i] + 2);
      if (i > 0) {
        EXPECT_GT(responses[i].cycle, responses[i - 1].cycle) << "one per cycle";
      }
    }
    std::vector<uint64_t> cycles;
    for (const Response &r : responses) cycles.push_back(r.cycle);
    return cycles;
  };
  const std::vector<uint64_t> a = run(7), b = run(7), c = run(8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // The jitter really varies the latency: not every read takes the minimum.
  EXPECT_GT(a.back(), 40u + 2u);
}

TEST(ExternalMemory, AtMostOneRequestPerInterval) {
  ExternalMemory memory = numbered({1, 3});
  EXPECT_TRUE(memory.requestReady(0, 0.0));
  memory.acceptRequest(0, 0.0, false, 0, 0);
  EXPECT_FALSE(memory.requestReady(1, 1.0));
  EXPECT_FALSE(memory.requestReady(2, 2.0));
  EXPECT_TRUE(memory.requestReady(3, 3.0));
  EXPECT_TRUE(memory.requestReady(9, 9.0));  // ready until the next accept
  std::vector<uint64_t> accepts;
  ExternalMemory fresh = numbered({1, 3});
  readBackToBack(fresh, 5, accepts);
  EXPECT_EQ(accepts, (std::vector<uint64_t>{0, 3, 6, 9, 12}));
}

TEST(ExternalMemory, WritesLandLittleEndianAndCount) {
  ExternalMemory memory(64);
  memory.acceptRequest(0, 0.0, true, 8, 0x0807060504030201ull);
  EXPECT_EQ(memory.read(8, 8), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(memory.readBeat(8), 0x0807060504030201ull);
  EXPECT_EQ(memory.writeBeats(), 1u);
  EXPECT_EQ(memory.readBeats(), 0u);
  EXPECT_EQ(memory.pendingReads(), 0u);
}

TEST(ExternalMemory, BeatsOutsideReadInvalidAndDropWrites) {
  ExternalMemory memory(64, {1, 1});
  memory.acceptRequest(0, 0.0, true, 60, ~0ull);  // straddles the end: dropped
  EXPECT_EQ(memory.bytes(), std::vector<uint8_t>(64, 0));
  memory.acceptRequest(1, 1.0, false, 64, 0);
  uint64_t data = 0;
  EXPECT_FALSE(memory.takeResponse(1, data));
  ASSERT_TRUE(memory.takeResponse(2, data));
  EXPECT_EQ(data, ExternalMemory::kInvalidData);
  EXPECT_EQ(data, 0xdeadbeefbadc0ffeull);
}

TEST(ExternalMemory, ClearPendingDropsReadsInFlight) {
  ExternalMemory memory = numbered({4, 1});
  memory.acceptRequest(0, 0.0, false, 0, 0);
  memory.acceptRequest(1, 1.0, false, 8, 0);
  EXPECT_EQ(memory.pendingReads(), 2u);
  memory.clearPending();
  uint64_t data = 0;
  for (uint64_t cycle = 0; cycle < 20; ++cycle) EXPECT_FALSE(memory.takeResponse(cycle, data));
}

TEST(ExternalMemory, ByteAccessOutOfRangeThrows) {
  ExternalMemory memory(32);
  memory.write(24, std::vector<uint8_t>(8, 1));
  memory.fill(0, 4, 0xab);
  EXPECT_EQ(memory.read(0, 5), (std::vector<uint8_t>{0xab, 0xab, 0xab, 0xab, 0}));
  EXPECT_EQ(memory.size(), 32u);
  EXPECT_THROW(memory.write(25, std::vector<uint8_t>(8, 1)), std::out_of_range);
  EXPECT_THROW(memory.read(30, 3), std::out_of_range);
  EXPECT_THROW(memory.fill(32, 1, 0), std::out_of_range);
  EXPECT_THROW(memory.read(0xffffffffu, 2), std::out_of_range);
  EXPECT_NO_THROW(memory.read(32, 0));
}

TEST(ExternalMemory, RefusedTimings) {
  ExternalMemory memory(8);
  EXPECT_THROW(memory.setTiming({0, 1}), std::invalid_argument);
  EXPECT_THROW(memory.setTiming({1, 0}), std::invalid_argument);
  EXPECT_THROW(memory.setTiming({1, 1, -1}), std::invalid_argument);
  EXPECT_THROW(memory.setTiming({1, 1, 0, 1, -1.0}), std::invalid_argument);
  EXPECT_THROW(memory.setTiming({1, 1, 0, 1, std::numeric_limits<double>::quiet_NaN()}),
               std::invalid_argument);
  EXPECT_THROW(ExternalMemory(8, MemoryTiming{0, 1}), std::invalid_argument);
  EXPECT_EQ(memory.timing().read_latency, 2);  // unchanged by the refused ones
  EXPECT_NO_THROW(memory.setTiming({5, 2, 3, 9, 0.5}));
  EXPECT_EQ(memory.timing().request_interval, 2);
}

TEST(ExternalMemory, IdealTiming) {
  EXPECT_TRUE(MemoryTiming{}.isIdeal());
  EXPECT_TRUE((MemoryTiming{7, 1}).isIdeal());
  EXPECT_FALSE((MemoryTiming{2, 2}).isIdeal());
  EXPECT_FALSE((MemoryTiming{2, 1, 1}).isIdeal());
  EXPECT_FALSE((MemoryTiming{2, 1, 0, 1, 4.0}).isIdeal());
}

// Requests whenever ready, at a clock of `period_ns`; the times of the accepted requests.
std::vector<double> acceptTimes(ExternalMemory &memory, double period_ns, int count,
                                uint64_t first_cycle = 0) {
  std::vector<double> times;
  for (uint64_t cycle = first_cycle; times.size() < size_t(count); ++cycle) {
    const double now = double(cycle) * period_ns;
    if (!memory.requestReady(cycle, now)) continue;
    memory.acceptRequest(cycle, now, (cycle & 1) != 0, 0, 0);
    times.push_back(now);
  }
  return times;
}

TEST(ExternalMemory, BandwidthLimitsBackToBackRequests) {
  // 1 byte/ns: a beat costs 8 ns. At a fast clock (0.3 ns) N requests take N * 8 ns:
  // request N (0-based) is accepted within one cycle of N * 8 ns, with no drift.
  const double period = 0.3, beat_ns = 8.0;
  ExternalMemory memory(64, {2, 1, 0, 1, 1.0});
  const int n = 1000;
  const std::vector<double> times = acceptTimes(memory, period, n + 1);
  EXPECT_EQ(times.front(), 0.0);  // the first request is allowed at once
  for (int k = 0; k <= n; ++k) {
    EXPECT_GE(times[size_t(k)], k * beat_ns - 1e-6) << k;
    EXPECT_LT(times[size_t(k)], k * beat_ns + period + 1e-6) << k;
  }
  EXPECT_NEAR(memory.nextAllowedNs(), (n + 1) * beat_ns, 1e-6);
  EXPECT_EQ(memory.readBeats() + memory.writeBeats(), uint64_t(n + 1));
}

TEST(ExternalMemory, BandwidthQuantizedToClockDoesNotDrift) {
  // 8 / 3 bytes/ns: 3 ns a beat, clock 2 ns. Accepts land on edges 0, 4, 6, 10, 12, ...
  // (3 ns rounded up to the clock, the lateness credited): 2 beats per 6 ns on average,
  // not 1 per 4 ns.
  ExternalMemory memory(64, {2, 1, 0, 1, 8.0 / 3.0});
  const std::vector<double> times = acceptTimes(memory, 2.0, 301);
  EXPECT_NEAR(times.back(), 300 * 3.0, 2.0);
  EXPECT_EQ(times[1], 4.0);
  EXPECT_EQ(times[2], 6.0);
}

TEST(ExternalMemory, BandwidthBelowTheClockRateDoesNotLimit) {
  ExternalMemory memory(64, {2, 1, 0, 1, 8.0});  // 1 ns a beat, clock 2 ns
  const std::vector<double> times = acceptTimes(memory, 2.0, 50);
  for (size_t k = 0; k < times.size(); ++k) EXPECT_EQ(times[k], 2.0 * double(k));
}

TEST(ExternalMemory, IdlePortKeepsAtMostOneBeatOfCredit) {
  ExternalMemory memory(64, {2, 1, 0, 1, 1.0});  // 8 ns a beat, clock 1 ns
  memory.acceptRequest(0, 0.0, false, 0, 0);
  EXPECT_FALSE(memory.requestReady(7, 7.0));
  EXPECT_TRUE(memory.requestReady(8, 8.0));
  // Idle until 100 ns: one beat of credit, then the bandwidth again.
  const std::vector<double> times = acceptTimes(memory, 1.0, 4, 100);
  EXPECT_EQ(times, (std::vector<double>{100.0, 101.0, 108.0, 116.0}));
}

TEST(ExternalMemory, BandwidthAndIntervalTogether) {
  // Interval 4 cycles at 1 ns is the tighter limit against 2 ns a beat.
  ExternalMemory memory(64, {2, 4, 0, 1, 4.0});
  const std::vector<double> times = acceptTimes(memory, 1.0, 5);
  EXPECT_EQ(times, (std::vector<double>{0.0, 4.0, 8.0, 12.0, 16.0}));
}

TEST(ExternalMemory, EmbeddedTextIsTheHeader) {
  const std::string &text = externalMemoryHeaderText();
  EXPECT_NE(text.find("class ExternalMemory"), std::string::npos);
  EXPECT_NE(text.find("#pragma once"), std::string::npos);
  // Only the standard library: a program built at run time includes it on its own.
  EXPECT_EQ(text.find("#include \""), std::string::npos);
}

}  // namespace
}  // namespace pf
