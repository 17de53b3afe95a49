// `titrate schedule ID [--on D]`: the active (approved) schedule, or what to take on one day.
// Only an approved plan version is a schedule; a draft or a version awaiting review is not.
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/json.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

#include "planner/export/export_common.hpp"
#include "planner/scheduling/scheduler.hpp"

namespace titrate::cli {

// ISMP wording of the administration times, shared with the exporters.
using export_detail::time_phrase;

namespace {

std::string units_text(const std::vector<UnitCount> &units) {
  std::string s;
  for (const auto &u : units) {
    if (!s.empty()) s += " + ";
    s += std::to_string(u.count) + " " + std::string(to_string(u.form)) + (u.count == 1 ? "" : "s") +
         " of " + u.strength.str();
  }
  return s;
}

nlohmann::json units_json(const std::vector<UnitCount> &units) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &u : units) {
    a.push_back({{"strength_mg", mg_json(u.strength)}, {"form", std::string(to_string(u.form))},
                 {"count", u.count}});
  }
  return a;
}

void run_schedule(Context &ctx, const std::string &id, const std::string &on_text) {
  const Role role = require_role(ctx, {Role::clinician, Role::pharmacist, Role::patient}, "schedule");
  require_own_record(ctx, role, id, "schedule");
  validate_patient_id(id);
  const std::optional<Date> on =
      on_text.empty() ? std::nullopt : std::optional<Date>(parse_date(on_text, "--on"));
  auto repo = open_store(ctx, StoreMode::read);
  const PatientRecord patient = require_patient(*repo, id);
  const auto active = repo->active_plan(id);
  if (!active) {
    throw NotFoundError("schedule " + id + ": no approved plan; a plan version becomes the "
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
      print_plan_text(ctx.out, plan);
    }
    return;
  }
  const Date day = on.value(); // a plain copy: GCC 12 at -O2 misreads the optional below
  const auto doses = plan.on(day);
  // The supplement after haemodialysis, on the profile's dialysis days only (clinical.md H14).
  const auto supplements = dialysis_supplements_on(plan, patient.patient, ctx.formulary(), day);
  if (ctx.opt.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &[stage, step] : doses) {
      for (const auto &adm : step->doses) {
        nlohmann::json d = {{"drug", stage->drug}, {"role", std::string(to_string(stage->role))},
                            {"time", std::string(to_string(adm.time))}, {"mg", mg_json(adm.dose)},
                            {"units", units_json(adm.units)}};
        if (stage->maintenance()) d["review_date"] = iso(*stage->review_date);
        a.push_back(std::move(d));
      }
    }
    nlohmann::json sup = nlohmann::json::array();
    for (const auto &d : supplements) {
      sup.push_back({{"drug", d.stage->drug}, {"after", "haemodialysis"},
                     {"mg", mg_json(d.supplement)}, {"with_daily_mg", mg_json(d.maintenance)},
                     {"buildable", d.buildable}});
    }
    nlohmann::json j{{"patient", id}, {"version", active->version}, {"date", iso(day)}, {"doses", a}};
    if (!supplements.empty()) j["supplements"] = sup;
    ctx.print_json(j);
    return;
  }
  ctx.out << "what " << id << " takes on " << iso(day) << " (plan version " << active->version
          << "):\n";
  if (doses.empty()) {
    ctx.out << "  nothing: the plan has no step on this day\n";
    return;
  }
  for (const auto &[stage, step] : doses) {
    ctx.out << "  " << ctx.formulary().display_name(stage->drug) << " ("
            << to_string(stage->role) << "), " << step->daily.str() << " a day:\n";
    for (const auto &adm : step->doses) ctx.out << "    " << administration_text(adm) << "\n";
    if (stage->maintenance()) {
      ctx.out << "    maintenance with no end date; "
              << (day < *stage->review_date ? "next review on " : "review due since ")
              << iso(*stage->review_date) << "\n";
    }
  }
  for (const auto &d : supplements) ctx.out << "  " << d.text << "\n";
}

} // namespace

std::string administration_text(const Administration &a) {
  std::string s = std::string(time_phrase(a.time)) + ": " + a.dose.str();
  if (!a.units.empty()) s += " (" + units_text(a.units) + ")";
  return s;
}

void print_plan_text(std::ostream &out, const Plan &plan) {
  out << "pathway " << plan.pathway << ", start " << iso(plan.start) << "\n";
  int n = 0;
  for (const auto &s : plan.stages) {
    out << "stage " << ++n << ": " << s.drug << " (" << to_string(s.role) << ")";
    if (!s.assessed_dose.is_zero()) out << ", assessed dose " << s.assessed_dose.str() << " a day";
    if (s.target_reached) out << ", at target from " << iso(*s.target_reached);
    if (s.decision_date) out << ", decision date " << iso(*s.decision_date);
    if (s.maintenance()) out << ", maintenance (next review " << iso(*s.review_date) << ")";
    out << "\n";
    for (const auto &st : s.steps) {
      if (s.maintenance() && &st == &s.steps.back()) {
        out << "  from " << iso(st.range.begin()) << ", with no end date (next review "
            << iso(*s.review_date) << "): " << st.daily.str() << " a day\n";
      } else {
        out << "  from " << iso(st.range.begin()) << " through "
            << iso(st.range.end() - Days(1)) << ": " << st.daily.str() << " a day\n";
      }
      for (const auto &adm : st.doses) out << "    " << administration_text(adm) << "\n";
    }
    if (!s.dispense.empty()) out << "  dispense: " << units_text(s.dispense) << "\n";
    if (!s.note.empty()) out << "  note: " << s.note << "\n";
  }
}

void add_schedule_command(CLI::App &app, Context &ctx) {
  auto id = std::make_shared<std::string>();
  auto on = std::make_shared<std::string>();
  CLI::App *cmd = app.add_subcommand("schedule", "The active (approved) schedule, or one day's doses");
  cmd->add_option("ID", *id, "The patient id")->required();
  cmd->add_option("--on", *on, "YYYY-MM-DD: only what to take on this day");
  cmd->callback([&ctx, id, on] { run_schedule(ctx, *id, *on); });
}

} // namespace titrate::cli
