#!/bin/sh
# Checks that the Debian packages powerflow needs are installed. As root it installs
# the missing ones; otherwise it prints the exact apt command and fails.
# The package list is the verified one from the toolchain notes (Debian 12), plus z3
# (k-induction proofs of the generated sequencer), tcl (the UPF check), python3
# (yosys-smtbmc), chromium (headless Chromium for the report page's browser test),
# snakemake (the workflow engine of `powerflow sweep`), slurm-wlm and munge (the
# single-node Slurm cluster the sweep's cluster test starts; docs/sweep.md), and
# clang 16 with its sanitizer and libFuzzer runtimes for the sanitizer tree and the fuzz
# targets (llvm-16: its llvm-symbolizer names the lines of a finding; fuzz/README.md;
# clang 14, Debian's default, cannot compile our C++20: a lambda
# capturing a structured binding).
set -eu

PACKAGES="verilator yosys opensta libtomlplusplus-dev libfmt-dev libgtest-dev \
coinor-libcbc-dev coinor-cbc cmake g++ make pkg-config z3 tcl python3 chromium \
clang-16 libclang-rt-16-dev llvm-16 snakemake slurm-wlm munge"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

command="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = "0" ]; then
  echo "deps: installing missing Debian packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $command
else
  echo "deps: missing Debian packages:$missing" >&2
  echo "deps: install them with:" >&2
  echo "  sudo apt-get update && sudo $command" >&2
  exit 1
fi
