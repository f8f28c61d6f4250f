// pf_ctrl -- layer engine: descriptor decode, loop counters, address generation,
// requantisation, output write, domain-fault checks.
// Power domain: always-on "aon".
//
// One layer per start pulse: FETCH (descriptor via pf_dma) -> DEC0..3 (checks, derived
// sizes) -> LD_A / LD_A2 / LD_W (pf_dma loads, skipped when the word count is 0) ->
// compute -> STORE (skipped when out_dma_words is 0) -> DONE (one-cycle done pulse).
// Compute, per tile (output-channel group):
//   TILE  read the tile's parameter word              (1 cycle)
//   PARAM latch it                                     (1 cycle)
// and per output pixel, raster order:
//   MAC   one step per (ky, kx, ct) -- ADD: 2 steps -- including out-of-bounds positions,
//         which read nothing and leave the accumulator alone; the first step also loads
//         the accumulators with the bias (or -128 for MAXPOOL)     (NS cycles)
//   DRAIN wait for the 2-stage PE pipeline                        (2 cycles)
//   RQ    requantise one column per cycle, 2-stage pipeline        (NQ + 1 cycles)
//   WR    write the output word(s)                                 (NW cycles)
// so cycle counts depend only on descriptor fields (see docs/accelerator.md, Timing).
// The data buffer is only read in MAC and only written in WR: never both in one cycle.
`default_nettype none

module pf_ctrl #(
    parameter ROWS       = 8,
    parameter COLS       = 8,
    parameter COL_GROUPS = 4,
    parameter ACT_BANKS  = 4,
    parameter W_BANKS    = 4,
    parameter AAW        = 13,
    parameter WAW        = 10
) (
    input  wire                   clk,
    input  wire                   rst_n,
    input  wire                   start,
    input  wire [31:0]            desc_addr,
    output wire                   busy,
    output wire                   done,
    output wire [3:0]             err_code,
    output reg  [2:0]             phase,
    // pf_dma command interface
    output reg                    cmd_valid,
    output reg  [1:0]             cmd_kind,
    output reg  [31:0]            cmd_ext,
    output reg  [15:0]            cmd_base,
    output reg  [15:0]            cmd_words,
    input  wire                   cmd_done,
    input  wire                   desc_valid,
    input  wire [2:0]             desc_idx,
    input  wire [63:0]            desc_data,
    // pf_dma buffer requests (used during load / store)
    input  wire                   dma_act_ce,
    input  wire                   dma_act_we,
    input  wire [AAW-1:0]         dma_act_addr,
    input  wire [ROWS*8-1:0]      dma_act_wdata,
    input  wire                   dma_w_we,
    input  wire [WAW-1:0]         dma_w_addr,
    input  wire [ROWS*COLS*8-1:0] dma_w_wdata,
    // data buffer
    output wire                   act_ce,
    output wire                   act_we,
    output wire [AAW-1:0]         act_addr,
    output wire [ROWS*8-1:0]      act_wdata,
    input  wire [ROWS*8-1:0]      act_rdata,
    input  wire [ACT_BANKS-1:0]   act_bank_ce,
    // weight buffer
    output wire                   w_ce,
    output wire                   w_we,
    output wire [WAW-1:0]         w_addr,
    output wire [ROWS*COLS*8-1:0] w_wdata,
    input  wire [ROWS*COLS*8-1:0] w_rdata,
    input  wire [W_BANKS-1:0]     w_bank_ce,
    // domain status
    input  wire [ACT_BANKS-1:0]   act_pgood,
    input  wire [ACT_BANKS-1:0]   act_iso,
    input  wire [ACT_BANKS-1:0]   act_ret,
    input  wire [W_BANKS-1:0]     w_pgood,
    input  wire [W_BANKS-1:0]     w_iso,
    input  wire [W_BANKS-1:0]     w_ret,
    input  wire [COL_GROUPS-1:0]  pe_pgood,
    input  wire [COL_GROUPS-1:0]  pe_iso,
    input  wire [COL_GROUPS-1:0]  pe_rst_n,
    // PE array
    output wire [COL_GROUPS-1:0]  pe_active,
    output wire                   pe_ld,
    output wire                   pe_init,
    output wire                   pe_max,
    output wire [ROWS*8-1:0]      pe_x,
    output reg  [COLS*ROWS*8-1:0] pe_w,
    output reg  [COLS*32-1:0]     pe_init_val,
    input  wire [COLS*32-1:0]     pe_acc
);
    localparam CPW  = COLS / ROWS;        // data words per CONV output tile
    localparam GC   = COLS / COL_GROUPS;  // columns per PE group
    localparam QW   = $clog2(COLS + 1);   // requant column counter
    localparam KSW  = $clog2(COLS + 1);   // DWCONV kernel slot within a weight word
    localparam NB   = 22;                 // signed input-coordinate width
    localparam [15:0] ROWS16 = ROWS[15:0], COLS16 = COLS[15:0];

    localparam OP_CONV = 3'd1, OP_DW = 3'd2, OP_MAX = 3'd3, OP_AVG = 3'd4, OP_ADD = 3'd5;
    localparam KIND_DESC = 2'd0, KIND_LDACT = 2'd1, KIND_LDW = 2'd2, KIND_STORE = 2'd3;

    localparam S_IDLE = 5'd0,  S_FETCH = 5'd1, S_DEC0 = 5'd2,  S_DEC1 = 5'd3,
               S_DEC2 = 5'd4,  S_DEC3 = 5'd5,  S_LD_A = 5'd6,  S_LD_A2 = 5'd7,
               S_LD_W = 5'd8,  S_TILE = 5'd9,  S_PARAM = 5'd10, S_MAC = 5'd11,
               S_DRAIN = 5'd12, S_RQ = 5'd13,  S_WR = 5'd14,  S_STORE = 5'd15,
               S_DONE = 5'd16;

    // ---------------------------------------------------------------- descriptor
    reg [3:0]  op_f;
    reg [3:0]  stride, kh, kw, pad_t, pad_l;
    reg [15:0] in_h, in_w, in_c, out_c, out_h, out_w;
    reg [15:0] act_base, act2_base, out_base, w_base;
    reg [7:0]  act_min, act_max, add_wa, add_wb;
    reg [31:0] ext_act, ext_act2, ext_w, ext_out;
    reg [15:0] act_words, act2_words, w_words, out_words;
    reg [31:0] desc_ptr;

    wire [2:0] op = op_f[2:0];
    wire is_conv = (op == OP_CONV);
    wire is_max  = (op == OP_MAX);

    // ---------------------------------------------------------------- state
    reg [4:0] st, st_n;
    reg       bad_op, bad_field, fault;

    // derived at decode
    reg [15:0] cw_in, cw_out, nct, n_tiles;
    reg [7:0]  kk;
    reg [AAW-1:0] rs, pix_step, row_step, origin, delta2, pl_off;
    reg [WAW-1:0] tile_words;
    reg [COL_GROUPS-1:0] grp_used;

    // tile loop
    reg [15:0] t, ch_base, tw_base;
    reg [WAW-1:0] w_tile;
    reg [AAW-1:0] out_tile;
    // pixel loop
    reg [15:0] oy, ox;
    reg signed [NB-1:0] iy0, ix0;
    reg [AAW-1:0] row_ptr, pix_ptr, pix_out;
    // step loop
    reg [3:0]  ky, kx;
    reg [15:0] ct;
    reg [AAW-1:0] kyoff, kxoff;
    reg [WAW-1:0] wptr;
    reg [KSW-1:0] ks;
    // pipeline / requant / write
    reg            s1_ld, s1_sel;
    reg [KSW-1:0]  s1_ks;
    reg [ROWS*COLS*8-1:0] param_q;
    reg [QW-1:0]   q;
    reg [1:0]      dcnt;
    reg [15:0]     wcnt;
    reg            rq_v, rq_zero;
    reg [QW-1:0]   rq_idx;
    reg signed [47:0] rq_prod;
    reg [7:0]      rq_sh;
    reg [COLS*8-1:0] out_word;

    // kk zero-extended once, so the weight-address arithmetic below can take its low WAW
    // bits even when the weight buffer is smaller than 256 words (WAW < 8).
    wire [15:0] kk16     = {8'd0, kk};
    wire [15:0] kk_tiles = ceil_div_cols(kk16);   // DWCONV weight words per tile - 1
    wire unused_kk_tiles = &{1'b0, kk_tiles};           // only WAW bits needed
    wire [15:0] nq = is_conv ? COLS[15:0] : ROWS[15:0];
    wire [15:0] nw = is_conv ? CPW[15:0] : 16'd1;

    // ---------------------------------------------------------------- decode checks
    wire op_ok = (op_f >= 4'd1) && (op_f <= 4'd5);
    wire field_bad =
        (stride == 4'd0) || (kh == 4'd0) || (kw == 4'd0) ||
        (in_h == 16'd0) || (in_w == 16'd0) || (in_c == 16'd0) ||
        (out_c == 16'd0) || (out_h == 16'd0) || (out_w == 16'd0) ||
        (!is_conv && (in_c != out_c)) ||
        ((op == OP_ADD) && ((kh != 4'd1) || (kw != 4'd1) || (stride != 4'd1) ||
                            (pad_t != 4'd0) || (pad_l != 4'd0) ||
                            (in_h != out_h) || (in_w != out_w)));

    // ---------------------------------------------------------------- MAC step
    wire signed [NB-1:0] iy = iy0 + $signed({{(NB-4){1'b0}}, ky});
    wire signed [NB-1:0] ix = ix0 + $signed({{(NB-4){1'b0}}, kx});
    wire inb = (iy >= 0) && (iy < $signed({{(NB-16){1'b0}}, in_h})) &&
               (ix >= 0) && (ix < $signed({{(NB-16){1'b0}}, in_w}));
    wire [AAW-1:0] ct_off = is_conv ? ct[AAW-1:0]
                          : (t[AAW-1:0] + (((op == OP_ADD) && ct[0]) ? delta2 : {AAW{1'b0}}));
    wire mac_rd   = (st == S_MAC) && inb;
    wire last_ct  = (ct == nct - 16'd1);
    wire last_kx  = (kx == kw - 4'd1);
    wire last_ky  = (ky == kh - 4'd1);
    wire last_step = last_ct && last_kx && last_ky;
    wire first_step = (ct == 16'd0) && (kx == 4'd0) && (ky == 4'd0);

    // ---------------------------------------------------------------- write step
    wire last_w     = (wcnt == nw - 16'd1);
    wire last_pix   = (ox == out_w - 16'd1) && (oy == out_h - 16'd1);
    wire last_tile  = (t == n_tiles - 16'd1);
    wire wr_valid   = (tw_base + wcnt) < cw_out;   // CONV: skip words past the tensor
    reg [ROWS*8-1:0] wr_data;
    integer i;
    always @(*) begin
        wr_data = {ROWS*8{1'b0}};
        for (i = 0; i < CPW; i = i + 1)
            if (wcnt == i[15:0])
                wr_data = out_word[ROWS*8*i +: ROWS*8];
    end

    // ---------------------------------------------------------------- buffer ports
    wire dma_act_phase = (st == S_LD_A) || (st == S_LD_A2) || (st == S_STORE);
    wire ctl_act_wr = (st == S_WR) && wr_valid;
    wire w_param_rd = (st == S_TILE) && !is_max;
    wire w_mac_rd   = mac_rd && (is_conv || (op == OP_DW));

    assign act_ce    = dma_act_phase ? dma_act_ce    : (mac_rd || ctl_act_wr);
    assign act_we    = dma_act_phase ? dma_act_we    : ctl_act_wr;
    assign act_addr  = dma_act_phase ? dma_act_addr  :
                       ctl_act_wr ? (pix_out + wcnt[AAW-1:0]) : (pix_ptr + kyoff + kxoff + ct_off);
    assign act_wdata = dma_act_phase ? dma_act_wdata : wr_data;
    assign w_ce      = (st == S_LD_W) ? dma_w_we : (w_param_rd || w_mac_rd);
    assign w_we      = (st == S_LD_W) && dma_w_we;
    assign w_addr    = (st == S_LD_W) ? dma_w_addr : (w_param_rd ? w_tile : wptr);
    assign w_wdata   = dma_w_wdata;

    // ---------------------------------------------------------------- PE array drive
    wire in_compute = (st >= S_TILE) && (st <= S_WR);
    assign pe_active = in_compute ? grp_used : {COL_GROUPS{1'b0}};
    assign pe_ld   = s1_ld;
    assign pe_init = (st == S_MAC) && first_step;
    assign pe_max  = is_max;
    assign pe_x    = act_rdata;

    // Effective weights: CONV uses the weight word as is; the other ops drive only the
    // diagonal PE (column c, lane c) with DWCONV's kernel slot, 1 (AVGPOOL) or
    // add_wa / add_wb (ADD).
    integer c;
    always @(*) begin
        pe_w = {COLS*ROWS*8{1'b0}};
        if (is_conv)
            pe_w = w_rdata;
        else
            for (c = 0; c < ROWS; c = c + 1)
                case (op)
                    OP_DW:   pe_w[8*(c*ROWS+c) +: 8] = w_rdata[8*(s1_ks*ROWS+c) +: 8];
                    OP_AVG:  pe_w[8*(c*ROWS+c) +: 8] = 8'd1;
                    OP_ADD:  pe_w[8*(c*ROWS+c) +: 8] = s1_sel ? add_wb : add_wa;
                    default: pe_w[8*(c*ROWS+c) +: 8] = 8'd0;
                endcase
        for (c = 0; c < COLS; c = c + 1)
            pe_init_val[32*c +: 32] = is_max ? 32'hFFFF_FF80 : param_q[64*c +: 32];
    end

    // ---------------------------------------------------------------- requantisation
    reg [31:0] rq_acc;
    reg [15:0] rq_scale;
    reg [7:0]  rq_shift;
    always @(*) begin
        rq_acc = 32'd0; rq_scale = 16'd0; rq_shift = 8'd0;
        for (c = 0; c < COLS; c = c + 1)
            if (q == c[QW-1:0]) begin
                rq_acc   = pe_acc[32*c +: 32];
                rq_scale = param_q[64*c + 32 +: 16];
                rq_shift = param_q[64*c + 48 +: 8];
            end
    end
    wire signed [47:0] rq_mul = $signed(rq_acc) * $signed({1'b0, rq_scale});
    // stage 2: round half up, arithmetic shift (shift >= 48 gives exactly 0), clamp
    wire signed [48:0] rq_rnd = (rq_sh == 8'd0 || rq_sh > 8'd47) ? 49'sd0
                              : (49'sd1 <<< (rq_sh[5:0] - 6'd1));
    wire signed [48:0] rq_sum = $signed({rq_prod[47], rq_prod}) + rq_rnd;
    wire signed [48:0] rq_y   = (rq_sh > 8'd47) ? 49'sd0 : (rq_sum >>> rq_sh[5:0]);
    wire signed [48:0] lo     = {{41{act_min[7]}}, act_min};
    wire signed [48:0] hi     = {{41{act_max[7]}}, act_max};
    wire signed [48:0] rq_lo  = (rq_y < lo) ? lo : rq_y;
    wire [7:0]         rq_out = (rq_lo > hi) ? act_max : rq_lo[7:0];

    // ---------------------------------------------------------------- domain faults
    wire act_acc_ok = &(~act_bank_ce | (act_pgood & ~act_iso & ~act_ret));
    wire w_acc_ok   = &(~w_bank_ce   | (w_pgood & ~w_iso & ~w_ret));
    wire pe_ok      = &(~pe_active   | (pe_pgood & ~pe_iso & pe_rst_n));

    assign busy     = (st != S_IDLE);
    assign done     = (st == S_DONE);
    assign err_code = bad_op ? 4'd1 : bad_field ? 4'd2 : fault ? 4'd3 : 4'd0;

    // ---------------------------------------------------------------- next state
    wire need_a  = (act_words != 16'd0);
    wire need_a2 = (act2_words != 16'd0);
    wire need_w  = (w_words != 16'd0);
    wire need_st = (out_words != 16'd0);
    wire [4:0] after_w  = S_TILE;
    wire [4:0] after_a2 = need_w  ? S_LD_W  : after_w;
    wire [4:0] after_a  = need_a2 ? S_LD_A2 : after_a2;
    wire [4:0] after_d  = need_a  ? S_LD_A  : after_a;

    always @(*) begin
        st_n = st;
        case (st)
            S_IDLE:  if (start) st_n = S_FETCH;
            S_FETCH: if (cmd_done) st_n = S_DEC0;
            S_DEC0:  st_n = (!op_ok || field_bad) ? S_DONE : S_DEC1;
            S_DEC1:  st_n = S_DEC2;
            S_DEC2:  st_n = S_DEC3;
            S_DEC3:  st_n = after_d;
            S_LD_A:  if (cmd_done) st_n = after_a;
            S_LD_A2: if (cmd_done) st_n = after_a2;
            S_LD_W:  if (cmd_done) st_n = after_w;
            S_TILE:  st_n = S_PARAM;
            S_PARAM: st_n = S_MAC;
            S_MAC:   if (last_step) st_n = S_DRAIN;
            S_DRAIN: if (dcnt == 2'd1) st_n = S_RQ;
            S_RQ:    if ({{(16-QW){1'b0}}, q} == nq) st_n = S_WR;
            S_WR:    if (last_w) st_n = !last_pix ? S_MAC : !last_tile ? S_TILE
                                      : need_st ? S_STORE : S_DONE;
            S_STORE: if (cmd_done) st_n = S_DONE;
            default: st_n = S_IDLE;   // S_DONE
        endcase
    end

    always @(*) begin
        case (st)
            S_FETCH, S_DEC0, S_DEC1, S_DEC2, S_DEC3: phase = 3'd1;
            S_LD_A, S_LD_A2, S_LD_W:                 phase = 3'd2;
            S_STORE:                                 phase = 3'd4;
            S_IDLE, S_DONE:                          phase = 3'd0;
            default:                                 phase = 3'd3;
        endcase
    end

    // DMA command for the state being entered (fields are stable for its duration).
    always @(*) begin
        cmd_kind = KIND_DESC; cmd_ext = desc_ptr; cmd_base = 16'd0; cmd_words = 16'd8;
        case (st)
            S_LD_A:  begin cmd_kind = KIND_LDACT; cmd_ext = ext_act;  cmd_base = act_base;  cmd_words = act_words;  end
            S_LD_A2: begin cmd_kind = KIND_LDACT; cmd_ext = ext_act2; cmd_base = act2_base; cmd_words = act2_words; end
            S_LD_W:  begin cmd_kind = KIND_LDW;   cmd_ext = ext_w;    cmd_base = w_base;    cmd_words = w_words;    end
            S_STORE: begin cmd_kind = KIND_STORE; cmd_ext = ext_out;  cmd_base = out_base;  cmd_words = out_words;  end
            default: ;
        endcase
    end

    // ---------------------------------------------------------------- sequential
    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            st <= S_IDLE; cmd_valid <= 1'b0; desc_ptr <= 32'd0;
            bad_op <= 1'b0; bad_field <= 1'b0; fault <= 1'b0;
            op_f <= 4'd0; stride <= 4'd0; kh <= 4'd0; kw <= 4'd0; pad_t <= 4'd0; pad_l <= 4'd0;
            in_h <= 16'd0; in_w <= 16'd0; in_c <= 16'd0; out_c <= 16'd0; out_h <= 16'd0; out_w <= 16'd0;
            act_base <= 16'd0; act2_base <= 16'd0; out_base <= 16'd0; w_base <= 16'd0;
            act_min <= 8'd0; act_max <= 8'd0; add_wa <= 8'd0; add_wb <= 8'd0;
            ext_act <= 32'd0; ext_act2 <= 32'd0; ext_w <= 32'd0; ext_out <= 32'd0;
            act_words <= 16'd0; act2_words <= 16'd0; w_words <= 16'd0; out_words <= 16'd0;
            cw_in <= 16'd0; cw_out <= 16'd0; nct <= 16'd0; n_tiles <= 16'd0; kk <= 8'd0;
            rs <= {AAW{1'b0}}; pix_step <= {AAW{1'b0}}; row_step <= {AAW{1'b0}};
            origin <= {AAW{1'b0}}; delta2 <= {AAW{1'b0}}; pl_off <= {AAW{1'b0}};
            tile_words <= {WAW{1'b0}}; grp_used <= {COL_GROUPS{1'b0}};
            t <= 16'd0; ch_base <= 16'd0; tw_base <= 16'd0; w_tile <= {WAW{1'b0}}; out_tile <= {AAW{1'b0}};
            oy <= 16'd0; ox <= 16'd0; iy0 <= {NB{1'b0}}; ix0 <= {NB{1'b0}};
            row_ptr <= {AAW{1'b0}}; pix_ptr <= {AAW{1'b0}}; pix_out <= {AAW{1'b0}};
            ky <= 4'd0; kx <= 4'd0; ct <= 16'd0; kyoff <= {AAW{1'b0}}; kxoff <= {AAW{1'b0}};
            wptr <= {WAW{1'b0}}; ks <= {KSW{1'b0}};
            s1_ld <= 1'b0; s1_sel <= 1'b0; s1_ks <= {KSW{1'b0}};
            param_q <= {ROWS*COLS*8{1'b0}}; q <= {QW{1'b0}}; dcnt <= 2'd0; wcnt <= 16'd0;
            rq_v <= 1'b0; rq_zero <= 1'b0; rq_idx <= {QW{1'b0}}; rq_prod <= 48'sd0; rq_sh <= 8'd0;
            out_word <= {COLS*8{1'b0}};
        end else begin
            st <= st_n;
            cmd_valid <= (st_n != st) && ((st_n == S_FETCH) || (st_n == S_LD_A) ||
                         (st_n == S_LD_A2) || (st_n == S_LD_W) || (st_n == S_STORE));
            if (busy && !act_acc_ok) fault <= 1'b1;
            if (busy && !w_acc_ok)   fault <= 1'b1;
            if (!pe_ok)              fault <= 1'b1;

            // ---- descriptor fetch / decode
            if (st == S_IDLE && start) begin
                desc_ptr <= desc_addr;
                bad_op <= 1'b0; bad_field <= 1'b0; fault <= 1'b0;
            end
            if (st == S_FETCH && desc_valid) begin
                case (desc_idx)
                    3'd0: begin
                        op_f <= desc_data[3:0]; stride <= desc_data[7:4];
                        kh <= desc_data[11:8]; kw <= desc_data[15:12];
                        pad_t <= desc_data[19:16]; pad_l <= desc_data[23:20];
                        in_h <= desc_data[47:32]; in_w <= desc_data[63:48];
                    end
                    3'd1: begin
                        in_c <= desc_data[15:0];  out_c <= desc_data[31:16];
                        out_h <= desc_data[47:32]; out_w <= desc_data[63:48];
                    end
                    3'd2: begin
                        act_base <= desc_data[15:0];  act2_base <= desc_data[31:16];
                        out_base <= desc_data[47:32]; w_base <= desc_data[63:48];
                    end
                    3'd3: begin
                        act_min <= desc_data[7:0];   act_max <= desc_data[15:8];
                        add_wa  <= desc_data[23:16]; add_wb  <= desc_data[31:24];
                        ext_act <= desc_data[63:32];
                    end
                    3'd4: begin ext_act2 <= desc_data[31:0]; ext_w <= desc_data[63:32]; end
                    3'd5: begin
                        ext_out <= desc_data[31:0];
                        act_words <= desc_data[47:32]; act2_words <= desc_data[63:48];
                    end
                    3'd6: begin w_words <= desc_data[15:0]; out_words <= desc_data[31:16]; end
                    default: ;
                endcase
            end
            if (st == S_DEC0) begin
                bad_op    <= !op_ok;
                bad_field <= op_ok && field_bad;
            end
            if (st == S_DEC1) begin
                cw_in  <= ceil_div_rows(in_c);
                cw_out <= ceil_div_rows(out_c);
                kk     <= kh * kw;
                n_tiles <= is_conv ? ceil_div_cols(out_c) : ceil_div_rows(out_c);
                delta2 <= act2_base[AAW-1:0] - act_base[AAW-1:0];
            end
            if (st == S_DEC2) begin
                rs       <= in_w[AAW-1:0] * cw_in[AAW-1:0];
                pix_step <= stride * cw_in[AAW-1:0];
                pl_off   <= pad_l * cw_in[AAW-1:0];
                nct      <= is_conv ? cw_in : (op == OP_ADD) ? 16'd2 : 16'd1;
                tile_words <= (op == OP_CONV) ? kk16[WAW-1:0] * cw_in[WAW-1:0] + {{(WAW-1){1'b0}}, 1'b1}
                            : (op == OP_DW)   ? kk_tiles[WAW-1:0] + {{(WAW-1){1'b0}}, 1'b1}
                            : is_max          ? {WAW{1'b0}} : {{(WAW-1){1'b0}}, 1'b1};
                grp_used <= groups_used(is_conv ? ((out_c > COLS16) ? COLS16 : out_c)
                                                : ((out_c > ROWS16) ? ROWS16 : out_c));
            end
            if (st == S_DEC3) begin
                row_step <= stride * rs;
                origin   <= act_base[AAW-1:0] - pad_t * rs - pl_off;
                // tile loop start
                t <= 16'd0; ch_base <= 16'd0; tw_base <= 16'd0;
                w_tile <= w_base[WAW-1:0]; out_tile <= out_base[AAW-1:0];
            end

            // ---- compute: tile start
            if (st == S_TILE) begin
                oy <= 16'd0; ox <= 16'd0;
                iy0 <= -$signed({{(NB-4){1'b0}}, pad_t});
                ix0 <= -$signed({{(NB-4){1'b0}}, pad_l});
                row_ptr <= origin; pix_ptr <= origin; pix_out <= out_tile;
            end
            if (st == S_PARAM && !is_max)
                param_q <= w_rdata;

            // ---- compute: MAC steps (counters rest at 0 outside S_MAC)
            s1_ld  <= mac_rd;
            s1_ks  <= ks;
            s1_sel <= ct[0];
            if (st == S_MAC) begin
                if (last_ct) begin
                    ct <= 16'd0;
                    if (last_kx) begin
                        kx <= 4'd0; kxoff <= {AAW{1'b0}};
                        if (!last_ky) begin ky <= ky + 4'd1; kyoff <= kyoff + rs; end
                    end else begin
                        kx <= kx + 4'd1; kxoff <= kxoff + cw_in[AAW-1:0];
                    end
                end else
                    ct <= ct + 16'd1;
                if (is_conv || ks == COLS[KSW-1:0] - 1'b1) begin
                    ks <= {KSW{1'b0}}; wptr <= wptr + 1'b1;
                end else
                    ks <= ks + 1'b1;
            end else begin
                ky <= 4'd0; kx <= 4'd0; ct <= 16'd0; kyoff <= {AAW{1'b0}}; kxoff <= {AAW{1'b0}};
                ks <= {KSW{1'b0}}; wptr <= w_tile + 1'b1;
            end

            // ---- compute: drain, requant, write
            dcnt <= (st == S_DRAIN) ? dcnt + 2'd1 : 2'd0;
            q    <= (st == S_RQ) ? q + 1'b1 : {QW{1'b0}};
            rq_v <= (st == S_RQ) && ({{(16-QW){1'b0}}, q} != nq);
            rq_idx  <= q;
            rq_zero <= ({1'b0, ch_base} + {{(17-QW){1'b0}}, q}) >= {1'b0, out_c};  // lane >= out_c
            rq_prod <= is_max ? {{16{rq_acc[31]}}, rq_acc} : rq_mul;
            rq_sh   <= is_max ? 8'd0 : rq_shift;
            if (rq_v)
                for (c = 0; c < COLS; c = c + 1)
                    if (rq_idx == c[QW-1:0])
                        out_word[8*c +: 8] <= rq_zero ? 8'd0 : rq_out;
            wcnt <= (st == S_WR && !last_w) ? wcnt + 16'd1 : 16'd0;

            if (st == S_WR && last_w) begin
                // next pixel
                pix_out <= pix_out + cw_out[AAW-1:0];
                if (ox == out_w - 16'd1) begin
                    ox <= 16'd0; ix0 <= -$signed({{(NB-4){1'b0}}, pad_l});
                    oy <= oy + 16'd1; iy0 <= iy0 + $signed({{(NB-4){1'b0}}, stride});
                    row_ptr <= row_ptr + row_step; pix_ptr <= row_ptr + row_step;
                end else begin
                    ox <= ox + 16'd1; ix0 <= ix0 + $signed({{(NB-4){1'b0}}, stride});
                    pix_ptr <= pix_ptr + pix_step;
                end
                // next tile (pixel registers are re-initialised in S_TILE)
                if (last_pix) begin
                    t <= t + 16'd1;
                    ch_base  <= ch_base + nq;
                    tw_base  <= tw_base + nw;
                    w_tile   <= w_tile + tile_words;
                    out_tile <= out_tile + nw[AAW-1:0];
                end
            end
        end
    end

    // ---------------------------------------------------------------- helpers
    function [15:0] ceil_div_rows;
        input [15:0] x;
        ceil_div_rows = x / ROWS16 + {15'd0, (x % ROWS16) != 16'd0};
    endfunction
    function [15:0] ceil_div_cols;
        input [15:0] x;
        ceil_div_cols = x / COLS16 + {15'd0, (x % COLS16) != 16'd0};
    endfunction
    // group g is used when it holds a column below the number of active columns
    function [COL_GROUPS-1:0] groups_used;
        input [15:0] ncols;
        integer g;
        for (g = 0; g < COL_GROUPS; g = g + 1)
            groups_used[g] = (g * GC) < ncols;
    endfunction
endmodule

`default_nettype wire
