#!/bin/sh
# Electrostatics benchmark (issue 3): the default 77-sphere stream (inputs/hybrid_132kV.prm) on
# 1 and 2 MPI ranks with the full capacitance matrix, and one finer mesh above 1e6 DoFs on 2
# ranks. Prints DoFs, CG iterations, set-up / solve / capacitance-matrix times, the 1-vs-2
# rank ratios and agreement of the sphere potentials, and the speed of the two response
# methods; never fails on a time (doc/performance.md).
# Usage: benchmarks/electrostatics_benchmark.sh [build dir] [output dir]
set -e
cd "$(dirname "$0")/.."
BIN=${1:-build}/mpstream
OUT=${2:-results/bench_electrostatics}
PRM=inputs/hybrid_132kV.prm
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
run() { # name ranks extra-args...
  name=$1; np=$2; shift 2
  mpirun -np "$np" --oversubscribe "$BIN" electrostatics "$PRM" --output-dir "$OUT/$name" \
    --set "Output/Write VTU=false" "$@" > "$OUT/$name.log" 2>&1
}
mkdir -p "$OUT"
# One Gmsh thread: the same mesh in every run, so 1 and 2 ranks can be compared.
run np1 1 --set "Mesh/Threads=1" --set "Electrostatics/Capacitance matrix=true"
run np2 2 --set "Mesh/Threads=1" --set "Electrostatics/Capacitance matrix=true"
run np2_unit_charges 2 --set "Mesh/Threads=1" --set "Electrostatics/Capacitance matrix=true" \
  --set "Electrostatics/Response method=unit charges"
run fine_np2 2 --set "Mesh/Elements per radius=6"
python3 - "$OUT" <<'PY'
import csv, json, sys, os
out = sys.argv[1]
print(f"{'run':16} {'DoFs':>9} {'CG it':>6} {'setup s':>8} {'solve s':>8} {'C matrix s':>10} {'mesh s':>7}")
summary = {}
for name in ("np1", "np2", "np2_unit_charges", "fine_np2"):
    full = json.load(open(os.path.join(out, name, "summary.json")))
    s = summary[name] = full["electrostatics"]
    mesh_s = full.get("mesh", {}).get("mesh_time_s", float("nan"))
    print(f"{name:16} {s['n_dofs']:9d} {s['solver_iterations']:6d} {s['electrostatics_setup_s']:8.1f} "
          f"{s['electrostatics_solve_s']:8.2f} {s.get('capacitance_matrix_s', float('nan')):10.1f} {mesh_s:7.1f}")
def potentials(name):
    with open(os.path.join(out, name, "electrostatics_spheres.csv")) as f:
        return [float(r["potential_V"]) for r in csv.DictReader(f)]
a, b = potentials("np1"), potentials("np2")
print("max relative difference of sphere potentials, 1 vs 2 ranks:",
      max(abs(x / y - 1) for x, y in zip(a, b)))
def ratio(key, x, y):
    print(f"{key}: {x} / {y} = {summary[x][key] / summary[y][key]:.2f}")
ratio("capacitance_matrix_s", "np1", "np2")
ratio("electrostatics_solve_s", "np1", "np2")
ratio("electrostatics_setup_s", "np1", "np2")
ratio("capacitance_matrix_s", "np2_unit_charges", "np2")
PY
