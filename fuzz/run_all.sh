#!/bin/sh
# Runs fuzz targets one after the other (`make fuzz`, bench/fuzz_bench.sh):
#   run_all.sh FUZZ_BUILD_FOLDER SECONDS [TARGET...]
# FUZZ_BUILD_FOLDER is the fuzz/ folder of a PF_FUZZ build tree. Each target runs for
# SECONDS with fuzz/run.sh; its whole output goes to logs/<target>.log there and its last
# lines to the terminal. Exit status 1 when any target found something.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
seconds=$2
shift 2
targets=${*:-$(cut -d' ' -f1 "$build/targets.txt")}
mkdir -p "$build/logs" "$build/tmp"
failed=""
for name in $targets; do
  dictionary=$(sed -n "s/^$name //p" "$build/targets.txt")
  if [ ! -x "$build/pf_fuzz_$name" ]; then
    echo "fuzz: no target $name in $build" >&2
    exit 2
  fi
  echo "== fuzz $name: $seconds s"
  TMPDIR="$build/tmp" sh "$here/run.sh" "$build/pf_fuzz_$name" "$seconds" "$build/seeds/$name" \
    "$here/dict/$dictionary.dict" "$build/corpus/$name" "$build/findings/$name" \
    > "$build/logs/$name.log" 2>&1
  status=$?
  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::average_exec_per_sec|^==[0-9]+==ERROR|^SUMMARY|^fuzz:' \
    "$build/logs/$name.log"
  if [ $status -ne 0 ]; then
    echo "fuzz: $name found something (exit $status): $build/logs/$name.log, $build/findings/$name/"
    failed="$failed $name"
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: findings in:$failed"
  exit 1
fi
