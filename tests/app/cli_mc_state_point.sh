#!/usr/bin/env bash
# cli_mc_state_point.sh MPSTREAM OUT_DIR (issue 16 item 2b): the Monte Carlo state point.
# Reference: an unbroken `mpstream mc` run of H histories (A). Its outputs must be reproduced
# byte for byte (tallies bit-identical: integer sums, one random stream per history) by
#  B. the same run killed (SIGKILL) after its first state point and rerun into its folder;
#  C. a run of H/2 histories extended to H (Histories raised, same folder);
#  E. the same extension with the first half on 2 MPI ranks.
# Refused with one line, exit 2 and no summary.json: a truncated state point, one of other
# parameters (another seed), and fewer histories than the state point holds.
set -eu
mpstream=$1; out=$2
H=20000
rm -rf "$out"; mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
args() { # args DIR HISTORIES: the mc command line
  echo "$mpstream|mc|inputs/mc_table1.prm|-o|$1|--set|Monte Carlo/Tube voltages [V]=100e3|--set|Monte Carlo/Histories=$2|--set|Monte Carlo/Threads=1"
}
mc() { # mc DIR HISTORIES [more args]
  local dir=$1 histories=$2; shift 2
  IFS='|' read -r -a command <<< "$(args "$dir" "$histories")"
  "${command[@]}" "$@"
}
same_as_A() { # the outputs and the state point of DIR equal A's, byte for byte
  for f in mc_table.csv mc_profile_100kV.csv mc_power_density_probe_100kV.csv mc_state_point_100kV.txt; do
    cmp -s "$out/A/$f" "$1/$f" || fail "$1/$f differs from the unbroken run's"
  done
}
histories_in() { sed -n 's/^histories //p' "$1/mc_state_point_100kV.txt"; }
refused() { # refused REGEX DIR HISTORIES [args]: exit 2, last stderr line matches, no summary.json
  local regex=$1; shift
  local status=0
  mc "$@" 2> "$out/refused.stderr" > /dev/null || status=$?
  [ "$status" = 2 ] || fail "exit $status, not 2 ($regex)"
  tail -n 1 "$out/refused.stderr" | grep -Eq -- "$regex" || fail "last line: $(tail -n 1 "$out/refused.stderr")"
  [ ! -e "$2/summary.json" ] || fail "summary.json left by a refused run"
}

mc "$out/A" $H 2> /dev/null
[ "$(histories_in "$out/A")" = $H ] || fail "A's state point does not hold $H histories"

# B: killed after its first state point, then resumed.
IFS='|' read -r -a command <<< "$(args "$out/B" $H)"
"${command[@]}" 2> /dev/null & pid=$! # the mpstream process itself (not a subshell)
for _ in $(seq 1 600); do
  [ -e "$out/B/mc_state_point_100kV.txt" ] && break
  kill -0 $pid 2> /dev/null || break
  sleep 0.02
done
kill -9 $pid 2> /dev/null || fail "the run ended before it could be killed"
wait $pid 2> /dev/null || true
killed_at=$(histories_in "$out/B")
[ "$killed_at" -lt $H ] || fail "killed run's state point already complete"
[ ! -e "$out/B/summary.json" ] || fail "a killed run left summary.json"
mc "$out/B" $H 2> /dev/null
grep -q "resuming after $killed_at of $H histories" "$out/B/log.txt" || fail "B: no resume in log.txt"
same_as_A "$out/B"

# C: H/2, then extended to H.
mc "$out/C" $((H / 2)) 2> /dev/null
mc "$out/C" $H 2> /dev/null
grep -q "resuming after $((H / 2)) of $H histories" "$out/C/log.txt" || fail "C: no extension in log.txt"
same_as_A "$out/C"

# E: the first half on 2 ranks, the rest on 1.
mpirun -np 2 --oversubscribe "$mpstream" mc inputs/mc_table1.prm -o "$out/E" \
  --set "Monte Carlo/Tube voltages [V]=100e3" --set "Monte Carlo/Histories=$((H / 2))" --set "Monte Carlo/Threads=1" 2> /dev/null
mc "$out/E" $H 2> /dev/null
same_as_A "$out/E"

# Refusals.
mkdir -p "$out/D"
head -n 100 "$out/A/mc_state_point_100kV.txt" > "$out/D/mc_state_point_100kV.txt"
refused "state point '.*mc_state_point_100kV.txt': truncated" "$out/D" $H
refused "state point .*: written for other parameters" "$out/A" $H --set "Monte Carlo/Seed=2"
refused "Monte Carlo/Histories = 10000: fewer than the 20000 histories of the state point" "$out/A" $((H / 2))
echo "OK (killed at $killed_at of $H histories)"
