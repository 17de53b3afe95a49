#pragma once
// What the engine commands share: `check`, `plan` and `assess` take a patient by file
// (--patient-file P.toml: no role, no database) and `plan` and `assess` build a plan from it as
// one (--start, --pathway, --prefer). Each option is registered here once, with one meaning and
// one help text.
#include "planner/cli/context.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/patient.hpp"
#include "planner/scheduling/plan.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

namespace titrate::cli {

// The options a plan is built from, as typed (`plan` and `assess`; the stored forms read --start,
// --pathway and --prefer too).
struct PlanInputs {
  std::string patient_file;
  std::string start;
  std::string pathway = "cipn-esmo";
  std::string prefer;
};

// The patient of `check`, `plan` and `assess`: ID, a stored patient (`id_note` says what the
// command does with one), or --patient-file P.toml; require_one_patient checks that one is given.
void add_patient_choice(CLI::App *cmd, std::string &id, std::string &patient_file,
                        std::string_view id_note = {});
// --start D, the plan's first day (`plan`, `assess`).
void add_start_option(CLI::App *cmd, PlanInputs &in);
// --pathway NAME and --prefer DRUG, the drug to plan first.
void add_pathway_options(CLI::App *cmd, PlanInputs &in);

// The patient of `check`, `plan` and `assess`: a stored patient's ID or --patient-file, exactly
// one. Both or neither is an InputError in one wording for the three commands:
// "plan: ID and --patient-file: expected one of them, not both", or "plan: ID or --patient-file:
// missing; expected a stored patient's ID, or --patient-file P.toml --start D", where
// `file_needs` ("--start D") is what else the command's file form takes.
void require_one_patient(std::string_view command, const std::string &id,
                         const std::string &patient_file, std::string_view file_needs = {});

// "--start: missing; expected the first day of the plan, YYYY-MM-DD", the plan's first day not
// given (`plan` and `assess`), with the command's own `hint` after it in parentheses.
InputError missing_start(std::string_view hint = {});

// The patient of --patient-file, read against the formulary's vocabulary on `today`.
Patient read_patient_file(Context &ctx, const std::string &patient_file, Date today);

// A patient given by file with the first day of their plan: --start parsed, the pathway found
// (NotFoundError naming the known ones), the file read, and the first day checked against today
// and the birth date (check_plan_start; `backdate`: a day more than a year ago is allowed).
struct FilePatient {
  Date today;
  Date start;
  const Pathway &pathway;
  Patient patient;
};
FilePatient read_file_patient(Context &ctx, const PlanInputs &in, bool backdate);
// Its plan as `plan` builds it: the pathway's first eligible drug, or --prefer's with
// `prefer_reason` (kept in the plan).
Plan build_file_plan(Context &ctx, const FilePatient &p, const PlanInputs &in,
                     const std::string &prefer_reason = {});

} // namespace titrate::cli
