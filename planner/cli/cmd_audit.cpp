// `titrate audit [ID]`: who did what, when, from the append-only log (all patients, or one).
#include "planner/cli/listing.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

void run_audit(Context &ctx, const std::string &id) {
  require_role(ctx, app::Permission::read_audit, "audit");
  if (!id.empty())
    validate_patient_id(id);
  auto repo = open_store(ctx, StoreMode::read);
  if (!id.empty())
    require_patient(*repo, id);
  print_listing(
      ctx, "entries", repo->audit(id.empty() ? std::nullopt : std::optional<std::string>(id)),
      "no audit entries",
      [](const AuditEntry &e) -> nlohmann::json {
        return {
            {"id", e.id},
            {"at", e.at},
            {"user", e.user},
            {"role", e.role},
            {"action", e.action},
            {"patient", e.patient.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.patient)},
            {"detail", e.detail},
            {"door", e.door},
            {"os_user", e.os_user}};
      },
      [&ctx](const AuditEntry &e) {
        ctx.out << e.at << "  " << e.user << " (" << (e.role.empty() ? "no role" : e.role) << ")  "
                << e.action << "  " << (e.patient.empty() ? "-" : e.patient) << "  " << e.detail;
        // How it came in, when the entry says (entries before schema 7 do not).
        if (!e.door.empty() || !e.os_user.empty()) {
          ctx.out << "  [" << (e.door.empty() ? "door not recorded" : "via " + e.door)
                  << (e.os_user.empty() ? "" : ", OS user " + e.os_user) << "]";
        }
        ctx.out << "\n";
      });
}

} // namespace

void add_audit_command(CLI::App &app, Context &ctx) {
  auto id = std::make_shared<std::string>();
  CLI::App *cmd = app.add_subcommand("audit", "Who did what, when (append-only log)");
  cmd->add_option("ID", *id, "Only this patient's entries");
  cmd->callback([&ctx, id] { run_audit(ctx, *id); });
}

} // namespace titrate::cli
