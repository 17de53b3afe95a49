// The clinic's outcome report in the browser, for clinicians and pharmacists:
// GET /reports/outcomes[?from=D&to=D&pathway=NAME] shows the report (app::outcome_report, the
// same rows and lines as `titrate report outcomes`) with its chart; /reports/outcomes.csv is the
// CLI's --format csv of the same selection.
#include "planner/app/report.hpp"
#include "planner/web/server_impl.hpp"

#include <sstream>

namespace titrate::web {

namespace {

// The selection a request asks for, checked as the CLI checks its options.
OutcomeFilter report_filter_of(const Request &req, const std::vector<Pathway> &pathways,
                               Date today) {
  OutcomeFilter f;
  f.today = today;
  const auto date_param = [&](const char *name) -> std::optional<Date> {
    const std::string v = form_field(req.params, name);
    if (v.empty())
      return std::nullopt;
    return parse_date(v, name); // InputError naming the field and the value
  };
  f.from = date_param("from");
  f.to = date_param("to");
  if (f.from && f.to && *f.to < *f.from) {
    throw InputError("to: " + iso(*f.to) + " is before from " + iso(*f.from) +
                     "; expected to on or after from");
  }
  const std::string p = form_field(req.params, "pathway");
  if (!p.empty()) {
    const auto it = std::find_if(pathways.begin(), pathways.end(),
                                 [&](const Pathway &w) { return w.name == p; });
    if (it == pathways.end()) {
      std::string names;
      for (const auto &w : pathways)
        names += (names.empty() ? "" : ", ") + w.name;
      throw InputError("pathway: \"" + printable(p, 40) + "\" is not a pathway; expected one of " +
                       names);
    }
    f.pathway = it->name;
  }
  return f;
}

std::string report_query(const OutcomeFilter &f) {
  std::string q;
  const auto add = [&](const char *k, const std::string &v) {
    q += (q.empty() ? "?" : "&") + std::string(k) + "=" + v;
  };
  if (f.from)
    add("from", iso(*f.from));
  if (f.to)
    add("to", iso(*f.to));
  if (!f.pathway.empty())
    add("pathway", f.pathway); // pathway names are [a-z0-9-]
  return q;
}

} // namespace

void WebServer::Impl::report_routes() {
  svr.Get(
      "/reports/outcomes", guarded(false, [this](Call &c) {
        const StaffUser u = require_staff(c, app::Permission::read_report);
        const OutcomeFilter f = report_filter_of(c.req, pathways, cfg.today());
        const auto rows = app::outcome_report(repo, f);
        const auto date_value = [](const std::optional<Date> &d) {
          return d ? iso(*d) : std::string();
        };
        Html options = "<option value=\"\">Every pathway</option>"_html;
        for (const auto &p : pathways) {
          options += "<option value=\""_html + p.name + "\""_html +
                     (p.name == f.pathway ? " selected"_html : ""_html) + ">"_html + p.name +
                     "</option>"_html;
        }
        Html b = "<h1>"_html + app::report_title(f) + "</h1>"_html;
        b += "<section><form method=\"get\" action=\"/reports/outcomes\">"
             "<label for=\"from\">Trials started from (YYYY-MM-DD)</label>"
             "<input type=\"text\" id=\"from\" name=\"from\" inputmode=\"numeric\" value=\""_html +
             date_value(f.from) +
             "\"><label for=\"to\">through (YYYY-MM-DD)</label>"
             "<input type=\"text\" id=\"to\" name=\"to\" inputmode=\"numeric\" value=\""_html +
             date_value(f.to) +
             "\"><label for=\"pathway\">Pathway</label><select id=\"pathway\" "
             "name=\"pathway\">"_html +
             options +
             "</select> <button type=\"submit\">Show</button></form>"
             "<p>Responders are counted among the judged trials (at least the minimum days at "
             "the assessed dose with enough scores); 95 % intervals are Wilson score "
             "intervals. <a href=\""_html +
             ("/reports/outcomes.csv" + report_query(f)) +
             "\" download>Download this report as CSV</a></p></section>"_html;
        if (rows.empty())
          b += "<section><p>No trials started.</p></section>"_html;
        // The report's own HTML (the CLI's `report outcomes --format html`), every value
        // escaped where it is written (planner/app).
        b += Html::trusted(app::report_html_sections(rows, formulary));
        send_html(c.res, 200, page("Outcome report", b, u.name, u.csrf, u.role));
      }));
  svr.Get("/reports/outcomes.csv", guarded(false, [this](Call &c) {
            require_staff(c, app::Permission::read_report);
            const OutcomeFilter f = report_filter_of(c.req, pathways, cfg.today());
            std::ostringstream out;
            app::write_report_csv(out, app::outcome_report(repo, f));
            c.res.status = 200;
            c.res.set_header("Cache-Control", "no-store");
            c.res.set_header("X-Content-Type-Options", "nosniff");
            c.res.set_header("Content-Disposition",
                             "attachment; filename=\"outcomes-" + iso(f.today) + ".csv\"");
            c.res.set_content(out.str(), "text/csv; charset=utf-8");
          }));
}

} // namespace titrate::web
