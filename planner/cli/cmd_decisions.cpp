// `titrate decisions ID [--json]`: a patient's recorded decisions, oldest first, each with the
// plan version it assessed and what became of the version it drafted (draft, submitted,
// approved, rejected, superseded), so a clinician sees which decisions still wait for a review.
#include "planner/app/plans.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/words.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

void run_decisions(Context &ctx, const std::string &id) {
  require_role(ctx, app::Permission::read_plan, "decisions", &id);
  validate_patient_id(id);
  auto repo = open_store(ctx, StoreMode::read);
  require_patient(*repo, id);
  const auto decisions = repo->decisions(id);
  const auto versions = repo->plan_versions(id);
  // The version a decision drafted carries its tag in its note (`assess --apply`).
  auto drafted = [&](std::int64_t decision_id) -> const PlanVersion * {
    for (const auto &v : versions)
      if (v.note.find(app::decision_tag(decision_id)) != std::string::npos)
        return &v;
    return nullptr;
  };
  if (ctx.opt.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &d : decisions) {
      const PlanVersion *v = drafted(d.id);
      a.push_back({{"id", d.id},
                   {"date", iso(d.assessment.date)},
                   {"drug", d.assessment.drug},
                   {"decision", std::string(to_string(d.assessment.decision))},
                   {"rule", d.assessment.rule},
                   {"assessed_version",
                    d.plan_version ? nlohmann::json(*d.plan_version) : nlohmann::json(nullptr)},
                   {"drafted_version", v ? nlohmann::json(v->version) : nlohmann::json(nullptr)},
                   {"drafted_status", v ? nlohmann::json(std::string(to_string(v->status)))
                                        : nlohmann::json(nullptr)},
                   {"recorded_by", d.recorded_by},
                   {"recorded_at", d.recorded_at}});
    }
    ctx.print_json({{"patient", id}, {"decisions", a}});
    return;
  }
  if (decisions.empty()) {
    ctx.out << "no decisions recorded for " << id << "\n";
    return;
  }
  ctx.out << "decisions of " << id << ", oldest first:\n";
  for (const auto &d : decisions) {
    const Assessment &a = d.assessment;
    ctx.out << "  #" << d.id << "  " << iso(a.date) << "  "
            << (a.drug.empty() ? std::string("-") : words::drug(ctx.formulary(), a.drug)) << ": "
            << to_string(a.decision);
    if (a.next_drug)
      ctx.out << " to " << words::drug(ctx.formulary(), *a.next_drug);
    if (a.next_dose)
      ctx.out << " to " << a.next_dose->str() << " a day";
    ctx.out << " [" << a.rule << "], by " << d.recorded_by;
    if (d.plan_version)
      ctx.out << "; assessed version " << *d.plan_version;
    if (const PlanVersion *v = drafted(d.id)) {
      ctx.out << "; drafted version " << v->version << ": " << to_string(v->status);
      if (v->status == PlanStatus::draft)
        ctx.out << " (not yet submitted)";
      if (v->status == PlanStatus::submitted)
        ctx.out << " (awaiting a pharmacist's review)";
    } else {
      ctx.out << "; no plan version drafted";
    }
    ctx.out << "\n";
  }
}

} // namespace

void add_decisions_command(CLI::App &app, Context &ctx) {
  auto id = std::make_shared<std::string>();
  CLI::App *cmd = app.add_subcommand(
      "decisions",
      "A patient's recorded decisions and what became of the plan version each drafted");
  cmd->add_option("ID", *id, stored_patient_id_help())->required();
  cmd->callback([&ctx, id] { run_decisions(ctx, *id); });
}

} // namespace titrate::cli
