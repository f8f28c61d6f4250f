#!/usr/bin/env bash
# Proves that the RTL regression can fail: copies the RTL, plants a deliberate bug,
# builds the regression against the mutant and requires the random-layer test to FAIL
# with output mismatches.
#
# The bug: an off-by-one in pf_ctrl's bottom padding bound, `iy < in_h` -> `iy <= in_h`.
# A window that hangs over the bottom edge then reads the word after the input's last row
# (pseudo-random garbage from the scrubbed SRAM, or another tensor) instead of skipping it.
#
# usage: mutation_check.sh [RTL_DIR] [WORK_DIR]
# Only the pf_rtl_tests target is built (standalone configure of tests/rtl, no second
# parameter set), so the check costs one Verilator build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rtl_dir="${1:-$repo/rtl}"
work="${2:-$(mktemp -d /tmp/pf_mutation.XXXXXX)}"
jobs="${PF_MUTATION_JOBS:-2}"

fail() { echo "mutation_check: FAIL: $*" >&2; exit 1; }

# Other mutants can be tried by overriding these (fixed strings, not regexes).
target="${PF_MUTATION_FILE:-pf_ctrl.v}"
pattern="${PF_MUTATION_PATTERN:-(iy < \$signed(}"
replacement="${PF_MUTATION_REPLACEMENT:-(iy <= \$signed(}"
filter="${PF_MUTATION_FILTER:-RandomLayers/*}"

rm -rf "$work/rtl" "$work/build"
mkdir -p "$work"
cp -r "$rtl_dir" "$work/rtl"
file="$work/rtl/$target"
[[ -f "$file" ]] || fail "$target not found in $rtl_dir"

count="$(grep -cF -- "$pattern" "$file" || true)"
[[ "$count" == 1 ]] || fail "expected exactly one '$pattern' in $target, found $count: the RTL changed, update the mutation"
line="$(grep -nF -- "$pattern" "$file" | cut -d: -f1)"
# sed on fixed strings: escape the regex metacharacters of the pattern and the special
# characters (\ / &) of the replacement.
escape_pattern() { printf '%s' "$1" | sed -e 's/[]\/$*.^[]/\\&/g'; }
escape_replacement() { printf '%s' "$1" | sed -e 's/[\/&]/\\&/g'; }
sed -i "${line}s/$(escape_pattern "$pattern")/$(escape_replacement "$replacement")/" "$file"
grep -qF -- "$replacement" "$file" || fail "the replacement is not in $target after sed"
if cmp -s "$rtl_dir/$target" "$file"; then fail "sed did not change $target"; fi
echo "mutation_check: mutated $target:$line:"
sed -n "${line}p" "$file"

start=$(date +%s)
# -O1 throughout (model, harness, golden model, tests): the mutant runs 200 layers once, in
# about a second; -O3 and the -O2 model only made its build slower.
cmake -S "$here" -B "$work/build" -DPF_RTL_DIR="$work/rtl" -DPF_RTL_ALT_PARAMS=OFF -DCMAKE_BUILD_TYPE=Release \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" -DPF_RTL_DEFAULT_MODEL_OPT=-O1 \
  > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure failed"; }
cmake --build "$work/build" --target pf_rtl_tests -j "$jobs" > "$work/build.log" 2>&1 ||
  { tail -50 "$work/build.log"; fail "build of the mutant failed"; }
built=$(date +%s)

set +e
"$work/build/pf_rtl_tests" --gtest_filter="$filter" --gtest_brief=1 > "$work/run.log" 2>&1
status=$?
set -e
finished=$(date +%s)

failed="$(grep -c '^\[  FAILED  \] [A-Za-z]' "$work/run.log" || true)"
mismatched="$(grep -c 'bytes differ' "$work/run.log" || true)"
echo "mutation_check: build $((built - start)) s, run $((finished - built)) s;" \
  "$failed tests failed ($filter), $mismatched with output mismatches (exit status $status)"
if [[ $status -eq 0 || $failed -eq 0 ]]; then
  fail "the mutant survived: the random-layer regression did not notice the bug"
fi
if [[ $mismatched -eq 0 ]]; then
  tail -40 "$work/run.log"
  fail "the random-layer test failed, but not with output mismatches"
fi
grep -m1 -A2 'bytes differ' "$work/run.log" | sed 's/^/  /' || true
echo "mutation_check: PASS (mutant killed)"
