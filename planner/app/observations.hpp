#pragma once
// Recording what the patient reports, the same from every door: a pain score or an adverse effect
// is refused (InputError naming `at_field`) when its time cannot be true for the patient (before
// birth, after today: check_observation_time), an unknown patient is NotFoundError, and an adverse
// effect is attributed to the drugs being taken at its time.
#include "planner/store/repository.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace titrate::app {

std::int64_t record_score(Repository &repo, const std::string &patient, const ScoreEntry &s,
                          const Actor &who, Date today, std::string_view at_field = "at");
// A retraction (s.retracted, ae.retracted) has no time of its own to check: it withdraws the
// entry `supersedes`, with the reason in its note (score) or description (adverse effect).
std::int64_t record_adverse_effect(Repository &repo, const std::string &patient,
                                   const AdverseEffect &ae, const Actor &who, Date today,
                                   std::string_view at_field = "at");

} // namespace titrate::app
