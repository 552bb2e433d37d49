#!/usr/bin/env bash
# cli_mesh_run.sh MPSTREAM OUT_DIR: `mpstream mesh` on a small stream writes the mesh, its VTU,
# the layout and a complete summary.json with the keys; a CSV layout works too.
set -eu
mpstream=$1; out=$2
rm -rf "$out"
"$mpstream" mesh tests/app/data/small_stream.prm --output-dir "$out/small"
for f in mesh.msh mesh.vtu spheres.csv parameters_used.prm summary.json; do
  [ -s "$out/small/$f" ] || { echo "missing $f"; exit 1; }
done
for key in '"status": "complete"' '"n_spheres": 12' '"n_layers": 2' '"n_elements"' '"mesh_min_quality"'; do
  grep -q "$key" "$out/small/summary.json" || { echo "summary.json lacks $key"; exit 1; }
done
# --set overrides, and a CSV layout (two spheres, no electrodes).
"$mpstream" mesh tests/app/data/small_stream.prm --output-dir "$out/csv" \
  --set "Geometry/Layout=csv" --set "Geometry/Sphere file=two_spheres.csv" \
  --set "Auxiliary electrodes/Enabled=false"
grep -q '"n_spheres": 2' "$out/csv/summary.json"
grep -q '"n_physical_surfaces": 4' "$out/csv/summary.json" # 2 spheres, anode, enclosure
echo "OK"
