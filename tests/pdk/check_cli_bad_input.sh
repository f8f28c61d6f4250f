#!/bin/sh
# Usage: check_cli_bad_input.sh PF_PDK_GENERATE PROCESS_TOML
# A process file whose lowest corner lies below the threshold voltage must make the
# generator exit non-zero, name file, line and field, and leave the output dir empty.
set -u
generate=$1
process=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^corners_v = \[0.60,/corners_v = [0.40,/' "$process" >"$tmp/bad.toml"
grep -q "corners_v = \[0.40," "$tmp/bad.toml" || { echo "FAIL: could not build bad input"; exit 1; }
mkdir "$tmp/out"
if "$generate" --params "$tmp/bad.toml" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"; then
  echo "FAIL: generator accepted a corner below threshold"; exit 1
fi
cat "$tmp/stderr"
grep -qE "bad.toml:[0-9]+:[0-9]+: field 'operating.corners_v\[0\]'" "$tmp/stderr" ||
  { echo "FAIL: message does not name file:line:col and field"; exit 1; }
[ -z "$(ls -A "$tmp/out")" ] || { echo "FAIL: files were written:"; ls "$tmp/out"; exit 1; }
echo "OK: rejected, nothing written"
