#!/usr/bin/env bash
# mc_field_throughput.sh [BUILD_DIR] (issue 15): histories per second of the electron MC with
# the stream's field (Monte Carlo/Field = electrostatics) against without, same geometry (the
# 12-sphere periodic test cell charged to about -50 kV), 1 rank, 1 thread, in one run; the ratio
# is the figure (goal >= 1/3). Times: the summary's mc_transport_s (the histories alone, not
# the mesh, the solve or the sampling).
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
out=$(mktemp -d)
H=${HISTORIES:-10000}
run() { # run NAME FIELD STEP_FRACTION
  "$build/mpstream" mc tests/app/data/small_periodic_cell.prm -o "$out/$1" --set "Monte Carlo/Histories=$H" \
    --set "Monte Carlo/Threads=1" --set "Monte Carlo/Field=$2" --set "Monte Carlo/Field step fraction=$3" \
    --set "Electrostatics/Sphere charge [C]=-2e-13" > /dev/null 2>&1
  python3 -c "import json,sys; m=json.load(open('$out/$1/summary.json'))['mc']; print(m['mc_transport_s'], m['q_muP'])"
}
read -r t0 q0 < <(run none none 0.02)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $H histories, 1 thread"
printf "  field-free          : %7.2f s  q_muP %.4f\n" "$t0" "$q0"
for f in 0.02 0.05 0.1; do
  read -r t q < <(run "field_$f" electrostatics "$f")
  printf "  field, step %-5s   : %7.2f s  q_muP %.4f  throughput ratio %.2f (goal >= 0.33)\n" "$f" "$t" "$q" \
    "$(python3 -c "print($t0 / $t)")"
done
rm -rf "$out"
