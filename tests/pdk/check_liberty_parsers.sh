#!/bin/sh
# Usage: check_liberty_parsers.sh YOSYS STA LIBERTY
# Both liberty parsers must accept LIBERTY: Yosys `read_liberty -lib` with exit status 0 and
# no ERROR/Warning, and OpenSTA `read_liberty` with no Error/Warning line and the sentinel
# printed (OpenSTA exits 0 even after errors, see ../shared/TOOLCHAIN.md). OpenSTA must
# also see as many cells as the file declares.
set -u
yosys=$1
sta=$2
liberty=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($liberty): $1"; [ -f "$2" ] && cat "$2"; exit 1; }

if ! "$yosys" -q -l "$tmp/yosys.log" -p "read_liberty -lib $liberty" >/dev/null 2>&1; then
  fail "yosys read_liberty -lib exited non-zero" "$tmp/yosys.log"
fi
grep -qiE "ERROR|Warning" "$tmp/yosys.log" && fail "yosys reported a problem" "$tmp/yosys.log"

cells=$(grep -cE "^  cell \(" "$liberty")
cat >"$tmp/read.tcl" <<TCL
read_liberty $liberty
puts "PF_CELLS [llength [get_lib_cells */*]]"
puts "PF_STA_SENTINEL"
TCL
"$sta" -no_init -no_splash -exit "$tmp/read.tcl" >"$tmp/sta.log" 2>&1
grep -qE "^(Error|Warning)" "$tmp/sta.log" && fail "OpenSTA reported a problem" "$tmp/sta.log"
grep -qx "PF_STA_SENTINEL" "$tmp/sta.log" || fail "OpenSTA did not reach the sentinel" "$tmp/sta.log"
grep -qx "PF_CELLS $cells" "$tmp/sta.log" || fail "OpenSTA cell count differs from $cells" "$tmp/sta.log"
echo "OK: $liberty parses in Yosys and OpenSTA ($cells cells)"
