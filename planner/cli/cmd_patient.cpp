// `titrate patient add ID ... | update ID ... | show ID | list`: the stored, versioned patient
// profile. add/update are the clinician's; every change is a new profile version, audited.
// The profile is validated (core ranges, formulary vocabulary) before the database is opened.
#include "planner/app/patients.hpp"
#include "planner/cli/listing.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"
#include "planner/export/words.hpp"
#include "planner/formulary/patient_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

using ProfileOptions = app::ProfileFields;

void add_profile_options(CLI::App *cmd, ProfileOptions &o, bool update) {
  const std::string req = update ? "" : " (required)";
  cmd->add_option("--birth-date", o.birth_date, "YYYY-MM-DD" + req);
  cmd->add_option("--sex", o.sex, "female | male" + req);
  cmd->add_option("--weight-kg", o.weight_kg, "Body weight in kg, 1-400" + req);
  cmd->add_option("--creatinine-mg-dl", o.creatinine, "Serum creatinine in mg/dL, 0.1-20");
  cmd->add_option("--crcl", o.crcl, "Creatinine clearance in mL/min, 0-250 (wins over creatinine)");
  cmd->add_option("--hepatic", o.hepatic, "none | mild | moderate | severe (Child-Pugh A/B/C)");
  cmd->add_option("--condition", o.conditions,
                  "A condition from formulary/vocabulary.toml (repeat)");
  cmd->add_option("--medication", o.medications, "A current medication, generic name (repeat)");
  cmd->add_option("--stopped-medication", o.stopped,
                  "NAME=YYYY-MM-DD, a recently stopped one (repeat)");
  cmd->add_option("--baseline-pain", o.baseline_pain, "0-10");
  cmd->add_option("--indication", o.indication,
                  "What the patient is treated for: a term of formulary/vocabulary.toml "
                  "[indications], e.g. chemotherapy-induced-neuropathy");
  cmd->add_option("--dialysis", o.dialysis, "haemodialysis (with --dialysis-day)");
  cmd->add_option("--dialysis-day", o.dialysis_days,
                  "A weekday of the dialysis sessions, monday-sunday (repeat)");
  if (update) {
    cmd->add_flag("--clear-dialysis", o.clear_dialysis, "The patient is no longer on dialysis");
    cmd->add_flag("--clear-conditions", o.clear_conditions, "Remove every condition");
    cmd->add_flag("--clear-medications", o.clear_medications, "Remove every current medication");
    cmd->add_flag("--clear-stopped-medications", o.clear_stopped,
                  "Remove every stopped medication");
    cmd->add_flag("--clear-baseline-pain", o.clear_baseline_pain, "Remove the baseline pain");
    cmd->add_flag("--clear-indication", o.clear_indication, "Remove the recorded indication");
  }
}

nlohmann::json dialysis_json(const std::optional<Dialysis> &d) {
  if (!d)
    return nullptr;
  nlohmann::json days = nlohmann::json::array();
  for (const auto day : d->days)
    days.push_back(std::string(to_string(day)));
  return {{"kind", d->kind}, {"days", days}};
}

nlohmann::json opt_number(const std::optional<double> &v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// Where each value read from FHIR came from; [] for a profile typed by hand.
nlohmann::json sources_json(const Patient &p) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &s : p.sources) {
    a.push_back({{"field", s.field}, {"resource", s.resource}, {"date", s.date}, {"note", s.note}});
  }
  return a;
}

