@BANNER@//
// @MODULE@: the sequencer's program ROM, DEPTH 32-bit words. The image is a $readmemh
// file (docs/microcode.md "ROM image") of DEPTH words, the program padded with 0, the
// illegal word, so a program cannot run into stale code. In Verilator, +pf_rom=FILE loads another
// image at run time without a new build.
module @MODULE@ #(
    parameter integer DEPTH = @DEPTH@,
    parameter ROM_FILE = "@ROM_FILE@",
    parameter integer AW = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire [AW-1:0] addr,
    output wire [31:0]   data
);
  reg [31:0] mem[0:DEPTH-1];
`ifdef VERILATOR
  // Simulation: an image shorter than DEPTH (a +pf_rom file) leaves the rest 0.
  integer i;
  reg [8*1024-1:0] plusarg_file;
  initial begin
    for (i = 0; i < DEPTH; i = i + 1) mem[i] = 32'h0;
    if ($value$plusargs("pf_rom=%s", plusarg_file)) $readmemh(plusarg_file, mem);
    else $readmemh(ROM_FILE, mem);
  end
`else
  // Synthesis and proofs: gen writes the image padded to DEPTH words.
  initial $readmemh(ROM_FILE, mem);
`endif
  assign data = mem[addr];
endmodule
