// Registers the store commands (patient, log, import, due, review, audit, decisions, schedule), one
// file each, in one explicit list.
#include "planner/cli/commands.hpp"
#include "planner/cli/store_cli.hpp"

namespace titrate::cli {

void add_store_commands(CLI::App &app, Context &ctx) {
  add_patient_command(app, ctx);
  add_schedule_command(app, ctx);
  add_log_command(app, ctx);
  add_import_command(app, ctx);
  add_due_command(app, ctx);
  add_review_command(app, ctx);
  add_audit_command(app, ctx);
  add_decisions_command(app, ctx);
}

} // namespace titrate::cli
