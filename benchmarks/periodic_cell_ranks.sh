#!/bin/sh
# Periodic cell on 1 and 2 MPI ranks (issue 16, item 1): the focal-spot interior
# (inputs/focal_spot_interior.prm, 6 x 6 periodic cell, lid 3 mm, graded mesh) with its full
# capacitance matrix. Prints DoFs, set-up / solve / capacitance-matrix times, the 1-vs-2-rank
# ratios (goal: >= 1.7) and the largest relative difference of the sphere potentials; never
# fails on a time (doc/performance.md).
# Usage: benchmarks/periodic_cell_ranks.sh [build dir] [output dir]
set -e
cd "$(dirname "$0")/.."
BIN=${1:-build}/mpstream
OUT=${2:-results/bench_periodic_ranks}
PRM=inputs/focal_spot_interior.prm
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$OUT"
# One Gmsh thread: the same mesh in both runs.
for np in 1 2; do
  /usr/bin/time -v mpirun -np "$np" --oversubscribe "$BIN" electrostatics "$PRM" --output-dir "$OUT/np$np" \
    --set "Output/Write VTU=false" --set "Mesh/Threads=1" --set "Electrostatics/Capacitance matrix=true" \
    > "$OUT/np$np.log" 2>&1
done
python3 - "$OUT" <<'PY'
import csv, json, sys, os
out = sys.argv[1]
s = {n: json.load(open(os.path.join(out, n, "summary.json")))["electrostatics"] for n in ("np1", "np2")}
print(f"{'run':5} {'DoFs':>9} {'CG it':>6} {'setup s':>8} {'solve s':>8} {'C matrix s':>10}")
for n, e in s.items():
    print(f"{n:5} {e['n_dofs']:9d} {e['solver_iterations']:6d} {e['electrostatics_setup_s']:8.1f} "
          f"{e['electrostatics_solve_s']:8.2f} {e['capacitance_matrix_s']:10.1f}")
def potentials(n):
    with open(os.path.join(out, n, "electrostatics_spheres.csv")) as f:
        return [float(r["potential_V"]) for r in csv.DictReader(f)]
print("max relative difference of sphere potentials, 1 vs 2 ranks:",
      max(abs(x / y - 1) for x, y in zip(potentials("np1"), potentials("np2"))))
for key in ("electrostatics_setup_s", "electrostatics_solve_s", "capacitance_matrix_s"):
    print(f"{key}: np1 / np2 = {s['np1'][key] / s['np2'][key]:.2f}")
PY
