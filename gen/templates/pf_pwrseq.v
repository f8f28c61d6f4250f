@BANNER@//
// pf_pwrseq: the power sequencer. Runs the microcode in its ROM (docs/microcode.md) and
// drives, for each of NDOM switchable domains, a one-hot rail select onto R shared rails,
// the switch enable, isolation, reset and retention; the clock divider select; and the
// datapath's start/desc_addr handshake. Lives in the always-on domain.
//
// Structure: a program FSM that executes one instruction per cycle (blocking ones stay
// on their pc), one small FSM per domain that runs the ordered steps of a power change on
// its own (so domains change in parallel, as the scheduler assumes), and a chain engine
// that starts a layer's descriptors back to back. Every output is a flip-flop.
//
// Safety: every instruction is checked against the current state before it acts; an
// illegal word or use, a power-good timeout, a power-good lost by a powered domain or a
// datapath error puts the sequencer in its terminal error state (every domain isolated,
// datapath never started again). The rules are assertions at the end of this file, proven
// by k-induction for any ROM contents (tests/gen, docs/microcode.md "Proofs").
module @MODULE@ #(
    parameter integer R          = @R@,           // shared supply rails, 1..8
    parameter integer NDOM       = @NDOM@,        // switchable domains, 1..32
    parameter integer NDIV       = @NDIV@,        // clock divider settings, 1..8 (0 = fastest)
    parameter integer DEPTH      = @DEPTH@,       // ROM words, 2..65536
    parameter integer PG_TIMEOUT = @PG_TIMEOUT@,  // cycles a power-good may take, 1..65535
    // Domains with a retention mode (SRAM banks).
    parameter [NDOM-1:0] HAS_RET = @HAS_RET@,
    // DIV_MIN[(d*R + r)*4 +: 4]: the smallest divider index at which domain d may run on
    // rail r (its fmax at that voltage); 15 = never.
    parameter [NDOM*R*4-1:0] DIV_MIN = @DIV_MIN@,
    // Derived: the ROM address width. Not meant to be overridden.
    parameter integer AW = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire              clk,
    input  wire              rst_n,
    // ROM
    output wire [AW-1:0]     rom_addr,
    input  wire [31:0]       rom_data,
    // power control, per domain d: dom_rail[d*R +: R] one-hot rail select
    output reg  [NDOM*R-1:0] dom_rail,
    output reg  [NDOM-1:0]   dom_sw,     // header switch closed (= a rail is selected)
    output reg  [NDOM-1:0]   dom_iso,    // isolation enable, outputs clamped
    output reg  [NDOM-1:0]   dom_rst_n,  // domain reset, active low
    output reg  [NDOM-1:0]   dom_ret,    // retention request (banks)
    input  wire [NDOM-1:0]   dom_pgood,  // switch acknowledge / power good
    // clock generator
    output reg  [2:0]        div_sel,    // divider index, 0 = fastest
    output reg               clk_stop,   // datapath clock may stop (sleeping)
    // datapath handshake
    output reg               start,
    output reg  [31:0]       desc_addr,
    input  wire              done,
    input  wire [3:0]        dp_err,
    // period timer
    input  wire              tick,
    // status
    output reg               err,
    output reg  [2:0]        err_cause,  // 1 encoding, 2 use, 3 pgood timeout, 4 pgood lost, 5 datapath
    output reg               halted,
    output reg               overrun     // a period tick came while the previous one was pending
);

  // ---- encodings ----------------------------------------------------------------------
  localparam [3:0] OP_PWR_ON = 4'h1, OP_PWR_OFF = 4'h2, OP_RET = 4'h3, OP_RAIL = 4'h4,
                   OP_SETTLE = 4'h5, OP_DIV = 4'h6, OP_WAIT = 4'h7, OP_DESC = 4'h8,
                   OP_NEED = 4'h9, OP_RUN = 4'hA, OP_SYNC = 4'hB, OP_SLEEP = 4'hC,
                   OP_JUMP = 4'hD, OP_HALT = 4'hE;
  // Domain FSM states. Stable: OFF, ON, RET.
  localparam [2:0] D_OFF = 3'd0, D_WAKE = 3'd1, D_READY = 3'd2, D_ON = 3'd3, D_ISO = 3'd4,
                   D_RETIN = 3'd5, D_RET = 3'd6, D_BREAK = 3'd7;
  localparam [1:0] G_OFF = 2'd0, G_RET = 2'd1, G_RAIL = 2'd2;
  localparam [2:0] M_EXEC = 3'd0, M_WAIT = 3'd1, M_SYNC = 3'd2, M_HALT = 3'd3, M_ERR = 3'd4;
  localparam [2:0] E_ENC = 3'd1, E_USE = 3'd2, E_TIMEOUT = 3'd3, E_LOST = 3'd4, E_DP = 3'd5;
  localparam [31:0] NDOM_U = NDOM, R_U = R, NDIV_U = NDIV, DEPTH_U = DEPTH;
  localparam [15:0] TIMEOUT = PG_TIMEOUT[15:0];
  localparam [AW-1:0] PC_ONE = 1;

  // ---- state --------------------------------------------------------------------------
  reg  [2:0]        mode;
  reg  [AW-1:0]     pc;
  reg  [23:0]       wait_left;
  reg  [27:0]       desc_base;  // 8-byte units
  reg  [31:0]       need;
  reg               busy;       // a descriptor chain is running
  reg  [23:0]       chain_left;
  reg  [NDOM-1:0]   chain_need;
  reg               tick_pending;
  reg  [NDOM*3-1:0] dst;
  reg  [NDOM*3-1:0] drail;
  reg  [NDOM*3-1:0] dnew;
  reg  [NDOM*2-1:0] dgoal;
  reg  [NDOM*16-1:0] dcnt;

  assign rom_addr = pc;

  function automatic [R-1:0] onehot(input [2:0] rail);
    integer r;
    begin
      onehot = {R{1'b0}};
      for (r = 0; r < R; r = r + 1) if ({29'd0, rail} == r) onehot[r] = 1'b1;
    end
  endfunction

  function automatic [3:0] div_min_at(input integer dom, input [2:0] rail);
    integer r;
    begin
      div_min_at = 4'd15;
      for (r = 0; r < R; r = r + 1)
        if ({29'd0, rail} == r) div_min_at = DIV_MIN[(dom*R+r)*4+:4];
    end
  endfunction

  // ---- decode -------------------------------------------------------------------------
  wire [3:0]  op = rom_data[31:28];
  wire [4:0]  f_dom = rom_data[27:23];
  wire [2:0]  f_rail = rom_data[22:20];
  wire [31:0] f_dom_u = {27'd0, f_dom};
  wire [31:0] f_rail_u = {29'd0, f_rail};
  wire [31:0] f_div_u = {29'd0, rom_data[2:0]};
  wire [31:0] f_jump_u = {16'd0, rom_data[15:0]};
  wire [31:0] pc_u = {{(32 - AW) {1'b0}}, pc};

  // The addressed domain's state, rail and retention capability (a mux over domains).
  reg [2:0] a_state, a_rail;
  reg       a_has_ret, a_in_chain;
  integer   da;
  always @(*) begin
    a_state = D_OFF;
    a_rail = 3'd0;
    a_has_ret = 1'b0;
    a_in_chain = 1'b0;
    for (da = 0; da < NDOM; da = da + 1)
      if (f_dom_u == da) begin
        a_state = dst[da*3+:3];
        a_rail = drail[da*3+:3];
        a_has_ret = HAS_RET[da];
        a_in_chain = busy && chain_need[da];
      end
  end

  // Per-domain summaries the instructions check.
  reg [NDOM-1:0] is_on, is_stable, too_fast_for_div;
  integer db;
  always @(*) begin
    for (db = 0; db < NDOM; db = db + 1) begin
      is_on[db] = dst[db*3+:3] == D_ON;
      is_stable[db] = dst[db*3+:3] == D_OFF || dst[db*3+:3] == D_ON || dst[db*3+:3] == D_RET;
      // Would DIV to rom_data[2:0] clock a functional (or about to be) domain too fast?
      too_fast_for_div[db] = (dst[db*3+:3] == D_ON || dst[db*3+:3] == D_READY) &&
                             div_min_at(db, drail[db*3+:3]) > {1'b0, rom_data[2:0]};
    end
  end

  // Is the word a legal encoding for these parameters?
  reg enc_ok;
  always @(*) begin
    case (op)
      OP_PWR_ON, OP_RAIL: enc_ok = rom_data[19:0] == 20'd0 && f_dom_u < NDOM_U && f_rail_u < R_U;
      OP_PWR_OFF, OP_RET: enc_ok = rom_data[22:0] == 23'd0 && f_dom_u < NDOM_U;
      OP_DIV:             enc_ok = rom_data[27:3] == 25'd0 && f_div_u < NDIV_U;
      OP_WAIT:            enc_ok = rom_data[27:24] == 4'd0;
      OP_DESC:            enc_ok = 1'b1;
      OP_NEED:
      enc_ok = rom_data[26:16] == 11'd0 &&
               ((rom_data[27] ? {rom_data[15:0], 16'd0} : {16'd0, rom_data[15:0]}) &
                ~((NDOM_U >= 32) ? 32'hffffffff : ((32'd1 << NDOM_U) - 32'd1))) == 32'd0;
      OP_RUN:             enc_ok = rom_data[26:24] == 3'd0 && rom_data[23:0] != 24'd0;
      OP_SLEEP:           enc_ok = rom_data[27:1] == 27'd0;
      OP_JUMP:            enc_ok = rom_data[27:16] == 12'd0 && f_jump_u < DEPTH_U;
      OP_SETTLE, OP_SYNC, OP_HALT: enc_ok = rom_data[27:0] == 28'd0;
      default:            enc_ok = 1'b0;
    endcase
  end

  // Does the instruction finish this cycle (pc moves on), and is its use legal now?
  reg completes, use_ok;
  wire need_ready = &(~need[NDOM-1:0] | is_on);
  wire at_last = pc_u == DEPTH_U - 32'd1;
  always @(*) begin
    completes = 1'b1;
    use_ok = 1'b1;
    case (op)
      OP_PWR_ON:  use_ok = a_state == D_OFF || a_state == D_RET;
      OP_PWR_OFF: use_ok = (a_state == D_ON && !a_in_chain) || a_state == D_RET;
      OP_RET:     use_ok = a_state == D_ON && !a_in_chain && a_has_ret;
      OP_RAIL:    use_ok = a_state == D_ON && !a_in_chain && a_rail != f_rail;
      OP_SETTLE:  completes = &is_stable;
      OP_DIV:     use_ok = !busy && ~|too_fast_for_div;
      OP_RUN:     use_ok = !busy && need_ready;
      OP_SYNC:    completes = !busy;
      OP_SLEEP: begin
        use_ok = !busy;
        completes = tick_pending;
      end
      default: ;
    endcase
    // Running off the end of the ROM is an illegal use of the last word.
    if (completes && op != OP_JUMP && op != OP_HALT && at_last) use_ok = 1'b0;
  end

  wire exec = mode == M_EXEC;
  wire bad_enc = exec && !enc_ok;
  wire bad_use = exec && enc_ok && !use_ok;
  wire act = exec && enc_ok && use_ok;  // the instruction takes effect this cycle
  wire cmd_on = act && op == OP_PWR_ON;
  wire cmd_off = act && op == OP_PWR_OFF;
  wire cmd_ret = act && op == OP_RET;
  wire cmd_rail = act && op == OP_RAIL;
  wire run_fire = act && op == OP_RUN;
  wire sleep_take = act && op == OP_SLEEP && tick_pending;

  // ---- domain FSMs --------------------------------------------------------------------
  reg [NDOM*3-1:0] dst_n, drail_n, dnew_n;
  reg [NDOM*2-1:0] dgoal_n;
  reg [NDOM*16-1:0] dcnt_n;
  reg [NDOM*R-1:0] rail_n;
  reg [NDOM-1:0] sw_n, iso_n, rstn_n, ret_n;
  reg timeout_any, lost_any;
  integer d;
  always @(*) begin
    dst_n = dst;
    drail_n = drail;
    dnew_n = dnew;
    dgoal_n = dgoal;
    dcnt_n = dcnt;
    rail_n = dom_rail;
    sw_n = dom_sw;
    iso_n = dom_iso;
    rstn_n = dom_rst_n;
    ret_n = dom_ret;
    timeout_any = 1'b0;
    lost_any = 1'b0;
    for (d = 0; d < NDOM; d = d + 1) begin
      case (dst[d*3+:3])
        D_OFF, D_RET:
        if (cmd_on && f_dom_u == d) begin
          // Close the switch onto the rail; isolation and reset (or retention) stay on.
          dst_n[d*3+:3] = D_WAKE;
          drail_n[d*3+:3] = f_rail;
          rail_n[d*R+:R] = onehot(f_rail);
          sw_n[d] = 1'b1;
          dcnt_n[d*16+:16] = 16'd0;
        end else if (cmd_off && f_dom_u == d) begin
          // Retention -> off: the data is dead; drop the retention supply (switch is open).
          dst_n[d*3+:3] = D_OFF;
          ret_n[d] = 1'b0;
          rstn_n[d] = 1'b0;
        end
        D_WAKE:
        if (dom_pgood[d]) begin
          // Powered: release reset and retention, keep isolating until the clock is safe.
          dst_n[d*3+:3] = D_READY;
          rstn_n[d] = 1'b1;
          ret_n[d] = 1'b0;
          dcnt_n[d*16+:16] = 16'd0;
        end else if (dcnt[d*16+:16] == TIMEOUT) timeout_any = 1'b1;
        else dcnt_n[d*16+:16] = dcnt[d*16+:16] + 16'd1;
        D_READY:
        if (!dom_pgood[d]) lost_any = 1'b1;
        else if (div_min_at(d, drail[d*3+:3]) <= {1'b0, div_sel}) begin
          dst_n[d*3+:3] = D_ON;
          iso_n[d] = 1'b0;
        end
        D_ON:
        if (!dom_pgood[d]) lost_any = 1'b1;
        else if ((cmd_off || cmd_ret || cmd_rail) && f_dom_u == d) begin
          dst_n[d*3+:3] = D_ISO;
          iso_n[d] = 1'b1;
          dgoal_n[d*2+:2] = cmd_off ? G_OFF : (cmd_ret ? G_RET : G_RAIL);
          dnew_n[d*3+:3] = f_rail;
        end
        D_ISO:
        case (dgoal[d*2+:2])
          G_OFF: begin
            dst_n[d*3+:3] = D_OFF;
            rail_n[d*R+:R] = {R{1'b0}};
            sw_n[d] = 1'b0;
            rstn_n[d] = 1'b0;
          end
          G_RET: begin
            dst_n[d*3+:3] = D_RETIN;
            ret_n[d] = 1'b1;
          end
          default: begin  // break: open the old rail's switch first
            dst_n[d*3+:3] = D_BREAK;
            rail_n[d*R+:R] = {R{1'b0}};
            sw_n[d] = 1'b0;
            dcnt_n[d*16+:16] = 16'd0;
          end
        endcase
        D_RETIN: begin
          dst_n[d*3+:3] = D_RET;
          rail_n[d*R+:R] = {R{1'b0}};
          sw_n[d] = 1'b0;
        end
        default:  // D_BREAK: make only once the old supply's power-good has dropped
        if (!dom_pgood[d]) begin
          dst_n[d*3+:3] = D_WAKE;
          drail_n[d*3+:3] = dnew[d*3+:3];
          rail_n[d*R+:R] = onehot(dnew[d*3+:3]);
          sw_n[d] = 1'b1;
          dcnt_n[d*16+:16] = 16'd0;
        end else if (dcnt[d*16+:16] == TIMEOUT) timeout_any = 1'b1;
        else dcnt_n[d*16+:16] = dcnt[d*16+:16] + 16'd1;
      endcase
    end
  end

  // ---- chain engine -------------------------------------------------------------------
  reg busy_n, start_n;
  reg [23:0] chain_left_n;
  reg [31:0] desc_addr_n;
  reg [NDOM-1:0] chain_need_n;
  reg dp_fault;
  always @(*) begin
    busy_n = busy;
    start_n = 1'b0;
    chain_left_n = chain_left;
    desc_addr_n = desc_addr;
    chain_need_n = chain_need;
    dp_fault = 1'b0;
    if (run_fire) begin
      busy_n = 1'b1;
      start_n = 1'b1;
      chain_left_n = rom_data[23:0];
      desc_addr_n = {1'b0, desc_base, 3'd0};
      chain_need_n = need[NDOM-1:0];
    end else if (busy && !start && done) begin
      if (dp_err != 4'd0) dp_fault = 1'b1;
      else if (chain_left == 24'd1) busy_n = 1'b0;
      else begin
        chain_left_n = chain_left - 24'd1;
        desc_addr_n = desc_addr + 32'd64;
        start_n = 1'b1;
      end
    end
  end

  // ---- error --------------------------------------------------------------------------
  wire live = mode != M_ERR;
  wire go_err = live && (bad_enc || bad_use || timeout_any || lost_any || dp_fault);
  wire [2:0] cause = bad_enc ? E_ENC : bad_use ? E_USE : timeout_any ? E_TIMEOUT :
                     lost_any ? E_LOST : E_DP;

  // ---- program FSM --------------------------------------------------------------------
  reg [2:0] mode_n;
  reg [AW-1:0] pc_n;
  reg [23:0] wait_left_n;
  reg [27:0] desc_base_n;
  reg [31:0] need_n;
  reg [2:0] div_sel_n;
  reg clk_stop_n;
  always @(*) begin
    mode_n = mode;
    pc_n = pc;
    wait_left_n = wait_left;
    desc_base_n = desc_base;
    need_n = need;
    div_sel_n = div_sel;
    clk_stop_n = clk_stop;
    case (mode)
      M_EXEC:
      if (act) begin
        if (completes) pc_n = pc + PC_ONE;
        case (op)
          OP_DIV:   div_sel_n = rom_data[2:0];
          OP_DESC:  desc_base_n = rom_data[27:0];
          OP_NEED:
          if (rom_data[27]) need_n[31:16] = rom_data[15:0];
          else need_n[15:0] = rom_data[15:0];
          OP_WAIT:
          if (rom_data[23:0] != 24'd0) begin
            mode_n = M_WAIT;
            pc_n = pc;
            wait_left_n = rom_data[23:0];
          end
          OP_RUN:   if (rom_data[27]) mode_n = M_SYNC;
          OP_SLEEP: clk_stop_n = !tick_pending && rom_data[0];
          OP_JUMP:  pc_n = rom_data[AW-1:0];
          OP_HALT: begin
            mode_n = M_HALT;
            pc_n = pc;
          end
          default: ;
        endcase
      end
      M_WAIT:
      if (wait_left == 24'd1) begin
        mode_n = M_EXEC;
        pc_n = pc + PC_ONE;
      end else wait_left_n = wait_left - 24'd1;
      M_SYNC: if (!busy) mode_n = M_EXEC;
      default: ;  // M_HALT, M_ERR
    endcase
  end

  // ---- registers ----------------------------------------------------------------------
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      // Safe reset state: every domain isolated, in reset, off; slowest clock.
      mode <= M_EXEC;
      pc <= {AW{1'b0}};
      wait_left <= 24'd0;
      desc_base <= 28'd0;
      need <= 32'd0;
      busy <= 1'b0;
      chain_left <= 24'd0;
      chain_need <= {NDOM{1'b0}};
      dst <= {NDOM{D_OFF}};
      drail <= {NDOM * 3{1'b0}};
      dnew <= {NDOM * 3{1'b0}};
      dgoal <= {NDOM * 2{1'b0}};
      dcnt <= {NDOM * 16{1'b0}};
      dom_rail <= {NDOM * R{1'b0}};
      dom_sw <= {NDOM{1'b0}};
      dom_iso <= {NDOM{1'b1}};
      dom_rst_n <= {NDOM{1'b0}};
      dom_ret <= {NDOM{1'b0}};
      div_sel <= NDIV_U[2:0] - 3'd1;
      clk_stop <= 1'b0;
      start <= 1'b0;
      desc_addr <= 32'd0;
      err <= 1'b0;
      err_cause <= 3'd0;
      halted <= 1'b0;
    end else if (!live || go_err) begin
      // Terminal error: isolate everything, never start the datapath, keep the clock.
      mode <= M_ERR;
      err <= 1'b1;
      if (live) err_cause <= cause;
      dom_iso <= {NDOM{1'b1}};
      start <= 1'b0;
      busy <= 1'b0;
      clk_stop <= 1'b0;
    end else begin
      mode <= mode_n;
      pc <= pc_n;
      wait_left <= wait_left_n;
      desc_base <= desc_base_n;
      need <= need_n;
      busy <= busy_n;
      chain_left <= chain_left_n;
      chain_need <= chain_need_n;
      dst <= dst_n;
      drail <= drail_n;
      dnew <= dnew_n;
      dgoal <= dgoal_n;
      dcnt <= dcnt_n;
      dom_rail <= rail_n;
      dom_sw <= sw_n;
      dom_iso <= iso_n;
      dom_rst_n <= rstn_n;
      dom_ret <= ret_n;
      div_sel <= div_sel_n;
      clk_stop <= clk_stop_n;
      start <= start_n;
      desc_addr <= desc_addr_n;
      halted <= mode_n == M_HALT;
    end
  end

  // The period tick is latched whatever the program does, so a late SLEEP still sees it.
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      tick_pending <= 1'b0;
      overrun <= 1'b0;
    end else begin
      tick_pending <= (tick_pending && !sleep_take) || tick;
      overrun <= overrun || (tick && tick_pending && !sleep_take);
    end
  end

  // ---- safety rules ---------------------------------------------------------------------
  // Immediate assertions in a clocked block: the subset both Verilator (--assert) and
  // Yosys (read_verilog -formal) accept. p_* hold the previous cycle's values; the rules
  // about a change are checked only when no reset came since that cycle (p_rst_n).
`ifdef FORMAL
`define PF_PWRSEQ_CHECKS
`endif
`ifdef VERILATOR
`define PF_PWRSEQ_CHECKS
`endif
`ifdef PF_PWRSEQ_CHECKS
  reg f_past_valid = 1'b0;
  reg p_rst_n;  // the previous edge was out of reset (reset like the design, no sync use)
  always @(posedge clk or negedge rst_n)
    if (!rst_n) p_rst_n <= 1'b0;
    else p_rst_n <= 1'b1;
  reg p_busy, p_timeout, p_lost;
  reg [NDOM*R-1:0] p_rail;
  reg [NDOM-1:0] p_sw, p_iso, p_rst, p_ret, p_pgood;
  reg [2:0] p_div;
  always @(posedge clk) begin
    f_past_valid <= 1'b1;
    p_busy <= busy;
    p_timeout <= live && timeout_any;
    p_lost <= live && lost_any;
    p_rail <= dom_rail;
    p_sw <= dom_sw;
    p_iso <= dom_iso;
    p_rst <= dom_rst_n;
    p_ret <= dom_ret;
    p_pgood <= dom_pgood;
    p_div <= div_sel;
  end
  wire f_step = f_past_valid && p_rst_n;  // this cycle follows a cycle out of reset

  // In reset every register holds its reset value, for which every rule below holds.
  integer fd, fr;
  always @(posedge clk) begin
    begin
      for (fd = 0; fd < NDOM; fd = fd + 1) begin
        // (a) never two rails on one domain; the switch is closed iff a rail is selected
        assert ($onehot0(dom_rail[fd*R+:R]));
        assert (dom_sw[fd] == |dom_rail[fd*R+:R]);
        // (a) break-before-make: the selected rail never changes while the switch is closed
        if (f_step && p_sw[fd] && dom_sw[fd]) assert (dom_rail[fd*R+:R] == p_rail[fd*R+:R]);
        // (b) a domain whose switch is open is isolated; isolation goes on before the
        // switch opens and comes off only after power-good; reset is released after it
        assert (dom_sw[fd] || dom_iso[fd]);
        if (f_step && p_sw[fd] && !dom_sw[fd]) assert (p_iso[fd]);
        if (f_step && p_iso[fd] && !dom_iso[fd]) assert (p_pgood[fd] && p_sw[fd]);
        if (f_step && !p_rst[fd] && dom_rst_n[fd]) assert (p_pgood[fd]);
        // (c) no layer starts, and none runs, while a domain it needs is off, waking,
        // isolated, in reset or in retention
        if (start && chain_need[fd]) begin
          assert (dom_sw[fd] && !dom_iso[fd] && !dom_ret[fd] && dom_rst_n[fd]);
          if (f_step) assert (p_pgood[fd]);
        end
        if (busy && chain_need[fd])
          assert (dom_sw[fd] && !dom_iso[fd] && !dom_ret[fd] && dom_rst_n[fd]);
        // (d) a bank in retention is isolated and not accessed; it enters retention
        // before its periphery switch opens
        if (dom_ret[fd]) assert (dom_iso[fd] && !(busy && chain_need[fd]));
        if (f_step && p_sw[fd] && !dom_sw[fd] && dom_ret[fd]) assert (p_ret[fd]);
        // (e) DVFS order: a domain out of isolation is never clocked above its fmax at its
        // rail, so a voltage rises before the clock speeds up and the clock slows down
        // before a voltage falls
        for (fr = 0; fr < R; fr = fr + 1)
          if (dom_rail[fd*R+fr] && !dom_iso[fd]) assert (DIV_MIN[(fd*R+fr)*4+:4] <= {1'b0, div_sel});
      end
      // (e) the clock changes only between layers
      if (f_step && div_sel != p_div) assert (!p_busy);
      // (f) a power-good timeout (or a lost power-good) ends in the error state, and the
      // error state is safe
      if (f_step && (p_timeout || p_lost)) assert (err);
      if (err) assert (&dom_iso && !start && !busy);
      // reset state: every domain isolated and off, nothing started
      if (f_past_valid && !p_rst_n) assert (&dom_iso && !(|dom_sw) && !start && !err);

      // Invariants of the implementation (they make the rules above inductive).
      assert (err == (mode == M_ERR));
      assert (mode <= M_ERR);
      assert (pc_u < DEPTH_U);
      // A WAIT on the last word is refused, so a waiting pc always has a successor.
      if (mode == M_WAIT) assert (wait_left != 24'd0 && pc_u < DEPTH_U - 32'd1);
      if (busy) assert (chain_left != 24'd0);
      if (!busy) assert (!start);
      for (fd = 0; fd < NDOM; fd = fd + 1) begin
        assert ({29'd0, drail[fd*3+:3]} < R_U && {29'd0, dnew[fd*3+:3]} < R_U);
        assert (dcnt[fd*16+:16] <= TIMEOUT && dgoal[fd*2+:2] != 2'd3);
        if (busy && chain_need[fd]) assert (dst[fd*3+:3] == D_ON);
        if (dst[fd*3+:3] == D_ON) assert (div_min_at(fd, drail[fd*3+:3]) <= {1'b0, div_sel});
        case (dst[fd*3+:3])
          D_OFF:
          assert (dom_rail[fd*R+:R] == {R{1'b0}} && dom_iso[fd] && !dom_rst_n[fd] && !dom_ret[fd]);
          D_WAKE: assert (dom_rail[fd*R+:R] == onehot(drail[fd*3+:3]) && dom_iso[fd]);
          D_READY:
          assert (dom_rail[fd*R+:R] == onehot(drail[fd*3+:3]) && dom_iso[fd] && dom_rst_n[fd] &&
                  !dom_ret[fd]);
          D_ON:
          assert (dom_rail[fd*R+:R] == onehot(drail[fd*3+:3]) && dom_iso[fd] == err &&
                  dom_rst_n[fd] && !dom_ret[fd]);
          D_ISO:
          assert (dom_rail[fd*R+:R] == onehot(drail[fd*3+:3]) && dom_iso[fd] && dom_rst_n[fd] &&
                  !dom_ret[fd] && (dgoal[fd*2+:2] != G_RET || HAS_RET[fd]));
          D_RETIN:
          assert (dom_rail[fd*R+:R] == onehot(drail[fd*3+:3]) && dom_iso[fd] && dom_ret[fd]);
          D_RET: assert (dom_rail[fd*R+:R] == {R{1'b0}} && dom_iso[fd] && dom_ret[fd]);
          default: assert (dom_rail[fd*R+:R] == {R{1'b0}} && dom_iso[fd] && !dom_ret[fd]);
        endcase
      end
    end
  end
`endif
endmodule
