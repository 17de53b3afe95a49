#include "planner/app/invites.hpp"

#include "planner/core/errors.hpp"

namespace titrate::app {

namespace {

void require_invited_patient(Repository &repo, const std::string &patient) {
  validate_patient_id(patient);
  if (!repo.patient(patient))
    throw NotFoundError("patient " + patient + ": not found");
}

} // namespace

int invite_patient(Repository &repo, Accounts &accounts, const InviteRequest &req, std::int64_t now,
                   const Actor &who) {
  require_invited_patient(repo, req.patient);
  const int revoked = req.keep_old ? 0 : accounts.revoke_links(req.patient, now);
  accounts.add_link(PatientLink{req.token_hash, req.patient, now, std::nullopt});
  repo.append_audit(who, "patient.invite", req.patient,
                    req.what + (revoked > 0 ? "; revoked " + std::to_string(revoked) +
                                                  " earlier link" + (revoked == 1 ? "" : "s")
                                            : std::string()));
  return revoked;
}

int revoke_patient_links(Repository &repo, Accounts &accounts, const std::string &patient,
                         std::int64_t now, const Actor &who) {
  require_invited_patient(repo, patient);
  const int n = accounts.revoke_links(patient, now);
  repo.append_audit(who, "patient.invite.revoke", patient,
                    "revoked " + std::to_string(n) + " link(s)");
  return n;
}

} // namespace titrate::app
