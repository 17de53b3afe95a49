// `titrate patient invite ID [--revoke | --keep-old] [--base-url URL] [--handout FILE.pdf [--paper
// ...]
// [--large-print] [--clinic-name N] [--clinic-phone T]]`: the patient's personal link to their
// page on `titrate serve`. The link holds a random 128-bit token printed ONCE; only its hash is
// stored. --handout also writes the patient's PDF handout of their plan (export --format pdf)
// with the link and its QR code, since the link cannot be shown again. A new link revokes the
// patient's earlier ones unless --keep-old; --revoke makes every link of the patient open nothing.
// A clinician's action, audited (without the token).
#include "planner/app/invites.hpp"
#include "planner/cli/commands.hpp"
#include "planner/cli/export_cli.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"
#include "planner/web/crypto.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>

namespace titrate::cli {

namespace {

struct InviteOptions {
  std::string id;
  std::string base_url;
  bool revoke = false;
  bool keep_old = false;    // a new link leaves the earlier ones working
  std::string handout_file; // --handout FILE.pdf
  HandoutFlags handout;
  std::string tz;
};

std::string base_url(const InviteOptions &o) {
  std::string url = o.base_url;
  if (url.empty()) {
    const char *env = std::getenv("TITRATE_BASE_URL");
    url = env && *env ? env : "http://127.0.0.1:8080";
  }
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    throw InputError("--base-url: \"" + url.substr(0, 64) +
                     "\"; expected http://... or https://...");
  }
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

void run_invite(Context &ctx, const InviteOptions &o) {
  require_role(ctx, app::Permission::invite_patient, "patient invite");
  const Actor who = actor(ctx);
  validate_patient_id(o.id);
  const std::string url = o.revoke ? std::string() : base_url(o);
  const bool handout_flags = !o.handout.paper.empty() || o.handout.large_print ||
                             !o.handout.clinic_name.empty() || !o.handout.clinic_phone.empty();
  if (o.handout_file.empty() && handout_flags) {
    throw InputError("--paper, --large-print, --clinic-name and --clinic-phone: go with "
                     "--handout FILE.pdf");
  }
  if (o.revoke && o.keep_old) {
    throw InputError("--keep-old: goes with a new link, not with --revoke");
  }
  if (o.revoke && !o.handout_file.empty()) {
    throw InputError("--handout: goes with a new link, not with --revoke");
  }
  HandoutOptions handout;
  if (!o.handout_file.empty())
    handout = handout_options(o.handout, "pdf");
  auto repo = open_store(ctx, StoreMode::write_existing, "patient " + o.id);
  require_patient(*repo, o.id);
  // The handout's plan is read before any link exists: no plan (exit 3) stores nothing.
  std::optional<StoredExport> plan;
  if (!o.handout_file.empty())
    plan = load_stored_export(ctx, *repo, o.id, 0, export_time_zone(o.tz));
  const auto accounts = open_accounts(ctx.db_location());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  if (o.revoke) {
    const int n = app::revoke_patient_links(*repo, *accounts, o.id, now, who);
    if (ctx.opt.json) {
      ctx.print_json({{"patient", o.id}, {"revoked", n}});
    } else {
      ctx.out << "revoked " << n << " link" << (n == 1 ? "" : "s") << " of " << o.id << "\n";
    }
    return;
  }
  const std::string token = web::random_token();
  const std::string link = url + "/p/" + token;
  if (plan) {
    // The handout first (atomically): a failed write leaves no link that nobody can see again.
    handout.link = link;
    write_export(ctx, "pdf", plan->input(ctx), o.handout_file, handout);
  }
  int revoked = 0;
  try {
    app::InviteRequest req;
    req.patient = o.id;
    req.token_hash = web::token_digest(token);
    req.keep_old = o.keep_old;
    if (plan) {
      req.what = "new patient link, with a handout of plan version " +
                 std::to_string(plan->version.version);
    }
    revoked = app::invite_patient(*repo, *accounts, req, now, who);
  } catch (...) {
    std::error_code ec;
    if (plan)
      std::filesystem::remove(o.handout_file, ec); // its link does not exist
    throw;
  }
  if (ctx.opt.json) {
    nlohmann::json j{{"patient", o.id}, {"url", link}};
    if (plan)
      j["handout"] = o.handout_file;
    j["revoked"] = revoked;
    ctx.print_json(j);
  } else {
    ctx.out << link << "\n";
    ctx.err << "titrate: this link is shown once; give it to patient " << o.id
            << " only (titrate patient invite " << o.id << " --revoke disables it)\n";
    if (revoked > 0) {
      ctx.err << "titrate: " << revoked << " earlier link" << (revoked == 1 ? "" : "s") << " of "
              << o.id << (revoked == 1 ? " no longer opens" : " no longer open")
              << " anything (--keep-old keeps them)\n";
    }
  }
}

} // namespace

void add_invite_command(CLI::App &app, Context &ctx) {
  CLI::App *patient = app.get_subcommand("patient");
  auto o = std::make_shared<InviteOptions>();
  CLI::App *cmd =
      patient->add_subcommand("invite", "Print the patient's personal web link (shown once)");
  cmd->add_option("ID", o->id, stored_patient_id_help())->required();
  cmd->add_flag("--revoke", o->revoke, "Disable every link of the patient instead");
  cmd->add_flag("--keep-old", o->keep_old,
                "Keep the patient's earlier links working (by default a new link revokes them)");
  cmd->add_option(
      "--base-url", o->base_url,
      "Where titrate serve is reached (default $TITRATE_BASE_URL, else http://127.0.0.1:8080)");
  cmd->add_option(
      "--handout", o->handout_file,
      "Also write the patient's PDF handout of their plan with the link and its QR code");
  cmd->add_option("--tz", o->tz,
                  "With --handout: time zone of the approval time (default: the system zone)");
  add_handout_options(cmd, o->handout, "--handout");
  cmd->callback([&ctx, o] { run_invite(ctx, *o); });
}

} // namespace titrate::cli
