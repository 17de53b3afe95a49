#pragma once
// The plan model: stages of dated steps built from marketed strengths. Produced by the
// scheduler, stored by the store, read by assessment and export. Dates are half-open.
#include "planner/core/date.hpp"
#include "planner/core/finding.hpp"
#include "planner/formulary/monograph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace titrate {

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
std::string_view to_string(StageRole r);
StageRole parse_stage_role(std::string_view text, std::string_view field = "role");

struct Stage {
  std::string drug;
  StageRole role = StageRole::trial;
  std::vector<Step> steps;
  Dose assessed_dose;                  // trial: the dose whose response is judged (0 for tapers)
  std::optional<Date> target_reached;  // trial: first day at the assessed dose
  std::optional<Date> decision_date;   // trial: target_reached + min days at target
  std::vector<UnitCount> dispense;     // units of each strength to cover the stage
  std::vector<Finding> warnings;       // caution findings carried with the stage
  std::string note;                    // e.g. "discontinuation-symptom check"
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

  // The doses to take on one day across all stages (for `schedule --on`).
  std::vector<std::pair<const Stage *, const Step *>> on(Date d) const;
  const Stage *current_trial() const; // the last trial stage, if any
};

} // namespace titrate
