#pragma once
// A pharmacist's verdict on a plan version, the same from every door: without a version, the one
// awaiting review (submitting supersedes older ones, so there is never more than one); a rejection
// must say why; four eyes is the store's rule (require_four_eyes).
#include "planner/store/repository.hpp"

#include <optional>
#include <string>

namespace titrate::app {

// The version awaiting review, if any. NotFoundError for an unknown patient.
std::optional<int> awaiting_version(Repository &repo, const std::string &patient);

// InputError for a version below 1 or a rejection without a reason; NotFoundError for an unknown
// patient or version; RefusedError when the version is not awaiting review, or `who` drafted or
// submitted it.
void record_verdict(Repository &repo, const std::string &patient, int version, const Actor &who,
                    Verdict verdict, const std::string &reason);

} // namespace titrate::app
