#!/bin/sh
# The sweep of `make sweep` measured, and a 1,000-point sweep estimated from it
# -> bench/sweep_results.md (docs/sweep.md, "Scale"):
#   bench/sweep_bench.sh POWERFLOW OUT.md [JOBS]
# Runs `powerflow sweep sweep/example.toml` cold (an empty sweep folder and an empty cache:
# every design point characterized, every model Verilated) with JOBS jobs (default 2),
# then again with nothing changed, then once more into a second folder sharing the cache
# (what a second sweep of the same designs costs), and writes the wall times, the
# per-rule job times (the workflow's benchmark files: OUT/results/stage_times.csv) and the
# estimate. Machine-bound numbers: run it on a quiet machine.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
powerflow=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
jobs=${3:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$here"

seconds() {  # seconds COMMAND...: runs it quietly, prints its wall time in seconds
  start=$(date +%s.%N)
  "$@" > "$work/last.log" 2>&1 || { tail -n 40 "$work/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }'
}

sweep() {  # sweep FOLDER
  seconds "$powerflow" sweep sweep/example.toml --out "$1" --cache "$work/cache" --jobs "$jobs"
}

cold=$(sweep "$work/a")
again=$(sweep "$work/a")
grep -q "Nothing to be done" "$work/last.log" || { echo "the second run ran jobs" >&2; exit 1; }
shared=$(sweep "$work/b")
points=$(grep -c '"id"' "$work/a/results/results.json" | awk '{ print $1 - 0 }')
times="$work/a/results/stage_times.csv"
rule() {  # rule NAME FIELD: jobs, total_s or max_s of a rule in stage_times.csv
  awk -F, -v r="$1" -v f="$2" 'NR > 1 && $1 == r { print (f == "jobs" ? $2 : f == "total" ? $3 : $4) }' "$times"
}
char_jobs=$(rule characterize jobs); char_total=$(rule characterize total)
point_jobs=$(rule point jobs); point_total=$(rule point total)
# The cold points' time holds the Verilator builds (one per design point and rail set, the
# first point of each waits for it); the shared-cache run's points are the rest.
point_warm=$(awk -F, 'NR > 1 && $1 == "point" { printf "%.2f", $3 / $2 }' "$work/b/results/stage_times.csv")
models=$(grep -h "co-simulation model" "$work"/a/points/*/*/*/*/point.log | grep -c "done in" || true)
model_s=$(grep -h "co-simulation model" "$work"/a/points/*/*/*/*/point.log |
  sed -n 's/.*done in \([0-9.]*\) s.*/\1/p' | awk '{ s += $1 } END { printf "%.1f", NR ? s / NR : 0 }')
commit=$(git rev-parse --short HEAD)

{
  echo "# The sweep of \`make sweep\`, measured, and a 1,000-point sweep estimated"
  echo
  echo "\`bench/sweep_bench.sh build/flows/powerflow bench/sweep_results.md $jobs\` on $(nproc) cores,"
  echo "commit $commit, $(date -u +%Y-%m-%d): sweep/example.toml, $points points (2 design"
  echo "points x 2 rail sets x 2 networks x 2 deadlines, 1 co-simulated period each), $jobs jobs at a time."
  echo
  echo "| run | wall time |"
  echo "|---|---:|"
  echo "| cold: empty sweep folder and cache (characterize, profile, schedule, gen, sim of every point) | $cold s |"
  echo "| again, nothing changed (Snakemake: \"Nothing to be done\") | $again s |"
  echo "| a second sweep folder sharing the cache (characterizations and models found) | $shared s |"
  echo
  echo "Per rule in the cold run (the workflow's benchmark files, summed over its jobs;"
  echo "jobs overlap, so the sums exceed the wall time):"
  echo
  echo '```'
  cat "$times"
  echo '```'
  echo
  echo "Verilated co-simulation models: $models built (one per design point and rail set), $model_s s each;"
  echo "a point with its model built: $point_warm s (schedule, gen, one period of co-simulation of an"
  echo "MLPerf Tiny network)."
  echo
  echo "## 1,000 points"
  echo
  awk -v c="$char_total" -v cj="$char_jobs" -v m="$model_s" -v p="$point_warm" 'BEGIN {
    char = c / cj              # one characterization, wall (single-threaded tools)
    d = 25; r = 4; n = 5; k = 2  # 25 design points x 4 rail sets x 5 networks x 2 deadlines
    cpu = d * char + d * r * m + d * r * n * k * p
    printf "An example shape: %d design points x %d rail sets x %d networks x %d deadlines = %d\n", d, r, n, k, d*r*n*k
    printf "points. From the times above: %d characterizations x %.0f s + %d models x %.1f s +\n", d, char, d*r, m
    printf "%d points x %.2f s = %.0f CPU-s (%.1f CPU-hours), nearly all of it characterization.\n", d*r*n*k, p, cpu, cpu/3600
    printf "\n"
    printf "- One machine of 2 cores: about %.0f min (the jobs are single-threaded; Snakemake keeps\n", cpu / 2 / 60
    printf "  both cores busy).\n"
    jobs = d + d * n + d * r * n * k  # characterize, profile, point
    printf "- A Slurm cluster of N nodes of 2 cores: the %d characterizations run side by side\n", d
    printf "  (ceil(%d / 2N) waves of %.0f s), then the models and points: with N = 13, about\n", d, char
    printf "  %.0f min of computing. But the Slurm executor of Snakemake 7.21 polls job states at\n", (char + (d*r*m + d*r*n*k*p)/26) / 60
    printf "  most once a second, one job per poll (sweep/profiles/slurm says why), so the %d jobs\n", jobs
    printf "  (characterize, profile, point) take at least %.0f min however many nodes run them:\n", jobs / 60
    printf "  on a cluster this sweep is bound by polling, not by nodes. Snakemake groups (several\n"
    printf "  points per batch job) would cut the jobs, but a group job asks for the cores and\n"
    printf "  memory of all its members together (8 points: 8 CPUs, tried: it never fits a 2-core\n"
    printf "  node), so the workflow does not group yet (docs/notes.md).\n"
    printf "\n"
    printf "Larger networks cost more per point: a co-simulated period of MobileNetV2 took about\n"
    printf "27 s with the model at -O2 (docs/sim.md) and takes about twice that at -O1, the default,\n"
    printf "so 1,000 points of it at one period each add about 7.5 (-O2) to 15 (-O1) CPU-hours.\n"
  }'
} > "$out"
echo "wrote $out"
