// pf_dma -- external-memory DMA: descriptor fetch, tensor/weight loads, output store.
// Power domain: always-on "aon".
//
// One command at a time from pf_ctrl (cmd_valid pulse, cmd_done pulse when finished):
//   KIND_DESC   read 8 beats from cmd_ext, hand each to pf_ctrl (desc_valid/idx/data);
//   KIND_LDACT  read cmd_words data words   (BPW_A beats each) into the data buffer;
//   KIND_LDW    read cmd_words weight words (BPW_W beats each) into the weight buffer;
//   KIND_STORE  read cmd_words data words from the data buffer and write them out.
// Reads: one request per cycle while dma_req_ready, with no limit on outstanding reads;
// responses (in order, never back-pressured) are counted, so every one is consumed:
// each beat goes into the assembly register and a completed word is written to the
// buffer in the next cycle, which keeps up with one beat per cycle.
`default_nettype none

module pf_dma #(
    parameter ROWS = 8,
    parameter COLS = 8,
    parameter AAW  = 13,   // data-buffer address bits
    parameter WAW  = 10    // weight-buffer address bits
) (
    input  wire                   clk,
    input  wire                   rst_n,
    // command interface (from pf_ctrl)
    input  wire                   cmd_valid,
    input  wire [1:0]             cmd_kind,
    input  wire [31:0]            cmd_ext,
    input  wire [15:0]            cmd_base,
    input  wire [15:0]            cmd_words,
    output reg                    cmd_done,
    // descriptor beats
    output wire                   desc_valid,
    output wire [2:0]             desc_idx,
    output wire [63:0]            desc_data,
    // buffer side (muxed onto the buffers by pf_ctrl)
    output wire                   act_ce,
    output wire                   act_we,
    output wire [AAW-1:0]         act_addr,
    output wire [ROWS*8-1:0]      act_wdata,
    input  wire [ROWS*8-1:0]      act_rdata,
    output wire                   w_we,
    output wire [WAW-1:0]         w_addr,
    output wire [ROWS*COLS*8-1:0] w_wdata,
    // external memory port
    output wire                   dma_req_valid,
    input  wire                   dma_req_ready,
    output wire                   dma_req_we,
    output wire [31:0]            dma_req_addr,
    output wire [63:0]            dma_req_wdata,
    input  wire                   dma_rsp_valid,
    input  wire [63:0]            dma_rsp_rdata
);
    localparam KIND_DESC = 2'd0, KIND_LDACT = 2'd1, KIND_LDW = 2'd2, KIND_STORE = 2'd3;
    localparam BPW_A = ROWS / 8;          // beats per data word
    localparam BPW_W = ROWS * COLS / 8;   // beats per weight word
    localparam ABITS = BPW_W * 64;        // assembly register (largest word)

    localparam ST_IDLE = 2'd0, ST_READ = 2'd1, ST_SRD = 2'd2, ST_SBEAT = 2'd3;

    reg [1:0]  st;
    reg [1:0]  kind;
    reg [15:0] words;
    reg [15:0] base;
    wire       unused_base = &{1'b0, base};   // only AAW / WAW low bits address a buffer
    reg [31:0] req_addr;
    reg [15:0] iss_word;      // read requests: words fully issued
    reg [15:0] iss_beat;      //               beat within the word
    reg [15:0] rsp_word;      // responses:     words fully received
    reg [15:0] rsp_beat;
    reg        wr_pend;       // assembled word waiting to be written
    reg [15:0] wr_idx;        // buffer word index of the next write / store read
    reg [ABITS-1:0] asm_q;    // read assembly / store beat source
    reg        st_lat;        // store: data-buffer read data valid this cycle

    wire [15:0] bpw = (kind == KIND_LDW) ? BPW_W[15:0] : (kind == KIND_DESC) ? 16'd1 : BPW_A[15:0];
    wire        rd_req  = (st == ST_READ) && (iss_word != words);
    wire        wr_req  = (st == ST_SBEAT) && !st_lat;
    wire        req_fire = (rd_req || wr_req) && dma_req_ready;
    wire        rsp     = (st == ST_READ) && dma_rsp_valid && (rsp_word != words);
    wire        rsp_last = rsp && (rsp_beat == bpw - 16'd1);

    assign dma_req_valid = rd_req || wr_req;
    assign dma_req_we    = wr_req;
    assign dma_req_addr  = req_addr;
    assign dma_req_wdata = asm_q[64*iss_beat[$clog2(BPW_W+1)-1:0] +: 64];

    assign desc_valid = rsp && (kind == KIND_DESC);
    assign desc_idx   = rsp_word[2:0];
    assign desc_data  = dma_rsp_rdata;

    assign act_ce    = (wr_pend && kind == KIND_LDACT) || (st == ST_SRD);
    assign act_we    = (st != ST_SRD);
    assign act_addr  = base[AAW-1:0] + wr_idx[AAW-1:0];
    assign act_wdata = asm_q[ROWS*8-1:0];
    assign w_we      = wr_pend && kind == KIND_LDW;
    assign w_addr    = base[WAW-1:0] + wr_idx[WAW-1:0];
    assign w_wdata   = asm_q[ROWS*COLS*8-1:0];

    always @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            st <= ST_IDLE; kind <= KIND_DESC; words <= 16'd0; base <= 16'd0;
            req_addr <= 32'd0; iss_word <= 16'd0; iss_beat <= 16'd0;
            rsp_word <= 16'd0; rsp_beat <= 16'd0; wr_pend <= 1'b0; wr_idx <= 16'd0;
            asm_q <= {ABITS{1'b0}}; st_lat <= 1'b0; cmd_done <= 1'b0;
        end else begin
            cmd_done <= 1'b0;
            case (st)
                ST_IDLE: if (cmd_valid) begin
                    kind <= cmd_kind; words <= cmd_words; base <= cmd_base;
                    req_addr <= cmd_ext;
                    iss_word <= 16'd0; iss_beat <= 16'd0;
                    rsp_word <= 16'd0; rsp_beat <= 16'd0; wr_idx <= 16'd0;
                    st <= (cmd_kind == KIND_STORE) ? ST_SRD : ST_READ;
                end
                ST_READ: begin
                    if (req_fire) begin
                        req_addr <= req_addr + 32'd8;
                        if (iss_beat == bpw - 16'd1) begin
                            iss_beat <= 16'd0;
                            iss_word <= iss_word + 16'd1;
                        end else
                            iss_beat <= iss_beat + 16'd1;
                    end
                    if (rsp) begin
                        asm_q[64*rsp_beat[$clog2(BPW_W+1)-1:0] +: 64] <= dma_rsp_rdata;
                        rsp_beat <= rsp_last ? 16'd0 : rsp_beat + 16'd1;
                        if (rsp_last)
                            rsp_word <= rsp_word + 16'd1;
                    end
                    // the word completed last cycle is written now (asm_q still holds it)
                    wr_pend <= rsp_last && (kind != KIND_DESC);
                    if (wr_pend)
                        wr_idx <= wr_idx + 16'd1;
                    if (rsp_word == words && !wr_pend) begin
                        st <= ST_IDLE;
                        cmd_done <= 1'b1;
                    end
                end
                ST_SRD: begin   // read one data word from the buffer (1-cycle latency)
                    st <= ST_SBEAT;
                    st_lat <= 1'b1;
                    iss_beat <= 16'd0;
                end
                default: begin  // ST_SBEAT: send BPW_A write beats
                    if (st_lat) begin
                        asm_q[ROWS*8-1:0] <= act_rdata;
                        st_lat <= 1'b0;
                    end else if (req_fire) begin
                        req_addr <= req_addr + 32'd8;
                        if (iss_beat == BPW_A[15:0] - 16'd1) begin
                            wr_idx <= wr_idx + 16'd1;
                            if (wr_idx + 16'd1 == words) begin
                                st <= ST_IDLE;
                                cmd_done <= 1'b1;
                            end else
                                st <= ST_SRD;
                        end else
                            iss_beat <= iss_beat + 16'd1;
                    end
                end
            endcase
        end
    end
endmodule

`default_nettype wire
