#pragma once
// Shared by the store contract suite and the CLI store transcripts: the one illustrative plan
// they both store, a duloxetine trial from 2026-12-01 (30 mg for a week, then
// `second_step_daily` to the decision on 2026-12-22). Storage data, not a clinical claim; each
// suite adds its own lint, warnings and extras.
#include "planner/scheduling/plan.hpp"

#include <string>

namespace titrate::test {

// A step of one dose a day at `time`: `daily` as one capsule of that strength.
inline Step one_capsule_step(DateRange range, AdminTime time, Dose daily) {
  Step s;
  s.range = range;
  s.daily = daily;
  s.doses = {{time, daily, {{daily, Form::capsule, 1}}}};
  return s;
}

inline Plan duloxetine_trial(const std::string &patient,
                             Dose second_step_daily = Dose::milligrams(60)) {
  Plan p;
  p.patient = patient;
  p.pathway = "cipn-esmo";
  p.start = Date(2026, 12, 1);
  Stage s;
  s.drug = "duloxetine";
  s.role = StageRole::trial;
  s.steps = {one_capsule_step(DateRange(Date(2026, 12, 1), Date(2026, 12, 8)), AdminTime::morning,
                              Dose::milligrams(30)),
             one_capsule_step(DateRange(Date(2026, 12, 8), Date(2026, 12, 22)), AdminTime::morning,
                              second_step_daily)};
  s.assessed_dose = second_step_daily;
  s.target_reached = Date(2026, 12, 8);
  s.decision_date = Date(2026, 12, 22);
  p.stages = {s};
  return p;
}

} // namespace titrate::test
