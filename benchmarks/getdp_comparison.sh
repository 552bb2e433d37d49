#!/usr/bin/env bash
# mpstream vs GetDP on the same mesh (issue 3, item 7; method: benchmarks/getdp/README.md).
# For each case mpstream meshes and solves (`mpstream electrostatics`), then GetDP solves the
# same problem on the mesh mpstream wrote (made second order with mpstream's sphere
# projection), with the same CG tolerance and BoomerAMG. Prints DoFs, iterations, times, the
# time ratio mpstream/GetDP, errors against analytic references and the sphere-potential
# difference between the two codes. Never fails on a time; fails if a code fails.
# Usage: benchmarks/getdp_comparison.sh [path/to/mpstream] [output dir]
#   GETDP_CASES="isolated_h5 plane_h5 ..." runs a subset (default: all below).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath -m "${1:-$ROOT/build/mpstream}")
[ -d "$BIN" ] && BIN=$BIN/mpstream # a build directory, as benchmarks/run_all.sh passes
OUT=$(realpath -m "${2:-$ROOT/results/bench_getdp}")
cd "$ROOT"
CASES=${GETDP_CASES:-"isolated_h5 isolated_h10 plane_h5 plane_h10 stream"}
PY=/usr/bin/python3 # Debian's python3 with numpy (scripts/install-deps.sh)

if ! command -v getdp > /dev/null; then
  echo "getdp_comparison: GetDP is not installed (Debian package 'getdp'); run 'scripts/install-deps.sh --bench'" >&2
  exit 2
fi
if [ ! -x "$BIN" ]; then
  echo "getdp_comparison: no mpstream binary at '$BIN'; run 'make build' first or pass its path" >&2
  exit 2
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# The solver of mpstream (doc/electrostatics.md): CG to ||b - Ax|| <= 1e-12 ||b||, BoomerAMG with
# strong threshold 0.5. PETSc's CG with the unpreconditioned norm tests the same residual.
PETSC=(-ksp_type cg -ksp_norm_type unpreconditioned -ksp_rtol 1e-12 -ksp_max_it 1000
       -pc_type hypre -pc_hypre_type boomeramg -pc_hypre_boomeramg_strong_threshold 0.5)
R=2.5e-6
FINE=(--set "Mesh/Elements per radius=10" --set "Mesh/Size growth rate=0.15" --set "Mesh/Maximum element size [m]=10e-6")
ONE_SPHERE=(--set "Geometry/Layout=csv" --set "Auxiliary electrodes/Enabled=false")
# Isolated sphere: cube of side 40 R centred on the sphere, no anode (tests' IsolatedSphereInGroundedCube).
ISOLATED=("${ONE_SPHERE[@]}" --set "Geometry/Anode=false" --set "Enclosure/Size x [m]=100e-6"
          --set "Enclosure/Size y [m]=100e-6" --set "Enclosure/Height [m]=50e-6"
          --set "Enclosure/Floor without anode [m]=-50e-6")
# Sphere centre at d = 2 R above the anode, default 200 x 200 x 100 um box (SphereAboveGroundedPlane).
PLANE=("${ONE_SPHERE[@]}")
# The default 77-sphere stream; electrode potentials are arbitrary test values (non-zero, so
# that the Dirichlet lifting is compared too); the uniform charge is the default -1e-15 C.
STREAM=(--set "Electrostatics/Electrode potentials [V]=-10,-20,-30,-40,-50")

mkdir -p "$OUT/inputs"
printf 'x,y,z,radius\n0,0,0,%s\n' "$R" > "$OUT/inputs/sphere_at_origin.csv"
printf 'x,y,z,radius\n0,0,5e-6,%s\n' "$R" > "$OUT/inputs/sphere_above_plane.csv"
printf 'subsection Geometry\n  set Sphere file = sphere_at_origin.csv\nend\n' > "$OUT/inputs/isolated.prm"
printf 'subsection Geometry\n  set Sphere file = sphere_above_plane.csv\nend\n' > "$OUT/inputs/plane.prm"

run_case() { # name prm probe-point(x y z or -) mpstream-args...
  local name=$1 prm=$2 probe=$3; shift 3
  local dir=$OUT/$name
  rm -rf "$dir"; mkdir -p "$dir/getdp"
  echo "[$name] mpstream ..."
  if ! "$BIN" electrostatics "$prm" --output-dir "$dir/mpstream" --set "Output/Write VTU=false" \
       --set "Mesh/Threads=1" --set "Electrostatics/Profile points=2" \
       --set "Electrostatics/Cross-section points=2" "$@" > "$dir/mpstream.log" 2>&1; then
    echo "getdp_comparison: mpstream failed on case $name; see $dir/mpstream.log" >&2; exit 3
  fi
  "$PY" benchmarks/getdp/prepare_case.py "$dir/mpstream" "$dir/getdp"
  cp benchmarks/getdp/floating_spheres.pro "$dir/getdp/"
  local probe_args=()
  if [ "$probe" != "-" ]; then
    read -r px py pz <<< "$probe"
    probe_args=(-setnumber ProbeX "$px" -setnumber ProbeY "$py" -setnumber ProbeZ "$pz")
  fi
  echo "[$name] GetDP ..."
  local t0 t1
  t0=$(date +%s.%N)
  if ! (cd "$dir/getdp" && getdp floating_spheres.pro -msh mesh.msh -solve Electrostatics -pos Spheres \
          "${probe_args[@]}" "${PETSC[@]}" > getdp.log 2>&1); then
    echo "getdp_comparison: GetDP failed on case $name; see $dir/getdp/getdp.log" >&2; exit 3
  fi
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' > "$dir/getdp/wall_s"
  if [ ! -s "$dir/getdp/sphere_potentials.txt" ]; then
    echo "getdp_comparison: GetDP wrote no sphere potentials on case $name; see $dir/getdp/getdp.log" >&2; exit 3
  fi
}

for c in $CASES; do
  case $c in
    isolated_h5)  run_case "$c" "$OUT/inputs/isolated.prm" "0 0 -$R" "${ISOLATED[@]}" ;;
    isolated_h10) run_case "$c" "$OUT/inputs/isolated.prm" "0 0 -$R" "${ISOLATED[@]}" "${FINE[@]}" ;;
    plane_h5)     run_case "$c" "$OUT/inputs/plane.prm" "0 0 $R" "${PLANE[@]}" ;;
    plane_h10)    run_case "$c" "$OUT/inputs/plane.prm" "0 0 $R" "${PLANE[@]}" "${FINE[@]}" ;;
    stream)       run_case "$c" inputs/hybrid_132kV.prm - "${STREAM[@]}" ;;
    *) echo "getdp_comparison: unknown case '$c'" >&2; exit 2 ;;
  esac
done
"$PY" benchmarks/getdp/compare.py "$OUT"
