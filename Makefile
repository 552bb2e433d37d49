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

.PHONY: deps build run test bench bench-getdp clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	$(MPIRUN) $(BUILD_DIR)/mpstream run $(SCENARIO) --output-dir $(RESULTS)
	/usr/bin/python3 postprocess/plot_results.py $(RESULTS)
	/usr/bin/python3 postprocess/plot_charging.py $(RESULTS)
	/usr/bin/python3 postprocess/plot_stream_thermal.py $(RESULTS)
	/usr/bin/python3 postprocess/plot_charging_dwell.py $(RESULTS)
	/usr/bin/python3 postprocess/plot_dynamics.py $(RESULTS)
	@echo "Results are in $(RESULTS)/: summary.json, CSV tables, PNG plots, mesh.vtu and *.pvd for ParaView"

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
