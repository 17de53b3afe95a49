#include "planner/core/plausible.hpp"

#include "planner/core/errors.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace titrate {

namespace {

// today +/- whole years, clamped to the calendar's range (a --today near 9999 or 1400 must give
// a message, not an out-of-range exception).
Date shift_years(Date d, int years) {
  try {
    return d + boost::gregorian::years(years);
  } catch (const std::out_of_range &) {
    return years < 0 ? Date(boost::gregorian::min_date_time)
                     : Date(boost::gregorian::max_date_time);
  }
}

} // namespace

void check_observation_time(const LocalDateTime &at, Date birth, Date today,
                            std::string_view field) {
  if (at.date < birth) {
    throw InputError(std::string(field) + ": " + iso(at) + " is before the patient's birth (" +
                     iso(birth) + "); expected a time from " + iso(birth) + " through " +
                     iso(today));
  }
  if (at.date > today) {
    throw InputError(std::string(field) + ": " + iso(at) + " is after today (" + iso(today) +
                     "); expected a time from " + iso(birth) + " through " + iso(today));
  }
}

PlanStartRange plan_start_range(Date today, Date birth, bool backdate) {
  return {backdate ? birth : std::max(shift_years(today, -1), birth), shift_years(today, 1)};
}

void check_plan_start(Date start, Date today, Date birth, bool backdate, std::string_view field,
                      std::string_view backdate_flag) {
  const PlanStartRange r = plan_start_range(today, birth, backdate);
  if (start >= r.earliest && start <= r.latest)
    return;
  std::string msg = std::string(field) + ": " + iso(start) + " is " +
                    (start < r.earliest ? "too far in the past" : "too far in the future") +
                    "; expected a first day from " + iso(r.earliest) + " through " + iso(r.latest);
  if (start < r.earliest && !backdate && start >= birth) {
    if (!backdate_flag.empty()) {
      msg += " (give " + std::string(backdate_flag) +
             " to record a plan that started more than a year ago)";
    }
  } else if (start < birth) {
    msg += " (not before the patient's birth, " + iso(birth) + ")";
  }
  throw InputError(msg);
}

} // namespace titrate
