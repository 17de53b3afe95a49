#include "planner/app/reviews.hpp"

#include "planner/core/errors.hpp"

namespace titrate::app {

std::optional<int> awaiting_version(Repository &repo, const std::string &patient) {
  if (!repo.patient(patient))
    throw NotFoundError("patient " + patient + ": not found");
  std::optional<int> found;
  for (const auto &v : repo.plan_versions(patient))
    if (v.status == PlanStatus::submitted)
      found = v.version;
  return found;
}

void record_verdict(Repository &repo, const std::string &patient, int version, const Actor &who,
                    Verdict verdict, const std::string &reason) {
  if (version <= 0) {
    throw InputError("version " + std::to_string(version) +
                     " is not a plan version; expected 1 or more");
  }
  if (verdict == Verdict::rejected && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError("the reason for rejecting is missing or empty; a rejection must say why");
  }
  if (verdict == Verdict::approved) {
    repo.approve(patient, version, who);
  } else {
    repo.reject(patient, version, who, reason);
  }
}

} // namespace titrate::app
