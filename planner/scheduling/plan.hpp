#pragma once
// The plan model: stages of dated steps built from marketed strengths. Produced by the
// scheduler, stored by the store, read by assessment and export. Dates are half-open.
#include "planner/core/date.hpp"
#include "planner/core/finding.hpp"
#include "planner/formulary/monograph.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace titrate {

// The clock time (minute of the day) of each administration time, in AdminTime order (morning,
// midday, evening, bedtime): 08:00, 13:00, 18:00, 22:00. A display convention (docs/exports.md)
// that also places a dose against an adverse effect logged with a time.
inline constexpr std::array<int, 4> nominal_admin_minutes{8 * 60, 13 * 60, 18 * 60, 22 * 60};

struct UnitCount {
  Dose strength;
  Form form = Form::capsule;
  int count = 0; // whole units; halves never planned for capsules
  bool operator==(const UnitCount &) const = default;
};

struct Administration {
  AdminTime time = AdminTime::morning;
  Dose dose;
  std::vector<UnitCount> units; // fewest units from marketed strengths, largest first
  bool operator==(const Administration &) const = default;
};

struct Step {
  DateRange range{Date(2000, 1, 1), Date(2000, 1, 1)};
  Dose daily;
  std::vector<Administration> doses; // in time-of-day order
  bool operator==(const Step &) const = default;
};

enum class StageRole { trial, taper, cross_taper };
constexpr auto words_of(StageRole) {
  using enum StageRole;
  return enum_words<StageRole>({"stage role"},
                               {{trial, "trial"}, {taper, "taper"}, {cross_taper, "cross-taper"}});
}

struct Stage {
  std::string drug;
  StageRole role = StageRole::trial;
  std::vector<Step> steps;
  Dose assessed_dose;                 // trial: the dose whose response is judged (0 for tapers)
  std::optional<Date> target_reached; // trial: first day at the assessed dose
  std::optional<Date> decision_date;  // trial: target_reached + min days at target
  std::vector<UnitCount> dispense;    // units of each strength to cover the stage
  std::vector<Finding> warnings;      // caution findings carried with the stage
  std::string note;                   // e.g. "discontinuation-symptom check"
  // Maintenance (a trial stage after a response, clinical.md A6 "continue"): the last step's dose
  // continues past the end of its range with no end date; `review_date` is the next review (the
  // last step's range runs to it, so exports dispense to the review). nullopt: not maintenance.
  std::optional<Date> review_date;
  bool maintenance() const { return role == StageRole::trial && review_date.has_value(); }
  bool operator==(const Stage &) const = default;
};

struct Plan {
  std::string patient;
  std::string pathway;
  Date start{2000, 1, 1};
  std::vector<Stage> stages;
  std::vector<Finding> lint;
  std::vector<std::string> unchecked_medications;
  std::vector<std::string> tried; // drugs already tried (switched away from), in order
  bool operator==(const Plan &) const = default;

  // The doses to take on one day across all stages (for `schedule --on`). A maintenance stage's
  // last step has no end: it answers for every day from its first.
  std::vector<std::pair<const Stage *, const Step *>> on(Date d) const;
  const Stage *current_trial() const; // the last trial stage, if any
  // When the plan is next assessed: the current trial's review date when it is in maintenance,
  // else its decision date (what `due` lists); none once that trial is tapered off (a stop).
  std::optional<Date> next_assessment() const;
  // The drugs being taken at `at`, sorted (a side effect belongs to them, clinical.md A6): every
  // drug with a dose that day, except a drug whose first day it is while another drug is being
  // taken, when `at` is before its first dose (nominal_admin_minutes): a same-day effect before
  // a switch's first dose belongs to the drug taken before it.
  std::vector<std::string> drugs_taken_at(const LocalDateTime &at) const;
};

} // namespace titrate
