// `titrate report outcomes [--from D] [--to D] [--pathway NAME] [--json | --format
// text|csv|html|fhir]`: the clinic's outcome report. The use case and its
// renderings are planner/app/report.hpp (the clinic's web page shows the same); this checks the
// options. Staff only (clinician, pharmacist).
#include "planner/app/report.hpp"
#include "planner/cli/store_cli.hpp"
#include "planner/core/errors.hpp"

#include <memory>

namespace titrate::cli {

namespace {

struct ReportOptions {
  std::string from, to, pathway, format;
};

void run_report_outcomes(Context &ctx, const ReportOptions &o) {
  if (!o.format.empty() && o.format != "text" && o.format != "csv" && o.format != "html" &&
      o.format != "fhir") {
    throw InputError("--format: \"" + o.format.substr(0, 32) +
                     "\" is not a report format; expected text, csv, html or fhir (or --json)");
  }
  if (!o.format.empty() && ctx.opt.json)
    throw InputError(not_both("--format", "--json"));
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
  const auto rows = app::outcome_report(*repo, filter);
  const Formulary &f = ctx.formulary();
  if (ctx.opt.json) {
    ctx.print_json(app::report_json(rows, filter));
  } else if (o.format == "csv") {
    app::write_report_csv(ctx.out, rows);
  } else if (o.format == "fhir") {
    ctx.out << app::report_fhir(rows, filter, f).dump(2) << "\n";
  } else if (o.format == "html") {
    app::write_report_html(ctx.out, rows, f, app::report_title(filter));
  } else {
    app::write_report_text(ctx.out, rows, f, app::report_title(filter));
  }
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
                  "text (default) | csv | html (with an SVG chart) | fhir (a FHIR R4 "
                  "MeasureReport); or --json");
  cmd->callback([&ctx, o] { run_report_outcomes(ctx, *o); });
}

} // namespace titrate::cli