// Keys as in the patient file (design.md §6), plus the version metadata.
nlohmann::json patient_json(const PatientRecord &r, const std::optional<PlanVersion> &active) {
  const Patient &p = r.patient;
  nlohmann::json stopped = nlohmann::json::array();
  for (const auto &s : p.stopped_medications) {
    stopped.push_back({{"name", s.name}, {"stopped", iso(s.stopped)}});
  }
  return {
      {"id", p.id},
      {"version", r.version},
      {"recorded_by", r.recorded_by},
      {"recorded_at", r.recorded_at},
      {"birth_date", iso(p.birth_date)},
      {"sex", std::string(to_string(p.sex))},
      {"weight_kg", p.weight_kg},
      {"serum_creatinine_mg_dl", opt_number(p.serum_creatinine_mg_dl)},
      {"crcl_ml_min", opt_number(p.crcl_ml_min)},
      {"hepatic", std::string(to_string(p.hepatic))},
      {"conditions", p.conditions},
      {"medications", p.medications},
      {"stopped_medications", stopped},
      {"baseline_pain",
       p.baseline_pain ? nlohmann::json(p.baseline_pain->value()) : nlohmann::json(nullptr)},
      {"dialysis", dialysis_json(p.dialysis)},
      {"indication", p.indication.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.indication)},
      {"sources", sources_json(p)},
      {"active_plan_version", active ? nlohmann::json(active->version) : nlohmann::json(nullptr)}};
}

