// pf_pe_group -- one separately gated group of GC output columns x ROWS input lanes.
// Power domain: switchable "pe_grp<g>" (one instance per group, see design.toml).
//
// Column j is a dot-product MAC: ROWS int8 x int8 products summed into one int32
// accumulator (wraps). The lanes arrive rotated by pf_pe_array so that column j's
// diagonal lane (the global column's own input channel) is lane j: every group with the
// same number of diagonal columns is then the same module, synthesized once. Two-stage
// pipeline, both stages clocked only while ce (= pe_active, the group's clock enable) is
// high:
//   stage 1: ld   -> latch the activation word and this group's weight bytes;
//   stage 2: v_q  -> acc += sum_r x[r] * w[c][r]       (MAC mode), or
//                    acc  = max(acc, x[c])              (max mode, diagonal columns only).
// init loads every accumulator with init_val (bias, or -128 for max) and has priority.
// Outputs are clamped to 0 while iso is high so an unpowered group cannot drive X into
// the always-on domain. rst_n is the group's own domain reset (asynchronous).
`default_nettype none

module pf_pe_group #(
    parameter ROWS = 8,
    parameter GC   = 2,   // columns in this group
    parameter DIAG = 2    // columns 0 .. DIAG-1 are diagonal (their global index < ROWS)
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire               ce,
    input  wire               iso,
    input  wire               ld,        // stage-1 operands valid (in-bounds step)
    input  wire               init,      // load accumulators with init_val
    input  wire               max_mode,
    input  wire [ROWS*8-1:0]  x_in,      // lane r = byte r
    input  wire [GC*ROWS*8-1:0] w_in,    // column j lane r = byte j*ROWS + r
    input  wire [GC*32-1:0]   init_val,
    output wire [GC*32-1:0]   acc_out
);
    reg [ROWS*8-1:0]    x_q;
    reg [GC*ROWS*8-1:0] w_q;
    reg                 v_q;
    reg [GC*32-1:0]     acc;
    wire                unused_max = max_mode;   // groups without a diagonal column

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            x_q <= {ROWS*8{1'b0}};
            w_q <= {GC*ROWS*8{1'b0}};
            v_q <= 1'b0;
        end else if (ce) begin
            v_q <= ld;
            if (ld) begin
                x_q <= x_in;
                w_q <= w_in;
            end
        end
    end

    genvar j, r;
    generate
        for (j = 0; j < GC; j = j + 1) begin : g_col
            // Dot product of the column (products fit 16 bits, the sum 16+log2(ROWS)).
            wire [ROWS*32-1:0] prod;
            for (r = 0; r < ROWS; r = r + 1) begin : g_lane
                wire signed [15:0] p = $signed(x_q[8*r +: 8]) * $signed(w_q[8*(j*ROWS+r) +: 8]);
                assign prod[32*r +: 32] = {{16{p[15]}}, p};
            end
            reg [31:0] dot;
            integer k;
            always @(*) begin
                dot = 32'd0;
                for (k = 0; k < ROWS; k = k + 1)
                    dot = dot + prod[32*k +: 32];
            end

            // Max mode exists only on the diagonal PE (column c, lane c).
            wire [31:0] nxt;
            if (j < DIAG) begin : g_diag
                wire signed [31:0] xd = {{24{x_q[8*j+7]}}, x_q[8*j +: 8]};
                wire signed [31:0] cur = acc[32*j +: 32];
                assign nxt = max_mode ? ((xd > cur) ? xd : cur) : (acc[32*j +: 32] + dot);
            end else begin : g_plain
                assign nxt = acc[32*j +: 32] + dot;
            end

            always @(posedge clk or negedge rst_n) begin
                if (!rst_n)
                    acc[32*j +: 32] <= 32'd0;
                else if (ce) begin
                    if (init)
                        acc[32*j +: 32] <= init_val[32*j +: 32];
                    else if (v_q)
                        acc[32*j +: 32] <= nxt;
                end
            end
        end
    endgenerate

    assign acc_out = iso ? {GC*32{1'b0}} : acc;
endmodule

`default_nettype wire
