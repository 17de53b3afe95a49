#pragma once
// An assessment (a window judged, a decision with its numbers) in the one wording for people:
// what `titrate assess` prints and what the pharmacist's page shows as the decision behind a
// plan version. Pure.
#include "planner/assessment/decision.hpp"
#include "planner/export/words.hpp"

namespace titrate::words {

// A heading ("Assessment for patient P1 on 2026-12-22: DULoxetine"), then one fact per line:
// the decision, the baseline, the window (inclusive dates, days with scores, mean), the change
// from baseline, the days at the target dose, the rule and its source, "Reasons:" and each reason
// (depth 1). Drug names in tall man (for_people).
Lines assessment(const Assessment &a, const Formulary &f);

} // namespace titrate::words
