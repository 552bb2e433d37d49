#!/usr/bin/env bash
# expect_failure.sh REGEX COMMAND...: passes when COMMAND exits non-zero, its last stderr line
# matches REGEX, and it left no summary.json in the output directory it was given (-o DIR).
set -u
regex=$1; shift
out_dir=""
args=("$@")
for ((i = 0; i < ${#args[@]}; ++i)); do
  [ "${args[$i]}" = "-o" ] || [ "${args[$i]}" = "--output-dir" ] && out_dir=${args[$((i + 1))]}
done
[ -n "$out_dir" ] && rm -rf "$out_dir"
stderr=$("$@" 2>&1 >/dev/null); status=$?
last=$(printf '%s\n' "$stderr" | tail -n 1)
echo "exit $status; last line: $last"
[ "$status" -ne 0 ] || { echo "FAIL: exit code 0"; exit 1; }
printf '%s\n' "$last" | grep -E -q -- "$regex" || { echo "FAIL: last line does not match /$regex/"; exit 1; }
if [ -n "$out_dir" ] && [ -e "$out_dir/summary.json" ]; then
  echo "FAIL: $out_dir/summary.json left behind by a failed run"; exit 1
fi
exit 0
