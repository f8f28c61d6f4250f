// Synthesis blackbox of the tiny design's SRAM bank; bound to a liberty macro by the
// flow (design TOML `macro`).
(* blackbox *)
module tiny_sram_sp (
    input  wire        clk,
    input  wire        ce,
    input  wire        we,
    input  wire [10:0] addr,
    input  wire [63:0] wdata,
    output wire [63:0] rdata,
    input  wire        pgood,
    input  wire        ret
);
endmodule