std::string list_text(const std::vector<std::string> &v) {
  if (v.empty())
    return "none";
  std::string s;
  for (const auto &x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

void run_add(Context &ctx, const std::string &id, const ProfileOptions &o) {
  require_role(ctx, app::Permission::change_patient, "patient add");
  const Actor who = actor(ctx);
  const Patient p = app::new_profile(id, o, ctx.formulary(), ctx.today(), "--");
  auto repo = open_store(ctx, StoreMode::create);
  const int version = app::add_patient(*repo, p, who);
  if (ctx.opt.json) {
    ctx.print_json({{"patient", id}, {"version", version}});
  } else {
    ctx.out << "added patient " << id << " (profile version " << version << ")\n";
  }
}

void run_update(Context &ctx, const std::string &id, const ProfileOptions &o) {
  require_role(ctx, app::Permission::change_patient, "patient update");
  const Actor who = actor(ctx);
  validate_patient_id(id);
  auto repo = open_store(ctx, StoreMode::write_existing, "patient " + id);
  const int version = app::update_patient(*repo, id, o, ctx.formulary(), ctx.today(), who, "--");
  if (ctx.opt.json) {
    ctx.print_json({{"patient", id}, {"version", version}});
  } else {
    ctx.out << "updated patient " << id << " (profile version " << version << ")\n";
  }
}

// `patient add` and `patient update`: ID and the profile options, then `run(ctx, ID, options)`.
void add_profile_subcommand(CLI::App &cmd, Context &ctx, const char *name, const char *about,
                            bool update,
                            void (*run)(Context &, const std::string &, const ProfileOptions &)) {
  auto id = std::make_shared<std::string>();
  auto opts = std::make_shared<ProfileOptions>();
  CLI::App *sub = cmd.add_subcommand(name, about);
  sub->add_option("ID", *id,
                  update ? stored_patient_id_help() : "The clinic's ID for the new patient")
      ->required();
  add_profile_options(sub, *opts, update);
  sub->callback([&ctx, id, opts, run] { run(ctx, *id, *opts); });
}

void run_show(Context &ctx, const std::string &id) {
  require_role(ctx, app::Permission::read_patient, "patient show", &id);
  auto repo = open_store(ctx, StoreMode::read);
  const PatientRecord r = require_patient(*repo, id);
  const auto active = repo->active_plan(id);
  if (ctx.opt.json) {
    ctx.print_json(patient_json(r, active));
    return;
  }
  const Patient &p = r.patient;
  auto &out = ctx.out;
  out << "patient " << p.id << " (profile version " << r.version << ", recorded " << r.recorded_at
      << " by " << r.recorded_by << ")\n";
  out << "  birth date:   " << iso(p.birth_date) << " (age "
      << age_in_years(p.birth_date, ctx.today()) << " on " << iso(ctx.today()) << ")\n";
  out << "  sex:          " << to_string(p.sex) << "\n";
  out << "  weight:       " << number_text(p.weight_kg, 15) << " kg\n";
  if (p.serum_creatinine_mg_dl) {
    out << "  creatinine:   " << number_text(*p.serum_creatinine_mg_dl, 15) << " mg/dL\n";
  }
  if (p.crcl_ml_min)
    out << "  CrCl:         " << number_text(*p.crcl_ml_min, 15) << " mL/min\n";
  out << "  hepatic:      " << to_string(p.hepatic) << "\n";
  out << "  indication:   " << words::indication(ctx.formulary(), p.indication) << "\n";
  out << "  conditions:   " << list_text(p.conditions) << "\n";
  out << "  medications:  " << list_text(p.medications) << "\n";
  std::vector<std::string> stopped;
  for (const auto &s : p.stopped_medications)
    stopped.push_back(s.name + " (stopped " + iso(s.stopped) + ")");
  out << "  stopped:      " << list_text(stopped) << "\n";
  if (p.dialysis) {
    std::vector<std::string> days;
    for (const auto day : p.dialysis->days)
      days.push_back(std::string(to_string(day)));
    out << "  dialysis:     " << p.dialysis->kind << " on " << list_text(days) << "\n";
  }
  out << "  baseline pain: "
      << (p.baseline_pain ? std::to_string(p.baseline_pain->value()) + " of 10" : "not recorded")
      << "\n";
  out << "  active plan:  "
      << (active ? "version " + std::to_string(active->version) + " (approved)" : "none approved")
      << "\n";
  if (!p.sources.empty()) {
    out << "  read from FHIR (values not listed here were typed in):\n";
    for (const auto &s : p.sources) {
      out << "    " << s.field << ": " << s.resource << (s.date.empty() ? "" : " of " + s.date)
          << (s.note.empty() ? "" : " (" + s.note + ")") << "\n";
    }
  }
}

void run_list(Context &ctx) {
  require_role(ctx, app::Permission::list_patients, "patient list");
  auto repo = open_store(ctx, StoreMode::read);
  print_listing(
      ctx, "patients", repo->patients(), "no patients",
      [&repo](const PatientRecord &r) -> nlohmann::json {
        const auto active = repo->active_plan(r.patient.id);
        return {{"id", r.patient.id},
                {"version", r.version},
                {"birth_date", iso(r.patient.birth_date)},
                {"sex", std::string(to_string(r.patient.sex))},
                {"active_plan_version",
                 active ? nlohmann::json(active->version) : nlohmann::json(nullptr)}};
      },
      [&ctx, &repo](const PatientRecord &r) {
        const auto active = repo->active_plan(r.patient.id);
        ctx.out << r.patient.id << "  born " << iso(r.patient.birth_date) << "  "
                << to_string(r.patient.sex) << "  profile v" << r.version << "  "
                << (active ? "plan v" + std::to_string(active->version) + " approved"
                           : "no approved plan")
                << "\n";
      });
}

} // namespace

void add_patient_command(CLI::App &app, Context &ctx) {
  CLI::App *cmd = app.add_subcommand("patient", "Add, update, show or list stored patients");
  cmd->require_subcommand(1);

  add_profile_subcommand(*cmd, ctx, "add", "Register a patient (clinician); profile version 1",
                         false, run_add);
  add_profile_subcommand(*cmd, ctx, "update", "Change a profile (clinician); a new version", true,
                         run_update);

  auto show_id = std::make_shared<std::string>();
  CLI::App *show = cmd->add_subcommand("show", "The current profile and its version");
  show->add_option("ID", *show_id, stored_patient_id_help())->required();
  show->callback([&ctx, show_id] { run_show(ctx, *show_id); });

  CLI::App *list = cmd->add_subcommand("list", "Every patient, one line each");
  list->callback([&ctx] { run_list(ctx); });

  add_patient_import_command(cmd, ctx);
}

} // namespace titrate::cli
