#!/bin/sh
# Usage: check_yosys_map.sh YOSYS STA LIBERTY FLOP_CELL [CELL_REGEX]
# A liberty file must be usable by the real tools, whatever its naming convention:
# Yosys maps a small datapath (signed int8 MAC with enable and async active-low reset,
# plus a plain counter) onto it with dfflibmap + abc, leaving only library cells and
# neither errors nor warnings; the accumulator must map to FLOP_CELL, and cells matching
# CELL_REGEX (if given) must be used. OpenSTA then times the mapped netlist (no Error or
# Warning line, sentinel reached: OpenSTA exits 0 even after errors).
set -u
yosys=$1
sta=$2
liberty=$3
flop_cell=$4
cell_regex=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($liberty): $1"; [ -f "$2" ] && tail -40 "$2"; exit 1; }

cat >"$tmp/mac.v" <<'V'
module mac (input clk, input rst_n, input en, input signed [7:0] a, input signed [7:0] b,
            output reg signed [19:0] acc, output reg [3:0] count);
  always @(posedge clk or negedge rst_n)
    if (!rst_n) acc <= 20'sd0;
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
  opt_clean
  hierarchy -check -top mac
  select -assert-none t:\$*
  tee -q -o $tmp/stat.txt stat -liberty $liberty
  write_verilog -noattr $tmp/mac_mapped.v
" >/dev/null 2>&1 || fail "yosys mapping failed" "$tmp/yosys.log"
grep -qE "ERROR|^Warning" "$tmp/yosys.log" && fail "yosys reported a problem" "$tmp/yosys.log"
# Every instantiated cell type must be a cell of the liberty file.
for type in $(sed -n '/Number of cells/,/Chip area/p' "$tmp/stat.txt" |
              awk 'NF == 2 && $1 !~ /:/ {print $1}' | sort -u); do
  grep -q "^  cell ($type)" "$liberty" || fail "mapped cell $type is not in the library" \
    "$tmp/yosys.log"
done
grep -q "$flop_cell" "$tmp/mac_mapped.v" || fail "async-reset register not mapped to $flop_cell" \
  "$tmp/yosys.log"
if [ -n "$cell_regex" ]; then
  grep -qE "$cell_regex" "$tmp/mac_mapped.v" || fail "no cell matching $cell_regex used" \
    "$tmp/yosys.log"
fi
sed -n '/Number of cells/,/Chip area/p' "$tmp/stat.txt"

cat >"$tmp/time.tcl" <<TCL
read_liberty $liberty
read_verilog $tmp/mac_mapped.v
link_design mac
create_clock -name clk -period 10000 [get_ports clk]
set_false_path -from [get_ports rst_n]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports {clk rst_n}]]
set_output_delay 0 -clock clk [all_outputs]
report_checks -path_delay max -digits 4
puts "PF_STA_SENTINEL"
TCL
"$sta" -no_init -no_splash -exit "$tmp/time.tcl" >"$tmp/sta.log" 2>&1
grep -qE "^(Error|Warning)" "$tmp/sta.log" && fail "OpenSTA reported a problem" "$tmp/sta.log"
grep -qx "PF_STA_SENTINEL" "$tmp/sta.log" || fail "OpenSTA did not finish" "$tmp/sta.log"
grep -E "data arrival time|slack" "$tmp/sta.log" | head -3
echo "OK: mapped onto $liberty and timed"
