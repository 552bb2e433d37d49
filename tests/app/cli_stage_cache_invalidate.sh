#!/usr/bin/env bash
# cli_stage_cache_invalidate.sh MPSTREAM OUT_DIR (issue 16 item 2a): a changed upstream parameter
# invalidates exactly the products that depend on it, a cache serves another rank count, and a
# bad cache is refused. Scenario tests/app/data/stage_cache.prm (`mpstream charging`).
#  A. a fresh run on 2 ranks;
#  B. rerun with another Monte Carlo seed and input power: the charging Monte Carlo (seed) and
#     the whole-stream transient (power) are computed again, the log names the changed lines,
#     the mesh, responses and whole-stream Monte Carlo are reused; the stale files are removed;
#  C. B's parameters again on 1 rank: every product reused, results equal B's to 1e-9 (the FE
#     solves of 1 and 2 ranks differ at the solver tolerance, 1e-12; measured: every CSV
#     identical as printed). Not compared: charging_linear_model_error, the linear model's
#     difference from a full solve (2e-8), which is round-off and moves with the rank count;
#  refused (1 rank) with one line, exit 2 and no summary.json: a truncated cache file, one whose key
#  text does not match its name, one of another mpstream version.
set -eu
mpstream=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
scenario=tests/app/data/stage_cache.prm
changed=(--set "Monte Carlo/Seed=2" --set "Operating point/Input power [W]=40e3")
charging() { local ranks=$1; shift; mpirun -np "$ranks" --oversubscribe "$mpstream" charging "$scenario" "$@"; }
summary() { /usr/bin/python3 -c "import json,sys; s=json.load(open('$1/summary.json')); print($2)"; }

charging 2 -o "$out/D" > "$out/A.log" 2>&1 || { tail -n 5 "$out/A.log"; fail "A"; }
charging 2 -o "$out/D" "${changed[@]}" > "$out/B.log" 2>&1 || { tail -n 5 "$out/B.log"; fail "B"; }
grep -q '^\[cache\] charging-monte-carlo: computing (upstream inputs changed since charging-monte-carlo-[0-9a-f]*\.bin: set Seed *= 2)' \
  "$out/B.log" || fail "B: the log does not say the seed changed"
grep -q '^\[cache\] stream-transient: computing (upstream inputs changed since .*set Input power \[W\] *= 40e3' \
  "$out/B.log" || fail "B: the log does not say the input power changed"
[ "$(summary "$out/D" "sorted(s['cache']['computed_products'])")" = "['charging-monte-carlo', 'stream-transient']" ] \
  || fail "B: computed $(summary "$out/D" "s['cache']")"
[ "$(summary "$out/D" "sorted(s['cache']['reused_products'])")" = "['mesh', 'responses', 'stream-monte-carlo']" ] \
  || fail "B: reused $(summary "$out/D" "s['cache']")"
[ "$(ls "$out"/D/cache/*.bin | wc -l)" = 5 ] || fail "B: stale cache files left: $(ls "$out/D/cache")"
cp -r "$out/D" "$out/B"

charging 1 -o "$out/D" "${changed[@]}" > "$out/C.log" 2>&1 || { tail -n 5 "$out/C.log"; fail "C"; }
[ "$(summary "$out/D" "len(s['cache']['reused_products'])")" = 5 ] || fail "C: $(summary "$out/D" "s['cache']")"
/usr/bin/python3 tests/app/stage_cache_compare.py "$out/B" "$out/D" 1e-9 charging.charging_linear_model_error \
  > "$out/compare.txt" \
  || { cat "$out/compare.txt"; fail "C: 1 rank on the 2-rank cache differs from B"; }

refused() { # refused REGEX: a 1-rank run into $out/E exits 2 with REGEX on its last line, no summary.json
  local status=0
  "$mpstream" charging "$scenario" -o "$out/E" "${changed[@]}" > "$out/E.log" 2>&1 || status=$?
  [ "$status" = 2 ] || fail "exit $status, not 2 ($1)"
  tail -n 1 "$out/E.log" | grep -Eq -- "$1" || fail "last line: $(tail -n 1 "$out/E.log")"
  [ ! -e "$out/E/summary.json" ] || fail "summary.json left by a refused run ($1)"
}
fresh_copy() { rm -rf "$out/E"; cp -r "$out/B" "$out/E"; rm -f "$out/E/summary.json"; }
first=$(ls "$out"/B/cache/charging-monte-carlo-*.bin)
mine="$out/E/cache/$(basename "$first")"

fresh_copy; truncate -s -40 "$mine"
refused "stage cache '.*charging-monte-carlo-[0-9a-f]*\.bin': truncated.*--no-cache"
fresh_copy; cp "$out"/B/cache/stream-monte-carlo-*.bin "$mine"
refused "charging-monte-carlo-[0-9a-f]*\.bin': its stored key text does not match its name"
fresh_copy; sed 's/^mpstream \([0-9]\)/mpstream 9\1/' "$first" > "$out/E/cache/charging-monte-carlo-0000000000000000.bin"
refused "charging-monte-carlo-0000000000000000\.bin': written by mpstream 9.*, this is mpstream"
echo "PASS: upstream changes recompute exactly their products; 1 rank reuses a 2-rank cache; bad caches refused"
