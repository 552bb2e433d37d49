#!/usr/bin/env bash
# cli_run_golden.sh MPSTREAM OUT_DIR: `mpstream run` on tests/app/data/golden_run.prm (2 ranks)
# reproduces tests/app/golden/ to round-off (a regression test of every stage's outputs).
# After an intended change of results, regenerate the golden files with
#   mpirun -np 2 build/mpstream run tests/app/data/golden_run.prm -o /tmp/golden
#   cp /tmp/golden/*.csv /tmp/golden/summary.json tests/app/golden/
# and say in the commit why the numbers moved.
set -eu
mpstream=$1; out=$2
rm -rf "$out"; mkdir -p "$(dirname "$out")"
mpirun -np 2 "$mpstream" run tests/app/data/golden_run.prm --output-dir "$out" > "$out.log" 2>&1 \
  || { tail -n 20 "$out.log"; exit 1; }
/usr/bin/python3 tests/app/compare_outputs.py tests/app/golden "$out"
