#!/usr/bin/env bash
# Concurrency (issue 7): PROCS processes each run `titrate log` COUNT times against one database
# at once. Every call must succeed with nothing on stderr (no "database is locked" reaches a
# user), and the database must end with exactly PROCS x COUNT new scores and pass integrity_check.
# Usage: tests/reliability/concurrency_test.sh TITRATE_BINARY [PROCS=8] [COUNT=1000]
set -euo pipefail

bin=${1:?usage: concurrency_test.sh TITRATE_BINARY [PROCS] [COUNT]}
procs=${2:-8}
n=${3:-1000}
. "$(dirname "${BASH_SOURCE[0]}")/script_work.sh" concurrency

"$bin" patient add P001 --birth-date 1960-01-01 --sex female --weight-kg 70 \
  --creatinine-mg-dl 1.0 >/dev/null || fail "patient add"
before=$(sqlite3 "$TITRATE_DB" 'SELECT count(*) FROM pain_scores;')
# One day per call, one minute of the day per process: every (time, process) is distinct.
for d in $(seq 1 "$n"); do date -u -d "2023-01-01 + $d days" +%F; done >"$work/dates"

writer() { # process number
  local p=$1 i=0 day
  while read -r day; do
    i=$((i + 1))
    local rc=0
    "$bin" log P001 --score $(( (i + p) % 11 )) --at "${day}T$(printf '%02d:%02d' $((p % 24)) $((p * 7 % 60)))" \
      --note "writer $p call $i" >/dev/null 2>"$work/err.$p" || rc=$?
    if [[ $rc -ne 0 ]]; then
      echo "writer $p call $i: exit $rc: $(head -c 500 "$work/err.$p")" >>"$work/failures"
    elif [[ -s $work/err.$p ]]; then
      echo "writer $p call $i: stderr: $(head -c 500 "$work/err.$p")" >>"$work/failures"
    fi
  done <"$work/dates"
}

start=$(date +%s.%N)
pids=()
for p in $(seq 1 "$procs"); do writer "$p" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid"; done
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

if [[ -s $work/failures ]]; then
  echo "concurrency_test.sh: $(wc -l <"$work/failures") calls failed; the first:" >&2
  head -5 "$work/failures" >&2
  fail "errors reached the user"
fi
ic=$(sqlite3 "$TITRATE_DB" 'PRAGMA integrity_check;')
[[ $ic == ok ]] || fail "integrity_check: $ic"
after=$(sqlite3 "$TITRATE_DB" 'SELECT count(*) FROM pain_scores;')
[[ $((after - before)) -eq $((procs * n)) ]] || fail "$((after - before)) scores stored, expected $((procs * n))"
echo "concurrency_test.sh: ok: $procs writers x $n calls = $((procs * n)) scores in ${took}s, no errors"
