#!/usr/bin/env bash
# cli_dwell.sh MPSTREAM OUT_DIR: `mpstream charging` in the coupled-dwell mode on 2 ranks
# (tests/app/data/dwell_small.prm) and what the run must hold: charging_dwell.csv with the
# entry and every step, temperatures rising from the entry temperature, the extreme over the
# dwell at or below the exit, the bounds' keys, and the exit discharged against backscatter only.
set -eu
mpstream=$1; out=$2
rm -rf "$out"; mkdir -p "$(dirname "$out")"
mpirun -np 2 "$mpstream" charging tests/app/data/dwell_small.prm --output-dir "$out" > "$out.log" 2>&1 \
  || { tail -n 20 "$out.log"; exit 1; }
/usr/bin/python3 - "$out" <<'PY'
import csv, json, sys
out = sys.argv[1]
s = json.load(open(out + "/summary.json"))["charging"]
rows = [r for r in csv.DictReader(open(out + "/charging_dwell.csv")) if r["group"] == "stream"]
checks = {
    "mode is dwell": s["charging_mode"] == "dwell",
    "entry + 50 steps": len(rows) == 51 and s["dwell_time_steps"] == 50,
    "starts uncharged at 1073.15 K": float(rows[0]["charge_mean_C"]) == 0 and abs(float(rows[0]["temperature_mean_K"]) - 1073.15) < 1e-9,
    "heats up": float(rows[-1]["temperature_mean_K"]) > 1500,
    "min over dwell <= exit": s["stream_potential_min_over_dwell_V"] <= s["stream_potential_min_V"] + 1e-6 * abs(s["stream_potential_min_V"]),
    "discharged against backscatter only": s["stream_potential_min_V"] > s["stream_potential_backscatter_only_min_V"],
    "bounds reported": all(k in s for k in ("bound_field_cap_stream_potential_min_V", "bound_murphy_good_stream_potential_min_V")),
    "emission current reported": s["emission_current_max_A"] > 0,
}
for name, ok in checks.items():
    print(("ok   " if ok else "FAIL ") + name)
sys.exit(0 if all(checks.values()) else 1)
PY
