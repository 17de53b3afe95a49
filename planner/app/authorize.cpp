#include "planner/app/authorize.hpp"

#include "planner/core/errors.hpp"

#include <algorithm>

namespace titrate::app {

namespace {

using enum Role;

// The table. Keep docs/cli.md's "Roles" section and docs/web.md true to it (tests/app checks
// each row against the CLI and the web).
const std::vector<Rule> &table() {
  static const std::vector<Rule> t = {
      {Permission::check_patient, "check a stored patient", {clinician, pharmacist, patient}, true},
      {Permission::read_patient, "read patient records", {clinician, pharmacist, patient}, true},
      {Permission::list_patients, "list patients", {clinician, pharmacist}, false},
      {Permission::change_patient, "add or change patient records", {clinician}, false},
      {Permission::invite_patient, "invite patients or revoke their links", {clinician}, false},
      {Permission::draft_plan, "draft plans", {clinician}, false},
      {Permission::read_plan, "read plans", {clinician, pharmacist, patient}, true},
      {Permission::read_reviews, "read the review queue", {pharmacist, clinician}, false},
      {Permission::review_plan, "approve or reject plans", {pharmacist}, false},
      {Permission::log_observation, "log pain scores or side effects", {patient, clinician}, true},
      {Permission::import_scores, "import scores", {patient, clinician}, true},
      {Permission::assess, "assess a window", {clinician, pharmacist}, false},
      {Permission::apply_decision, "record decisions and draft their plans", {clinician}, false},
      {Permission::read_due, "read the due list", {clinician, pharmacist}, false},
      {Permission::read_audit, "read the audit log", {clinician, pharmacist}, false},
      {Permission::copy_database, "copy or checksum the database", {clinician, pharmacist}, false},
      {Permission::read_report, "read the outcome report", {clinician, pharmacist}, false},
      {Permission::use_clinic_pages, "open the clinic pages", {clinician}, false},
      {Permission::use_pharmacy_pages, "open the pharmacy pages", {pharmacist}, false},
  };
  return t;
}

} // namespace

std::span<const Rule> rules() {
  return table();
}

const Rule &rule(Permission p) {
  for (const auto &r : table())
    if (r.permission == p)
      return r;
  throw std::logic_error("authorize: a permission without a rule");
}

std::string who_may_text(Permission p) {
  const Rule &r = rule(p);
  std::string staff;
  bool patient = false;
  for (Role role : r.roles) {
    if (role == Role::patient) {
      patient = true;
      continue;
    }
    staff += (staff.empty() ? "" : " or ") + std::string(to_string(role));
  }
  if (!patient)
    return staff;
  const std::string p_text = r.own_record ? "patient (own record only)" : "patient";
  return staff.empty() ? p_text : staff + " or " + p_text;
}

std::string roles_text(Permission p) {
  std::string names;
  for (Role r : rule(p).roles)
    names += (names.empty() ? "" : " or ") + std::string(to_string(r));
  return names;
}

Role authorize(const Actor &who, Permission p, const std::string *patient, std::string_view door) {
  const Rule &r = rule(p);
  const std::string prefix = door.empty() ? std::string() : std::string(door) + ": ";
  if (who.role.empty()) {
    throw RefusedError(prefix + "no role given; this is for the " + roles_text(p) +
                       " role (give --role or set TITRATE_ROLE)");
  }
  const Role role = parse_enum<Role>(who.role, prefix + "role");
  if (std::find(r.roles.begin(), r.roles.end(), role) == r.roles.end()) {
    throw RefusedError(prefix + "refused for role " + std::string(to_string(role)) + ": role " +
                       std::string(to_string(role)) + " may not " + std::string(r.what) +
                       "; only the " + roles_text(p) + " role may");
  }
  if (role == Role::patient && r.own_record && patient && who.user != *patient) {
    throw RefusedError(prefix + "refused for role patient: user \"" + who.user.substr(0, 64) +
                       "\" may act only on their own record, not on " + *patient);
  }
  return role;
}

} // namespace titrate::app
