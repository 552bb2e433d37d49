# Thin wrapper: `make run` and `make test` are the only commands a new machine needs.
BUILD_DIR ?= build
JOBS      ?= 2
SCENARIO  ?= inputs/focal_spot_interior.prm
RESULTS   ?= results/focal_spot_interior
# MPI ranks for `make run`: one per core (the electrostatics and charging stages scale with
# ranks; the thermal and Monte Carlo stages split their work over ranks x threads).
RANKS     ?= $(shell nproc)
# Open MPI refuses to start as root unless told to (fresh machines run this as root).
MPIRUN    := OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -np $(RANKS)

.PHONY: deps build run test bench bench-getdp figures headline-numbers clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	$(MPIRUN) $(BUILD_DIR)/mpstream run $(SCENARIO) --output-dir $(RESULTS)
	@echo "Results are in $(RESULTS)/: summary.json, CSV tables, PNG plots, mesh.vtu and *.pvd for ParaView"
	@echo "Report: $(RESULTS)/report.html (and report.md)"

# doc/figures/ from committed inputs: every part runs mpstream or the MC benchmark, then the
# postprocess/ plots (scripts/make_figures.sh lists which figure comes from which input). About
# 40 min on 2 quiet cores (fig9 alone: 43 min measured at load 6-7); one part:
# make figures PARTS="fig9 mc" (parts: fig9 mc stream studies default).
PARTS ?=
figures: build
	RANKS=$(RANKS) bash scripts/make_figures.sh $(BUILD_DIR) $(PARTS)

# doc/headline_numbers.md (the numbers docs quote) from the results of `make run` and an MC run of
# the paper's Table-1 geometry at 132 kV (a few seconds). Tests regression_headline_* compare with it.
headline-numbers:
	rm -rf $(BUILD_DIR)/headline_mc132 # a state point left there would be resumed, not rerun
	$(MPIRUN) $(BUILD_DIR)/mpstream mc inputs/mc_table1.prm --set "Monte Carlo/Tube voltages [V]=132e3" \
	  --output-dir $(BUILD_DIR)/headline_mc132
	/usr/bin/python3 postprocess/headline_numbers.py $(RESULTS) --mc $(BUILD_DIR)/headline_mc132

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

bench: build
	bash scripts/install-deps.sh --bench
	bash benchmarks/run_all.sh $(BUILD_DIR)

bench-getdp: build
	bash scripts/install-deps.sh --bench
	bash benchmarks/getdp_comparison.sh $(BUILD_DIR)/mpstream

clean:
	rm -rf $(BUILD_DIR)
