#!/usr/bin/env bash
# Side-by-side timing of `bevaka report …` for two builds (BENCHMARKS.md, issue 12).
#
#   benches/compare.sh OLD_BINARY NEW_BINARY V1_FILE V2_FILE REPORT [ARGS…]
#
# Runs, 7 rounds, alternating within each round: the old binary on the version 1 file, the
# new one on the version 1 file and on the version 2 file (the old build reads only version
# 1). Each run reads the file through first (warm page cache) and is timed with
# /usr/bin/time. Prints the median wall time and the largest peak RSS of each.
set -euo pipefail
old=$1 new=$2 v1=$3 v2=$4 report=$5
shift 5
declare -A times mem
for _ in 1 2 3 4 5 6 7; do
  for who in old_v1 new_v1 new_v2; do
    case $who in
      old_v1) bin=$old file=$v1 ;;
      new_v1) bin=$new file=$v1 ;;
      new_v2) bin=$new file=$v2 ;;
    esac
    cat "$file" > /dev/null
    if ! out=$({ /usr/bin/time -f "%e %M" "$bin" report "$report" --snapshot "$file" \
      --today 2014-12-31 --format json "$@" > /dev/null; } 2>&1 | tail -1); then
      continue
    fi
    times[$who]+="$(awk '{print $1 * 1000}' <<< "$out") "
    mem[$who]+="$(awk '{print int($2 / 1024)}' <<< "$out") "
  done
done
for who in old_v1 new_v1 new_v2; do
  [ -z "${times[$who]:-}" ] && continue
  median=$(tr ' ' '\n' <<< "${times[$who]}" | grep . | sort -n | sed -n 4p)
  peak=$(tr ' ' '\n' <<< "${mem[$who]}" | grep . | sort -n | tail -1)
  echo "$report $* $who: median ${median} ms, peak ${peak} MB (${times[$who]})"
done
