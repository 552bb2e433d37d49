#!/usr/bin/env bash
# Large streams (issue 16 item 4): the field-limited (field cap) state of hexagonal patches of
# growing size with Charging/Field cap solver = probed, on 2 ranks. Prints per size the
# spheres, DoFs, mesh / electrostatics set-up / charging times, the solves of the field cap
# (probes + table + confirming; probes at the response tolerance 1e-6, doc/hpc.md), the largest
# resident set of one process, and for comparison
# the solves the responses would take (N + 1 + E). Measures, never asserts (doc/performance.md).
# Usage: benchmarks/large_streams.sh [build dir] [output dir]
#   SIZES="7x11 10x15" (rows x spheres per row; the default; add 15x20 20x30 25x40 for the
#   large-stream table of doc/performance.md) ; RANKS=2 ; SURFACE_POINTS=192 PATCH_POINTS=48
#   (the 1000-sphere run of doc/performance.md: 48 and 12, for the dense table's memory) ;
#   SOLVER_TOLERANCE=1e-12 (the confirming full solves; that run: 1e-8)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build}/mpstream
OUT=${2:-results/bench_large_streams}
SIZES=${SIZES:-"7x11 10x15"}
RANKS=${RANKS:-2}
SURFACE_POINTS=${SURFACE_POINTS:-192}
PATCH_POINTS=${PATCH_POINTS:-48}
SOLVER_TOLERANCE=${SOLVER_TOLERANCE:-1e-12}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$OUT"
for size in $SIZES; do
  rows=${size%x*}; cols=${size#*x}
  # The enclosure (default 200 um) grows with the patch: 100 um clear of it on each side.
  width=$(python3 -c "print(max(200e-6, ${cols} * 5.1e-6 + 200e-6))")
  /usr/bin/time -v mpirun -np "$RANKS" --oversubscribe "$BIN" charging inputs/hybrid_132kV.prm \
    --output-dir "$OUT/$size" --no-cache \
    --set "Geometry/Rows=$rows" --set "Geometry/Spheres per row=$cols" \
    --set "Enclosure/Size x [m]=$width" --set "Enclosure/Size y [m]=$width" \
    --set "Charging/Mode=field cap" --set "Charging/Bounds=" --set "Charging/Charge source=q_muP" \
    --set "Charging/Field cap solver=probed" --set "Electrostatics/Response solver tolerance=1e-6" \
    --set "Electrostatics/Solver tolerance=$SOLVER_TOLERANCE" \
    --set "Charging/Surface points=$SURFACE_POINTS" --set "Charging/Patch points=$PATCH_POINTS" \
    --set "Output/Write VTU=false" \
    > "$OUT/$size.log" 2>&1 || echo "$size: failed (see $OUT/$size.log)"
done
python3 - "$OUT" $SIZES <<'PY'
import json, os, re, sys
out, sizes = sys.argv[1], sys.argv[2:]
print(f"{'patch':7} {'N':>5} {'DoFs':>9} {'mesh s':>7} {'setup s':>8} {'charging s':>10} {'FC solves':>9} "
      f"{'N+1+E':>6} {'max RSS GB':>10}")
for size in sizes:
    path = os.path.join(out, size, "summary.json")
    if not os.path.exists(path):
        print(f"{size:7} (no summary)"); continue
    s = json.load(open(path))
    c, m = s.get("charging", {}), s.get("mesh", {})
    log = open(os.path.join(out, size + ".log")).read()
    rss = max(int(x) for x in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", log)) / 1e6
    dofs = int(re.search(r"(\d+) DoFs", log).group(1))
    electrodes = int(re.search(r"(\d+) electrode\(s\)", log).group(1))
    n = s["layout"]["n_spheres"]
    solves = c.get("charging_mode_field_solves", 0) + c.get("charging_response_solves", 0)
    print(f"{size:7} {n:5} {dofs:9} {m.get('mesh_time_s', float('nan')):7.0f} {c.get('charging_setup_s', float('nan')):8.0f} "
          f"{c.get('charging_responses_s', 0) + c.get('charging_mode_s', 0):10.0f} {solves:9} {n + 1 + electrodes:6} {rss:10.2f}")
PY
