#pragma once
// Dates that cannot be true are refused as bad input: an observation before
// the patient's birth (or after today), a plan start more than a year before today unless the
// clinician says it is a backdated record, or beyond a year from today. Every front end (CLI
// log/import/plan, the web) calls these, so the rule and its wording are the same everywhere.
#include "planner/core/date.hpp"

#include <string_view>

namespace titrate {

// InputError naming `field`, the time and the birth date when `at` is before `birth`, and the
// time and today when it is after `today`.
void check_observation_time(const LocalDateTime &at, Date birth, Date today,
                            std::string_view field = "at");

// The earliest and latest accepted plan start for `today`: one year before (the same day of the
// month; 28 February for 29 February) and one year after. With `backdate` the earliest is the
// patient's birth date.
struct PlanStartRange {
  Date earliest;
  Date latest;
};
PlanStartRange plan_start_range(Date today, Date birth, bool backdate);
// InputError naming `field`, the date and the accepted range (and `backdate_flag` when that would
// admit it; empty: the door cannot backdate, so no hint) when `start` is outside
// plan_start_range().
void check_plan_start(Date start, Date today, Date birth, bool backdate,
                      std::string_view field = "--start",
                      std::string_view backdate_flag = "--backdate");

} // namespace titrate
