#!/usr/bin/env bash
# expect_success.sh REGEX COMMAND...: passes when COMMAND exits 0 and its output (stdout and
# stderr together) contains a match of REGEX (POSIX ERE; '.' also matches a newline, as in
# ctest's PASS_REGULAR_EXPRESSION, which alone would pass a run that printed the line and then
# failed).
# The output directory it was given (-o DIR) starts empty: a state point or summary left by an
# earlier build's run must not decide this one.
set -u
regex=$1; shift
args=("$@")
for ((i = 0; i < ${#args[@]}; ++i)); do
  if [ "${args[$i]}" = "-o" ] || [ "${args[$i]}" = "--output-dir" ]; then rm -rf "${args[$((i + 1))]}"; fi
done
output=$("$@" 2>&1); status=$?
printf '%s\n' "$output"
echo "exit $status"
[ "$status" -eq 0 ] || { echo "FAIL: exit code $status"; exit 1; }
[[ $output =~ $regex ]] || { echo "FAIL: output does not match /$regex/"; exit 1; }
exit 0
