#!/usr/bin/env bash
# Startup benchmark of the nodb command line: wall time of whole commands, JVM start included, as
# a user at a shell sees it.
#
#   tools/startup-bench.sh [--runs N] [LAUNCHER...]
#
# Each LAUNCHER (default: the repository's ./nodb) runs every command below RUNS times (default
# 21), interleaved launcher by launcher so a change in the machine's load hits all of them alike,
# after one untimed warm-up each. Prints one Markdown table row per launcher and command: wall-clock
# median, min and p90, and the median CPU time (user + system), in milliseconds; CPU time is what a
# loaded machine inflates least. The fixture is a temporary runs root with one run holding one valid
# controller file; no Redis is used (status runs on the local backend).
set -euo pipefail

runs=21
launchers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

TIMEFORMAT='%3R %3U %3S'
ms() { local t="${1/./}"; echo "$((10#$t))"; } # seconds with 3 decimals -> milliseconds

declare -A samples cpu
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
      # shellcheck disable=SC2086
      { time "$launcher" $c > /dev/null 2>&1; } 2> "$fixture/time"
      read -r real user sys < "$fixture/time"
      samples["$launcher|$c"]+="$(ms "$real") "
      cpu["$launcher|$c"]+="$(( $(ms "$user") + $(ms "$sys") )) "
    done
  done
done

echo "| launcher | command | wall median ms | wall min ms | wall p90 ms | CPU median ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for launcher in "${launchers[@]}"; do
  for c in "${commands[@]}"; do
    # shellcheck disable=SC2086
    sorted=($(printf '%s\n' ${samples["$launcher|$c"]} | sort -n))
    # shellcheck disable=SC2086
    cpus=($(printf '%s\n' ${cpu["$launcher|$c"]} | sort -n))
    n=${#sorted[@]}
    p90=$(( (n * 9 + 9) / 10 - 1 ))
    shown="${c//$fixture/<fixture>}"
    echo "| $launcher | nodb $shown | ${sorted[$((n / 2))]} | ${sorted[0]} | ${sorted[$p90]} | ${cpus[$((n / 2))]} |"
  done
done
echo
echo "$(nproc 2>/dev/null || echo '?') cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')" \
  "after the run; CPU = user + system time of the whole process tree (the JVM's threads included)"
