#!/usr/bin/env bash
# cli_stage_cache_reuse.sh MPSTREAM OUT_DIR (issue 16 item 2a): a rerun that changes only
# downstream parameters reuses every cached product and equals a fresh run bit for bit.
# Scenario tests/app/data/stage_cache.prm (`mpstream charging`, 2 ranks): the mesh, the charging
# Monte Carlo, the responses, the whole-stream Monte Carlo and transient.
#  R. reference: a fresh run with the changed parameters, --no-cache (no cache folder, cache.enabled false);
#  D. a fresh run of the scenario, then rerun into its folder with the changed parameters:
#     every product reused (log and summary say so), outputs identical to R's (rtol 0).
# A regression test: the reference is this code's own fresh computation.
set -eu
mpstream=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
scenario=tests/app/data/stage_cache.prm
changed=(--set "Charging/Work function [eV]=4.6" --set "Charging/Field cap [V/m]=2e9")
charging() { mpirun -np 2 --oversubscribe "$mpstream" charging "$scenario" "$@"; }
summary() { /usr/bin/python3 -c "import json,sys; s=json.load(open('$1/summary.json')); print($2)"; }

charging -o "$out/R" "${changed[@]}" --no-cache > "$out/R.log" 2>&1 || { tail -n 5 "$out/R.log"; fail "R"; }
[ ! -e "$out/R/cache" ] || fail "--no-cache wrote $out/R/cache"
[ "$(summary "$out/R" "s['cache']['enabled']")" = False ] || fail "R: cache.enabled is not false"

charging -o "$out/D" > "$out/D1.log" 2>&1 || { tail -n 5 "$out/D1.log"; fail "D, first run"; }
charging -o "$out/D" "${changed[@]}" > "$out/D2.log" 2>&1 || { tail -n 5 "$out/D2.log"; fail "D, rerun"; }
products="mesh charging-monte-carlo responses stream-monte-carlo stream-transient"
for p in $products; do
  grep -q "^\[cache\] $p: reused $p-[0-9a-f]\{16\}\.bin" "$out/D2.log" || fail "the rerun did not reuse $p"
done
[ "$(summary "$out/D" "sorted(s['cache']['reused_products'])")" = \
  "['charging-monte-carlo', 'mesh', 'responses', 'stream-monte-carlo', 'stream-transient']" ] \
  || fail "cache.reused_products: $(summary "$out/D" "s['cache']")"
[ "$(summary "$out/D" "'computed_products' in s['cache']")" = False ] || fail "the rerun computed a product"
for f in "$out"/R/*.csv; do
  cmp -s "$f" "$out/D/$(basename "$f")" || fail "$(basename "$f") differs from the fresh run's"
done
/usr/bin/python3 tests/app/stage_cache_compare.py "$out/R" "$out/D" 0 > "$out/compare.txt" \
  || { cat "$out/compare.txt"; fail "the rerun with reused products differs from a fresh run"; }
echo "PASS: a downstream change reuses the 5 products; outputs identical to a fresh run"
