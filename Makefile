# powerflow — the user's entry point. `make characterize schedule sim` runs the flow on
# the default design; `make test` builds everything and runs the whole suite.
# Every target first makes sure the Debian packages are there (`deps`).

# SANITIZE=address,undefined: the whole tree built with these sanitizers (clang, -O1) in
# its own folder, build-sanitize: `make SANITIZE=address,undefined test` runs the whole
# suite there. Without it, `make test` runs the fast sanitizer suite and a short run of
# every fuzz target beside the normal suite (fuzz/README.md).
SANITIZE ?=
BUILD_DIR ?= $(if $(SANITIZE),build-sanitize,build)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# The fast sanitizer tree (address,undefined and the fuzz targets): `make fuzz` runs every
# fuzz target for FUZZ_SECONDS each, corpora in $(FUZZ_BUILD_DIR)/fuzz/corpus/, inputs that
# crash, hang or leak in $(FUZZ_BUILD_DIR)/fuzz/findings/<target>/. FUZZ_TARGETS: a subset.
FUZZ_BUILD_DIR ?= build-fuzz
# SANITIZE_FAST=0: `make test` without the fast sanitizer tree (the normal suite only).
SANITIZE_FAST ?= 1
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
# FUZZ_OPT: the fast tree's optimisation. -O0 compiles in half the time of -O1 (what
# `make test` pays); -O1 runs the fuzz targets 2-3x faster (long runs, bench/fuzz_results.md).
FUZZ_OPT ?= -O0
# The main tree: -O2 as CMake's RelWithDebInfo, without debug information (-g doubles the
# tree's size on disk, to ~3 GB with the test work folders, and takes a third of the compile
# time). BUILD_TYPE=RelWithDebInfo (or Debug) in a BUILD_DIR of its own for debugging.
# Compiled with clang 16, the sanitizer tree's compiler: the whole tree in 455 CPU-s against
# 613 with g++ 12 (test code at -O0 4.0 against 6.8 s a file, libraries at -O2 a fifth
# less), the solvers as fast (the zoo schedules 44.9 against 42.8-49.6 s); the Verilated
# test models run a fifth slower (docs/notes.md). CXX_MAIN=g++ for g++ (in a BUILD_DIR of its own).
BUILD_TYPE ?= Release
CXX_MAIN ?= clang++-16
MAIN_CMAKE = -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DCMAKE_CXX_COMPILER=$(CXX_MAIN)
CLANG = -DCMAKE_CXX_COMPILER=clang++-16 "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$(1) -gline-tables-only"
SANITIZE_CMAKE := $(if $(SANITIZE),$(call CLANG,-O1) -DPF_SANITIZE=$(SANITIZE),)
DESIGN ?= rtl/design.toml
CORNERS ?= pdk_stub/corners.toml
OUT_DIR ?= out
# The default workload: keyword spotting once every 20 ms, answer within 2 ms.
NET ?= nets/mlperf_tiny_kws_dscnn.toml
PERIOD_US ?= 20000
DEADLINE_US ?= 2000
POWERFLOW := $(BUILD_DIR)/flows/powerflow
# The sweep of `make sweep` (docs/sweep.md) and its folder; JOBS jobs at a time.
SWEEP ?= sweep/example.toml
SWEEP_OUT ?= $(OUT_DIR)/sweep
# RAILS="0.6 0.9": schedule and generate on these rail voltages instead of the design's
# (each must have a characterized corner); empty: the design's rails.
RAILS ?=
RAILS_OPT := $(if $(strip $(RAILS)),--rails "$(RAILS)",)
ROM_DEPTH ?= 1024
# ALLOW_MIXED_CORNERS=1: characterize a corner set of several processes/temperatures
# (slow / typical / fast) instead of one process at several voltages; every output says so.
ALLOW_MIXED_CORNERS ?=
MIXED_CORNERS_OPT := $(if $(filter 1 yes true,$(ALLOW_MIXED_CORNERS)),--allow-mixed-corners,)
# The profile's sparsity is measured on seeded random network data (the co-simulation's
# generator; sim uses seeds 1, 2, ... for its periods, so none is the calibration's).
SPARSITY_SEED ?= 0

