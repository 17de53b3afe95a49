#pragma once
// Assessments built by hand, for the tests that print, record, show or apply a decision without
// running assess on scores.
#include "planner/assessment/decision.hpp"

#include <string>

namespace titrate::test {

// The assessment of `patient`'s `drug` on `date` that comes to `decision`, and nothing more: no
// baseline, window, rule or reasons.
inline Assessment assessment_of(const std::string &patient, Date date, const std::string &drug,
                                DecisionKind decision) {
  Assessment a;
  a.patient = patient;
  a.date = date;
  a.drug = drug;
  a.decision = decision;
  return a;
}

// The assessment of a duloxetine trial that the JSON, store and web tests print, record or show:
// the trial of duloxetine_trial.hpp (and of the cipn-esmo plan from 2026-12-01), whose 60 mg
// target is reached on 2026-12-08, judged on `date` against `baseline` with `scores` days with
// scores of mean `mean` in the window 2026-12-15 to 2026-12-22 (the week before its decision
// date). The change from baseline (percent less pain) and the days at target follow as assess
// computes them; the rule, source, reasons and what comes next are the test's own.
inline Assessment duloxetine_assessment(const std::string &patient, Date date,
                                        DecisionKind decision, double baseline, double mean,
                                        int scores) {
  Assessment a = assessment_of(patient, date, "duloxetine", decision);
  a.baseline = baseline;
  a.window = {Date(2026, 12, 15), Date(2026, 12, 22), mean, scores};
  a.change_pct = (baseline - mean) / baseline * 100.0;
  a.days_at_target = static_cast<int>((date - Date(2026, 12, 8)).days());
  return a;
}

} // namespace titrate::test
