#pragma once
// What the store commands (and the engine commands given a patient ID) share: the acting role
// and its rules, the acting user, and opening the database at ctx.db_location() in the mode a
// command needs. Role checks run BEFORE the database is opened, so a refused command never
// creates or touches the file. Roles (docs/cli.md): clinician, pharmacist, patient.
#include "planner/app/authorize.hpp"
#include "planner/cli/context.hpp"
#include "planner/ehr/codes.hpp"
#include "planner/store/repository.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace titrate::cli {

using app::Role;
using app::to_string;

// The acting role when the authorization table (planner/app/authorize.hpp) allows `permission`
// to it: RefusedError (exit 4) naming the role and the command otherwise; no role given:
// RefusedError; an unknown role name: InputError (exit 2). With `patient`, a patient may act
// only on their own record (the user name must be the patient id).
Role require_role(const Context &ctx, app::Permission permission, std::string_view command,
                  const std::string *patient = nullptr);
// The acting user and role for the audit (InputError if no user can be determined), with the door
// ("cli") and the operating-system user the process runs as.
Actor actor(const Context &ctx);
// The operating-system account of this process (getpwuid(geteuid())), e.g. "root".
std::string os_user();

enum class StoreMode {
  read,           // a missing database reads as an empty one; nothing is created
  write_existing, // a missing database: NotFoundError naming `missing_what` (nothing created)
  create,         // creates the parent folders and the database when missing
};
std::unique_ptr<Repository> open_store(const Context &ctx, StoreMode mode,
                                       const std::string &missing_what = "patient");

// The help of the ID argument naming a stored patient, one wording for every command; `note`
// says what the command does with it. CLI11's "missing" message quotes it (parse_errors.cpp).
inline std::string stored_patient_id_help(std::string_view note = {}) {
  return "A stored patient's ID" + (note.empty() ? std::string() : " (" + std::string(note) + ")");
}

// Current profile or NotFoundError (exit 3) naming the id.
PatientRecord require_patient(Repository &repo, const std::string &id);

// The plan as `plan` prints it for people (every stage with its steps, stops, warnings, notes and
// the lint), for `review show`: the pharmacist sees what the clinician saw.
void print_plan_for_people(std::ostream &out, const Plan &plan, const Pathway &pw,
                           const Formulary &f);

// The store commands, one file each; in the command table (command_table.cpp).
void add_patient_command(CLI::App &app, Context &ctx);            // cmd_patient.cpp
void add_patient_import_command(CLI::App *patient, Context &ctx); // cmd_patient_import.cpp
// formulary/ehr/codes.toml of --formulary, joined with the formulary's own RxNorm codes.
ehr::EhrCodes load_ehr_codes(Context &ctx);              // cmd_patient_import.cpp
void add_log_command(CLI::App &app, Context &ctx);       // cmd_log.cpp
void add_import_command(CLI::App &app, Context &ctx);    // cmd_import.cpp
void add_due_command(CLI::App &app, Context &ctx);       // cmd_due.cpp
void add_review_command(CLI::App &app, Context &ctx);    // cmd_review.cpp
void add_audit_command(CLI::App &app, Context &ctx);     // cmd_audit.cpp
void add_decisions_command(CLI::App &app, Context &ctx); // cmd_decisions.cpp
void add_schedule_command(CLI::App &app, Context &ctx);  // cmd_schedule.cpp

} // namespace titrate::cli
