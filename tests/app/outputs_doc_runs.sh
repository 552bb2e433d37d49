#!/usr/bin/env bash
# outputs_doc_runs.sh MPSTREAM OUT_DIR: the cheapest runs that write the outputs no other test's
# folder has, for doc_outputs (doc/outputs.md checked against them; ~10 s CPU in all):
#   OUT_DIR/emission        mpstream emission: emission_table.csv and the emission keys
#   OUT_DIR/sweep           mpstream electrostatics with the capacitance matrix, then mpstream
#                           charging with a tube-voltage sweep into the same folder (charging_sweep.csv,
#                           the matrix CSVs, and the summary's earlier_runs)
#   OUT_DIR/transient       mpstream thermal with the transient limit, also at another voltage
#                           (transient_limits.csv and the transient-limit keys)
# Coarse settings throughout: these runs show which outputs exist, not their values.
set -eu
mpstream=$1; out=$2
data=tests/app/data
rm -rf "$out"; mkdir -p "$out"
run() { # run NAME ARGS...: one mpstream command, its output in OUT_DIR/NAME.log
  local name=$1; shift
  "$mpstream" "$@" >> "$out/$name.log" 2>&1 || { tail -n 20 "$out/$name.log"; exit 1; }
}
run emission emission inputs/emission_table.prm -o "$out/emission"
run sweep electrostatics $data/tiny_stream.prm -o "$out/sweep" --set "Electrostatics/Capacitance matrix=true"
run sweep charging $data/tiny_stream.prm -o "$out/sweep" --set "Monte Carlo/Histories=2000" \
  --set "Charging/Sweep tube voltages [V]=80e3"
run transient thermal inputs/fig9a_rotor_100mps.prm -o "$out/transient" \
  --set "Thermal/Heat source=exponential depth" --set "Thermal/Global refinements=0" \
  --set "Thermal/Relaxation time [s]=0" --set "Thermal/Time error tolerance [K]=20" \
  --set "Thermal/Transient limit=true" --set "Thermal/Transient limit voltages [V]=100e3"
