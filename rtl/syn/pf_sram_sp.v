// pf_sram_sp -- SYNTHESIS stub of the single-port SRAM bank.
// Power domain: its own switchable "sram_bank" domain (act_bank<b> / w_bank<b>).
// Kept as a blackbox so Yosys does not build a flop array; the flow maps it to the
// liberty macro for (WORDS, WIDTH): pf40_sram_2048x64 (data banks) or
// pf40_sram_256x512 (weight banks). Ports and parameters match rtl/pf_sram_sp.v.
`default_nettype none

(* blackbox *)
module pf_sram_sp #(
    parameter WORDS  = 2048,
    parameter WIDTH  = 64,
    parameter ADDR_W = $clog2(WORDS)
) (
    input  wire              clk,
    input  wire              ce,
    input  wire              we,
    input  wire [ADDR_W-1:0] addr,
    input  wire [WIDTH-1:0]  wdata,
    output wire [WIDTH-1:0]  rdata,
    input  wire              pgood,
    input  wire              ret
);
endmodule

`default_nettype wire
