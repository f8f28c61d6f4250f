#!/bin/sh
# The long fuzz campaign -> bench/fuzz_results.md (fuzz/README.md):
#   bench/fuzz_bench.sh FUZZ_BUILD_FOLDER SECONDS OUT.md [TARGET...]
# FUZZ_BUILD_FOLDER is the fuzz/ folder of a PF_FUZZ build tree (`make fuzz-build`:
# build-fuzz/fuzz). Runs the targets (default: all) one after the other at the lowest
# priority, SECONDS each, with fuzz/run_all.sh, keeping their corpora, and records each
# target's run in FUZZ_BUILD_FOLDER/bench/<target>.row: date, commit, duration, executions,
# executions per second, corpus, coverage (cov/ft of libFuzzer's last line) and findings
# (the inputs in findings/<target>/ after the run). OUT.md is then written from every row
# recorded so far, so targets can be run at different times (SECONDS 0: only record the
# rows again from the logs of the last runs; a target with no row in this build folder keeps
# its row from OUT.md); what follows the line
# "<!-- fixed findings -->" in OUT.md (the findings that were fixed, written by hand) is kept.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
seconds=$2
out=$3
shift 3
targets=${*:-$(cut -d' ' -f1 "$build/targets.txt")}
mkdir -p "$build/bench"
commit=$(git -C "$here" rev-parse --short HEAD)
if [ -n "$(git -C "$here" status --porcelain -- fuzz core characterize net workload sched gen pdk_stub sim)" ]; then
  commit="$commit+changes"
fi
for name in $targets; do
  log="$build/logs/$name.log"
  status=0
  if [ "$seconds" != 0 ]; then
    rm -rf "$build/findings/$name"
    nice -n 19 sh "$here/fuzz/run_all.sh" "$build" "$seconds" "$name"
    status=$?
  elif grep -qE '^==[0-9]+==ERROR|^fuzz: an exception' "$log"; then
    status=1
  fi
  run_commit=$commit
  if [ "$seconds" = 0 ] && [ -f "$build/bench/$name.row" ]; then
    run_commit=$(cut -d'|' -f4 "$build/bench/$name.row" | tr -d ' ')  # the run's, kept
  fi
  duration=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
  [ -n "$done_line" ] || done_line=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n 1)
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(echo "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corpus=$(echo "$done_line" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
  findings=$(ls "$build/findings/$name" 2>/dev/null | tr '\n' ' ')
  [ -n "$findings" ] || findings="none"
  [ $status -eq 0 ] || findings="$findings (exit $status)"
  printf '| %s | %s | %s | %s s | %s | %s | %s | %s / %s | %s |\n' "$name" "$(date -u +%Y-%m-%d)" \
    "$run_commit" "${duration:-?}" "${executions:-?}" "${per_second:-?}" "${corpus:-?}" "${cov:-?}" \
    "${ft:-?}" "$findings" > "$build/bench/$name.row"
done

kept=""
rows_before=""
[ -f "$out" ] && rows_before=$(grep -E '^\| [a-z_]+ \| [0-9]{4}-' "$out")
if [ -f "$out" ] && grep -q '^<!-- fixed findings -->' "$out"; then
  kept=$(sed -n '/^<!-- fixed findings -->/,$p' "$out")
fi
{
  echo "# Fuzzing: the long runs"
  echo
  echo "Written by \`bench/fuzz_bench.sh\` (fuzz/README.md). Each fuzz target runs for the"
  echo "time given, at the lowest priority on a shared 2-core machine (executions per second"
  echo "depend on what else ran), built with clang 16 -O1, ASan and UBSan, from the seed corpora of"
  echo "\`fuzz/Seeds.cmake\` and the corpus earlier runs left. Findings: the inputs in"
  echo "\`findings/<target>/\` after the run (crash-, timeout-, leak-, oom-); \"none\" is the goal."
  echo "Coverage: libFuzzer's cov (code edges reached) / ft (features) at the end of the run."
  echo "Corpus: inputs / bytes at the end. Reproduce one row (one target, 600 s):"
  echo
  echo '```sh'
  echo 'make fuzz-build FUZZ_OPT=-O1'
  echo 'bench/fuzz_bench.sh build-fuzz/fuzz 600 bench/fuzz_results.md liberty'
  echo '```'
  echo
  echo "| target | date | commit | duration | executions | exec/s | corpus | cov / ft | findings |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for name in $(cut -d' ' -f1 "$build/targets.txt"); do
    if [ -f "$build/bench/$name.row" ]; then
      cat "$build/bench/$name.row"
    elif [ -n "$rows_before" ]; then
      echo "$rows_before" | grep "^| $name |"  # run before, in another build folder
    fi
  done
  echo
  if [ -n "$kept" ]; then
    echo "$kept"
  else
    echo "<!-- fixed findings -->"
    echo "## Findings that were fixed"
    echo
    echo "None yet."
  fi
} > "$out"
echo "fuzz_bench: wrote $out"
