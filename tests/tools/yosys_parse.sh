#!/bin/sh
# Parses the RTL of a file list in Yosys and checks the hierarchy is complete.
# usage: yosys_parse.sh FILELIST TOP [yosys commands to append]
set -eu
filelist=$1
top=$2
extra=${3:-}
dir=$(dirname "$filelist")
files=""
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*|'//'*) continue ;; esac
  files="$files $dir/$line"
done < "$filelist"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! yosys -q -l "$log" -p "read_verilog $files; hierarchy -check -top $top; proc; $extra" >/dev/null 2>&1; then
  cat "$log"
  echo "yosys_parse: Yosys failed on $filelist" >&2
  exit 1
fi
if grep -q "^ERROR" "$log"; then cat "$log"; exit 1; fi
echo "yosys_parse: $filelist parses, hierarchy under $top complete"
