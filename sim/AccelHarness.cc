#include "sim/AccelHarness.hh"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

#include "Vpf_accel.h"
#include "golden/Packing.hh"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

namespace pf {

namespace {

uint64_t g_total_cycles = 0;

uint32_t lowBits(int count) { return count >= 32 ? 0xffffffffu : (1u << count) - 1u; }

// Marker pre-filled where the accelerator is expected to write, so missing writes show.
constexpr uint8_t kUnwrittenMarker = 0xcc;

struct Region {
  uint64_t begin, end;
  const char *name;
  bool contains(uint64_t addr) const { return addr >= begin && addr < end; }
};

}  // namespace

AccelConfig AccelHarness::builtConfig() {
  AccelConfig cfg;
#ifdef PF_ACCEL_ROWS
  cfg.rows = PF_ACCEL_ROWS;
  cfg.cols = PF_ACCEL_COLS;
  cfg.col_groups = PF_ACCEL_COL_GROUPS;
  cfg.act_banks = PF_ACCEL_ACT_BANKS;
  cfg.act_bank_words = PF_ACCEL_ACT_BANK_WORDS;
  cfg.w_banks = PF_ACCEL_W_BANKS;
  cfg.w_bank_words = PF_ACCEL_W_BANK_WORDS;
#endif
  return cfg;
}

DomainInputs DomainInputs::allOn(const AccelConfig &cfg) {
  DomainInputs d;
  d.pe_pgood = d.pe_rst_n = lowBits(cfg.col_groups);
  d.act_pgood = lowBits(cfg.act_banks);
  d.w_pgood = lowBits(cfg.w_banks);
  return d;
}

AccelHarness::AccelHarness(MemoryTiming timing, size_t memory_bytes)
    : memory_(memory_bytes, timing), context_(std::make_unique<VerilatedContext>()) {
  top_ = std::make_unique<Vpf_accel>(context_.get(), "top");
  domains_ = DomainInputs::allOn(cfg_);
#if VM_TRACE
  if (const char *path = std::getenv("PF_RTL_VCD")) {
    context_->traceEverOn(true);
    trace_ = new VerilatedVcdC;
    top_->trace(trace_, 99);
    trace_->open(path);
  }
#endif
  reset();
  scrubBuffers();
}

AccelHarness::~AccelHarness() {
#if VM_TRACE
  if (trace_) {
    trace_->close();
    delete trace_;
  }
#endif
  top_->final();
}

void AccelHarness::setMemoryTiming(MemoryTiming timing) { memory_.setTiming(timing); }

void AccelHarness::setClockPeriodNs(double period_ns) {
  if (!(period_ns > 0.0)) throw std::invalid_argument("AccelHarness: clock period must be > 0");
  clock_period_ns_ = period_ns;
}

uint64_t AccelHarness::totalCycles() { return g_total_cycles; }

void AccelHarness::reset(int cycles) {
  top_->rst_n = 0;
  top_->clk = 0;
  top_->start = 0;
  top_->eval();
  for (int i = 0; i < cycles; ++i) step();
  top_->rst_n = 1;
  memory_.clearPending();
  step();
}

void AccelHarness::scrubBuffers() {
  const DomainInputs saved = domains_;
  domains_.act_iso = domains_.act_pgood;
  domains_.w_iso = domains_.w_pgood;
  idle(1);
  domains_.act_pgood = 0;
  domains_.w_pgood = 0;
  domains_.act_ret = 0;
  domains_.w_ret = 0;
  idle(2);
  domains_.act_pgood = saved.act_pgood;
  domains_.w_pgood = saved.w_pgood;
  idle(1);
  domains_ = saved;
  idle(1);
}

bool AccelHarness::busy() const { return top_->busy != 0; }

void AccelHarness::idle(int cycles) {
  for (int i = 0; i < cycles; ++i) step();
}

void AccelHarness::applyInputs() {
  top_->start = start_ ? 1 : 0;
  top_->desc_addr = desc_addr_;
  // The port widths are the group/bank counts (<= 8 for these ports as Verilated).
  top_->pe_pgood = static_cast<CData>(domains_.pe_pgood);
  top_->pe_iso = static_cast<CData>(domains_.pe_iso);
  top_->pe_rst_n = static_cast<CData>(domains_.pe_rst_n);
  top_->act_pgood = static_cast<CData>(domains_.act_pgood);
  top_->act_iso = static_cast<CData>(domains_.act_iso);
  top_->act_ret = static_cast<CData>(domains_.act_ret);
  top_->w_pgood = static_cast<CData>(domains_.w_pgood);
  top_->w_iso = static_cast<CData>(domains_.w_iso);
  top_->w_ret = static_cast<CData>(domains_.w_ret);
  // The memory's side of the handshake depends only on its own state, never on the
  // request in flight, as a real bandwidth-limited port would.
  top_->dma_req_ready = memory_.requestReady(cycle_, nowNs()) ? 1 : 0;
  uint64_t data = 0;
  if (memory_.takeResponse(cycle_, data)) {
    top_->dma_rsp_valid = 1;
    top_->dma_rsp_rdata = data;
  } else {
    top_->dma_rsp_valid = 0;
    top_->dma_rsp_rdata = ExternalMemory::kInvalidData;
  }
}

AccelHarness::CycleObservation AccelHarness::step() {
  applyInputs();
  top_->eval();  // settle combinational outputs on this cycle's inputs
  CycleObservation obs;
  obs.req_fired = top_->dma_req_valid && top_->dma_req_ready;
  obs.req_we = top_->dma_req_we;
  obs.req_addr = top_->dma_req_addr;
  obs.req_wdata = top_->dma_req_wdata;
  top_->clk = 1;
  top_->eval();
  context_->timeInc(1);
  dump();
  if (obs.req_fired)
    memory_.acceptRequest(cycle_, nowNs(), obs.req_we, obs.req_addr, obs.req_wdata);
  top_->clk = 0;
  top_->eval();
  context_->timeInc(1);
  dump();
  ++cycle_;
  ++g_total_cycles;
  return obs;
}

void AccelHarness::dump() {
#if VM_TRACE
  if (trace_) trace_->dump(context_->time());
#endif
}

void AccelHarness::writeMemory(uint32_t addr, const std::vector<uint8_t> &bytes) {
  memory_.write(addr, bytes);
}

std::vector<uint8_t> AccelHarness::readMemory(uint32_t addr, size_t count) const {
  return memory_.read(addr, count);
}

void AccelHarness::fillMemory(uint32_t addr, size_t count, uint8_t value) {
  memory_.fill(addr, count, value);
}

void AccelHarness::stageLayer(const LayerDesc &d, const LayerTensors &t, uint32_t desc_addr) {
  writeMemory(desc_addr, descriptorBytes(d));
  // Descriptors broken on purpose (error-path tests) come with tensors of another shape;
  // there is nothing meaningful to stage for them.
  if (!validateTensors(d, t).empty()) return;
  if (d.act_dma_words > 0) {
    writeMemory(d.ext_act_addr, packTensor(t.input, d.in_h, d.in_w, d.in_c, cfg_));
  }
  if (d.act2_dma_words > 0) {
    writeMemory(d.ext_act2_addr, packTensor(t.input2, d.in_h, d.in_w, d.in_c, cfg_));
  }
  if (d.w_dma_words > 0) writeMemory(d.ext_w_addr, packWeights(d, t, cfg_));
  if (d.out_dma_words > 0) {
    fillMemory(d.ext_out_addr, size_t(d.out_dma_words) * size_t(dataWordBytes(cfg_)),
               kUnwrittenMarker);
  }
}

RunResult AccelHarness::run(const LayerDesc &d, uint32_t desc_addr, uint64_t timeout_cycles,
                            uint64_t extra_start_at) {
  RunResult result;
  const uint64_t data_bytes = uint64_t(dataWordBytes(cfg_));
  const uint64_t weight_bytes = uint64_t(weightWordBytes(cfg_));
  const Region reads[] = {
      {desc_addr, desc_addr + uint64_t(kDescriptorBytes), "descriptor"},
      {d.ext_act_addr, d.ext_act_addr + uint64_t(d.act_dma_words) * data_bytes, "input"},
      {d.ext_act2_addr, d.ext_act2_addr + uint64_t(d.act2_dma_words) * data_bytes, "input2"},
      {d.ext_w_addr, d.ext_w_addr + uint64_t(d.w_dma_words) * weight_bytes, "weights"}};
  const Region output{d.ext_out_addr, d.ext_out_addr + uint64_t(d.out_dma_words) * data_bytes,
                      "output"};
  auto violation = [&](std::string text) {
    if (result.protocol_errors.size() < 20) result.protocol_errors.push_back(std::move(text));
  };

  start_ = true;
  desc_addr_ = desc_addr;
  const uint64_t start_cycle = cycle_;
  step();
  start_ = false;
  while (cycle_ - start_cycle < timeout_cycles) {
    // Outputs are registered, so what is visible now is this cycle's state.
    const int phase = top_->phase & 7;
    const uint64_t now = cycle_ - start_cycle;
    start_ = extra_start_at > 0 && now == extra_start_at;
    if (start_) desc_addr_ = desc_addr + 0x40;  // a different (garbage) descriptor
    ++result.phase_cycles[size_t(phase)];
    result.pe_active_any |= top_->pe_active;
    if (phase == kCompute) {
      if (result.phase_cycles[kCompute] > 1 && top_->pe_active != result.pe_active_in_compute) {
        result.pe_active_constant_in_compute = false;
      }
      result.pe_active_in_compute |= top_->pe_active;
    } else {
      result.pe_active_outside_compute |= top_->pe_active;
    }
    result.act_bank_active_any |= top_->act_bank_active;
    result.w_bank_active_any |= top_->w_bank_active;
    const bool done = top_->done;
    if (!top_->busy && !done) violation(fmt::format("cycle {}: busy low before done", now));
    if (done) {
      result.done = true;
      result.err_code = top_->err_code;
      result.cycles = now;
    }
    const CycleObservation obs = step();
    if (obs.req_fired) {
      if (obs.req_addr % 8 != 0)
        violation(fmt::format("cycle {}: unaligned address {:#x}", now, obs.req_addr));
      if (obs.req_we) {
        ++result.write_beats;
        if (phase != kStore) violation(fmt::format("cycle {}: write in phase {}", now, phase));
        if (!output.contains(obs.req_addr)) {
          violation(fmt::format("cycle {}: write to {:#x} outside the output", now, obs.req_addr));
        }
      } else {
        ++result.read_beats;
        bool inside = false;
        for (const Region &r : reads) inside = inside || r.contains(obs.req_addr);
        if (!inside)
          violation(
              fmt::format("cycle {}: read of {:#x} outside the layer's inputs", now, obs.req_addr));
      }
    }
    if (done) break;
  }
  start_ = false;
  desc_addr_ = desc_addr;
  if (!result.done) return result;
  // done must be a pulse and the accelerator must return to idle.
  if (top_->done) violation("done high for more than one cycle");
  if (top_->busy) violation("busy still high after done");
  if (d.out_dma_words > 0) {
    result.output_words = readMemory(d.ext_out_addr, size_t(d.out_dma_words) * data_bytes);
    if (int64_t(d.out_dma_words) * int64_t(data_bytes) >=
        int64_t(d.out_h) * d.out_w * channelWords(d.out_c, cfg_) * int64_t(data_bytes)) {
      result.output = unpackTensor(result.output_words, d.out_h, d.out_w, d.out_c, cfg_);
    }
  }
  return result;
}

RunResult AccelHarness::runLayer(const LayerDesc &desc, const LayerTensors &tensors,
                                 uint32_t desc_addr, uint64_t timeout_cycles) {
  stageLayer(desc, tensors, desc_addr);
  return run(desc, desc_addr, timeout_cycles);
}

}  // namespace pf
