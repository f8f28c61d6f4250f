#include "sim/cosim/CosimTop.hh"

#include <fmt/format.h>

#include "core/Banner.hh"

namespace pf::sim {

namespace {

int bitsFor(int count) {
  int bits = 0;
  while ((1 << bits) < count) ++bits;
  return bits < 1 ? 1 : bits;
}

std::string ports(const CosimTopShape &s) {
  const int ndom = int(s.domains.size());
  return fmt::format(
      "    input  wire              clk,\n"
      "    input  wire              rst_n,\n"
      "    input  wire              tick,\n"
      "    output wire              dma_req_valid,\n"
      "    input  wire              dma_req_ready,\n"
      "    output wire              dma_req_we,\n"
      "    output wire [31:0]       dma_req_addr,\n"
      "    output wire [63:0]       dma_req_wdata,\n"
      "    input  wire              dma_rsp_valid,\n"
      "    input  wire [63:0]       dma_rsp_rdata,\n"
      "    input  wire [63:0]       scramble_bits,\n"
      "    output wire [{0}:0]       dom_rail,\n"
      "    output wire [{1}:0]       dom_sw,\n"
      "    output wire [{1}:0]       dom_iso,\n"
      "    output wire [{1}:0]       dom_rst_n,\n"
      "    output wire [{1}:0]       dom_ret,\n"
      "    input  wire [{1}:0]       dom_pgood,\n"
      "    output wire [2:0]        div_sel,\n"
      "    output wire              clk_stop,\n"
      "    output wire              seq_err,\n"
      "    output wire [2:0]        seq_err_cause,\n"
      "    output wire              seq_halted,\n"
      "    output wire              seq_overrun,\n"
      "    output wire              busy,\n"
      "    output wire              done,\n"
      "    output wire [3:0]        err_code,\n"
      "    output wire [2:0]        phase,\n"
      "    output wire [{2}:0]       pe_active,\n"
      "    output wire [{3}:0]       act_bank_active,\n"
      "    output wire [{4}:0]       w_bank_active,\n"
      "    // observation (hierarchical references into pf_system)\n"
      "    output wire              start_o,\n"
      "    output wire [31:0]       desc_addr_o,\n"
      "    output wire              act_we_o,\n"
      "    output wire              w_we_o,\n"
      "    output wire [31:0]       rom_addr_o,\n"
      "    // read port onto the data buffer (checks only, combinational)\n"
      "    input  wire [7:0]        peek_bank,\n"
      "    input  wire [31:0]       peek_addr,\n"
      "    output reg  [{5}:0]       peek_data,\n"
      "    output reg               peek_valid,\n"
      "    // annotations from the behavioural power network (traces only), 4 bits per domain\n"
      "    input  wire [127:0]      power_state_bus,\n"
      "    input  wire [127:0]      rail_bus,\n"
      "    input  wire [7:0]        divider\n",
      ndom * s.rails - 1, ndom - 1, s.col_groups - 1, s.act_banks - 1, s.w_banks - 1,
      s.data_word_bits - 1);
}

std::string systemInstance() {
  return "  pf_system u_sys (\n"
         "      .clk(clk), .rst_n(rst_n), .tick(tick),\n"
         "      .dma_req_valid(dma_req_valid), .dma_req_ready(dma_req_ready),\n"
         "      .dma_req_we(dma_req_we), .dma_req_addr(dma_req_addr),\n"
         "      .dma_req_wdata(dma_req_wdata), .dma_rsp_valid(dma_rsp_valid),\n"
         "      .dma_rsp_rdata(dma_rsp_rdata), .dom_rail(dom_rail), .dom_sw(dom_sw),\n"
         "      .dom_iso(dom_iso), .dom_rst_n(dom_rst_n), .dom_ret(dom_ret),\n"
         "      .dom_pgood(dom_pgood), .div_sel(div_sel), .clk_stop(clk_stop),\n"
         "      .seq_err(seq_err), .seq_err_cause(seq_err_cause), .seq_halted(seq_halted),\n"
         "      .seq_overrun(seq_overrun), .busy(busy), .done(done), .err_code(err_code),\n"
         "      .phase(phase), .pe_active(pe_active), .act_bank_active(act_bank_active),\n"
         "      .w_bank_active(w_bank_active));\n\n"
         "  assign start_o = u_sys.start;\n"
         "  assign desc_addr_o = u_sys.desc_addr;\n"
         "  assign act_we_o = u_sys.u_accel.act_we;\n"
         "  assign w_we_o = u_sys.u_accel.w_we;\n"
         "  assign rom_addr_o = 32'(u_sys.rom_addr);\n\n";
}

std::string peekPort(const CosimTopShape &s) {
  const int addr_bits = bitsFor(s.act_bank_words);
  std::string text =
      "  // A word is valid when it was written in the bank's current power epoch (the SRAM\n"
      "  // model counts epochs; data of an earlier one is lost).\n"
      "  always @(*) begin\n"
      "    peek_data = 0;\n"
      "    peek_valid = 1'b0;\n"
      "    case (peek_bank)\n";
  for (int b = 0; b < s.act_banks; ++b) {
    const std::string sram = fmt::format("u_sys.u_accel.u_act_buf.g_bank[{}].u_sram", b);
    text += fmt::format(
        "      8'd{0}: begin\n"
        "        peek_data = {1}.mem[peek_addr[{2}:0]];\n"
        "        peek_valid = {1}.tag[peek_addr[{2}:0]] == {1}.epoch;\n"
        "      end\n",
        b, sram, addr_bits - 1);
  }
  return text + "      default: ;\n    endcase\n  end\n\n";
}

std::string scrambling(const CosimTopShape &s) {
  std::string text =
      "  // Power-aware: a PE group unpowered with its reset released loses its state.\n"
      "  /* verilator lint_off WIDTH */\n"
      "  /* verilator lint_off MULTIDRIVEN */\n";
  for (size_t g = 0; g < s.pe_group_domain.size(); ++g) {
    const std::string group = fmt::format("u_sys.u_accel.u_pe_array.g_group[{}].u_group", g);
    const int d = s.pe_group_domain[g];
    text += fmt::format(
        "  always @(posedge clk)\n"
        "    if (!dom_sw[{0}] && dom_rst_n[{0}]) begin\n"
        "      {1}.x_q <= {{16{{scramble_bits}}}};\n"
        "      {1}.w_q <= {{64{{scramble_bits ^ 64'h9e3779b97f4a7c15}}}};\n"
        "      {1}.v_q <= scramble_bits[63];\n"
        "      {1}.acc <= {{16{{~scramble_bits}}}};\n"
        "    end\n",
        d, group);
  }
  return text + "\n";
}

std::string annotations(const CosimTopShape &s) {
  std::string text =
      "  // Power state per domain: 0 off, 1 waking (switch closed, no power-good yet),\n"
      "  // 2 on, 3 retention. Rail: index + 1, 0 = none.\n";
  for (size_t d = 0; d < s.domains.size(); ++d) {
    text += fmt::format("  wire [3:0] pwr_{0} = power_state_bus[{1} +: 4];\n", s.domains[d], 4 * d);
    text += fmt::format("  wire [3:0] rail_{0} = rail_bus[{1} +: 4];\n", s.domains[d], 4 * d);
  }
  return text;
}

}  // namespace

std::string cosimTopVerilog(const CosimTopShape &shape) {
  return generatedBanner("//", shape.generated_by) +
         "// pf_cosim: pf_system plus observation ports, a read port onto the data buffer and\n"
         "// power-state annotations for traces (sim/cosim/CosimTop.hh). Simulation only.\n"
         "/* verilator lint_off UNUSEDSIGNAL */\n"
         "module pf_cosim (\n" +
         ports(shape) + ");\n" + systemInstance() + peekPort(shape) + scrambling(shape) +
         annotations(shape) + "endmodule\n";
}

}  // namespace pf::sim
