// `titrate report outcomes [--from D] [--to D] [--pathway NAME] [--json | --format text|csv]`:
// the clinic's outcome report (issue 17 item 3, planner/cli/outcomes.hpp), read from the store
// one patient at a time: the plan (active approved version, else the latest) and the decisions.
// Staff only (clinician, pharmacist).
#include "planner/cli/outcomes.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/words.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

namespace titrate::cli {

namespace {

struct ReportOptions {
  std::string from, to, pathway, format;
};

std::string report_pct(double v) { return words::number(100 * v, 1) + " %"; }

std::string report_days(const std::optional<double> &v) {
  return v ? words::number(*v, 1) : std::string("none");
}

nlohmann::json report_json_proportion(const Proportion &p) {
  return {{"count", p.count}, {"of", p.of}, {"ci95_low", p.low}, {"ci95_high", p.high}};
}

nlohmann::json report_json_days(const std::optional<double> &v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

void run_report_outcomes(Context &ctx, const ReportOptions &o) {
  if (!o.format.empty() && o.format != "text" && o.format != "csv") {
    throw InputError("--format: \"" + o.format.substr(0, 32) +
                     "\" is not a report format; expected text or csv (or --json)");
  }
  if (!o.format.empty() && ctx.opt.json) throw InputError("--format: give either --format or --json");
  OutcomeFilter filter;
  if (!o.from.empty()) filter.from = parse_date(o.from, "--from");
  if (!o.to.empty()) filter.to = parse_date(o.to, "--to");
  if (filter.from && filter.to && *filter.to < *filter.from) {
    throw InputError("--to: " + o.to + " is before --from " + o.from +
                     "; expected --to on or after --from");
  }
  if (!o.pathway.empty()) filter.pathway = ctx.pathway(o.pathway).name; // NotFound names them
  filter.today = ctx.today();
  require_role(ctx, {Role::clinician, Role::pharmacist}, "report outcomes");
  auto repo = open_store(ctx, StoreMode::read);
  std::vector<OutcomePatient> cohort;
  for (const auto &rec : repo->patients()) {
    std::optional<PlanVersion> v = repo->active_plan(rec.patient.id);
    if (!v) {
      auto all = repo->plan_versions(rec.patient.id);
      if (all.empty()) continue;
      v = std::move(all.back());
    }
    cohort.push_back({rec.patient.id, std::move(v->plan), repo->decisions(rec.patient.id)});
  }
  const auto rows = outcome_rows(cohort, filter);
  const Formulary &f = ctx.formulary();

  if (ctx.opt.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &r : rows) {
      nlohmann::json stopped;
      for (std::size_t i = 0; i < 4; ++i) stopped[stop_reason_names[i]] = r.stopped[i];
      a.push_back({{"line", r.line},
                   {"drug", r.drug},
                   {"started", r.started},
                   {"reached_assessed_dose", r.reached},
                   {"judged", r.judged},
                   {"responders_30", report_json_proportion(r.responders30)},
                   {"responders_50", report_json_proportion(r.responders50)},
                   {"median_days_to_response", report_json_days(r.median_days_to_response)},
                   {"median_days_to_assessed_dose", report_json_days(r.median_days_to_assessed_dose)},
                   {"stopped", stopped},
                   {"extensions", r.extensions},
                   {"median_window_days_with_scores", report_json_days(r.median_window_days)}});
    }
    ctx.print_json({{"today", iso(filter.today)},
                    {"from", o.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.from)},
                    {"to", o.to.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.to)},
                    {"pathway", o.pathway.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.pathway)},
                    {"rows", a}});
    return;
  }
  if (o.format == "csv") {
    ctx.out << "line,drug,started,reached_assessed_dose,judged,responders_30,responders_30_ci95_low,"
               "responders_30_ci95_high,responders_50,responders_50_ci95_low,responders_50_ci95_high,"
               "median_days_to_response,median_days_to_assessed_dose,stopped_not_effective,"
               "stopped_not_tolerated,stopped_contraindication,stopped_other,extensions,"
               "median_window_days_with_scores\r\n";
    const auto num = [](double v) { return words::number(v, 4); };
    const auto opt = [](const std::optional<double> &v) { return v ? words::number(*v, 1) : std::string(); };
    for (const auto &r : rows) {
      ctx.out << r.line << "," << r.drug << "," << r.started << "," << r.reached << "," << r.judged
              << "," << r.responders30.count << "," << num(r.responders30.low) << ","
              << num(r.responders30.high) << "," << r.responders50.count << ","
              << num(r.responders50.low) << "," << num(r.responders50.high) << ","
              << opt(r.median_days_to_response) << "," << opt(r.median_days_to_assessed_dose);
      for (int n : r.stopped) ctx.out << "," << n;
      ctx.out << "," << r.extensions << "," << opt(r.median_window_days) << "\r\n";
    }
    return;
  }
  ctx.out << "Outcome report on " << iso(filter.today);
  if (filter.from) ctx.out << ", trials started from " << o.from;
  if (filter.to) ctx.out << (filter.from ? " through " : ", trials started through ") << o.to;
  if (!o.pathway.empty()) ctx.out << ", pathway " << o.pathway;
  ctx.out << "\n";
  if (rows.empty()) ctx.out << "No trials started.\n";
  for (const auto &r : rows) {
    const auto share = [&](const Proportion &p) {
      std::string s = std::to_string(p.count) + " of " + std::to_string(p.of) + " judged";
      if (p.of > 0)
        s += " (" + report_pct(static_cast<double>(p.count) / p.of) + ", 95 % interval " +
             report_pct(p.low) + " to " + report_pct(p.high) + ")";
      return s;
    };
    ctx.out << "\nLine " << r.line << ", " << words::drug(f, r.drug) << "\n"
            << "  started: " << r.started << "\n"
            << "  reached the assessed dose: " << r.reached << "\n"
            << "  judged: " << r.judged << "\n"
            << "  responders, 30 % less pain or more: " << share(r.responders30) << "\n"
            << "  responders, 50 % less pain or more: " << share(r.responders50) << "\n"
            << "  median days from the first day to a response: " << report_days(r.median_days_to_response) << "\n"
            << "  median days from the first day to the assessed dose: "
            << report_days(r.median_days_to_assessed_dose) << "\n"
            << "  stopped or switched:";
    for (std::size_t i = 0; i < 4; ++i) ctx.out << (i ? ", " : " ") << stop_reason_names[i] << " " << r.stopped[i];
    ctx.out << "\n  extensions for missing scores: " << r.extensions << "\n"
            << "  median days with scores per assessed window: " << report_days(r.median_window_days)
            << "\n";
  }
  ctx.out << "\nDecision support only; not medical advice.\n";
}

} // namespace

void add_report_command(CLI::App &app, Context &ctx) {
  CLI::App *report = app.add_subcommand("report", "Clinic reports");
  report->require_subcommand(1);
  auto o = std::make_shared<ReportOptions>();
  CLI::App *cmd = report->add_subcommand(
      "outcomes", "Per line and drug: started, reached the assessed dose, judged, responders "
                  "(30 % and 50 %, Wilson 95 % intervals), days, stops by reason, extensions");
  cmd->add_option("--from", o->from, "Trials whose first day is on or after D (YYYY-MM-DD)");
  cmd->add_option("--to", o->to, "Trials whose first day is on or before D (YYYY-MM-DD)");
  cmd->add_option("--pathway", o->pathway, "Only plans of this pathway");
  cmd->add_option("--format", o->format, "text (default) | csv; or --json");
  cmd->callback([&ctx, o] { run_report_outcomes(ctx, *o); });
}

} // namespace titrate::cli
