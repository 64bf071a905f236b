#!/usr/bin/env bash
# The CSV import of a city, side by side (BENCHMARKS.md, issue 16): `bevaka snapshot build`
# against the sqlite3 shell's `.import --csv` of the same files into the same tables and
# indexes, and optionally an older bevaka binary.
#
#   benches/import.sh [ROUNDS]                  # 5 rounds by default
#   OLD=/path/to/old/bevaka benches/import.sh   # also time an older build
#   CITIES=6 benches/import.sh 2                # six cities' worth (demo --cities 6)
#
# Builds the release binary and examples/export_csv, then (once, kept in
# target/bench-import/) the city demo snapshot and its CSV export: 1.24 M rows in 11 files.
# Each round runs every contestant once, in turn, the CSV read through first (warm page
# cache), timed with /usr/bin/time -v. Prints each run (wall time, CPU time user + system,
# peak RSS), then the median wall and CPU times and the largest peak RSS of each, and the
# ratio of bevaka's median wall time to the shell's.
#
# The shell writes an empty field as '' rather than NULL, which the contract's STRICT
# tables and CHECK constraints refuse, so it imports into the schema without those (same
# tables, columns, primary keys and indexes; the indexes created after the rows, the
# shell's fastest way, all in one transaction, journal and sync off as bevaka's build has
# them). bevaka does more: it checks every value, key and reference, builds the same
# indexes, gathers the planner's statistics (ANALYZE) and runs the gate on the new file.
set -euo pipefail
rounds=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
cities=${CITIES:-1}
work=$root/target/bench-import
mkdir -p "$work"
cd "$root"
cargo build --release --quiet --bin bevaka --example export_csv
new=$root/target/release/bevaka
cd "$work"
# One city keeps the names it always had; N cities get their own.
if [ "$cities" = 1 ]; then name=city; else name=city$cities; fi
csv=$name-csv
if [ ! -f $csv/indicator_values.csv ]; then
  "$new" demo --scale city --cities "$cities" --out $name.sqlite --as-of 2014-12-31 > /dev/null
  "$root/target/release/examples/export_csv" $name.sqlite $csv > /dev/null
  rm -f $name.sqlite
fi
echo "CSV ($cities cities): $(du -sh $csv | cut -f1), $(cat $csv/*.csv | wc -l) lines in $(ls $csv | wc -l) files"

# The shell's script: tables without STRICT and CHECK, the rows, then the indexes.
perl -0pe 's/\) STRICT;/);/g;
  s/\s*CHECK \((?:[^()]++|\((?:[^()]++|\([^()]*\))*\))*\)//g;
  s/,([ \t]*(?:--[^\n]*)?\n\s*\);)/$1/g' "$root/db/schema.sql" > relaxed.sql
{
  echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
  awk '/^CREATE INDEX/ { exit } { print }' relaxed.sql
  echo "BEGIN;"
  for t in units case_workers insats_types cases applications interventions interruptions \
    followups goals indicators indicator_values; do
    echo ".import --csv --skip 1 $csv/$t.csv $t"
  done
  grep '^CREATE INDEX' relaxed.sql
  echo "COMMIT;"
} > shell-import.sql

contestants=(bevaka sqlite3)
if [ -n "${OLD:-}" ]; then contestants+=(old); fi
declare -A times cpus mem
for round in $(seq "$rounds"); do
  for who in "${contestants[@]}"; do
    rm -f out-"$who".sqlite
    cat $csv/*.csv > /dev/null
    case $who in
      bevaka) cmd=("$new" snapshot build --from $csv --out out-bevaka.sqlite) ;;
      old) cmd=("$OLD" snapshot build --from $csv --out out-old.sqlite) ;;
      sqlite3) cmd=(sh -c 'sqlite3 out-sqlite3.sqlite < shell-import.sql > /dev/null') ;;
    esac
    /usr/bin/time -v -o time.txt "${cmd[@]}" > /dev/null
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
      for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' time.txt)
    rss=$(awk -F': ' '/Maximum resident set size/ { print int($2 / 1024) }' time.txt)
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' time.txt)
    echo "round $round: $who ${wall} s, CPU ${cpu} s, ${rss} MB"
    times[$who]+="$wall "
    cpus[$who]+="$cpu "
    mem[$who]+="$rss "
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{ a[NR] = $1 } END {
  if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for who in "${contestants[@]}"; do
  echo "$who: median $(median "${times[$who]}") s, CPU $(median "${cpus[$who]}") s, peak $(
    tr ' ' '\n' <<< "${mem[$who]}" | grep . | sort -n | tail -1) MB"
done
awk -v a="$(median "${times[bevaka]}")" -v b="$(median "${times[sqlite3]}")" \
  'BEGIN { printf "bevaka / sqlite3: %.2f\n", a / b }'
