@BANNER@//
// @MODULE@: the sequencer's program ROM, DEPTH 32-bit words. The image is a $readmemh
// file (docs/microcode.md "ROM image"); words it does not fill read 0, an illegal word,
// so a short image cannot run into stale code. In Verilator, +pf_rom=FILE loads another
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
  integer i;
`ifdef VERILATOR
  reg [8*1024-1:0] plusarg_file;
`endif
  initial begin
    for (i = 0; i < DEPTH; i = i + 1) mem[i] = 32'h0;
`ifdef VERILATOR
    if ($value$plusargs("pf_rom=%s", plusarg_file)) $readmemh(plusarg_file, mem);
    else $readmemh(ROM_FILE, mem);
`else
    $readmemh(ROM_FILE, mem);
`endif
  end
  assign data = mem[addr];
endmodule
