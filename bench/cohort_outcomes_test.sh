#!/usr/bin/env bash
# bench:cohort_outcomes: the cohort generator's --outcomes mode (bench/cohort.cpp) feeds
# `titrate report outcomes`, whose figures are checked against the construction and by hand.
#   cohort_outcomes_test.sh COHORT TITRATE
# Part 1, by hand (seed 20261125, 4 patients, today 2026-11-25): every plan starts 2026-07-28
# (120 days back); the generator gives all four gabapentin (renal bands and conditions of its
# patients), so one row. Decisions by construction (n % 4): C0 continue 60 %, C1 continue 40 %,
# C2 switch at the maximum 10 %, C3 switch intolerable (no change figure). Hence started 4,
# reached 4, judged 3 (C0-C2), responders at 30 % 2 of 3 (Wilson 95 %: 0.2077 to 0.9385, worked
# in tests/cli/report_test.cpp), at 50 % 1 of 3 (p = 1/3, z^2 = 3.8415, denominator 2.2805,
# centre (0.3333 + 0.6402) / 2.2805 = 0.4269, half 1.96 x sqrt(0.0741 + 0.1067) / 2.2805 =
# 0.3654: 0.0615 to 0.7923), stopped not effective 1, not tolerated 1. Days to a response: C1
# decided on 2026-08-18 (21 days), C0 on 2026-08-25 (28 days): median 24.5.
# Part 2, by construction (200 patients): the report's sums over all rows equal the counts the
# generator printed.
set -euo pipefail
cohort=$1
titrate=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
report() {
  "$titrate" --db "$1" --today 2026-11-25 --user dr.bench --role clinician --json report outcomes
}

"$cohort" --db "$dir/four.db" --patients 4 --rows-per-patient 0 --scores db --outcomes yes
report "$dir/four.db" >"$dir/four.json"
out=$("$cohort" --db "$dir/many.db" --patients 200 --rows-per-patient 0 --scores db \
  --outcomes yes)
echo "$out"
report "$dir/many.db" >"$dir/many.json"
python3 - "$dir/four.json" "$dir/many.json" "$out" <<'PY'
import json, re, sys
four = json.load(open(sys.argv[1]))
bad = []
def check(what, got, want):
    if got != want:
        bad.append(f"{what}: got {got!r}, expected {want!r}")
rows = four["rows"]
check("rows (one drug, one line)", [(r["line"], r["drug"]) for r in rows], [(1, "gabapentin")])
r = rows[0]
for k, v in [("started", 4), ("reached_assessed_dose", 4), ("judged", 3),
             ("median_days_to_response", 24.5)]:
    check(k, r[k], v)
check("responders_30", (r["responders_30"]["count"], r["responders_30"]["of"]), (2, 3))
check("responders_50", (r["responders_50"]["count"], r["responders_50"]["of"]), (1, 3))
for k, lo, hi in [("responders_30", 0.2077, 0.9385), ("responders_50", 0.0615, 0.7923)]:
    check(k + " ci95", (round(r[k]["ci95_low"], 4), round(r[k]["ci95_high"], 4)), (lo, hi))
check("stopped", r["stopped"], {"contraindication": 0, "not effective": 1, "not tolerated": 1,
                                "other": 0})
# Part 2: sums over every row against the generator's own counts.
m = re.search(r"plans approved (\d+).*continue 60 % (\d+), continue 40 % (\d+), "
              r"switch at the maximum 10 % (\d+), switch intolerable (\d+)", sys.argv[3], re.S)
approved, c60, c40, cmax, cint = map(int, m.groups())
many = json.load(open(sys.argv[2]))["rows"]
total = lambda f: sum(f(x) for x in many)
check("sum started (every approved plan started)", total(lambda x: x["started"]), approved)
check("sum judged", total(lambda x: x["judged"]), c60 + c40 + cmax)
check("sum responders 30 %", total(lambda x: x["responders_30"]["count"]), c60 + c40)
check("sum responders 50 %", total(lambda x: x["responders_50"]["count"]), c60)
check("sum not effective", total(lambda x: x["stopped"]["not effective"]), cmax)
check("sum not tolerated", total(lambda x: x["stopped"]["not tolerated"]), cint)
check("decisions made", c60 + c40 + cmax + cint > 100, True)
if bad:
    print("FAIL:\n  " + "\n  ".join(bad))
    sys.exit(1)
print(f"ok: 4 patients by hand; 200 patients: {approved} plans, decisions {c60}/{c40}/{cmax}/{cint}")
PY