.PHONY: all deps configure build test sanitize-fast fuzz-build fuzz characterize profile schedule gen sim sweep report timeline-picture pdk lint bench bless-golden format clean

all: build

deps:
	@sh flows/deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) $(if $(SANITIZE),-DCMAKE_BUILD_TYPE=RelWithDebInfo $(SANITIZE_CMAKE),$(MAIN_CMAKE))

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Tests put their scratch files under TMPDIR: one per build tree, so two checkouts
# testing at once on one machine never share a temporary directory.
# Without SANITIZE, the fast sanitizer tree is built and tested (sanitize-fast) at the
# lowest priority while the normal suite runs, on the cores its long tests leave idle;
# its log is printed after the normal suite's, and either failing fails the target.
# (`make`, not $(MAKE): a line naming $(MAKE) runs even under `make -n`.)
test: build
	rm -rf $(BUILD_DIR)/test-tmp && mkdir -p $(BUILD_DIR)/test-tmp
ifeq ($(SANITIZE)$(filter 0,$(SANITIZE_FAST)),)
	@mkdir -p $(FUZZ_BUILD_DIR); \
	nice -n 19 make --no-print-directory sanitize-fast > $(FUZZ_BUILD_DIR)/sanitize-fast.log 2>&1 & \
	fast=$$!; \
	(cd $(BUILD_DIR) && TMPDIR=$(abspath $(BUILD_DIR))/test-tmp ctest --output-on-failure -j $(JOBS)); \
	status=$$?; start=$$(date +%s); wait $$fast; fast_status=$$?; \
	echo "== sanitizer suite and fuzz smoke runs ($(FUZZ_BUILD_DIR)/sanitize-fast.log; waited $$(( $$(date +%s) - start )) s after the normal suite)"; \
	cat $(FUZZ_BUILD_DIR)/sanitize-fast.log; \
	[ $$status -eq 0 ] && [ $$fast_status -eq 0 ]
else
	cd $(BUILD_DIR) && TMPDIR=$(abspath $(BUILD_DIR))/test-tmp ctest --output-on-failure -j $(JOBS) \
	  -LE '^(sanitize|fuzz)$$'
endif

# The fast sanitizer tree: clang with address,undefined at FUZZ_OPT and the fuzz targets; only
# what the sanitizer suite and the fuzz targets need is built (no Verilated models). Its static
# libraries are thin archives (they name the objects instead of copying them): 0.3 GB less
# disk in a tree of ~1.5 GB.
THIN_ARCHIVES = "-DCMAKE_CXX_ARCHIVE_CREATE=<CMAKE_AR> qcT <TARGET> <LINK_FLAGS> <OBJECTS>" \
  "-DCMAKE_CXX_ARCHIVE_APPEND=<CMAKE_AR> qT <TARGET> <LINK_FLAGS> <OBJECTS>"
fuzz-build: deps
	@mkdir -p $(FUZZ_BUILD_DIR)
	cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(call CLANG,$(FUZZ_OPT)) \
	  -DPF_SANITIZE=address,undefined -DPF_FUZZ=ON $(THIN_ARCHIVES) > $(FUZZ_BUILD_DIR)/configure.log 2>&1 \
	  || { cat $(FUZZ_BUILD_DIR)/configure.log; exit 1; }
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target pf_sanitize_suite pf_fuzz_all \
	  > $(FUZZ_BUILD_DIR)/build.log 2>&1 || { tail -n 60 $(FUZZ_BUILD_DIR)/build.log; exit 1; }

