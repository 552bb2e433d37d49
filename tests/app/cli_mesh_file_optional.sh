#!/usr/bin/env bash
# cli_mesh_file_optional.sh MPSTREAM OUT_DIR: Output/Write mesh file = false (issue 16 item 5,
# "output that costs what it is worth"). The run writes no mesh.msh, the stage cache still keeps
# the mesh (in binary), a rerun into the folder reuses it without a file, and the results equal
# those of a run that writes mesh.msh, bit for bit (the solver takes the same mesh in memory).
# The benchmark's scenario (inputs/bench_one_sphere.prm, which writes none) on a coarse mesh.
# A regression test of the plumbing; the accuracy of the scenario is cli_one_sphere_reference's.
set -eu
mpstream=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
coarse=(--set "Mesh/Elements per radius=3" --set "Mesh/Size growth rate=0.4" --set "Mesh/Size growth exponent=1")
run() { "$mpstream" electrostatics inputs/bench_one_sphere.prm "${coarse[@]}" "$@"; }

run -o "$out/with_file" --set "Output/Write mesh file=true" > "$out/with_file.log" 2>&1 || { tail -n 5 "$out/with_file.log"; fail "run with mesh.msh"; }
[ -s "$out/with_file/mesh.msh" ] || fail "Write mesh file = true wrote no mesh.msh"

run -o "$out/without" --set "Output/Write mesh file=false" > "$out/without1.log" 2>&1 \
  || { tail -n 5 "$out/without1.log"; fail "run without mesh.msh"; }
[ ! -e "$out/without/mesh.msh" ] || fail "Write mesh file = false wrote mesh.msh"
ls "$out"/without/cache/mesh-*.bin > /dev/null 2>&1 || fail "no cached mesh"
cmp -s "$out/with_file/electrostatics_spheres.csv" "$out/without/electrostatics_spheres.csv" \
  || fail "the results depend on whether mesh.msh is written"

# A rerun with another charge: the mesh comes from the cache, still no file.
run -o "$out/without" --set "Output/Write mesh file=false" --set "Electrostatics/Sphere charge [C]=-2e-15" \
  > "$out/without2.log" 2>&1 || { tail -n 5 "$out/without2.log"; fail "rerun"; }
grep -q "^\[cache\] mesh: reused" "$out/without2.log" || fail "the rerun did not reuse the mesh"
[ ! -e "$out/without/mesh.msh" ] || fail "the rerun wrote mesh.msh"
run -o "$out/with_file2" --set "Output/Write mesh file=true" --set "Electrostatics/Sphere charge [C]=-2e-15" > "$out/with_file2.log" 2>&1 \
  || { tail -n 5 "$out/with_file2.log"; fail "fresh run at -2e-15 C"; }
cmp -s "$out/with_file2/electrostatics_spheres.csv" "$out/without/electrostatics_spheres.csv" \
  || fail "the rerun on the cached mesh differs from a fresh run"
echo "PASS: no mesh.msh when not asked for; the cached mesh is reused without it; results bit for bit equal"
