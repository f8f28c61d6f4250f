// pf_pe_array -- ROWS x COLS PE array split into COL_GROUPS separately gated groups.
// Power domains: each g_group[g].u_group is the switchable domain "pe_grp<g>" holding
// columns g*GC .. g*GC+GC-1 (GC = COLS/COL_GROUPS). This wrapper has no logic: it only
// slices the shared buses (weights are column-major, so a group's bytes are contiguous)
// and rotates the lanes. Group g sees lane r as global lane (r + g*GC) mod ROWS, in its
// activations and in every column's weights alike, so each dot product sums the same
// products (int32 addition wraps: any order gives the same bits) while the diagonal lane
// of the group's column j (global column g*GC + j) is its lane j. The groups then differ
// only in DIAG, how many of their columns are diagonal (g*GC + j < ROWS): in the default
// array (COLS <= ROWS) none differ, and Yosys synthesizes one module for all of them.
`default_nettype none

module pf_pe_array #(
    parameter ROWS       = 8,
    parameter COLS       = 8,
    parameter COL_GROUPS = 4
) (
    input  wire                  clk,
    input  wire [COL_GROUPS-1:0] grp_ce,
    input  wire [COL_GROUPS-1:0] grp_rst_n,
    input  wire [COL_GROUPS-1:0] grp_iso,
    input  wire                  ld,
    input  wire                  init,
    input  wire                  max_mode,
    input  wire [ROWS*8-1:0]     x_in,
    input  wire [COLS*ROWS*8-1:0] w_in,
    input  wire [COLS*32-1:0]    init_val,
    output wire [COLS*32-1:0]    acc_out
);
    localparam GC = COLS / COL_GROUPS;

    genvar g, j, r;
    generate
        for (g = 0; g < COL_GROUPS; g = g + 1) begin : g_group
            localparam COL0 = g * GC;
            localparam DIAG = COL0 >= ROWS ? 0 : (ROWS - COL0 < GC ? ROWS - COL0 : GC);
            wire [ROWS*8-1:0]    x_rot;
            wire [GC*ROWS*8-1:0] w_rot;
            for (r = 0; r < ROWS; r = r + 1) begin : g_lane
                assign x_rot[8*r +: 8] = x_in[8*((r + COL0) % ROWS) +: 8];
                for (j = 0; j < GC; j = j + 1) begin : g_col
                    assign w_rot[8*(j*ROWS + r) +: 8] =
                        w_in[8*((COL0 + j)*ROWS + (r + COL0) % ROWS) +: 8];
                end
            end
            pf_pe_group #(.ROWS(ROWS), .GC(GC), .DIAG(DIAG)) u_group (
                .clk(clk), .rst_n(grp_rst_n[g]), .ce(grp_ce[g]), .iso(grp_iso[g]),
                .ld(ld), .init(init), .max_mode(max_mode), .x_in(x_rot),
                .w_in(w_rot),
                .init_val(init_val[g*GC*32 +: GC*32]),
                .acc_out(acc_out[g*GC*32 +: GC*32]));
        end
    endgenerate
endmodule

`default_nettype wire
