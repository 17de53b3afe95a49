// `titrate export ID --format text|csv|ics|fhir|svg|scores-csv|pdf [-o FILE] [--tz ZONE]
// [--version N] [--paper a4|letter] [--large-print] [--clinic-name N] [--clinic-phone T]`: a stored
// plan version (default: the active approved one, else the latest) with the patient's scores,
// through the pure writers of planner/export. The generation time is the version's last review (or
// drafting) time, so two exports of one version are byte-identical.
#include "planner/app/plans.hpp"
#include "planner/cli/commands.hpp"
#include "planner/cli/export_cli.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/registry.hpp"

namespace titrate::cli {

namespace {

struct ExportOptions : ExportFlags {
  std::string id;
  int version = 0;
};

void run_export(Context &ctx, const ExportOptions &o) {
  validate_format(o.format);
  const HandoutOptions handout = handout_options(o.handout, o.format);
  require_role(ctx, app::Permission::read_plan, "export", &o.id);
  const std::string zone = export_time_zone(o.tz);
  auto repo = open_store(ctx, StoreMode::read);
  const StoredExport e = load_stored_export(ctx, *repo, o.id, o.version, zone);
  write_export(ctx, o.format, e.input(ctx), o.out_file, handout);
}

} // namespace

void add_export_command(CLI::App &app, Context &ctx) {
  auto o = std::make_shared<ExportOptions>();
  auto *cmd =
      app.add_subcommand("export", "Export a stored plan version: " + export_format_names(", "));
  cmd->add_option("ID", o->id, stored_patient_id_help())->required();
  add_export_options(cmd, *o, true);
  cmd->add_option("--version", o->version, "Plan version (default: the active, else the latest)");
  cmd->callback([&ctx, o] { run_export(ctx, *o); });
}

} // namespace titrate::cli
