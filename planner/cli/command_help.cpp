// Every stored-data command's --help names the role it needs (from the authorization table,
// planner/app/authorize.cpp) and shows one example. The examples run in order as a short course on
// one fresh database (tests/cli/help_test.cpp), so none of them can go stale.
#include "planner/cli/commands.hpp"

#include "planner/app/authorize.hpp"

#include <array>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace titrate::cli {

namespace {

using P = app::Permission;
using R = app::Role;

const std::vector<CommandHelp> &help_table() {
  static const std::vector<CommandHelp> t = {
      {"patient add", P::change_patient, R::clinician,
       "P1 --birth-date 1961-03-09 --sex female --weight-kg 70 --creatinine-mg-dl 0.9 "
       "--baseline-pain 7"},
      {"patient update", P::change_patient, R::clinician, "P1 --weight-kg 68"},
      {"patient show", P::read_patient, R::pharmacist, "P1"},
      {"patient list", P::list_patients, R::clinician, ""},
      {"check", P::check_patient, R::clinician, "P1", true},
      {"plan", P::draft_plan, R::clinician, "P1 --start 2026-12-01 --submit", true},
      {"review list", P::read_reviews, R::pharmacist, ""},
      {"review show", P::read_reviews, R::pharmacist, "P1"},
      {"review approve", P::review_plan, R::pharmacist, "P1"},
      {"review reject", P::review_plan, R::pharmacist, "P1 --reason \"dose too high\""},
      {"schedule", P::read_plan, R::patient, "P1 --on 2026-12-02"},
      {"log", P::log_observation, R::patient, "P1 --score 5 --at 2026-12-02T20:00"},
      {"import scores", P::import_scores, R::clinician, "diary.csv"},
      {"due", P::read_due, R::clinician, "--within 30"},
      {"assess", P::assess, R::clinician, "P1", true},
      {"decisions", P::read_plan, R::clinician, "P1"},
      {"export", P::read_plan, R::patient, "P1 --format ics --tz Europe/London"},
      {"audit", P::read_audit, R::pharmacist, "P1"},
      {"patient invite", P::invite_patient, R::clinician, "P1"},
      {"patient import", P::change_patient, R::clinician,
       "P9 --fhir tests/ehr/fhir/demo-bundle.json"},
      {"report outcomes", P::read_report, R::pharmacist, "--from 2026-01-01"},
      {"db checksum", P::copy_database, std::nullopt, ""},
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

std::string example_of(const CommandHelp &h) {
  std::string line = "titrate ";
  if (h.as) {
    // One sample user of each role, as the README's course and docs/cli.md use them.
    using enum app::Role;
    static constexpr std::array<EnumWord<app::Role>, 3> users{
        {{clinician, "dr.ames"}, {pharmacist, "ph.lee"}, {patient, "P1"}}};
    line += "--role " + std::string(to_string(*h.as)) + " --user " +
            std::string(enum_word(users, *h.as, "?")) + " ";
  }
  line += std::string(h.path);
  if (!h.args.empty())
    line += " " + std::string(h.args);
  return line;
}

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
    footer += "Example: " + example_of(h);
    cmd->footer(footer);
  }
}

} // namespace titrate::cli
