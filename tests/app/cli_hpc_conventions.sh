#!/usr/bin/env bash
# cli_hpc_conventions.sh MPSTREAM OUT_DIR (issue 16 item 3): a results folder says what ran and
# how; summary.json keeps the keys of the stages run into it before; the automatic thread count
# never puts more threads on the node than the job has cores.
#  1. `taskset -c 0 mpstream mesh`: one core in the mask -> threads_per_rank = 1; the run record
#     (command line, UTC date, commit) and log.txt (the stderr lines, with a header) are there.
#  2. `mpstream power-limits` into the same folder: the mesh keys are kept, the mesh run is in
#     earlier_runs, log.txt holds both runs.
#  3. A failed run there (bad --set): exit 2, no summary.json, log.txt ends with the error line,
#     and the next good run still has the mesh keys.
#  0. `mpstream validate` says OK and creates nothing.
#  4. 2 ranks, unbound (--bind-to none: each mask holds every core of this node) -> at most
#     cores / 2 threads each (1 on 2 cores); bound by mpirun's default -> the mask's own cores.
set -eu
mpstream=$1; out=$2
scenario=tests/app/data/tiny_stream.prm
rm -rf "$out"; mkdir -p "$out"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

# 0. validate reads and checks, and writes nothing.
"$mpstream" validate "$scenario" -o "$out/v" | grep -q "OK: 4 spheres" || fail "validate"
[ ! -e "$out/v" ] || fail "validate created the results folder"

# 1.
taskset -c 0 "$mpstream" mesh "$scenario" -o "$out/a" 2> "$out/a.stderr"
[ "$(json "$out/a/summary.json" "d['run']['threads_per_rank']")" = 1 ] || fail "taskset -c 0: threads_per_rank != 1"
[ "$(json "$out/a/summary.json" "d['run']['threads_source']")" = "affinity mask" ] || fail "threads_source"
json "$out/a/summary.json" "d['run']['command_line']" | grep -q "mesh $scenario -o $out/a" || fail "command_line"
json "$out/a/summary.json" "d['run']['date_utc']" | grep -Eq '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z$' \
  || fail "date_utc is not ISO 8601 UTC"
[ -n "$(json "$out/a/summary.json" "d['versions']['git_commit']")" ] || fail "git_commit empty"
cmp -s "$out/a.stderr" "$out/a/log.txt" || fail "log.txt differs from what stderr showed"
head -n 1 "$out/a/log.txt" | grep -q "^mpstream .*(git .*) 20.*Z: .*mesh $scenario" || fail "log.txt header line"
grep -q "^\[run\] mesh .*(1 MPI rank x 1 thread (affinity mask))" "$out/a/log.txt" || fail "log.txt: ranks x threads"

# 2.
"$mpstream" power-limits "$scenario" -o "$out/a" 2> /dev/null
[ "$(json "$out/a/summary.json" "d['mesh']['n_elements'] > 0 and d['power_limits']['P_max_W'] > 0")" = True ] \
  || fail "summary.json lost the mesh stage's keys"
[ "$(json "$out/a/summary.json" "[r['command'] for r in d['earlier_runs']]")" = "['mesh']" ] || fail "earlier_runs"
[ "$(json "$out/a/summary.json" "sorted(d['wall_times'])")" = "['mesh_s', 'power-limits_s']" ] || fail "wall_times"
[ "$(grep -c '^mpstream ' "$out/a/log.txt")" = 2 ] || fail "log.txt does not hold both runs"

# 3.
status=0
"$mpstream" power-limits "$scenario" -o "$out/a" --set "Operating point/Input power [W]=-1" 2> /dev/null || status=$?
[ "$status" = 2 ] || fail "bad input: exit $status, not 2"
[ ! -e "$out/a/summary.json" ] || fail "a failed run left summary.json"
tail -n 1 "$out/a/log.txt" | grep -q "^mpstream: input error: .*Input power" || fail "log.txt lacks the error line"
"$mpstream" power-limits "$scenario" -o "$out/a" 2> /dev/null
[ "$(json "$out/a/summary.json" "d['mesh']['n_elements'] > 0")" = True ] || fail "mesh keys lost after a failed run"
[ ! -e "$out/a/summary_earlier.json" ] || fail "summary_earlier.json left by a complete run"

# 4.
cores=$(nproc)
mpirun -np 2 --oversubscribe --bind-to none "$mpstream" power-limits "$scenario" -o "$out/b" 2> /dev/null
threads=$(json "$out/b/summary.json" "d['run']['threads_per_rank']")
[ "$(json "$out/b/summary.json" "d['run']['mpi_ranks']")" = 2 ] || fail "mpi_ranks"
expected=$(( cores / 2 > 1 ? cores / 2 : 1 ))
[ "$threads" = "$expected" ] || fail "2 unbound ranks on $cores cores: $threads threads per rank, expected $expected"
mpirun -np 2 --oversubscribe "$mpstream" power-limits "$scenario" -o "$out/c" 2> /dev/null
[ "$(json "$out/c/summary.json" "d['run']['threads_per_rank'] * 2 <= max(2, $cores)")" = True ] \
  || fail "2 bound ranks: more threads than cores"
echo "OK"
