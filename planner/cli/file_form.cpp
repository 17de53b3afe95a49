#include "planner/cli/file_form.hpp"

#include "planner/cli/store_cli.hpp"
#include "planner/core/plausible.hpp"
#include "planner/formulary/patient_file.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <cctype>

namespace titrate::cli {

void add_patient_choice(CLI::App *cmd, std::string &id, std::string &patient_file,
                        std::string_view id_note) {
  cmd->add_option("ID", id, stored_patient_id_help(id_note));
  cmd->add_option("--patient-file", patient_file,
                  "A patient file (TOML, docs/cli.md) instead of a stored patient");
}

void add_start_option(CLI::App *cmd, PlanInputs &in) {
  cmd->add_option("--start", in.start, "The first day of the plan, YYYY-MM-DD");
}

void add_pathway_options(CLI::App *cmd, PlanInputs &in) {
  cmd->add_option("--pathway", in.pathway, "Pathway name (default cipn-esmo)");
  cmd->add_option("--prefer", in.prefer,
                  "Plan this drug of the pathway first even if it is caution (never if it is "
                  "avoid)");
}

void require_one_patient(std::string_view command, const std::string &id,
                         const std::string &patient_file, std::string_view file_needs) {
  const std::string cmd(command);
  if (!id.empty() && !patient_file.empty())
    throw InputError(cmd + ": " + not_both("ID", "--patient-file"));
  if (id.empty() && patient_file.empty()) {
    // ID's help text, first letter lowered, as parse_errors.cpp quotes a required argument's.
    std::string stored = stored_patient_id_help();
    stored[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(stored[0])));
    throw InputError(cmd + ": ID or --patient-file: missing; expected " + stored +
                     ", or --patient-file P.toml" +
                     (file_needs.empty() ? "" : " " + std::string(file_needs)));
  }
}

InputError missing_start(std::string_view hint) {
  return InputError("--start: missing; expected the first day of the plan, YYYY-MM-DD" +
                    (hint.empty() ? std::string() : " (" + std::string(hint) + ")"));
}

Patient read_patient_file(Context &ctx, const std::string &patient_file, Date today) {
  const Formulary &f = ctx.formulary();
  return parse_patient_file(read_text_file(patient_file, "--patient-file"), f.vocabulary, today);
}

FilePatient read_file_patient(Context &ctx, const PlanInputs &in, bool backdate) {
  const Date start = parse_date(in.start, "--start");
  const Date today = ctx.today();
  ctx.formulary(); // read first: its faults are named before the pathways'
  const Pathway &pw = ctx.pathway(in.pathway);
  FilePatient p{today, start, pw, read_patient_file(ctx, in.patient_file, today)};
  check_plan_start(start, today, p.patient.birth_date, backdate);
  return p;
}

Plan build_file_plan(Context &ctx, const FilePatient &p, const PlanInputs &in,
                     const std::string &prefer_reason) {
  PlanRequest req;
  req.start = p.start;
  req.today = p.today;
  if (!in.prefer.empty())
    req.prefer = in.prefer;
  req.prefer_reason = prefer_reason;
  return build_plan(p.patient, ctx.formulary(), p.pathway, req);
}

} // namespace titrate::cli
