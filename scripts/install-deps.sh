#!/usr/bin/env bash
# Installs exactly the Debian 12 packages mpstream needs to build, test and plot.
# Idempotent: packages already present are left alone; apt is only called when one is missing.
# `--bench` also installs what only the benchmarks need (GetDP for benchmarks/getdp_comparison.sh,
# DOLFINx 0.5 and the Gmsh Python API for benchmarks/one_sphere_vs_dolfinx.sh).
set -euo pipefail

PACKAGES=(
  g++ make cmake                      # tool chain
  libdeal.ii-dev                      # deal.II 9.4 with PETSc, Trilinos, p4est, MPI, Gmsh API
  libgmsh-dev                         # Gmsh SDK (C++ API, OpenCASCADE)
  libboost-program-options-dev        # command line
  nlohmann-json3-dev                  # reading summary.json back (merging stages run earlier)
  libgtest-dev                        # GoogleTest
  libopenmpi-dev openmpi-bin          # MPI compilers and mpirun
  python3-matplotlib python3-numpy    # postprocess/ plots and the run report (/usr/bin/python3)
  python3-scipy                       # the report's section maps (interpolation)
)
if [ "${1:-}" = "--bench" ]; then
  PACKAGES+=(getdp)                   # open FEM code of the electrostatics comparison
  PACKAGES+=(python3-dolfinx python3-gmsh) # FEniCSx peer of the one-sphere benchmark
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
