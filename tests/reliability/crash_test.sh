#!/usr/bin/env bash
# Crash safety (issue 7): kill -9 `titrate import scores` of a large CSV at random moments. After
# each kill the database must pass PRAGMA integrity_check and foreign_key_check, still open in
# titrate, and hold either none or all of that import (never part of it).
# Usage: tests/reliability/crash_test.sh TITRATE_BINARY [KILLS=50] [ROWS=200000]
# Needs the sqlite3 shell. Prints how many kills landed before/after the commit.
set -euo pipefail

bin=${1:?usage: crash_test.sh TITRATE_BINARY [KILLS] [ROWS]}
kills=${2:-50}
rows=${3:-200000}
. "$(dirname "${BASH_SOURCE[0]}")/script_work.sh" crash
patients=20

for p in $(seq 1 $patients); do
  "$bin" patient add "C$p" --birth-date 1960-01-01 --sex female --weight-kg 70 \
    --creatinine-mg-dl 1.0 >/dev/null || fail "patient add C$p"
done

# Every import uses fresh minutes, so no row of one import repeats a row of another.
per_patient=$(( (rows + patients - 1) / patients ))
days_needed=$(( (kills + 1) * per_patient / 1440 + 2 ))
for d in $(seq 0 "$days_needed"); do date -u -d "2025-01-01 + $d days" +%F; done >"$work/dates"
make_csv() { # round -> file
  awk -v rows="$rows" -v np="$patients" -v base=$(( $1 * per_patient )) '
    NR == FNR { day[NR - 1] = $1; next }
    END {
      print "patient_id,at,score,note"
      for (i = 0; i < rows; i++) {
        m = base + int(i / np)
        printf "C%d,%sT%02d:%02d,%d,crash test row %d\n", i % np + 1, day[int(m / 1440)],
               int((m % 1440) / 60), m % 60, i % 11, i
      }
    }' "$work/dates" /dev/null >"$2"
}
count() { sqlite3 "$TITRATE_DB" 'SELECT count(*) FROM pain_scores;'; }
check_db() { # what
  local ic fk
  ic=$(sqlite3 "$TITRATE_DB" 'PRAGMA integrity_check;') || fail "$1: sqlite3 cannot open the database"
  [[ $ic == ok ]] || fail "$1: integrity_check: $ic"
  fk=$(sqlite3 "$TITRATE_DB" 'PRAGMA foreign_key_check;')
  [[ -z $fk ]] || fail "$1: foreign_key_check: $fk"
}
now() { date +%s.%N; }

# Round 0 runs to the end: it measures how long an import takes, so kills spread over it.
make_csv 0 "$work/import.csv"
before=$(count)
t0=$(now)
"$bin" import scores "$work/import.csv" >/dev/null 2>"$work/err" || fail "uninterrupted import: $(head -c 2000 "$work/err")"
t1=$(now)
full=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
[[ $(count) -eq $((before + rows)) ]] || fail "uninterrupted import stored $(( $(count) - before )) of $rows rows"
echo "crash_test.sh: an import of $rows rows takes ${full}s; killing $kills times in [0, 1.2 x that]"

none=0 all=0
for k in $(seq 1 "$kills"); do
  make_csv "$k" "$work/import.csv"
  before=$(count)
  delay=$(awk -v r="$RANDOM" -v t="$full" 'BEGIN { printf "%.3f", r / 32767 * t * 1.2 }')
  "$bin" import scores "$work/import.csv" >/dev/null 2>"$work/err" &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_db "kill $k after ${delay}s"
  after=$(count)
  if [[ $after -eq $before ]]; then
    none=$((none + 1))
  elif [[ $after -eq $((before + rows)) ]]; then
    all=$((all + 1))
  else
    fail "kill $k after ${delay}s: the database holds $((after - before)) of $rows rows (expected 0 or all)"
  fi
  # titrate itself must still open and read the database after the crash.
  "$bin" patient show C1 >/dev/null 2>"$work/err" || fail "kill $k: titrate cannot read the database: $(head -c 2000 "$work/err")"
done
check_db "the end"
echo "crash_test.sh: ok: $kills kills, $none left none of their import, $all all of it; integrity ok each time"
