// The C entry points of the co-simulation model (model/pf_cosim_abi.h). powerflow writes
// this file into the model's work folder and Verilator builds it, with the Verilated
// pf_cosim top, into a shared object that powerflow loads (sim/cosim/SystemModel.cc).
// One call is one clock cycle, driven as the datapath harness drives pf_accel: inputs
// applied with the clock low, outputs sampled once they settle, then the rising and the
// falling edge.
#include <cstring>
#include <type_traits>

#include "Vpf_cosim.h"
#include "pf_cosim_abi.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

namespace {

struct Model {
  VerilatedContext context;
  Vpf_cosim *top = nullptr;
#if VM_TRACE
  VerilatedFstC *trace = nullptr;
#endif
};

template <typename T>
void readBits(const T &port, uint32_t *words, int count) {
  std::memset(words, 0, sizeof(uint32_t) * size_t(count));
  if constexpr (std::is_integral_v<T>) {
    words[0] = uint32_t(port);
    if (count > 1 && sizeof(T) > 4) words[1] = uint32_t(uint64_t(port) >> 32);
  } else {
    for (int i = 0; i < count && i < int(sizeof(port) / 4); ++i) words[i] = port[i];
  }
}

template <typename T>
void writeBits(T &port, const uint32_t *words, int count) {
  if constexpr (std::is_integral_v<T>) {
    uint64_t value = words[0];
    if (count > 1 && sizeof(T) > 4) value |= uint64_t(words[1]) << 32;
    port = T(value);
  } else {
    for (int i = 0; i < int(sizeof(port) / 4); ++i) port[i] = i < count ? words[i] : 0u;
  }
}

template <typename T>
uint32_t low32(const T &port) {
  uint32_t word = 0;
  readBits(port, &word, 1);
  return word;
}

void applyInputs(Vpf_cosim &top, const PfCosimIn &in) {
  top.rst_n = in.rst_n;
  top.tick = in.tick;
  top.dma_req_ready = in.dma_req_ready;
  top.dma_rsp_valid = in.dma_rsp_valid;
  top.dma_rsp_rdata = in.dma_rsp_rdata;
  top.scramble_bits = in.scramble_bits;
  const uint32_t pgood = in.dom_pgood;
  writeBits(top.dom_pgood, &pgood, 1);
  uint32_t state[PF_COSIM_MAX_DOMAINS / 8 * 4] = {};  // 4 bits per domain
  uint32_t rail[PF_COSIM_MAX_DOMAINS / 8 * 4] = {};
  for (int d = 0; d < PF_COSIM_MAX_DOMAINS; ++d) {
    state[d / 8] |= uint32_t(in.power_state[d] & 15u) << (4 * (d % 8));
    rail[d / 8] |= uint32_t(in.rail[d] & 15u) << (4 * (d % 8));
  }
  writeBits(top.power_state_bus, state, PF_COSIM_MAX_DOMAINS / 8 * 4);
  writeBits(top.rail_bus, rail, PF_COSIM_MAX_DOMAINS / 8 * 4);
  top.divider = in.divider;
}

void sampleOutputs(const Vpf_cosim &top, PfCosimOut &out) {
  out.dma_req_valid = top.dma_req_valid;
  out.dma_req_we = top.dma_req_we;
  out.dma_req_addr = top.dma_req_addr;
  out.dma_req_wdata = top.dma_req_wdata;
  readBits(top.dom_rail, out.dom_rail, PF_COSIM_MAX_RAIL_WORDS);
  out.dom_sw = low32(top.dom_sw);
  out.dom_iso = low32(top.dom_iso);
  out.dom_rst_n = low32(top.dom_rst_n);
  out.dom_ret = low32(top.dom_ret);
  out.div_sel = top.div_sel;
  out.clk_stop = top.clk_stop;
  out.seq_err = top.seq_err;
  out.seq_err_cause = top.seq_err_cause;
  out.seq_halted = top.seq_halted;
  out.seq_overrun = top.seq_overrun;
  out.busy = top.busy;
  out.done = top.done;
  out.err_code = top.err_code;
  out.phase = top.phase;
  out.pe_active = low32(top.pe_active);
  out.act_bank_active = low32(top.act_bank_active);
  out.w_bank_active = low32(top.w_bank_active);
  out.start = top.start_o;
  out.desc_addr = top.desc_addr_o;
  out.act_we = top.act_we_o;
  out.w_we = top.w_we_o;
  out.rom_addr = top.rom_addr_o;
}

void dump(Model &model, uint64_t time_ps) {
#if VM_TRACE
  if (model.trace) model.trace->dump(time_ps);
#else
  (void)model;
  (void)time_ps;
#endif
}

}  // namespace

extern "C" {

int pf_cosim_abi_version(void) { return PF_COSIM_ABI_VERSION; }

int pf_cosim_traced(void) { return VM_TRACE ? 1 : 0; }

void *pf_cosim_create(int argc, const char **argv) {
  Model *model = new Model;
  model->context.commandArgs(argc, argv);
  model->top = new Vpf_cosim(&model->context, "pf_cosim");
  model->top->clk = 0;
  model->top->rst_n = 0;
  model->top->eval();
  return model;
}

int pf_cosim_trace_open(void *handle, const char *path) {
#if VM_TRACE
  Model *model = static_cast<Model *>(handle);
  model->context.traceEverOn(true);
  model->trace = new VerilatedFstC;
  model->top->trace(model->trace, 99);
  model->trace->open(path);
  return model->trace->isOpen() ? 1 : 0;
#else
  (void)handle;
  (void)path;
  return 0;
#endif
}

void pf_cosim_destroy(void *handle) {
  Model *model = static_cast<Model *>(handle);
  model->top->final();
#if VM_TRACE
  if (model->trace) {
    model->trace->close();
    delete model->trace;
  }
#endif
  delete model->top;
  delete model;
}

void pf_cosim_cycle(void *handle, const PfCosimIn *in, PfCosimOut *out) {
  Model &model = *static_cast<Model *>(handle);
  Vpf_cosim &top = *model.top;
  applyInputs(top, *in);
  top.eval();
  sampleOutputs(top, *out);
  top.clk = 1;
  top.eval();
  dump(model, in->time_ps);
  top.clk = 0;
  top.eval();
  dump(model, in->time_ps + in->half_period_ps);
}

// Word `addr` of data bank `bank` as a read would return it now: 1 and the word if it
// holds written data of the current power epoch, 0 if the bank lost it (or never had it).
int pf_cosim_peek_act(void *handle, int bank, int addr, uint32_t *words) {
  Vpf_cosim &top = *static_cast<Model *>(handle)->top;
  top.peek_bank = uint8_t(bank);
  top.peek_addr = uint32_t(addr);
  top.eval();
  readBits(top.peek_data, words, PF_COSIM_MAX_DATA_WORDS);
  return top.peek_valid ? 1 : 0;
}

}  // extern "C"
