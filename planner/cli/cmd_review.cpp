// `titrate review list | show ID [--version N] | approve ID --version N | reject ID --version N
// --reason T`: the pharmacist's queue. Four eyes: whoever drafted or submitted a version cannot
// approve it (exit 4); only an approved version becomes the active schedule.
#include "planner/app/reviews.hpp"
#include "planner/cli/listing.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"
#include "planner/export/words.hpp"
#include "planner/safety/eligibility.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <ostream>

namespace titrate::cli {

namespace {

nlohmann::json opt_json(const std::optional<std::string> &s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

nlohmann::json version_summary(const PlanVersion &v) {
  const auto dd = plan_decision_date(v.plan);
  return {{"patient", v.patient},
          {"version", v.version},
          {"status", std::string(to_string(v.status))},
          {"pathway", v.plan.pathway},
          {"start", iso(v.plan.start)},
          {"decision_date", dd ? nlohmann::json(iso(*dd)) : nlohmann::json(nullptr)},
          {"drafted_by", v.drafted_by},
          {"drafted_at", v.drafted_at},
          {"submitted_by", opt_json(v.submitted_by)},
          {"submitted_at", opt_json(v.submitted_at)},
          {"note", v.note}};
}

void run_list(Context &ctx) {
  require_role(ctx, app::Permission::read_reviews, "review list");
  auto repo = open_store(ctx, StoreMode::read);
  print_listing(ctx, "awaiting_review", repo->awaiting_review(), "no plan versions awaiting review",
                version_summary, [&ctx](const PlanVersion &v) {
                  ctx.out << v.patient << "  version " << v.version << "  pathway "
                          << v.plan.pathway << ", start " << iso(v.plan.start) << "  drafted by "
                          << v.drafted_by << ", submitted by " << v.submitted_by.value_or("?")
                          << " at " << v.submitted_at.value_or("?") << "\n";
                });
}

// The version a pharmacist would review: --version, else the one awaiting review, else the latest.
PlanVersion pick_version(Repository &repo, const std::string &id, int version) {
  const auto all = repo.plan_versions(id);
  if (all.empty())
    throw NotFoundError("plan of " + id + ": no plan versions");
  if (version > 0) {
    for (const auto &v : all)
      if (v.version == version)
        return v;
    throw NotFoundError("plan of " + id + ": no version " + std::to_string(version));
  }
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (it->status == PlanStatus::submitted)
      return *it;
  return all.back();
}

void run_show(Context &ctx, const std::string &id, int version) {
  require_role(ctx, app::Permission::read_reviews, "review show");
  validate_patient_id(id);
  auto repo = open_store(ctx, StoreMode::read);
  require_patient(*repo, id);
  const PlanVersion v = pick_version(*repo, id, version);
  // Diff against the latest version approved before this one (from the review record, since an
  // approved version later becomes "superseded").
  std::optional<PlanVersion> before;
  for (const auto &r : repo->reviews(id)) {
    if (r.verdict == Verdict::approved && r.version < v.version)
      before = repo->plan_version(id, r.version);
  }
  const words::Lines diff = words::diff(before ? &before->plan : nullptr, v.plan, ctx.formulary());
  const auto in_short = words::changes(before ? &before->plan : nullptr, v.plan, ctx.formulary());
  const auto reviews = repo->reviews(id);
  if (ctx.opt.json) {
    nlohmann::json j = version_summary(v);
    j["plan"] = to_json(v.plan);
    nlohmann::json lint = nlohmann::json::array();
    for (const auto &f : v.plan.lint)
      lint.push_back(to_json(f));
    j["lint"] = lint;
    j["diff"] = {{"against", before ? nlohmann::json(before->version) : nlohmann::json(nullptr)},
                 {"lines", words::texts(diff)},
                 {"changes", in_short}};
    nlohmann::json rv = nlohmann::json::array();
    for (const auto &r : reviews) {
      if (r.version != v.version)
        continue;
      rv.push_back({{"pharmacist", r.pharmacist},
                    {"verdict", std::string(to_string(r.verdict))},
                    {"note", r.note},
                    {"at", r.at}});
    }
    j["reviews"] = rv;
    ctx.print_json(j);
    return;
  }
  auto &out = ctx.out;
  out << "plan of " << id << " version " << v.version << ": " << to_string(v.status)
      << "; drafted by " << v.drafted_by << " at " << v.drafted_at;
  if (v.submitted_by)
    out << ", submitted by " << *v.submitted_by << " at " << v.submitted_at.value_or("?");
  out << "\n";
  if (!v.note.empty())
    out << "why this version: " << v.note << "\n";
  // The patient as the clinician planned for them.
  const Patient p = require_patient(*repo, id).patient;
  const Date today = ctx.today();
  const EligibilityReport er = check_eligibility(p, ctx.formulary(), today);
  words::print(out, words::patient(p, er, ctx.formulary(), today));
  print_plan_for_people(out, v.plan, ctx.pathway(v.plan.pathway), ctx.formulary());
  if (before) {
    out << "changes against approved version " << before->version << ":"
        << (diff.empty() ? " none" : "") << "\n";
  } else {
    out << "changes: no version was approved before; everything above is new\n";
  }
  if (before) {
    for (const auto &sentence : in_short)
      out << "  in short: " << sentence << "\n";
    words::print(out, diff, "  ");
  }
  for (const auto &r : reviews) {
    if (r.version != v.version)
      continue;
    out << "review: " << to_string(r.verdict) << " by " << r.pharmacist << " at " << r.at
        << (r.note.empty() ? "" : ": " + r.note) << "\n";
  }
  out << "\n" << words::phrase::footer << "\n";
}

void run_verdict(Context &ctx, const std::string &id, std::optional<int> given, bool approve,
                 const std::string &reason) {
  const std::string command = approve ? "review approve" : "review reject";
  require_role(ctx, app::Permission::review_plan, command);
  const Actor who = actor(ctx);
  validate_patient_id(id);
  if (given && *given <= 0) {
    throw InputError("--version: " + std::to_string(*given) +
                     " is not a version; expected 1 or more");
  }
  int version = given.value_or(0);
  if (!approve && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError("--reason: missing; expected why the version is rejected");
  }
  auto repo = open_store(ctx, StoreMode::write_existing, "patient " + id);
  if (version == 0) {
    // No --version: the one version awaiting review; the message names it.
    const auto awaiting = app::awaiting_version(*repo, id);
    if (!awaiting) {
      throw RefusedError(command + " " + id +
                         ": refused: no plan version is awaiting review "
                         "(see titrate review list)");
    }
    version = *awaiting;
  }
  app::record_verdict(*repo, id, version, who, approve ? Verdict::approved : Verdict::rejected,
                      reason);
  if (ctx.opt.json) {
    ctx.print_json(
        {{"patient", id}, {"version", version}, {"status", approve ? "approved" : "rejected"}});
  } else if (approve) {
    ctx.out << "approved plan of " << id << " version " << version
            << "; it is now the active schedule\n";
  } else {
    ctx.out << "rejected plan of " << id << " version " << version << ": " << reason << "\n";
  }
}

} // namespace

void add_review_command(CLI::App &app, Context &ctx) {
  CLI::App *cmd = app.add_subcommand("review", "Pharmacist review of plan versions (four eyes)");
  cmd->require_subcommand(1);
  CLI::App *list = cmd->add_subcommand("list", "Plan versions awaiting review");
  list->callback([&ctx] { run_list(ctx); });

  auto show_id = std::make_shared<std::string>();
  auto show_version = std::make_shared<int>(0);
  CLI::App *show = cmd->add_subcommand(
      "show", "A version, its lint findings and the diff against the approved one");
  show->add_option("ID", *show_id, stored_patient_id_help())->required();
  show->add_option("--version", *show_version,
                   "Default: the version awaiting review, else the latest");
  show->callback([&ctx, show_id, show_version] { run_show(ctx, *show_id, *show_version); });

  auto a_id = std::make_shared<std::string>();
  auto a_version = std::make_shared<std::optional<int>>();
  CLI::App *approve = cmd->add_subcommand("approve", "Approve a submitted version (not your own)");
  approve->add_option("ID", *a_id, stored_patient_id_help())->required();
  approve->add_option("--version", *a_version,
                      "The version to approve (default: the one awaiting review)");
  approve->callback([&ctx, a_id, a_version] { run_verdict(ctx, *a_id, *a_version, true, ""); });

  auto r_id = std::make_shared<std::string>();
  auto r_version = std::make_shared<std::optional<int>>();
  auto reason = std::make_shared<std::string>();
  CLI::App *reject = cmd->add_subcommand("reject", "Reject a submitted version, saying why");
  reject->add_option("ID", *r_id, stored_patient_id_help())->required();
  reject->add_option("--version", *r_version,
                     "The version to reject (default: the one awaiting review)");
  reject->add_option("--reason", *reason, "Why (recorded and shown to the clinician)")->required();
  reject->callback(
      [&ctx, r_id, r_version, reason] { run_verdict(ctx, *r_id, *r_version, false, *reason); });
}

} // namespace titrate::cli
