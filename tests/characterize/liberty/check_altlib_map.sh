#!/bin/sh
# Usage: check_altlib_map.sh YOSYS STA LIBERTY
# The second-convention test library (tests/characterize/data/altlib_*.lib) must be usable
# by the real tools, not only by our reader: Yosys and OpenSTA read it without errors or
# warnings, Yosys maps an int8 MAC (8x8 multiply, 20-bit accumulate, async active-low
# reset, enable) onto it with dfflibmap + abc leaving only library cells, and OpenSTA times
# the mapped netlist (no Error line, sentinel reached; OpenSTA exits 0 even after errors).
set -u
yosys=$1
sta=$2
liberty=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($liberty): $1"; [ -f "$2" ] && tail -40 "$2"; exit 1; }

cat >"$tmp/mac.v" <<'V'
module mac (input clk, input rst_n, input en, input signed [7:0] a, input signed [7:0] b,
            output reg signed [19:0] acc);
  always @(posedge clk or negedge rst_n)
    if (!rst_n) acc <= 20'sd0;
    else if (en) acc <= acc + a * b;
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
for type in $(sed -n '/Number of cells/,/Chip area/p' "$tmp/stat.txt" |
              awk 'NF == 2 && $1 !~ /:/ {print $1}' | sort -u); do
  grep -q "^  cell ($type)" "$liberty" || fail "mapped cell $type is not in the library" \
    "$tmp/yosys.log"
done
grep -q "dffrn_x1" "$tmp/mac_mapped.v" || fail "async-reset register not mapped to dffrn_x1" \
  "$tmp/yosys.log"
sed -n '/Number of cells/,/Chip area/p' "$tmp/stat.txt"

cat >"$tmp/time.tcl" <<TCL
read_liberty $liberty
read_verilog $tmp/mac_mapped.v
link_design mac
create_clock -name clk -period 10000 [get_ports clk]
set_false_path -from [get_ports rst_n]
set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports {clk rst_n}]]
set_output_delay 0 -clock clk [all_outputs]
report_checks -path_delay max -digits 2
puts "PF_STA_SENTINEL"
TCL
"$sta" -no_init -no_splash -exit "$tmp/time.tcl" >"$tmp/sta.log" 2>&1
grep -qE "^(Error|Warning)" "$tmp/sta.log" && fail "OpenSTA reported a problem" "$tmp/sta.log"
grep -qx "PF_STA_SENTINEL" "$tmp/sta.log" || fail "OpenSTA did not finish" "$tmp/sta.log"
grep -E "data arrival time|slack" "$tmp/sta.log" | head -3
echo "OK: int8 MAC mapped onto $liberty and timed"
