// pf_pe_array -- ROWS x COLS PE array split into COL_GROUPS separately gated groups.
// Power domains: each g_group[g].u_group is the switchable domain "pe_grp<g>" holding
// columns g*GC .. g*GC+GC-1 (GC = COLS/COL_GROUPS). This wrapper has no logic: it only
// slices the shared buses (weights are column-major, so a group's bytes are contiguous).
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

    genvar g;
    generate
        for (g = 0; g < COL_GROUPS; g = g + 1) begin : g_group
            pf_pe_group #(.ROWS(ROWS), .GC(GC), .COL0(g * GC)) u_group (
                .clk(clk), .rst_n(grp_rst_n[g]), .ce(grp_ce[g]), .iso(grp_iso[g]),
                .ld(ld), .init(init), .max_mode(max_mode), .x_in(x_in),
                .w_in(w_in[g*GC*ROWS*8 +: GC*ROWS*8]),
                .init_val(init_val[g*GC*32 +: GC*32]),
                .acc_out(acc_out[g*GC*32 +: GC*32]));
        end
    endgenerate
endmodule

`default_nettype wire
