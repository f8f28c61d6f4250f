#!/bin/sh
# Usage: check_yosys_map.sh YOSYS LIBERTY [STA]
# Maps a small MAC (8x8 multiplier + 20-bit accumulator with async reset, and a plain
# counter) onto the standard cells with dfflibmap + abc, then checks that only library
# cells remain (no internal $-cells, every instance a liberty cell), and prints the area.
# With STA given, also times the mapped netlist in OpenSTA (sentinel + no Error lines).
set -u
yosys=$1
liberty=$2
sta=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($liberty): $1"; [ -f "$2" ] && tail -40 "$2"; exit 1; }

cat >"$tmp/mac.v" <<'V'
module mac (input clk, input rst_n, input en, input [7:0] a, input [7:0] b,
            output reg [19:0] acc, output reg [3:0] count);
  always @(posedge clk or negedge rst_n)
    if (!rst_n) acc <= 20'd0;
    else if (en) acc <= acc + a * b;
  always @(posedge clk) count <= count + 4'd1;
endmodule
V
"$yosys" -l "$tmp/yosys.log" -p "
  read_liberty -lib $liberty
  read_verilog $tmp/mac.v
  synth -top mac
  dfflibmap -liberty $liberty
  abc -liberty $liberty
  hilomap -hicell TIEHI_X1 Y -locell TIELO_X1 Y
  opt_clean
  hierarchy -check -top mac
  select -assert-none t:\$*
  tee -q -o $tmp/stat.txt stat -liberty $liberty
  write_verilog -noattr $tmp/mac_mapped.v
" >/dev/null 2>&1 || fail "yosys mapping failed" "$tmp/yosys.log"
grep -q "ERROR" "$tmp/yosys.log" && fail "yosys reported an error" "$tmp/yosys.log"
# Every instantiated cell type must be a cell of the liberty file.
for type in $(sed -n '/Number of cells/,/Chip area/p' "$tmp/stat.txt" |
              awk 'NF == 2 && $1 !~ /:/ {print $1}' | sort -u); do
  grep -q "^  cell ($type)" "$liberty" || fail "mapped cell $type is not in the library" \
    "$tmp/yosys.log"
done
grep -q "DFFR_X1" "$tmp/mac_mapped.v" || fail "async-reset register not mapped to DFFR_X1" \
  "$tmp/yosys.log"
grep -qE "XOR2_X1|XNOR2_X1" "$tmp/mac_mapped.v" || fail "no XOR cells used" "$tmp/yosys.log"
sed -n '/Number of cells/,/Chip area/p' "$tmp/stat.txt"

if [ -n "$sta" ]; then
  cat >"$tmp/time.tcl" <<TCL
read_liberty $liberty
read_verilog $tmp/mac_mapped.v
link_design mac
create_clock -name clk -period 100 [get_ports clk]
set_false_path -from [get_ports rst_n]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports {clk rst_n}]]
set_output_delay 0 -clock clk [all_outputs]
report_checks -path_delay max -digits 4
puts "PF_STA_SENTINEL"
TCL
  "$sta" -no_init -no_splash -exit "$tmp/time.tcl" >"$tmp/sta.log" 2>&1
  grep -qE "^Error" "$tmp/sta.log" && fail "OpenSTA reported an error" "$tmp/sta.log"
  grep -qx "PF_STA_SENTINEL" "$tmp/sta.log" || fail "OpenSTA did not finish" "$tmp/sta.log"
  grep -E "data arrival time|slack" "$tmp/sta.log" | head -3
fi
echo "OK: mapped onto $liberty"
