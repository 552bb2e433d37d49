# Thin wrapper: `make run` and `make test` are the only commands a new machine needs.
BUILD_DIR ?= build
JOBS      ?= 2
SCENARIO  ?= inputs/hybrid_132kV.prm
RESULTS   ?= results/hybrid_132kV

.PHONY: deps build run test bench bench-getdp clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	$(BUILD_DIR)/mpstream run $(SCENARIO) --output-dir $(RESULTS)
	/usr/bin/python3 postprocess/plot_results.py $(RESULTS)
	/usr/bin/python3 postprocess/plot_charging.py $(RESULTS)
	/usr/bin/python3 postprocess/plot_stream_thermal.py $(RESULTS)
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
