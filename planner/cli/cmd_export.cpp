// `titrate export ID --format text|csv|ics|fhir|svg|scores-csv|pdf [-o FILE] [--tz ZONE]
// [--version N] [--paper a4|letter] [--large-print] [--clinic-name N] [--clinic-phone T]`: a stored plan version (default: the active approved one, else the latest)
// with the patient's scores, through the pure writers of planner/export. The generation time
// is the version's last review (or drafting) time, so two exports of one version are
// byte-identical.
#include "planner/cli/commands.hpp"
#include "planner/cli/export_cli.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"

namespace titrate::cli {

namespace {

struct ExportOptions {
  std::string id;
  std::string format;
  std::string out_file;
  std::string tz;
  int version = 0;
  HandoutFlags handout;
};

ReviewState review_state(const PlanVersion &v, const std::vector<Review> &reviews) {
  switch (v.status) {
  case PlanStatus::draft: return ReviewState::draft;
  case PlanStatus::submitted: return ReviewState::submitted;
  case PlanStatus::approved: return ReviewState::approved;
  case PlanStatus::rejected: return ReviewState::rejected;
  case PlanStatus::superseded:
    // Superseded after approval stays an approved (historical) version; else it was a draft.
    for (const auto &r : reviews)
      if (r.version == v.version && r.verdict == Verdict::approved) return ReviewState::approved;
    return ReviewState::draft;
  }
  return ReviewState::draft;
}

void run_export(Context &ctx, const ExportOptions &o) {
  validate_format(o.format);
  const HandoutOptions handout = handout_options(o.handout, o.format);
  const Role role =
      require_role(ctx, {Role::clinician, Role::pharmacist, Role::patient}, "export");
  require_own_record(ctx, role, o.id, "export");
  const std::string zone = export_time_zone(o.tz);
  auto repo = open_store(ctx, StoreMode::read);
  const PatientRecord rec = require_patient(*repo, o.id);

  std::optional<PlanVersion> v;
  if (o.version > 0) {
    v = repo->plan_version(o.id, o.version);
    if (!v) {
      throw NotFoundError("--version: patient " + o.id + " has no plan version " +
                          std::to_string(o.version));
    }
  } else {
    v = repo->active_plan(o.id);
    if (!v) {
      auto all = repo->plan_versions(o.id);
      if (all.empty()) throw NotFoundError("patient " + o.id + ": no plan to export");
      v = all.back();
    }
  }
  const auto reviews = repo->reviews(o.id);
  const auto scores = repo->scores(o.id);
  const Pathway *pw = nullptr;
  for (const auto &p : ctx.pathways())
    if (p.name == v->plan.pathway) pw = &p;

  ExportContext ec;
  ec.plan_version = v->version;
  ec.review = review_state(*v, reviews);
  ec.time_zone = zone;
  std::string stamp = v->submitted_at.value_or(v->drafted_at);
  for (const auto &r : reviews) {
    if (r.version != v->version) continue;
    stamp = r.at;
    if (r.verdict == Verdict::approved) {
      ec.approved_by = r.pharmacist;
      ec.approved_at = to_local_time(zone, utc_stamp(r.at));
    }
  }
  ec.now_utc = utc_stamp(stamp);
  if (pw) ec.response_pct = pw->decisions.response_pct.value;
  const auto decisions = repo->decisions(o.id);
  if (!decisions.empty() && decisions.back().assessment.baseline) {
    ec.baseline = decisions.back().assessment.baseline;
  }
  const ExportInput in{v->plan, rec.patient, ctx.formulary(), scores, ec};
  write_export(ctx, o.format, in, o.out_file, handout);
}

} // namespace

void add_export_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<ExportOptions>();
  auto *cmd = app.add_subcommand(
      "export", "Export a stored plan version: text, csv, ics, fhir, svg (chart), scores-csv or pdf "
             "(the patient handout)");
  cmd->add_option("id", o->id, "Patient id")->required();
  cmd->add_option("--format", o->format, "text | csv | ics | fhir | svg | scores-csv | pdf")->required();
  cmd->add_option("-o,--output", o->out_file, "Write to FILE (atomically) instead of stdout");
  cmd->add_option("--tz", o->tz, "Time zone for ics/fhir (default: the system zone)");
  cmd->add_option("--version", o->version, "Plan version (default: the active, else the latest)");
  add_handout_options(cmd, o->handout);
  cmd->callback([&ctx, o] { run_export(ctx, *o); });
}

} // namespace titrate::cli
