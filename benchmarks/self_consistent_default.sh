#!/usr/bin/env bash
# self_consistent_default.sh [BUILD_DIR] (issue 15): wall time of the self-consistent
# backscatter-only state of the default stream (inputs/focal_spot_interior.prm, Mode = backscatter
# only: the charge grown in its own field, solver/charge_growth.h) on 2 ranks, beside the
# field-free charging run of the same scenario, in one run. Goal: the self-consistent state in
# < 15 min on 2 cores. Prints the load so that a loaded machine shows.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
out=$(mktemp -d)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
args=(charging inputs/focal_spot_interior.prm --set "Charging/Mode=backscatter only" --set "Charging/Bounds="
      --set "Dynamics/Charge history=backscatter only" --set "Dynamics/Other charge histories=")
run() { # run NAME SELF_CONSISTENT
  local t0=$SECONDS
  mpirun -np 2 "$build/mpstream" "${args[@]}" --set "Charging/Self-consistent field=$2" -o "$out/$1" > "$out/$1.log" 2>&1
  echo $((SECONDS - t0))
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
t_free=$(run free off)
t_self=$(run self on)
python3 - "$out" "$t_free" "$t_self" <<'PY'
import json, sys
out, t_free, t_self = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
c = json.load(open(f"{out}/self/summary.json"))["charging"]
print(f"field-free charging run      : {t_free:7.0f} s wall")
print(f"self-consistent charging run : {t_self:7.0f} s wall ({t_self / 60:.1f} min, goal < 15 min), "
      f"ratio {t_self / t_free:.2f}; growth {c['self_consistent_s']:.0f} s in {c['self_consistent_growth_steps']} steps")
print(f"  backscatter only: field-free {c['stream_potential_backscatter_only_field_free_min_V'] / 1e3:.1f} kV, "
      f"in its own field {c['stream_potential_self_consistent_min_V'] / 1e3:.1f} kV, "
      f"cut-off reached at {c['self_consistent_cutoff_reached_at_dwell_fraction']} of the dwell")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
