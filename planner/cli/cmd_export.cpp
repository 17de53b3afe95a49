// `titrate export ID --format text|csv|ics|fhir|svg|scores-csv [-o FILE] [--tz ZONE]
// [--version N]`: a stored plan version (default: the active approved one, else the latest)
// with the patient's scores, through the pure writers of planner/export. The generation time
// is the version's last review (or drafting) time, so two exports of one version are
// byte-identical.
#include "planner/app/plans.hpp"
#include "planner/cli/commands.hpp"
#include "planner/cli/export_cli.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/registry.hpp"

namespace titrate::cli {

namespace {

struct ExportOptions {
  std::string id;
  std::string format;
  std::string out_file;
  std::string tz;
  int version = 0;
};

void run_export(Context &ctx, const ExportOptions &o) {
  validate_format(o.format);
  require_role(ctx, app::Permission::read_plan, "export", &o.id);
  const std::string zone = export_time_zone(o.tz);
  auto repo = open_store(ctx, StoreMode::read);
  const PatientRecord rec = require_patient(*repo, o.id);
  const PlanVersion v = app::version_to_show(
      *repo, o.id, o.version > 0 ? std::optional<int>(o.version) : std::nullopt);
  const auto scores = repo->scores(o.id);
  const ExportContext ec = app::export_context(*repo, v, rec.patient, ctx.pathways(), zone);
  const ExportInput in{v.plan, rec.patient, ctx.formulary(), scores, ec};
  write_export(ctx, o.format, in, o.out_file);
}

} // namespace

void add_export_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<ExportOptions>();
  auto *cmd = app.add_subcommand(
      "export", "Export a stored plan version: " + export_format_names(", "));
  cmd->add_option("id", o->id, "Patient id")->required();
  cmd->add_option("--format", o->format, export_format_names())->required();
  cmd->add_option("-o,--output", o->out_file, "Write to FILE (atomically) instead of stdout");
  cmd->add_option("--tz", o->tz, "Time zone for ics/fhir (default: the system zone)");
  cmd->add_option("--version", o->version, "Plan version (default: the active, else the latest)");
  cmd->callback([&ctx, o] { run_export(ctx, *o); });
}

} // namespace titrate::cli