# The fast part of the suite under ASan/UBSan (label sanitize) and every fuzz target for a
# few seconds (label fuzz).
sanitize-fast: fuzz-build
	@start=$$(date +%s); rm -rf $(FUZZ_BUILD_DIR)/test-tmp && mkdir -p $(FUZZ_BUILD_DIR)/test-tmp; \
	cd $(FUZZ_BUILD_DIR) && TMPDIR=$(abspath $(FUZZ_BUILD_DIR))/test-tmp \
	  ctest --output-on-failure -j $(JOBS) -L '^(sanitize|fuzz)$$'; status=$$?; \
	echo "sanitize-fast: tests $$(( $$(date +%s) - start )) s"; exit $$status

# Every fuzz target (or FUZZ_TARGETS) for FUZZ_SECONDS each, one after the other; the
# status is not 0 when any found something (its inputs are in findings/<target>/).
fuzz: fuzz-build
	sh fuzz/run_all.sh $(FUZZ_BUILD_DIR)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Regenerate the stub PDK liberty files (committed; `make test` checks they are current).
pdk: build
	$(POWERFLOW) pdk --params pdk_stub/process.toml --out pdk_stub/lib

# Validate the design description, then lint its RTL.
lint: build
	$(POWERFLOW) design $(DESIGN)
	cd rtl && verilator --lint-only -Wall lint/pf_accel.vlt -f pf_accel.f --top-module pf_accel

bench: build characterize
	$(MAKE) --no-print-directory sim PERIODS=1
	$(BUILD_DIR)/bench/pf_bench --out bench/results.md
	$(BUILD_DIR)/bench/pf_sched_bench --design $(DESIGN) \
	  --characterization $(OUT_DIR)/characterization.json --out bench/sched_results.md
	$(BUILD_DIR)/bench/pf_transition_bench --design $(DESIGN) \
	  --characterization $(OUT_DIR)/characterization.json --out bench/transition_results.md
	$(BUILD_DIR)/bench/pf_schedule_command_bench --powerflow $(POWERFLOW) --design $(DESIGN) \
	  --characterization $(OUT_DIR)/characterization.json --out bench/schedule_command_results.md
	$(BUILD_DIR)/bench/pf_gen_bench --powerflow $(POWERFLOW) --design $(DESIGN) --corners $(CORNERS) \
	  --characterization $(OUT_DIR)/characterization.json --out bench/gen_results.md
	$(BUILD_DIR)/bench/pf_cosim_bench --design $(DESIGN) --characterization $(OUT_DIR)/characterization.json \
	  --profile $(OUT_DIR)/profile.json --schedule $(OUT_DIR)/schedule.json --gen $(OUT_DIR)/gen \
	  --work $(OUT_DIR)/sim-work --out bench/sim_results.md
	$(POWERFLOW) characterize --design $(DESIGN) --corners bench/slew_altlib_corners.toml \
	  --out $(OUT_DIR)/slew-altlib/characterization.json --work $(OUT_DIR)/slew-altlib/work
	$(BUILD_DIR)/bench/pf_slew_bench --design $(DESIGN) --corners $(CORNERS) \
	  --characterization $(OUT_DIR)/characterization.json --work $(OUT_DIR)/work \
	  --alt-corners bench/slew_altlib_corners.toml \
	  --alt-characterization $(OUT_DIR)/slew-altlib/characterization.json \
	  --alt-work $(OUT_DIR)/slew-altlib/work --out bench/slew_results.md

# Synthesis, timing, leakage and energy per domain per voltage -> $(OUT_DIR)/characterization.json
# (cached by content hash: a second run with unchanged inputs returns at once).
characterize: build
	$(POWERFLOW) characterize --design $(DESIGN) --corners $(CORNERS) $(MIXED_CORNERS_OPT) \
	  --out $(OUT_DIR)/characterization.json --work $(OUT_DIR)/work

# Map the network onto the accelerator: cycles, traffic, banks and liveness per layer.
profile: build
	$(POWERFLOW) profile $(NET) --design $(DESIGN) --out $(OUT_DIR)/profile.json \
	  --sparsity-from-data $(SPARSITY_SEED)

