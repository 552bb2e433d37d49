#!/usr/bin/env bash
# Weak scaling of the electrostatics stage at 1 and 2 ranks (issue 16 item 4): the default
# 5-layer stream with the patch grown so the DoFs per rank stay about the same — 7 x 11 (77
# spheres, ~0.95 M DoFs) on 1 rank, 10 x 15 (150 spheres, ~1.6 M DoFs) on 2 ranks — plus 7 x 11
# on 2 ranks (strong scaling, for reference). The mesh is made first (`mpstream mesh`, serial
# Gmsh, reused from the stage cache) so the table shows the parallel part: set-up (partition,
# DoFs, assembly, AMG), one solve at the default tolerance, CG iterations, largest resident set
# of one process. Ideal weak scaling: equal set-up and solve times in the two weak rows.
# Usage: benchmarks/weak_scaling.sh [build dir] [output dir]. Measures, never asserts.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build}/mpstream
OUT=${2:-results/bench_weak_scaling}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$OUT"
run_case() { # NAME ROWS PER_ROW RANKS
  local name=$1 rows=$2 cols=$3 ranks=$4
  local width
  width=$(python3 -c "print(max(200e-6, ${cols} * 5.1e-6 + 200e-6))")
  local args=(inputs/hybrid_132kV.prm --output-dir "$OUT/${rows}x${cols}" --set "Geometry/Rows=$rows"
              --set "Geometry/Spheres per row=$cols" --set "Enclosure/Size x [m]=$width"
              --set "Enclosure/Size y [m]=$width" --set "Output/Write VTU=false")
  "$BIN" mesh "${args[@]}" > "$OUT/$name.mesh.log" 2>&1
  /usr/bin/time -v mpirun -np "$ranks" --oversubscribe "$BIN" electrostatics "${args[@]}" > "$OUT/$name.log" 2>&1 ||
    echo "$name: failed (see $OUT/$name.log)"
  cp "$OUT/${rows}x${cols}/summary.json" "$OUT/$name.summary.json"
}
run_case weak_77_1rank 7 11 1
run_case weak_150_2ranks 10 15 2
run_case strong_77_2ranks 7 11 2
python3 - "$OUT" <<'PY'
import json, os, re, sys
out = sys.argv[1]
print(f"{'case':18} {'ranks':>5} {'DoFs':>9} {'DoFs/rank':>9} {'set-up s':>8} {'solve s':>7} {'CG it':>5} {'max RSS GB':>10}")
for name in ("weak_77_1rank", "weak_150_2ranks", "strong_77_2ranks"):
    s = json.load(open(os.path.join(out, name + ".summary.json")))
    e, ranks = s["electrostatics"], s["mpi_ranks"]
    log = open(os.path.join(out, name + ".log")).read()
    rss = max(int(x) for x in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", log)) / 1e6
    print(f"{name:18} {ranks:5} {e['n_dofs']:9} {e['n_dofs'] // ranks:9} {e['electrostatics_setup_s']:8.1f} "
          f"{e['electrostatics_solve_s']:7.1f} {e['solver_iterations']:5} {rss:10.2f}")
PY
