#!/usr/bin/env bash
# Mesh benchmark against the number of spheres (issue 16): Gmsh wall and CPU time of
# `mpstream mesh` for the default stream (5 layers, 5 elements per radius) with more rows and
# spheres per row. Usage: benchmarks/mesh_sphere_count.sh [build] [ROWSxPER_ROW:BOX_UM ...]
# (default 7x11:200 10x15:300 15x20:300). Writes benchmarks/results/mesh_sphere_count.csv.
# Measures, never asserts.
set -euo pipefail
build=${1:-build}
shift || true
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(7x11:200 10x15:300 15x20:300)
out=$(mktemp -d)
mkdir -p benchmarks/results
csv=benchmarks/results/mesh_sphere_count.csv
echo "rows,spheres_per_row,enclosure_um,n_elements,n_nodes,mesh_time_s,cpu_s" > "$csv"
for c in "${cases[@]}"; do
  rows=${c%%x*}; rest=${c#*x}; per_row=${rest%%:*}; box=${rest#*:}
  dir="$out/$c"
  /usr/bin/time -f "%U %S" -o "$out/time" "$build/mpstream" mesh inputs/hybrid_132kV.prm --output-dir "$dir" \
    --no-cache --set "Output/Write VTU=false" --set "Geometry/Rows=$rows" \
    --set "Geometry/Spheres per row=$per_row" --set "Enclosure/Size x [m]=${box}e-6" \
    --set "Enclosure/Size y [m]=${box}e-6" 2>/dev/null
  get() { grep "\"$1\"" "$dir/summary.json" | head -1 | sed 's/.*: //; s/,$//'; }
  cpu=$(awk '{print $1 + $2}' "$out/time")
  row="$rows,$per_row,$box,$(get n_elements),$(get n_nodes),$(get mesh_time_s),$cpu"
  echo "$row" | tee -a "$csv"
done
rm -rf "$out"
echo "written: $csv"
