// Every stored-data command's --help names the role it needs (from the authorization table,
// planner/app/authorize.cpp) and shows one example. The examples run in order as a short course on
// one fresh database (tests/cli/help_test.cpp), so none of them can go stale.
#include "planner/cli/commands.hpp"

#include "planner/app/authorize.hpp"

#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace titrate::cli {

namespace {

using P = app::Permission;

const std::vector<CommandHelp> &help_table() {
  static const std::vector<CommandHelp> t = {
      {"patient add", P::change_patient,
       "titrate --role clinician --user dr.ames patient add P1 --birth-date 1961-03-09 --sex "
       "female --weight-kg 70 --creatinine-mg-dl 0.9 --baseline-pain 7"},
      {"patient update", P::change_patient,
       "titrate --role clinician --user dr.ames patient update P1 --weight-kg 68"},
      {"patient show", P::read_patient, "titrate --role pharmacist --user ph.lee patient show P1"},
      {"patient list", P::list_patients, "titrate --role clinician --user dr.ames patient list"},
      {"check", P::check_patient, "titrate --role clinician --user dr.ames check P1", true},
      {"plan", P::draft_plan,
       "titrate --role clinician --user dr.ames plan P1 --start 2026-12-01 --submit", true},
      {"review list", P::read_reviews, "titrate --role pharmacist --user ph.lee review list"},
      {"review show", P::read_reviews, "titrate --role pharmacist --user ph.lee review show P1"},
      {"review approve", P::review_plan,
       "titrate --role pharmacist --user ph.lee review approve P1"},
      {"review reject", P::review_plan,
       "titrate --role pharmacist --user ph.lee review reject P1 --reason \"dose too high\""},
      {"schedule", P::read_plan, "titrate --role patient --user P1 schedule P1 --on 2026-12-02"},
      {"log", P::log_observation,
       "titrate --role patient --user P1 log P1 --score 5 --at 2026-12-02T20:00"},
      {"import scores", P::import_scores,
       "titrate --role clinician --user dr.ames import scores diary.csv"},
      {"due", P::read_due, "titrate --role clinician --user dr.ames due --within 30"},
      {"assess", P::assess, "titrate --role clinician --user dr.ames assess P1", true},
      {"decisions", P::read_plan, "titrate --role clinician --user dr.ames decisions P1"},
      {"export", P::read_plan,
       "titrate --role patient --user P1 export P1 --format ics --tz Europe/London"},
      {"audit", P::read_audit, "titrate --role pharmacist --user ph.lee audit P1"},
      {"patient invite", P::invite_patient,
       "titrate --role clinician --user dr.ames patient invite P1"},
      {"patient import", P::change_patient,
       "titrate --role clinician --user dr.ames patient import P9 --fhir "
       "tests/ehr/fhir/demo-bundle.json"},
      {"report outcomes", P::read_report,
       "titrate --role pharmacist --user ph.lee report outcomes --from 2026-01-01"},
      {"db checksum", P::copy_database, "titrate db checksum"},
  };
  return t;
}

CLI::App *find_command(CLI::App &app, std::string_view path) {
  CLI::App *at = &app;
  std::istringstream words{std::string(path)};
  std::string w;
  while (words >> w) {
    try {
      at = at->get_subcommand(w);
    } catch (const CLI::OptionNotFound &) {
      return nullptr;
    }
  }
  return at;
}

} // namespace

const std::vector<CommandHelp> &command_help() {
  return help_table();
}

void add_role_help(CLI::App &app) {
  for (const auto &h : help_table()) {
    CLI::App *cmd = find_command(app, h.path);
    if (!cmd)
      continue;
    std::string footer;
    if (h.permission) {
      footer += "Role: " + app::who_may_text(*h.permission) + " (--role, or TITRATE_ROLE)";
      footer += h.file_form ? "; with --patient-file: no role, no database.\n" : ".\n";
    }
    footer += "Example: " + std::string(h.example);
    cmd->footer(footer);
  }
}

} // namespace titrate::cli
