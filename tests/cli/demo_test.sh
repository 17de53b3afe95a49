#!/usr/bin/env bash
# The README's quick start ends with docs/demo.sh: it runs here, against the built binary, into a
# folder of its own, and what its comments promise is checked (each expected line checked by hand
# against clinical.md: duloxetine held 14 days at 60 mg from 2026-12-08 is judged on 2026-12-22;
# the switch is to gabapentin, the next drug of cipn-esmo, titrated to 1,800 mg a day).
#   tests/cli/demo_test.sh TITRATE
set -euo pipefail
titrate=${1:?usage: tests/cli/demo_test.sh TITRATE}
out=$(mktemp -d)
log=$out.log
trap 'rm -rf "$out" "$log"' EXIT
TITRATE=$titrate TITRATE_DEMO_OUT=$out bash "$(dirname "$0")/../../docs/demo.sh" >"$log" 2>&1 || {
  cat "$log"
  echo "docs/demo.sh failed" >&2
  exit 1
}
fail=0
expect() {
  grep -qF -- "$1" "$log" || { echo "missing from the demo's output: $1" >&2; fail=1; }
}
expect "four eyes: dr.ames drafted plan of DEMO-001 version 1 and cannot approve it"
expect "approved plan of DEMO-001 version 1; it is now the active schedule"
expect "DEMO-001  DULoxetine  decision date 2026-12-22 (today), plan version 1; window 2026-12-15 through 2026-12-21: 7 of 7 days with scores"
expect "Decision: switch to gabapentin"
expect "starts on 2026-12-22 at 300 mg a day, the assessed dose 1,800 mg a day from 2027-01-14, decision on 2027-01-28"
expect "approved plan of DEMO-001 version 2; it is now the active schedule"
expect "plan.draft  DEMO-001  version 2"
for f in titrate.db diary.csv exports/plan.txt exports/plan.csv exports/plan.ics \
  exports/plan.fhir.json exports/plan.svg exports/plan.pdf exports/invite.pdf; do
  [[ -s "$out/$f" ]] || { echo "the demo did not write $f" >&2; fail=1; }
done
# Nothing was written into the repository's own build/demo by this run.
[[ "$(grep -c "$out" "$log")" -ge 1 ]] || { echo "the demo did not use TITRATE_DEMO_OUT" >&2; fail=1; }
if [[ $fail -ne 0 ]]; then
  cat "$log"
  exit 1
fi
echo "docs/demo.sh: the whole trial ran as documented"
