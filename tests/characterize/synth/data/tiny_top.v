// tiny_top -- small 3-domain test design for characterize/synth (not part of pf_accel):
//   aon     : u_ctrl, a counter FSM that streams operands and SRAM addresses;
//   mac_grp : u_mac, LANES int8 MACs into 20-bit accumulators (its clock enable `ce`
//             fans out to every register bit: the high-fan-out net of the test);
//   bank0   : u_bank, one single-port SRAM bank (2048 x 64, blackbox in synthesis).
`default_nettype none

module tiny_top #(
    parameter LANES = 2
) (
    input  wire              clk,
    input  wire              rst_n,
    input  wire              start,
    input  wire [8*LANES-1:0] a_in,
    input  wire [8*LANES-1:0] b_in,
    input  wire              mac_rst_n,
    input  wire              mac_iso,
    input  wire              mac_pgood,
    input  wire              bank_pgood,
    input  wire              bank_iso,
    input  wire              bank_ret,
    output wire              done,
    output wire [63:0]       result
);
    wire        mac_ce, mac_clr, sram_ce, sram_we;
    wire [10:0] sram_addr;
    wire [63:0] sram_wdata, sram_rdata;
    wire [20*LANES-1:0] acc;

    tiny_ctrl #(.LANES(LANES)) u_ctrl (
        .clk(clk), .rst_n(rst_n), .start(start), .done(done),
        .mac_ce(mac_ce), .mac_clr(mac_clr), .acc(acc),
        .sram_ce(sram_ce), .sram_we(sram_we), .sram_addr(sram_addr),
        .sram_wdata(sram_wdata), .sram_rdata(bank_iso ? 64'd0 : sram_rdata), .result(result));

    tiny_mac #(.LANES(LANES)) u_mac (
        .clk(clk), .rst_n(mac_rst_n), .ce(mac_ce & mac_pgood), .clr(mac_clr), .iso(mac_iso),
        .a(a_in), .b(b_in), .acc(acc));

    tiny_sram_sp u_bank (
        .clk(clk), .ce(sram_ce), .we(sram_we), .addr(sram_addr), .wdata(sram_wdata),
        .rdata(sram_rdata), .pgood(bank_pgood), .ret(bank_ret));
endmodule

module tiny_ctrl #(
    parameter LANES = 2
) (
    input  wire              clk,
    input  wire              rst_n,
    input  wire              start,
    output reg               done,
    output wire              mac_ce,
    output wire              mac_clr,
    input  wire [20*LANES-1:0] acc,
    output wire              sram_ce,
    output wire              sram_we,
    output wire [10:0]       sram_addr,
    output wire [63:0]       sram_wdata,
    input  wire [63:0]       sram_rdata,
    output reg  [63:0]       result
);
    localparam IDLE = 2'd0, RUN = 2'd1, STORE = 2'd2, LOAD = 2'd3;
    reg [1:0]  state;
    reg [10:0] count;

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            state <= IDLE;
            count <= 11'd0;
            done <= 1'b0;
            result <= 64'd0;
        end else begin
            done <= 1'b0;
            case (state)
                IDLE: if (start) begin state <= RUN; count <= 11'd0; end
                RUN: begin
                    count <= count + 11'd1;
                    if (count == 11'd15) state <= STORE;
                end
                STORE: state <= LOAD;
                LOAD: begin
                    result <= sram_rdata ^ {result[62:0], result[63]};
                    done <= 1'b1;
                    state <= IDLE;
                end
            endcase
        end
    end

    assign mac_ce = (state == RUN);
    assign mac_clr = (state == IDLE) && start;
    assign sram_ce = (state == STORE) || (state == LOAD);
    assign sram_we = (state == STORE);
    assign sram_addr = count;
    assign sram_wdata = {{(64 - 20 * LANES) {1'b0}}, acc} + {53'd0, count};
endmodule

module tiny_mac #(
    parameter LANES = 2
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire               ce,
    input  wire               clr,
    input  wire               iso,
    input  wire [8*LANES-1:0] a,
    input  wire [8*LANES-1:0] b,
    output wire [20*LANES-1:0] acc
);
    reg [8*LANES-1:0]  a_q, b_q;
    reg [20*LANES-1:0] acc_q;
    genvar i;
    generate
        for (i = 0; i < LANES; i = i + 1) begin : g_lane
            wire signed [15:0] p = $signed(a_q[8*i +: 8]) * $signed(b_q[8*i +: 8]);
            always @(posedge clk or negedge rst_n) begin
                if (!rst_n) begin
                    a_q[8*i +: 8] <= 8'd0;
                    b_q[8*i +: 8] <= 8'd0;
                    acc_q[20*i +: 20] <= 20'd0;
                end else if (ce) begin
                    a_q[8*i +: 8] <= a[8*i +: 8];
                    b_q[8*i +: 8] <= b[8*i +: 8];
                    acc_q[20*i +: 20] <= clr ? 20'd0 : acc_q[20*i +: 20] + {{4{p[15]}}, p};
                end
            end
        end
    endgenerate
    assign acc = iso ? {20*LANES{1'b0}} : acc_q;
endmodule

`default_nettype wire
