#pragma once
// A patient's personal link to their page on `titrate serve`, the same from every door: a new
// link revokes the patient's earlier live links unless the clinician keeps them (a lost phone, a
// handout given twice: the old link must stop working), and revoking disables every link. The
// door makes the random token and shows it once; only its digest reaches this layer and the store.
// Both are audited (without the token).
#include "planner/store/accounts.hpp"
#include "planner/store/repository.hpp"

#include <cstdint>
#include <string>

namespace titrate::app {

struct InviteRequest {
  std::string patient;
  std::string token_hash;                // the digest of the token the door shows once
  bool keep_old = false;                 // keep the patient's earlier links working
  std::string what = "new patient link"; // the audit's detail ("..., with a handout of ...")
};

// Stores the new link; returns how many earlier links it revoked (0 with keep_old). NotFoundError
// for an unknown patient. Audited as patient.invite ("new patient link; revoked 1 earlier link").
int invite_patient(Repository &repo, Accounts &accounts, const InviteRequest &req, std::int64_t now,
                   const Actor &who);

// Revokes every live link of the patient; returns how many. NotFoundError for an unknown patient.
// Audited as patient.invite.revoke.
int revoke_patient_links(Repository &repo, Accounts &accounts, const std::string &patient,
                         std::int64_t now, const Actor &who);

} // namespace titrate::app
