#!/usr/bin/env bash
# Mesh benchmark: element count and Gmsh time of the default 77-sphere stream against
# Mesh/Elements per radius. Prints a table and writes benchmarks/results/mesh_scaling.csv.
# Measures, never asserts: the goal (default mesh < 60 s on 2 cores) is judged by a person.
set -euo pipefail
build=${1:-build}
out=$(mktemp -d)
mkdir -p benchmarks/results
csv=benchmarks/results/mesh_scaling.csv
echo "elements_per_radius,n_elements,n_nodes,min_quality,poor_elements,mesh_time_s" > "$csv"
printf "%20s %12s %10s %12s %8s %10s\n" "elements/radius" "tetrahedra" "nodes" "min quality" "poor" "time [s]"
for epr in 3 4 5 6 8; do
  "$build/mpstream" mesh inputs/hybrid_132kV.prm --output-dir "$out/$epr" \
    --set "Mesh/Elements per radius=$epr" --set "Output/Write VTU=false" 2>/dev/null
  s="$out/$epr/summary.json"
  get() { grep "\"$1\"" "$s" | head -1 | sed 's/.*: //; s/,$//'; }
  row="$epr,$(get n_elements),$(get n_nodes),$(get mesh_min_quality),$(get mesh_poor_elements),$(get mesh_time_s)"
  echo "$row" >> "$csv"
  IFS=, read -r a b c d e f <<< "$row"
  printf "%20s %12s %10s %12.4f %8s %10.1f\n" "$a" "$b" "$c" "$d" "$e" "$f"
done
rm -rf "$out"
echo "written: $csv"
