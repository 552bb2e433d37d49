#!/usr/bin/env bash
# Memory per MPI rank against DoFs, spheres and Monte Carlo histories (issue 16 item 3, for
# doc/hpc.md): each rank runs under /usr/bin/time -v; its maximum resident set size is read back.
# Cases: the electrostatics stage of tests/app/data/small_stream.prm (12 spheres, P2) at 3, 5, 7
# elements per radius; its charging stage (one unit response per sphere and electrode); the MC
# stage of inputs/mc_table1.prm at one voltage, 1e4 to 1e6 histories; the electrostatics stage
# of the default 77-sphere stream; each on 1 and 2 ranks.
# Writes benchmarks/results/hpc_memory.csv. Measures, never asserts.
set -euo pipefail
build=${1:-build}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$(mktemp -d)
mkdir -p benchmarks/results
csv=benchmarks/results/hpc_memory.csv
echo "case,ranks,n_dofs,histories,rank0_max_rss_MB,other_ranks_max_rss_MB,wall_s" > "$csv"
small=tests/app/data/small_stream.prm

# measure NAME RANKS DOFS HISTORIES ARGS...: one run, one CSV row.
measure() {
  local name=$1 ranks=$2 dofs=$3 histories=$4; shift 4
  local dir="$out/$name.$ranks"
  local t0=$(date +%s.%N)
  mpirun -np "$ranks" --oversubscribe sh -c '/usr/bin/time -v -o "$0.rank$OMPI_COMM_WORLD_RANK" "$@"' \
    "$dir.time" "$build/mpstream" "$@" --output-dir "$dir" --set "Output/Write VTU=false" > "$dir.log" 2>&1
  local wall=$(echo "$(date +%s.%N) - $t0" | bc)
  rss() { grep "Maximum resident set size" "$1" | awk '{printf "%.0f", $NF / 1024}'; }
  local others="" r
  for ((r = 1; r < ranks; ++r)); do others=$(rss "$dir.time.rank$r"); done
  if [ "$dofs" = from_summary ]; then
    dofs=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['electrostatics']['n_dofs'])" "$dir/summary.json")
  fi
  local row="$name,$ranks,$dofs,$histories,$(rss "$dir.time.rank0"),$others,$(printf %.1f "$wall")"
  echo "$row" >> "$csv"; echo "$row"
}

echo "case,ranks,n_dofs,histories,rank0_MB,other_ranks_MB,wall_s"
for epr in 3 5 7; do
  for ranks in 1 2; do
    measure "electrostatics_epr$epr" $ranks from_summary 0 electrostatics $small --set "Mesh/Elements per radius=$epr"
  done
done
for epr in 3 5; do
  dofs=$(grep "^electrostatics_epr$epr,1," "$csv" | cut -d, -f3)
  for ranks in 1 2; do
    measure "charging_epr$epr" $ranks "$dofs" 0 charging $small --set "Mesh/Elements per radius=$epr" \
      --set "Charging/Patch centre radius [pitches]=1.5" --set "Charging/Charge source=q_muP"
  done
done
# The default 77-sphere stream (inputs/hybrid_132kV.prm) at its own mesh: electrostatics stage.
for ranks in 1 2; do
  measure "electrostatics_default_stream" $ranks from_summary 0 electrostatics inputs/hybrid_132kV.prm
done
for histories in 10000 100000 1000000; do
  for ranks in 1 2; do
    measure "mc_$histories" $ranks 0 $histories mc inputs/mc_table1.prm \
      --set "Monte Carlo/Tube voltages [V]=100e3" --set "Monte Carlo/Histories=$histories"
  done
done
rm -rf "$out"
echo "written: $csv"
