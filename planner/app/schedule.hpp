#pragma once
// The schedule of one day: what a patient takes on a day of their plan, as every door shows it:
// the doses by time of day and, on the profile's haemodialysis days, the supplement after the
// session (clinical.md H14). `titrate schedule ID --on D` and the patient's page both read a day
// from here, so neither can leave the supplement out.
#include "planner/core/patient.hpp"
#include "planner/export/words.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/scheduling/plan.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <vector>

namespace titrate::app {

struct DaySchedule {
  // The supplements after haemodialysis on this day (empty off dialysis days).
  std::vector<DialysisDose> supplements;
  // For people: one line per time of day with doses (words::time_lines), then one line per
  // supplement ("After the haemodialysis session: ...", after_dialysis set).
  std::vector<words::TimeLine> lines;
};

DaySchedule day_schedule(const Plan &plan, const Patient &patient, const Formulary &f, Date day);

} // namespace titrate::app
