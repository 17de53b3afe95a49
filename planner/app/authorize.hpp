#pragma once
// Who may do what: the one authorization table every door calls (the CLI's commands, the web's
// pages and JSON API, the CDS Hooks service). A door establishes the Actor (its session, its
// database login, or the claimed --user/--role with the operating-system user beside it:
// docs/architecture.md, "Who the actor is"); this table decides what that actor may do.
#include "planner/store/repository.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace titrate::app {

enum class Role { clinician, pharmacist, patient };
constexpr auto words_of(Role) {
  using enum Role;
  return enum_words<Role>(
      {"role"}, {{clinician, "clinician"}, {pharmacist, "pharmacist"}, {patient, "patient"}});
}
using titrate::to_string; // found with a Role by argument-dependent lookup

// Everything an actor may be refused. Each has one row in the table (authorize.cpp).
enum class Permission {
  check_patient,     // check a stored patient against the formulary
  read_patient,      // a patient's profile, history, scores and side effects
  list_patients,     // every patient at once
  change_patient,    // add, update, import a profile
  invite_patient,    // create or revoke a patient's personal link
  draft_plan,        // draft, preview and submit a plan version
  read_plan,         // a patient's schedule, plan versions, export and decisions
  read_reviews,      // the review queue and a version awaiting review
  review_plan,       // approve or reject a version (four eyes: never one's own)
  log_observation,   // a pain score or an adverse effect
  import_scores,     // a CSV of scores or a diary
  assess,            // judge a window (nothing stored)
  apply_decision,    // record a decision and draft its next plan version
  read_due,          // the due list
  read_audit,        // the audit log
  copy_database,     // db copy, db checksum
  read_report,       // the clinic's outcome report (every patient's course, counted)
  use_clinic_pages,  // the web's clinic pages
  use_pharmacy_pages // the web's pharmacy pages
};

struct Rule {
  Permission permission;
  std::string_view what; // "draft plans": completes "only the clinician role may ..."
  std::vector<Role> roles;
  // For the patient role: only on their own record (the user name is the patient id).
  bool own_record = false;
};

std::span<const Rule> rules();
const Rule &rule(Permission p);
// "clinician or pharmacist"
std::string roles_text(Permission p);
// "clinician or pharmacist; patient: own record only": who may, for help texts.
std::string who_may_text(Permission p);

// The actor's role when the table allows `p` to it, else RefusedError (exit 4) naming the role
// and what it may not do; an unknown role name is InputError (exit 2); no role is RefusedError.
// With `patient` given and a patient actor, the user must be that patient. `door` prefixes the
// message ("plan: ", "" on the web).
Role authorize(const Actor &who, Permission p, const std::string *patient = nullptr,
               std::string_view door = {});

} // namespace titrate::app
