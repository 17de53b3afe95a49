#pragma once
// Adding and updating a stored patient profile, the same from every door: the values arrive as
// the text a person typed (one field each; lists as separate values), are checked with the core's
// ranges and the formulary's vocabulary, and become a new profile version (audited by the store).
// Messages name the door's own field: `prefix` + "birth-date" ("--birth-date" for the CLI,
// "birth-date" for the web form).
#include "planner/formulary/monograph.hpp"
#include "planner/store/repository.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace titrate::app {

// What a person typed; an empty text or list means "not given" (update: keep the current value).
struct ProfileFields {
  std::string birth_date, sex, weight_kg, creatinine, crcl, hepatic, baseline_pain, dialysis,
      indication;
  std::vector<std::string> conditions, medications, stopped, dialysis_days;
  bool clear_conditions = false, clear_medications = false, clear_stopped = false,
       clear_baseline_pain = false, clear_dialysis = false, clear_indication = false;
};

// A new patient's profile from `fields` (birth date, sex and weight required), checked; nothing
// stored. InputError naming the field (with `prefix`) and what was expected.
Patient new_profile(const std::string &id, const ProfileFields &fields, const Formulary &f,
                    Date today, std::string_view prefix);
// Stores a profile made by new_profile as version 1; returns the version.
int add_patient(Repository &repo, const Patient &p, const Actor &who);
// Applies `fields` onto the current profile in one transaction and stores the next version.
// NotFoundError for an unknown patient; InputError when nothing would change ("patient update ID:
// nothing to change; ...") or a value is wrong. Values changed by hand lose their FHIR source.
int update_patient(Repository &repo, const std::string &id, const ProfileFields &fields,
                   const Formulary &f, Date today, const Actor &who, std::string_view prefix);

} // namespace titrate::app
