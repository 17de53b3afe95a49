// `titrate schedule ID [--on D]`: the active (approved) schedule, or what to take on one day.
// Only an approved plan version is a schedule; a draft or a version awaiting review is not.
#include "planner/app/schedule.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"
#include "planner/export/words.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

#include "planner/export/export_common.hpp"
#include "planner/scheduling/scheduler.hpp"

namespace titrate::cli {

namespace {

nlohmann::json units_json(const std::vector<UnitCount> &units) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &u : units) {
    a.push_back({{"strength_mg", mg_json(u.strength)},
                 {"form", std::string(to_string(u.form))},
                 {"count", u.count}});
  }
  return a;
}

void run_schedule(Context &ctx, const std::string &id, const std::string &on_text) {
  require_role(ctx, app::Permission::read_plan, "schedule", &id);
  validate_patient_id(id);
  const std::optional<Date> on =
      on_text.empty() ? std::nullopt : std::optional<Date>(parse_date(on_text, "--on"));
  auto repo = open_store(ctx, StoreMode::read);
  const PatientRecord patient = require_patient(*repo, id);
  const auto active = repo->active_plan(id);
  if (!active) {
    throw NotFoundError("schedule " + id +
                        ": no approved plan; a plan version becomes the "
                        "schedule only when a pharmacist approves it (see titrate review list)");
  }
  const Plan &plan = active->plan;
  if (!on) {
    if (ctx.opt.json) {
      nlohmann::json j = to_json(plan);
      j["version"] = active->version;
      j["status"] = std::string(to_string(active->status));
      ctx.print_json(j);
    } else {
      ctx.out << "schedule of " << id << ": plan version " << active->version << " (approved)\n";
      ctx.out << "pathway " << plan.pathway << ", from " << iso(plan.start)
              << "; dates are inclusive: each step runs from its first to its last day\n";
      words::print(ctx.out, words::plan(plan, ctx.formulary()), "", true);
    }
    return;
  }
  const Date day = on.value(); // a plain copy: GCC 12 at -O2 misreads the optional below
  const auto doses = plan.on(day);
  // The supplement after haemodialysis, on the profile's dialysis days only (clinical.md H14):
  // the day as every door shows it (app::day_schedule).
  const auto supplements =
      app::day_schedule(plan, patient.patient, ctx.formulary(), day).supplements;
  if (ctx.opt.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &[stage, step] : doses) {
      for (const auto &adm : step->doses) {
        nlohmann::json d = {{"drug", stage->drug},
                            {"role", std::string(to_string(stage->role))},
                            {"time", std::string(to_string(adm.time))},
                            {"mg", mg_json(adm.dose)},
                            {"units", units_json(adm.units)}};
        if (stage->maintenance())
          d["review_date"] = iso(*stage->review_date);
        a.push_back(std::move(d));
      }
    }
    nlohmann::json sup = nlohmann::json::array();
    for (const auto &d : supplements) {
      sup.push_back({{"drug", d.stage->drug},
                     {"after", "haemodialysis"},
                     {"mg", mg_json(d.supplement)},
                     {"with_daily_mg", mg_json(d.maintenance)},
                     {"buildable", d.buildable}});
    }
    nlohmann::json j{
        {"patient", id}, {"version", active->version}, {"date", iso(day)}, {"doses", a}};
    if (!supplements.empty())
      j["supplements"] = sup;
    ctx.print_json(j);
    return;
  }
  ctx.out << "what " << id << " takes on " << iso(day) << " (plan version " << active->version
          << "):\n";
  if (doses.empty()) {
    ctx.out << "  nothing: the plan has no step on this day\n";
    return;
  }
  words::print(ctx.out, words::day(plan, ctx.formulary(), day), "  ");
  for (const auto &d : supplements)
    ctx.out << "  " << d.cited_text << "\n";
}

} // namespace

void add_schedule_command(CLI::App &app, Context &ctx) {
  auto id = std::make_shared<std::string>();
  auto on = std::make_shared<std::string>();
  CLI::App *cmd =
      app.add_subcommand("schedule", "The active (approved) schedule, or one day's doses");
  cmd->add_option("ID", *id, stored_patient_id_help())->required();
  cmd->add_option("--on", *on, "YYYY-MM-DD: only what to take on this day");
  cmd->callback([&ctx, id, on] { run_schedule(ctx, *id, *on); });
}

} // namespace titrate::cli