# The energy-minimal schedule (+ baselines, Pareto curve) -> $(OUT_DIR)/schedule.json
# and .txt; the instance goes to $(OUT_DIR)/instance.json for other solvers.
schedule: characterize profile
	$(POWERFLOW) schedule --design $(DESIGN) --characterization $(OUT_DIR)/characterization.json \
	  --profile $(OUT_DIR)/profile.json --period-us $(PERIOD_US) --deadline-us $(DEADLINE_US) \
	  --out $(OUT_DIR)/schedule.json --dump-instance $(OUT_DIR)/instance.json $(RAILS_OPT)

# The schedule as hardware -> $(OUT_DIR)/gen/: microcode ROM and listing, the power
# sequencer for the design's (or RAILS') rail count, pf_system, UPF, manifest.
# `make schedule gen RAILS="0.6 0.9"` re-solves on two rails and regenerates everything.
gen: build
	$(POWERFLOW) gen --design $(DESIGN) --characterization $(OUT_DIR)/characterization.json \
	  --schedule $(OUT_DIR)/schedule.json --out $(OUT_DIR)/gen --rom-depth $(ROM_DEPTH) $(RAILS_OPT)

# Co-simulation (docs/sim.md): the datapath RTL with the generated sequencer and ROM in
# Verilator for PERIODS periods -> $(OUT_DIR)/sim/report.json and report.txt. Runs gen
# first; exit status 1 when a check fails (outputs, monitors, deadline, cycles, energy).
PERIODS ?= 3
sim: schedule
	$(MAKE) --no-print-directory gen
	$(POWERFLOW) sim --design $(DESIGN) --characterization $(OUT_DIR)/characterization.json \
	  --profile $(OUT_DIR)/profile.json --schedule $(OUT_DIR)/schedule.json --gen $(OUT_DIR)/gen \
	  --out $(OUT_DIR)/sim --work $(OUT_DIR)/sim-work --periods $(PERIODS) $(RAILS_OPT); \
	  status=$$?; $(MAKE) --no-print-directory report; exit $$status

# A design-space sweep (docs/sweep.md): every point of SWEEP characterized, scheduled,
# generated and co-simulated by Snakemake, JOBS at a time; a second run redoes only what
# changed. The table and the Pareto page: $(SWEEP_OUT)/results/.
sweep: build
	$(POWERFLOW) sweep $(SWEEP) --out $(SWEEP_OUT) --jobs $(JOBS)

# The one-page report (docs/report.md) -> $(OUT_DIR)/report/index.html, from whatever the
# stages have written into $(OUT_DIR) (a part whose file is missing says so on the page).
report_opt = $(if $(wildcard $(1)),$(2) $(1),)
report: build
	$(POWERFLOW) report --schedule $(OUT_DIR)/schedule.json --out $(OUT_DIR)/report \
	  $(call report_opt,$(OUT_DIR)/characterization.json,--characterization) \
	  $(call report_opt,$(OUT_DIR)/profile.json,--profile) \
	  $(if $(wildcard $(OUT_DIR)/gen/manifest.json),--gen $(OUT_DIR)/gen,) \
	  $(call report_opt,$(OUT_DIR)/sim/report.json,--sim) $(REPORT_OPTS)
	@echo "report: open $(OUT_DIR)/report/index.html in a browser"

# The README picture: the default flow's timeline from a one-period co-simulation
# (`make test` checks docs/timeline.svg is current).
timeline-picture: characterize
	$(MAKE) --no-print-directory sim PERIODS=1 REPORT_OPTS="--timeline-svg docs/timeline.svg"

# Rewrites the golden files of the gen tests (tests/gen/golden/) after an intended change.
bless-golden: build
	PF_BLESS_GOLDEN=1 $(BUILD_DIR)/tests/gen/gen_golden_tests

format:
	find core flows pdk_stub golden net workload characterize sched gen tests bench -name '*.cc' -o -name '*.hh' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
