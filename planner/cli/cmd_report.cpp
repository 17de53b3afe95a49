// `titrate report outcomes [--from D] [--to D] [--pathway NAME] [--json | --format text|csv|html]`:
// the clinic's outcome report (issue 17 item 3, planner/cli/outcomes.hpp), read from the store
// one patient at a time: the plan (active approved version, else the latest) and the decisions.
// Staff only (clinician, pharmacist).
#include "planner/cli/outcomes.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/svg.hpp"
#include "planner/export/words.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <vector>

namespace titrate::cli {

namespace {

struct ReportOptions {
  std::string from, to, pathway, format;
};

std::string report_pct(double v) {
  return words::number(100 * v, 1) + " %";
}

std::string report_days(const std::optional<double> &v) {
  return v ? words::number(*v, 1) : std::string("none");
}

nlohmann::json report_json_proportion(const Proportion &p) {
  return {{"count", p.count}, {"of", p.of}, {"ci95_low", p.low}, {"ci95_high", p.high}};
}

nlohmann::json report_json_days(const std::optional<double> &v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string report_title(const OutcomeFilter &filter, const ReportOptions &o) {
  std::string t = "Outcome report on " + iso(filter.today);
  if (filter.from)
    t += ", trials started from " + o.from;
  if (filter.to)
    t += (filter.from ? " through " : ", trials started through ") + o.to;
  if (!o.pathway.empty())
    t += ", pathway " + o.pathway;
  return t;
}

std::string report_heading(const Formulary &f, const OutcomeRow &r) {
  return "Line " + std::to_string(r.line) + ", " + words::drug(f, r.drug);
}

std::string report_share(const Proportion &p) {
  std::string s = std::to_string(p.count) + " of " + std::to_string(p.of) + " judged";
  if (p.of > 0)
    s += " (" + report_pct(static_cast<double>(p.count) / p.of) + ", 95 % interval " +
         report_pct(p.low) + " to " + report_pct(p.high) + ")";
  return s;
}

// The lines of one row, as the text and the html forms print them.
std::vector<std::string> report_lines(const OutcomeRow &r) {
  std::string stopped = "stopped or switched:";
  for (std::size_t i = 0; i < 4; ++i)
    stopped +=
        std::string(i ? ", " : " ") + stop_reason_names[i] + " " + std::to_string(r.stopped[i]);
  return {"started: " + std::to_string(r.started),
          "reached the assessed dose: " + std::to_string(r.reached),
          "judged: " + std::to_string(r.judged),
          "responders, 30 % less pain or more: " + report_share(r.responders30),
          "responders, 50 % less pain or more: " + report_share(r.responders50),
          "median days from the first day to a response: " + report_days(r.median_days_to_response),
          "median days from the first day to the assessed dose: " +
              report_days(r.median_days_to_assessed_dose),
          stopped,
          "extensions for missing scores: " + std::to_string(r.extensions),
          "median days with scores per assessed window: " + report_days(r.median_window_days)};
}

// Time on each drug: a row per line and drug, a dot per trial at its days on the drug and a bar
// to the median. SVG 1.1, a viewBox so that it scales.
void write_report_svg(std::ostream &out, const std::vector<OutcomeRow> &rows, const Formulary &f) {
  long most = 7;
  for (const auto &r : rows)
    for (long d : r.days_on_drug)
      most = std::max(most, d);
  const double left = 170, width = 360, row_h = 34, top = 30;
  const double height = top + row_h * static_cast<double>(rows.size()) + 40;
  const auto x = [&](double days) { return left + width * days / static_cast<double>(most); };
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 560 " << words::number(height, 0)
      << "\" width=\"100%\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out << "<text x=\"10\" y=\"18\" font-weight=\"bold\">Days on each drug (a dot per trial, the bar "
         "to "
         "the median)</text>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto &r = rows[i];
    const double y = top + row_h * static_cast<double>(i) + row_h / 2;
    out << "<text x=\"10\" y=\"" << words::number(y + 4, 1) << "\">"
        << xml_escape(report_heading(f, r)) << "</text>\n";
    std::vector<double> days(r.days_on_drug.begin(), r.days_on_drug.end());
    if (const auto m = median_of(days)) {
      out << "<rect x=\"" << words::number(left, 1) << "\" y=\"" << words::number(y - 6, 1)
          << "\" width=\"" << words::number(x(*m) - left, 1)
          << "\" height=\"12\" fill=\"#9ecae1\"><title>median " << words::number(*m, 1)
          << " days</title></rect>\n";
    }
    for (long d : r.days_on_drug) {
      out << "<circle cx=\"" << words::number(x(static_cast<double>(d)), 1) << "\" cy=\""
          << words::number(y, 1) << "\" r=\"3\" fill=\"#08519c\"/>\n";
    }
  }
  const double axis = top + row_h * static_cast<double>(rows.size()) + 5;
  out << "<line x1=\"" << words::number(left, 1) << "\" y1=\"" << words::number(axis, 1)
      << "\" x2=\"" << words::number(left + width, 1) << "\" y2=\"" << words::number(axis, 1)
      << "\" stroke=\"black\"/>\n";
  out << "<text x=\"" << words::number(left, 1) << "\" y=\"" << words::number(axis + 16, 1)
      << "\">0</text>\n<text x=\"" << words::number(left + width, 1) << "\" y=\""
      << words::number(axis + 16, 1) << "\" text-anchor=\"end\">" << most
      << " days</text>\n</svg>\n";
}

void write_report_html(std::ostream &out, const std::vector<OutcomeRow> &rows, const Formulary &f,
                       const std::string &title) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>"
      << xml_escape(title) << "</title></head>\n<body>\n<h1>" << xml_escape(title) << "</h1>\n";
  if (rows.empty())
    out << "<p>No trials started.</p>\n";
  for (const auto &r : rows) {
    out << "<h2>" << xml_escape(report_heading(f, r)) << "</h2>\n<ul>\n";
    for (const auto &line : report_lines(r))
      out << "<li>" << xml_escape(line) << "</li>\n";
    out << "</ul>\n";
  }
  if (!rows.empty())
    write_report_svg(out, rows, f);
  out << "<p>Decision support only; not medical advice.</p>\n</body>\n</html>\n";
}

void run_report_outcomes(Context &ctx, const ReportOptions &o) {
  if (!o.format.empty() && o.format != "text" && o.format != "csv" && o.format != "html") {
    throw InputError("--format: \"" + o.format.substr(0, 32) +
                     "\" is not a report format; expected text, csv or html (or --json)");
  }
  if (!o.format.empty() && ctx.opt.json)
    throw InputError("--format: give either --format or --json");
  OutcomeFilter filter;
  if (!o.from.empty())
    filter.from = parse_date(o.from, "--from");
  if (!o.to.empty())
    filter.to = parse_date(o.to, "--to");
  if (filter.from && filter.to && *filter.to < *filter.from) {
    throw InputError("--to: " + o.to + " is before --from " + o.from +
                     "; expected --to on or after --from");
  }
  if (!o.pathway.empty())
    filter.pathway = ctx.pathway(o.pathway).name; // NotFound names them
  filter.today = ctx.today();
  require_role(ctx, app::Permission::read_report, "report outcomes");
  auto repo = open_store(ctx, StoreMode::read);
  // The approved plans in one read; a patient without one is read alone (their latest version).
  std::vector<OutcomePatient> cohort;
  std::set<std::string> have;
  for (auto &v : repo->active_plans()) {
    have.insert(v.patient);
    cohort.push_back({v.patient, std::move(v.plan), {}});
  }
  for (const auto &rec : repo->patients()) {
    if (have.count(rec.patient.id) > 0)
      continue;
    auto all = repo->plan_versions(rec.patient.id);
    if (all.empty())
      continue;
    cohort.push_back({rec.patient.id, std::move(all.back().plan), {}});
  }
  for (auto &p : cohort)
    p.decisions = repo->decisions(p.id);
  const auto rows = outcome_rows(cohort, filter);
  const Formulary &f = ctx.formulary();

  if (ctx.opt.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto &r : rows) {
      nlohmann::json stopped;
      for (std::size_t i = 0; i < 4; ++i)
        stopped[stop_reason_names[i]] = r.stopped[i];
      a.push_back(
          {{"line", r.line},
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
    ctx.print_json(
        {{"today", iso(filter.today)},
         {"from", o.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.from)},
         {"to", o.to.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.to)},
         {"pathway", o.pathway.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.pathway)},
         {"rows", a}});
    return;
  }
  if (o.format == "csv") {
    ctx.out
        << "line,drug,started,reached_assessed_dose,judged,responders_30,responders_30_ci95_low,"
           "responders_30_ci95_high,responders_50,responders_50_ci95_low,responders_50_ci95_high,"
           "median_days_to_response,median_days_to_assessed_dose,stopped_not_effective,"
           "stopped_not_tolerated,stopped_contraindication,stopped_other,extensions,"
           "median_window_days_with_scores\r\n";
    const auto num = [](double v) { return words::number(v, 4); };
    const auto opt = [](const std::optional<double> &v) {
      return v ? words::number(*v, 1) : std::string();
    };
    for (const auto &r : rows) {
      ctx.out << r.line << "," << r.drug << "," << r.started << "," << r.reached << "," << r.judged
              << "," << r.responders30.count << "," << num(r.responders30.low) << ","
              << num(r.responders30.high) << "," << r.responders50.count << ","
              << num(r.responders50.low) << "," << num(r.responders50.high) << ","
              << opt(r.median_days_to_response) << "," << opt(r.median_days_to_assessed_dose);
      for (int n : r.stopped)
        ctx.out << "," << n;
      ctx.out << "," << r.extensions << "," << opt(r.median_window_days) << "\r\n";
    }
    return;
  }
  if (o.format == "html") {
    write_report_html(ctx.out, rows, f, report_title(filter, o));
    return;
  }
  ctx.out << report_title(filter, o) << "\n";
  if (rows.empty())
    ctx.out << "No trials started.\n";
  for (const auto &r : rows) {
    ctx.out << "\n" << report_heading(f, r) << "\n";
    for (const auto &line : report_lines(r))
      ctx.out << "  " << line << "\n";
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
  cmd->add_option("--format", o->format,
                  "text (default) | csv | html (with an SVG chart); or --json");
  cmd->callback([&ctx, o] { run_report_outcomes(ctx, *o); });
}

} // namespace titrate::cli
