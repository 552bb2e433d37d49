#!/usr/bin/env bash
# regression_headline.sh OUT_DIR MIN_ROWS COMMAND...: run COMMAND (an mpstream command on the
# default scenario or the MC's Table-1 input, writing into OUT_DIR) and check that it reproduces
# the numbers doc/headline_numbers.md quotes (tests/app/check_headline_numbers.py: 4 significant
# digits, at least MIN_ROWS rows). A regression test: the reference is this code's own earlier run.
set -eu
out=$1; min_rows=$2; shift 2
rm -rf "$out"; mkdir -p "$(dirname "$out")"
"$@" > "$out.log" 2>&1 || { tail -n 20 "$out.log"; exit 1; }
/usr/bin/python3 tests/app/check_headline_numbers.py doc/headline_numbers.md "$out" "$min_rows"
