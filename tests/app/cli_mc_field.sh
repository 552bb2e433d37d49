#!/usr/bin/env bash
# cli_mc_field.sh MPSTREAM MPIEXEC OUT_DIR (issue 15 item 1): `mpstream mc` with Monte Carlo/
# Field = electrostatics on a small periodic cell charged to ~ -10 kV. Checks: the field did
# negative work on the electrons (the stream repels them), mc_spheres.csv has every sphere, and
# 1 and 2 ranks agree (regression: the sampled field is partition-independent up to the FE
# solver's tolerance, 1e-12; the tallies then agree to far better than their 1e-6 bound).
set -eu
mpstream=$1; mpiexec=$2; out=$3
rm -rf "$out"; mkdir -p "$out"
args=(mc tests/app/data/small_periodic_cell.prm --set "Monte Carlo/Histories=3000" --set "Monte Carlo/Threads=1"
      --set "Monte Carlo/Field=electrostatics" --set "Electrostatics/Sphere charge [C]=-2e-13")
"$mpstream" "${args[@]}" -o "$out/one" > /dev/null
"$mpiexec" -n 2 --oversubscribe "$mpstream" "${args[@]}" -o "$out/two" > /dev/null
python3 - "$out" <<'PY'
import csv, json, sys
out = sys.argv[1]
one = json.load(open(f"{out}/one/summary.json"))["mc"]
two = json.load(open(f"{out}/two/summary.json"))["mc"]
def fail(msg):
    print("FAIL:", msg); sys.exit(1)
if one.get("mc_field") != "electrostatics": fail("mc_field is not 'electrostatics'")
if not one["mc_field_work_fraction"] < 0: fail("the field did no negative work: %g" % one["mc_field_work_fraction"])
rows = list(csv.DictReader(open(f"{out}/one/mc_spheres.csv")))
if len(rows) != 12: fail("mc_spheres.csv has %d rows, not the layout's 12" % len(rows))
for key in ("eta", "eta_E", "S_muP", "q_muP", "mc_field_work_fraction"):
    a, b = one[key], two[key]
    if abs(a - b) > 1e-6 * max(abs(a), 1e-3): fail(f"{key}: 1 rank {a}, 2 ranks {b}")
print("field work %.4g of the beam energy, q_muP %.4f (1 rank) / %.4f (2 ranks)" % (one["mc_field_work_fraction"], one["q_muP"], two["q_muP"]))
PY
