/* The C interface between powerflow and the co-simulation model it builds at run time
 * (a shared object holding the Verilated pf_cosim top, see sim/cosim/SystemModel.hh).
 * Plain C types only, so the two sides agree without sharing a C++ ABI. Buses wider than
 * 32 bits are arrays of 32-bit words, least significant word first. */
#ifndef PF_COSIM_ABI_H
#define PF_COSIM_ABI_H

#include <stdint.h>

#define PF_COSIM_ABI_VERSION 3
#define PF_COSIM_MAX_DOMAINS 32   /* switchable domains of the sequencer */
#define PF_COSIM_MAX_RAIL_WORDS 8 /* dom_rail: domains x rails bits */
#define PF_COSIM_MAX_DATA_WORDS 8 /* a data-buffer word, up to 256 bits */

typedef struct {
  uint8_t rst_n;
  uint8_t tick;
  uint8_t dma_req_ready;
  uint8_t dma_rsp_valid;
  uint64_t dma_rsp_rdata;
  uint32_t dom_pgood;
  /* Random bits for the flops of a PE group that loses power with its state kept
   * (a rail change's break): seeded by the run, new every cycle. */
  uint64_t scramble_bits;
  /* Annotations for traces only (no effect on the design): per switchable domain its
   * power state (0 off, 1 waking, 2 on, 3 retention) and rail (index + 1, 0 none), and
   * the clock divider value. */
  uint8_t power_state[PF_COSIM_MAX_DOMAINS];
  uint8_t rail[PF_COSIM_MAX_DOMAINS];
  uint8_t divider;
  uint64_t time_ps; /* of this cycle's rising edge, for traces */
  uint32_t half_period_ps;
} PfCosimIn;

typedef struct { /* sampled after the inputs settle, before the rising edge */
  uint8_t dma_req_valid;
  uint8_t dma_req_we;
  uint32_t dma_req_addr;
  uint64_t dma_req_wdata;
  uint32_t dom_rail[PF_COSIM_MAX_RAIL_WORDS];
  uint32_t dom_sw, dom_iso, dom_rst_n, dom_ret;
  uint8_t div_sel, clk_stop;
  uint8_t seq_err, seq_err_cause, seq_halted, seq_overrun;
  uint8_t busy, done, err_code, phase;
  uint32_t pe_active, act_bank_active, w_bank_active;
  uint8_t start; /* the sequencer's start pulse and descriptor address */
  uint32_t desc_addr;
  uint8_t act_we, w_we; /* the data/weight buffer write enables (bank accesses) */
  uint32_t rom_addr;    /* the sequencer's pc (where a host segment's wait ends) */
} PfCosimOut;

#endif
