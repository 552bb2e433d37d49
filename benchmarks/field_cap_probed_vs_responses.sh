#!/usr/bin/env bash
# Field cap of the 77-sphere default stream (inputs/hybrid_132kV.prm, Mode = field cap, q typed)
# on 2 ranks with both solvers: the N + 1 + E unit responses and the probed table with defect
# correction (issue 16 item 4, doc/charging.md "Field cap on probed tables"). Prints both
# states (min potential, capped / zero-charge counts), the per-sphere differences, solve
# counts, wall times and peak memory per process. Measures, never asserts.
# Usage: benchmarks/field_cap_probed_vs_responses.sh [build dir] [output dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build}/mpstream
OUT=${2:-results/bench_field_cap_probed}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$OUT"
for solver in responses probed; do
  /usr/bin/time -v mpirun -np 2 --oversubscribe "$BIN" charging inputs/hybrid_132kV.prm --output-dir "$OUT/$solver" \
    --no-cache --set "Charging/Mode=field cap" --set "Charging/Bounds=" --set "Charging/Charge source=q_muP" \
    --set "Charging/Field cap solver=$solver" --set "Output/Write VTU=false" > "$OUT/$solver.log" 2>&1 ||
    echo "$solver: failed (see $OUT/$solver.log)"
done
python3 - "$OUT" <<'PY'
import csv, json, os, re, sys
out = sys.argv[1]
runs = {}
for k in ("responses", "probed"):
    path = os.path.join(out, k, "summary.json")
    if not os.path.exists(path):
        sys.exit(f"{k}: no summary")
    s = json.load(open(path))
    log = open(os.path.join(out, k + ".log")).read()
    rows = list(csv.DictReader(open(os.path.join(out, k, "charging_spheres.csv"))))
    runs[k] = (s, rows, log)
print(f"{'solver':10} {'min phi V':>10} {'capped':>6} {'zero':>5} {'solves':>7} {'wall s':>7} {'max RSS GB':>10}")
for k, (s, rows, log) in runs.items():
    c = s["charging"]
    solves = c.get("charging_response_solves", 0) + c.get("charging_mode_field_solves", 0) + \
        (c["charging_iterations"] if k == "responses" else 0)
    rss = max(int(x) for x in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", log)) / 1e6
    print(f"{k:10} {c['stream_potential_min_V']:10.1f} {c['charging_capped_spheres']:6} "
          f"{c['charging_zero_charge_spheres_above_cap']:5} {solves:7} {s['wall_time_s']:7.0f} {rss:10.2f}")
a, b = runs["responses"][1], runs["probed"][1]
dq = max(abs(float(x["charge_C"]) - float(y["charge_C"])) for x, y in zip(a, b))
qmax = max(abs(float(x["charge_C"])) for x in a)
dp = max(abs(float(x["potential_V"]) - float(y["potential_V"])) for x, y in zip(a, b))
pmax = max(abs(float(x["potential_V"])) for x in a)
qa, qb = (sum(float(x["charge_C"]) for x in r) for r in (a, b))
print(f"per sphere: max |dQ| {dq:.3e} C ({dq / qmax:.1%} of max |Q|), max |dphi| {dp:.1f} V ({dp / pmax:.1%}); "
      f"total charge {qa:.4e} vs {qb:.4e} C ({abs(qb / qa - 1):.1%})")
PY
