#!/usr/bin/env bash
# cli_one_sphere_reference.sh MPSTREAM OUT_DIR (verification): the one-sphere scenario of the
# small-problem benchmark (inputs/bench_one_sphere.prm) on a coarse mesh (4 elements per radius,
# linear growth 0.3, ~15k DoFs, ~3 s; the scenario's solver settings): the sphere's potential against the sphere-plane image series
# (Smythe 5.08; benchmarks/one_sphere_reference.py). Measured error -1.03e-3 (the
# discretisation's, O(h^4) in the energy); tolerance 2e-3. Gmsh's Delaunay volume mesher, on
# which that error was measured, pinned: the opt-in HXT puts fewer cells into the same coarse
# size field (-1.83e-3) and its mesh is not reproducible. The benchmark's own resolution
# reaches 1e-4 with its power-law grading (cli_one_sphere_benchmark_accuracy; doc/performance.md,
# "Small problems").
set -eu
mpstream=$1; out=$2
rm -rf "$out"
"$mpstream" electrostatics inputs/bench_one_sphere.prm --output-dir "$out" --no-cache \
  --set "Mesh/Elements per radius=4" --set "Mesh/Size growth rate=0.3" --set "Mesh/Size growth exponent=1" \
  --set "Mesh/Volume algorithm=delaunay"
/usr/bin/python3 benchmarks/one_sphere_reference.py "$out/electrostatics_spheres.csv" 2e-3
