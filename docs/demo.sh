#!/usr/bin/env bash
# The README's demo: one patient's whole trial on the embedded SQLite default, as each role sees
# it. Clinician adds the patient and plans; a pharmacist (another person) approves; the patient
# logs two weeks of scores; the clinician assesses, the decision is a switch with a cross-taper;
# the pharmacist approves the new version; the audit shows who did what; exports are written.
# Everything lands in build/demo/ (run from the repository root; TITRATE=path overrides the binary,
# TITRATE_DEMO_OUT=dir the folder: the test cli:demo runs it so).
set -euo pipefail
cd "$(dirname "$0")/.."
T=${TITRATE:-build/release/titrate}
OUT=${TITRATE_DEMO_OUT:-build/demo}
rm -rf "$OUT" && mkdir -p "$OUT/exports"
case "$OUT" in
/*) export TITRATE_DB="$OUT/titrate.db" ;;
*) export TITRATE_DB="$PWD/$OUT/titrate.db" ;;
esac

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
clinician() { "$T" --user dr.ames --role clinician "$@"; }
pharmacist() { "$T" --user ph.bell --role pharmacist "$@"; }
patient() { "$T" --user DEMO-001 --role patient "$@"; }

say "Clinician (2026-11-20): registers a patient with painful chemotherapy-induced neuropathy"
clinician --today 2026-11-20 patient add DEMO-001 --birth-date 1971-05-14 --sex female \
  --weight-kg 65 --creatinine-mg-dl 0.8 --baseline-pain 8
clinician --today 2026-11-20 check DEMO-001

say "Patient: logs a week of baseline pain before the first dose"
for d in 24 25 26 27 28 29 30; do
  patient --today 2026-11-30 log DEMO-001 --score 8 --at "2026-11-${d}T09:00" >/dev/null
done
echo "7 baseline scores logged"

say "Clinician: drafts the plan from 2026-12-01 on the cipn-esmo pathway and submits it"
clinician --today 2026-11-30 plan DEMO-001 --start 2026-12-01 --submit

say "Pharmacist: the review queue, the version with its lint findings"
pharmacist --today 2026-11-30 review list
pharmacist --today 2026-11-30 review show DEMO-001

say "The plan's author, even acting as a pharmacist, cannot approve it: four eyes (exit 4)"
status=0
"$T" --user dr.ames --role pharmacist --today 2026-11-30 review approve DEMO-001 --version 1 ||
  status=$?
if [[ $status -ne 4 ]]; then
  echo "UNEXPECTED: self-approval ended with exit $status; expected 4 (refused)" >&2; exit 1
fi

say "Pharmacist approves version 1"
pharmacist --today 2026-11-30 review approve DEMO-001 --version 1

say "Patient: what to take on 2026-12-10"
patient --today 2026-12-10 schedule DEMO-001 --on 2026-12-10

say "Patient: logs scores through the trial (two a day), imported from a diary file"
{
  echo "patient_id,at,score,note"
  d=2026-12-01
  while [ "$d" != 2026-12-23 ]; do
    echo "DEMO-001,${d}T09:00,7,"
    echo "DEMO-001,${d}T21:00,8,evening"
    d=$(date -d "$d + 1 day" +%F)
  done
} > "$OUT/diary.csv"
patient --today 2026-12-22 import scores "$OUT/diary.csv"
echo "Importing the same diary again is harmless:"
patient --today 2026-12-22 import scores "$OUT/diary.csv"

say "Clinician: who is due for a decision"
clinician --today 2026-12-22 due --within 7

say "Clinician: the decision on the decision date, applied (drafts version 2), then submitted"
clinician --today 2026-12-22 assess DEMO-001 --apply
clinician --today 2026-12-22 plan DEMO-001 --submit >/dev/null && echo "version 2 submitted for review"

say "Pharmacist: reviews version 2 (the switch, with the diff against version 1) and approves it"
pharmacist --today 2026-12-22 review show DEMO-001
pharmacist --today 2026-12-22 review approve DEMO-001 --version 2

say "Patient: what to take on 2026-12-24 (taper and the new drug)"
patient --today 2026-12-24 schedule DEMO-001 --on 2026-12-24

say "Audit: who did what, when"
clinician --today 2026-12-24 audit DEMO-001

say "Exports of the active plan into $OUT/exports/"
for f in text csv ics fhir svg pdf; do
  ext=$f; [ "$f" = text ] && ext=txt; [ "$f" = fhir ] && ext=fhir.json
  clinician --today 2026-12-24 export DEMO-001 --format "$f" -o "$OUT/exports/plan.$ext" --tz Europe/London
done
ls -l "$OUT/exports"
say "The clinic's outcome report (per line and drug; --format csv|html, --json)"
clinician --today 2027-01-15 report outcomes

say "Web: staff accounts, the patient's personal link, and the server"
printf 'demo-clinician-pw\n' | "$T" user add dr.ames --role clinician
printf 'demo-pharmacist-pw\n' | "$T" user add ph.bell --role pharmacist
clinician --today 2026-12-24 patient invite DEMO-001 --handout "$OUT/exports/invite.pdf"
cat <<MSG
Start the web front end on this database with:
  TITRATE_DB=$TITRATE_DB $T serve --listen 127.0.0.1:8080
then open the patient's link above on a phone, or http://127.0.0.1:8080/login as
dr.ames / demo-clinician-pw (clinic) or ph.bell / demo-pharmacist-pw (pharmacy).
MSG
say "Done. Database: $TITRATE_DB"
