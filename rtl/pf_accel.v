// pf_accel -- int8 DNN layer accelerator, top level (contract: docs/accelerator.md).
// Power domains (see rtl/design.toml):
//   aon        always-on: u_ctrl (pf_ctrl), u_dma (pf_dma), and the glue in the buffer
//              and array wrappers (bank decode, isolation clamps, read mux);
//   pe_grp<g>  u_pe_array.g_group[g].u_group  (COLS/COL_GROUPS columns each);
//   act_bank<b> u_act_buf.g_bank[b].u_sram;   w_bank<b> u_w_buf.g_bank[b].u_sram.
// This module only wires the blocks together and checks the parameters.
`default_nettype none

module pf_accel #(
    parameter ROWS           = 8,
    parameter COLS           = 8,
    parameter COL_GROUPS     = 4,
    parameter ACT_BANKS      = 4,
    parameter ACT_BANK_WORDS = 2048,
    parameter W_BANKS        = 4,
    parameter W_BANK_WORDS   = 256
) (
    input  wire                  clk,
    input  wire                  rst_n,
    input  wire                  start,
    input  wire [31:0]           desc_addr,
    output wire                  busy,
    output wire                  done,
    output wire [3:0]            err_code,
    output wire [2:0]            phase,
    output wire                  dma_req_valid,
    input  wire                  dma_req_ready,
    output wire                  dma_req_we,
    output wire [31:0]           dma_req_addr,
    output wire [63:0]           dma_req_wdata,
    input  wire                  dma_rsp_valid,
    input  wire [63:0]           dma_rsp_rdata,
    input  wire [COL_GROUPS-1:0] pe_pgood,
    input  wire [COL_GROUPS-1:0] pe_iso,
    input  wire [COL_GROUPS-1:0] pe_rst_n,
    output wire [COL_GROUPS-1:0] pe_active,
    input  wire [ACT_BANKS-1:0]  act_pgood,
    input  wire [ACT_BANKS-1:0]  act_iso,
    input  wire [ACT_BANKS-1:0]  act_ret,
    input  wire [W_BANKS-1:0]    w_pgood,
    input  wire [W_BANKS-1:0]    w_iso,
    input  wire [W_BANKS-1:0]    w_ret,
    output wire [ACT_BANKS-1:0]  act_bank_active,
    output wire [W_BANKS-1:0]    w_bank_active
);
    localparam AAW = $clog2(ACT_BANKS) + $clog2(ACT_BANK_WORDS);
    localparam WAW = $clog2(W_BANKS) + $clog2(W_BANK_WORDS);
    localparam DW  = ROWS * 8;          // data word bits
    localparam WW  = ROWS * COLS * 8;   // weight word bits

    // ------------------------------------------------------------ parameter checks
    // An illegal combination instantiates a module that does not exist, which stops
    // elaboration in both Verilator and Yosys (hierarchy -check) with its name.
    generate
        if ((ROWS < 8) || (ROWS % 8 != 0) ||
            (COLS < ROWS) || (COLS % ROWS != 0) ||
            (COL_GROUPS < 1) || (COLS % COL_GROUPS != 0) ||
            (ACT_BANKS < 1) || ((ACT_BANKS & (ACT_BANKS - 1)) != 0) ||
            (ACT_BANK_WORDS < 2) || ((ACT_BANK_WORDS & (ACT_BANK_WORDS - 1)) != 0) ||
            (W_BANKS < 1) || ((W_BANKS & (W_BANKS - 1)) != 0) ||
            (W_BANK_WORDS < 2) || ((W_BANK_WORDS & (W_BANK_WORDS - 1)) != 0) ||
            (AAW > 16) || (WAW > 16)) begin : g_bad_params
            pf_accel_ERROR_illegal_parameters u_error ();
        end
    endgenerate

    // ------------------------------------------------------------ nets
    wire            cmd_valid, cmd_done;
    wire [1:0]      cmd_kind;
    wire [31:0]     cmd_ext;
    wire [15:0]     cmd_base, cmd_words;
    wire            desc_valid;
    wire [2:0]      desc_idx;
    wire [63:0]     desc_data;
    wire            dma_act_ce, dma_act_we, dma_w_we;
    wire [AAW-1:0]  dma_act_addr;
    wire [DW-1:0]   dma_act_wdata;
    wire [WAW-1:0]  dma_w_addr;
    wire [WW-1:0]   dma_w_wdata;
    wire            act_ce, act_we, w_ce, w_we;
    wire [AAW-1:0]  act_addr;
    wire [WAW-1:0]  w_addr;
    wire [DW-1:0]   act_wdata, act_rdata;
    wire [WW-1:0]   w_wdata, w_rdata;
    wire            pe_ld, pe_init, pe_max;
    wire [DW-1:0]   pe_x;
    wire [WW-1:0]   pe_w;
    wire [COLS*32-1:0] pe_init_val, pe_acc;

    pf_ctrl #(
        .ROWS(ROWS), .COLS(COLS), .COL_GROUPS(COL_GROUPS),
        .ACT_BANKS(ACT_BANKS), .W_BANKS(W_BANKS), .AAW(AAW), .WAW(WAW)
    ) u_ctrl (
        .clk(clk), .rst_n(rst_n), .start(start), .desc_addr(desc_addr),
        .busy(busy), .done(done), .err_code(err_code), .phase(phase),
        .cmd_valid(cmd_valid), .cmd_kind(cmd_kind), .cmd_ext(cmd_ext),
        .cmd_base(cmd_base), .cmd_words(cmd_words), .cmd_done(cmd_done),
        .desc_valid(desc_valid), .desc_idx(desc_idx), .desc_data(desc_data),
        .dma_act_ce(dma_act_ce), .dma_act_we(dma_act_we), .dma_act_addr(dma_act_addr),
        .dma_act_wdata(dma_act_wdata), .dma_w_we(dma_w_we), .dma_w_addr(dma_w_addr),
        .dma_w_wdata(dma_w_wdata),
        .act_ce(act_ce), .act_we(act_we), .act_addr(act_addr), .act_wdata(act_wdata),
        .act_rdata(act_rdata), .act_bank_ce(act_bank_active),
        .w_ce(w_ce), .w_we(w_we), .w_addr(w_addr), .w_wdata(w_wdata),
        .w_rdata(w_rdata), .w_bank_ce(w_bank_active),
        .act_pgood(act_pgood), .act_iso(act_iso), .act_ret(act_ret),
        .w_pgood(w_pgood), .w_iso(w_iso), .w_ret(w_ret),
        .pe_pgood(pe_pgood), .pe_iso(pe_iso), .pe_rst_n(pe_rst_n),
        .pe_active(pe_active), .pe_ld(pe_ld), .pe_init(pe_init), .pe_max(pe_max),
        .pe_x(pe_x), .pe_w(pe_w), .pe_init_val(pe_init_val), .pe_acc(pe_acc));

    pf_dma #(.ROWS(ROWS), .COLS(COLS), .AAW(AAW), .WAW(WAW)) u_dma (
        .clk(clk), .rst_n(rst_n),
        .cmd_valid(cmd_valid), .cmd_kind(cmd_kind), .cmd_ext(cmd_ext),
        .cmd_base(cmd_base), .cmd_words(cmd_words), .cmd_done(cmd_done),
        .desc_valid(desc_valid), .desc_idx(desc_idx), .desc_data(desc_data),
        .act_ce(dma_act_ce), .act_we(dma_act_we), .act_addr(dma_act_addr),
        .act_wdata(dma_act_wdata), .act_rdata(act_rdata),
        .w_we(dma_w_we), .w_addr(dma_w_addr), .w_wdata(dma_w_wdata),
        .dma_req_valid(dma_req_valid), .dma_req_ready(dma_req_ready),
        .dma_req_we(dma_req_we), .dma_req_addr(dma_req_addr),
        .dma_req_wdata(dma_req_wdata), .dma_rsp_valid(dma_rsp_valid),
        .dma_rsp_rdata(dma_rsp_rdata));

    pf_sram_buffer #(.BANKS(ACT_BANKS), .BANK_WORDS(ACT_BANK_WORDS), .WIDTH(DW)) u_act_buf (
        .clk(clk), .rst_n(rst_n), .ce(act_ce), .we(act_we), .addr(act_addr),
        .wdata(act_wdata), .rdata(act_rdata), .bank_ce(act_bank_active),
        .pgood(act_pgood), .iso(act_iso), .ret(act_ret));

    pf_sram_buffer #(.BANKS(W_BANKS), .BANK_WORDS(W_BANK_WORDS), .WIDTH(WW)) u_w_buf (
        .clk(clk), .rst_n(rst_n), .ce(w_ce), .we(w_we), .addr(w_addr),
        .wdata(w_wdata), .rdata(w_rdata), .bank_ce(w_bank_active),
        .pgood(w_pgood), .iso(w_iso), .ret(w_ret));

    pf_pe_array #(.ROWS(ROWS), .COLS(COLS), .COL_GROUPS(COL_GROUPS)) u_pe_array (
        .clk(clk), .grp_ce(pe_active), .grp_rst_n(pe_rst_n), .grp_iso(pe_iso),
        .ld(pe_ld), .init(pe_init), .max_mode(pe_max), .x_in(pe_x), .w_in(pe_w),
        .init_val(pe_init_val), .acc_out(pe_acc));
endmodule

`default_nettype wire
