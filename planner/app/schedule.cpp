// The schedule of one day (schedule.hpp).
#include "planner/app/schedule.hpp"

namespace titrate::app {

DaySchedule day_schedule(const Plan &plan, const Patient &patient, const Formulary &f, Date day) {
  DaySchedule d;
  d.supplements = dialysis_supplements_on(plan, patient, f, day);
  d.lines = words::time_lines(plan, f, day);
  for (const auto &s : d.supplements) {
    words::TimeLine line;
    line.time = AdminTime::bedtime; // after the session: no fixed time of day
    line.text = words::capitalised(s.text);
    line.after_dialysis = true;
    d.lines.push_back(std::move(line));
  }
  return d;
}

} // namespace titrate::app
