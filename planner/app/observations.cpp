#include "planner/app/observations.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/plausible.hpp"

namespace titrate::app {

namespace {

Date birth_date_of(Repository &repo, const std::string &patient) {
  const auto rec = repo.patient(patient);
  if (!rec)
    throw NotFoundError("patient " + patient + ": not found");
  return rec->patient.birth_date;
}

} // namespace

std::int64_t record_score(Repository &repo, const std::string &patient, const ScoreEntry &s,
                          const Actor &who, Date today, std::string_view at_field) {
  const Date birth = birth_date_of(repo, patient);
  if (!s.retracted)
    check_observation_time(s.at, birth, today, at_field);
  return repo.log_score(patient, s, who);
}

std::int64_t record_adverse_effect(Repository &repo, const std::string &patient,
                                   const AdverseEffect &ae, const Actor &who, Date today,
                                   std::string_view at_field) {
  const Date birth = birth_date_of(repo, patient);
  if (!ae.retracted)
    check_observation_time(ae.at, birth, today, at_field);
  return log_attributed_adverse_effect(repo, patient, ae, who);
}

} // namespace titrate::app
