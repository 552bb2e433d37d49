#!/usr/bin/env bash
# `make bench`: every benchmark, one after the other (each prints its own table and ratios).
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for bench in benchmarks/*.sh; do
  [ "$(basename "$bench")" = run_all.sh ] && continue
  echo "== $bench"; bash "$bench" "$build"
done
for exe in $(find "$build/benchmarks" -maxdepth 2 -type f -executable -not -path "*/CMakeFiles/*" | sort); do
  echo "== $exe"; "$exe"
done
