#!/usr/bin/env bash
# Startup benchmark of the nodb command line: wall time of whole commands, JVM start included, as
# a user at a shell sees it.
#
#   tools/startup-bench.sh [--runs N] [LAUNCHER...]
#
# Each LAUNCHER (default: the repository's ./nodb) runs every command below RUNS times (default
# 21), interleaved launcher by launcher so a change in the machine's load hits all of them alike,
# after one untimed warm-up each. Prints one Markdown table row per launcher and command: median,
# min and p90 in milliseconds. The fixture is a temporary runs root with one run holding one valid
# controller file; no Redis is used (status runs on the local backend). Needs bash 5
# (EPOCHREALTIME).
set -euo pipefail

runs=21
launchers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) launchers+=("$1"); shift ;;
  esac
done
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
[ ${#launchers[@]} -gt 0 ] || launchers=("$here/../nodb")

fixture="$(mktemp -d "${TMPDIR:-/tmp}/nodb-startup-bench.XXXXXX")"
trap 'rm -rf "$fixture"' EXIT
mkdir "$fixture/run-1"
printf '%s' '{"nodb": {"format": 1, "type": "climate", "version": 3, "fence": 2, "writtenAt": "2025-05-01T10:15:30Z", "writer": "hpc-3:4121"}, "state": {}}' \
  > "$fixture/run-1/climate.nodb"

commands=("--version" "status $fixture/run-1" "status --help" "inspect $fixture/run-1/climate.nodb")

now_us() { local t="${EPOCHREALTIME/./}"; echo "${t}"; }

declare -A samples
for launcher in "${launchers[@]}"; do
  for c in "${commands[@]}"; do
    # shellcheck disable=SC2086 # the command is split on purpose
    if ! "$launcher" $c > /dev/null 2> "$fixture/err"; then
      echo "startup-bench: '$launcher $c' failed:" >&2
      cat "$fixture/err" >&2
      exit 1
    fi
  done
done
for ((i = 0; i < runs; i++)); do
  for c in "${commands[@]}"; do
    for launcher in "${launchers[@]}"; do
      start=$(now_us)
      # shellcheck disable=SC2086
      "$launcher" $c > /dev/null 2>&1
      end=$(now_us)
      samples["$launcher|$c"]+="$(( (end - start) / 1000 )) "
    done
  done
done

echo "| launcher | command | median ms | min ms | p90 ms |"
echo "| --- | --- | --- | --- | --- |"
for launcher in "${launchers[@]}"; do
  for c in "${commands[@]}"; do
    # shellcheck disable=SC2086
    sorted=($(printf '%s\n' ${samples["$launcher|$c"]} | sort -n))
    n=${#sorted[@]}
    p90=$(( (n * 9 + 9) / 10 - 1 ))
    shown="${c//$fixture/<fixture>}"
    echo "| $launcher | nodb $shown | ${sorted[$((n / 2))]} | ${sorted[0]} | ${sorted[$p90]} |"
  done
done
