// pf_sram_buffer -- a banked on-chip buffer of single-port SRAM banks; instantiated as
// the data (activation) buffer (domains "act_bank<b>") and the weight buffer ("w_bank<b>").
// Power domains: each u_sram instance is its own switchable domain;
// the glue here (bank decode, read-data isolation clamp and mux) is always-on.
// Bank = high address bits, so a tensor fills consecutive banks and untouched banks
// can be gated. Read data of an isolated bank is clamped to 0 before the mux so that
// X / garbage from an unpowered bank never enters the always-on domain.
`default_nettype none

module pf_sram_buffer #(
    parameter BANKS      = 4,
    parameter BANK_WORDS = 2048,
    parameter WIDTH      = 64,
    parameter BANK_AW    = $clog2(BANK_WORDS),
    parameter AW         = $clog2(BANKS) + BANK_AW
) (
    input  wire             clk,
    input  wire             rst_n,
    input  wire             ce,
    input  wire             we,
    input  wire [AW-1:0]    addr,
    input  wire [WIDTH-1:0] wdata,
    output wire [WIDTH-1:0] rdata,
    output wire [BANKS-1:0] bank_ce,   // bank accessed this cycle
    input  wire [BANKS-1:0] pgood,
    input  wire [BANKS-1:0] iso,
    input  wire [BANKS-1:0] ret
);
    wire [WIDTH*BANKS-1:0] bank_rdata;
    reg  [BANKS-1:0]       rd_sel_q;   // one-hot bank of the last read (1-cycle latency)

    genvar b;
    generate
        for (b = 0; b < BANKS; b = b + 1) begin : g_bank
            wire [WIDTH-1:0] raw;
            // BANKS == 1 has no bank bits: every access goes to bank 0.
            if (BANKS == 1) begin : g_one
                assign bank_ce[b] = ce;
            end else begin : g_many
                assign bank_ce[b] = ce && (addr[AW-1:BANK_AW] == b);
            end
            pf_sram_sp #(.WORDS(BANK_WORDS), .WIDTH(WIDTH)) u_sram (
                .clk(clk), .ce(bank_ce[b]), .we(we), .addr(addr[BANK_AW-1:0]),
                .wdata(wdata), .rdata(raw), .pgood(pgood[b]), .ret(ret[b]));
            // Isolation clamp + one-hot read mux (AND-OR).
            assign bank_rdata[WIDTH*b +: WIDTH] = (iso[b] || !rd_sel_q[b]) ? {WIDTH{1'b0}} : raw;
        end
    endgenerate

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n)
            rd_sel_q <= {BANKS{1'b0}};
        else if (ce && !we)
            rd_sel_q <= bank_ce;
    end

    // OR of the (at most one) selected bank's data.
    reg [WIDTH-1:0] rd_or;
    integer k;
    always @(*) begin
        rd_or = {WIDTH{1'b0}};
        for (k = 0; k < BANKS; k = k + 1)
            rd_or = rd_or | bank_rdata[WIDTH*k +: WIDTH];
    end
    assign rdata = rd_or;
endmodule

`default_nettype wire
