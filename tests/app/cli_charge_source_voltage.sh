#!/usr/bin/env bash
# cli_charge_source_voltage.sh MPSTREAM OUT_DIR: the charging stage's q follows the operating
# point (issue 13): `mpstream charging` on four spheres (tiny_stream.prm) at 132 kV and at 80 kV, charge source
# = monte carlo (default), nothing typed for q. The mean q over the spheres must differ by more
# than 4 combined standard errors. The standard error of the mean is bounded above by the mean of
# the per-sphere standard errors (sd of a sum <= sum of the sds, whatever the correlations).
set -eu
mpstream=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
for U in 132e3 80e3; do
  "$mpstream" charging tests/app/data/tiny_stream.prm --output-dir "$out/$U" \
    --set "Monte Carlo/Histories=4000" \
    --set "Operating point/Tube voltage [V]=$U" > "$out/$U.log" 2>&1 || { tail -n 20 "$out/$U.log"; exit 1; }
done
/usr/bin/python3 - "$out" <<'PY'
import csv, json, math, sys
out = sys.argv[1]
def mean_q(U):
    rows = list(csv.DictReader(open(f"{out}/{U}/charging_spheres.csv")))
    q = [float(r["q_muP"]) for r in rows]
    err = [float(r["q_muP_stderr"]) for r in rows]
    summary = json.load(open(f"{out}/{U}/summary.json"))["charging"]
    assert summary["charging_charge_source"] == "monte carlo", summary["charging_charge_source"]
    assert abs(summary["q_muP_mean"] - sum(q) / len(q)) <= 1e-8 * abs(summary["q_muP_mean"])  # the CSV has 10 digits
    return sum(q) / len(q), sum(err) / len(err)
(q132, e132), (q80, e80) = mean_q("132e3"), mean_q("80e3")
combined = math.hypot(e132, e80)
print(f"mean q: 132 kV {q132:.4f} +- {e132:.4f}, 80 kV {q80:.4f} +- {e80:.4f}")
if not abs(q80 - q132) > 4 * combined:
    sys.exit(f"FAIL: q at 80 kV and 132 kV differ by {abs(q80 - q132):.4f}, not more than 4 x {combined:.4f}")
PY
