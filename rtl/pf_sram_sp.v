// pf_sram_sp -- behavioural single-port SRAM bank (SIMULATION model).
// Power domain: its own switchable "sram_bank" domain (act_bank<b> / w_bank<b>).
//
// Synthesis uses rtl/syn/pf_sram_sp.v (a blackbox mapped to a liberty macro).
// This model exists so that co-simulation notices data lost by power gating:
//   * contents are kept while pgood or ret is high;
//   * when the bank is found unpowered without retention (pgood = 0 and ret = 0) at a
//     clock edge after having been powered or retained, every word is lost: it reads
//     back as a pseudo-random pattern (a new one on every loss) until written again.
//     Implemented with an epoch counter and a per-word epoch tag instead of a loop over
//     the array, so a power loss costs nothing in simulation;
//   * accesses are ignored while not powered or in retention (pgood = 0 or ret = 1);
//     a read then returns a pseudo-random pattern instead of data.
// 1-cycle read latency: rdata is registered and holds until the next read.
`default_nettype none

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
    output reg  [WIDTH-1:0]  rdata,
    input  wire              pgood,
    input  wire              ret
);
    localparam NCHUNK = (WIDTH + 31) / 32;

    reg [WIDTH-1:0] mem   [0:WORDS-1];
    reg [31:0]      tag   [0:WORDS-1];  // epoch in which the word was last written
    reg [31:0]      epoch;              // incremented on every power loss
    reg             lost_q;             // bank already counted as lost

    // Pseudo-random word: a 32-bit integer hash of (epoch, word index, chunk index).
    function [WIDTH-1:0] garbage;
        input [31:0] s;
        input [31:0] idx;
        reg   [32*NCHUNK-1:0] v;
        reg   [31:0] h;
        integer k;
        begin
            for (k = 0; k < NCHUNK; k = k + 1) begin
                h = s ^ (idx * 32'h9E3779B1) ^ (k * 32'h85EBCA6B);
                h = h ^ (h >> 16);
                h = h * 32'h7FEB352D;
                h = h ^ (h >> 15);
                h = h * 32'h846CA68B;
                h = h ^ (h >> 16);
                v[32*k +: 32] = h;
            end
            garbage = v[WIDTH-1:0];
        end
    endfunction

    wire        lost   = ~pgood & ~ret;
    wire        usable = pgood & ~ret;
    wire [31:0] idx    = {{(32-ADDR_W){1'b0}}, addr};

    integer n;
    initial begin
        epoch  = 32'd0;
        lost_q = 1'b0;
        for (n = 0; n < WORDS; n = n + 1)
            tag[n] = 32'd0;
    end

    always @(posedge clk) begin
        lost_q <= lost;
        if (lost && !lost_q)
            epoch <= epoch + 32'd1;         // power removed without retention
        if (ce && usable && we) begin
            mem[addr] <= wdata;
            tag[addr] <= epoch;
        end
        if (ce && !we)
            rdata <= (usable && tag[addr] == epoch) ? mem[addr]
                   : garbage(epoch ^ {31'd0, usable}, idx);
    end
endmodule

`default_nettype wire
