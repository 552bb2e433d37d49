#!/usr/bin/env bash
# cli_dynamics.sh MPSTREAM OUT_DIR: `mpstream dynamics` on the 4-sphere stream
# (tests/app/data/tiny_stream.prm, typed q) with the backscatter-only ramp as the main history
# and constant charges (-0.1 pC each, On threshold = continue) beside it, on 1 and 2 ranks:
# dynamics.csv holds the start and every recorded instant for every sphere with the documented
# columns; the summary keys are there; the backscatter-only ramp passes the displacement
# threshold (half the 0.1 um gap) inside the dwell; four like charges above the grounded anode
# repel each other (their gaps grow) and fall to the anode: first contact with the anode, later
# than the threshold; both rank counts give the same motion (1e-6: the force form's MPI sums).
set -eu
mpstream=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
args=(dynamics tests/app/data/tiny_stream.prm --set "Charging/Charge source=q_muP"
      --set "Dynamics/Charge history=backscatter only" --set "Dynamics/Other charge histories=constant"
      --set "Electrostatics/Sphere charge [C]=-1e-13" --set "Dynamics/On threshold=continue")
"$mpstream" "${args[@]}" --output-dir "$out/one" > "$out/one.log" 2>&1 || { tail -n 20 "$out/one.log"; exit 1; }
mpirun -np 2 --oversubscribe "$mpstream" "${args[@]}" --output-dir "$out/two" > "$out/two.log" 2>&1 \
  || { tail -n 20 "$out/two.log"; exit 1; }
/usr/bin/python3 - "$out" <<'PY'
import csv, json, math, sys
out = sys.argv[1]
def load(run):
    s = json.load(open(f"{out}/{run}/summary.json"))["dynamics"]
    rows = list(csv.DictReader(open(f"{out}/{run}/dynamics.csv")))
    return s, rows
s, rows = load("one")
s2, rows2 = load("two")
columns = ["t_s", "sphere", "layer", "x_m", "y_m", "z_m", "displacement_m", "v_x_m_per_s", "v_y_m_per_s",
           "v_z_m_per_s", "force_x_N", "force_y_N", "force_z_N", "charge_C"]
times = sorted({float(r["t_s"]) for r in rows})
keys = ["max_displacement_at_exit_m", "time_to_first_contact_s", "first_contact", "time_to_displacement_threshold_s",
        "dynamics_stop_reason", "max_displacement_at_stop_m", "displacement_z_layer_mean_at_stop_m",
        "constant_time_to_first_contact_s", "constant_first_contact"]
def close(a, b, rtol=1e-6):
    return abs(a - b) <= rtol * max(abs(a), abs(b)) + 1e-30
contact = s["constant_first_contact"] or {}
checks = {
    "columns": list(rows[0].keys()) == columns,
    "every sphere at every instant, from t = 0": times[0] == 0 and len(rows) == 4 * len(times),
    "summary keys": all(k in s for k in keys),
    "ramp passes the threshold inside the dwell": 0 < s["time_to_displacement_threshold_s"] < s["dynamics_end_time_s"]
        and close(s["displacement_threshold_m"], 0.5e-7, 1e-9),
    "charge ramps from 0": float(rows[0]["charge_C"]) == 0 and float(rows[-1]["charge_C"]) < 0,
    "constant charges fall to the anode": contact.get("other") == "anode"
        and s["constant_time_to_first_contact_s"] > s["constant_time_to_displacement_threshold_s"],
    "1 and 2 ranks agree": len(rows) == len(rows2) and all(
        close(float(a[c]), float(b[c])) for a, b in zip(rows, rows2) for c in columns[3:])
        and close(s["constant_time_to_first_contact_s"], s2["constant_time_to_first_contact_s"]),
}
for name, ok in checks.items():
    print(("ok   " if ok else "FAIL ") + name)
print("ramp: threshold at", s["time_to_displacement_threshold_s"], "s, stop:", s["dynamics_stop_reason"], "at",
      s["dynamics_stop_time_s"], "s; constant charges: threshold at", s["constant_time_to_displacement_threshold_s"], "s; constant charges: anode contact at",
      s["constant_time_to_first_contact_s"], "s")
sys.exit(0 if all(checks.values()) else 1)
PY
