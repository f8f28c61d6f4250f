#!/bin/sh
# Runs one fuzz target for a time (fuzz/README.md):
#   run.sh PROGRAM SECONDS SEEDS DICTIONARY CORPUS FINDINGS [libFuzzer flags...]
# New inputs that reach new code go to CORPUS (kept between runs), an input that makes a
# finding to FINDINGS/ (crash-*, timeout-*, leak-*, oom-*); the exit status is not 0
# when there was a finding. pf::Error is a refusal, not a finding (fuzz/FuzzSupport.hh).
set -eu
program=$1 seconds=$2 seeds=$3 dictionary=$4 corpus=$5 findings=$6
shift 6
mkdir -p "$corpus" "$findings" "$seeds"
# The sanitizer options of the test suite (fuzz/CMakeLists.txt), unless given.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-16/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-16/bin/llvm-symbolizer
fi
if [ -f "$dictionary" ]; then
  set -- -dict="$dictionary" "$@"
fi
exec "$program" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$findings/" "$@" "$corpus" "$seeds"
