#include "planner/web/pages.hpp"

#include "planner/core/errors.hpp"
#include "planner/export/svg.hpp"
#include "planner/export/export_common.hpp"
#include "planner/web/html.hpp"

#include <sstream>

namespace titrate::web {

// ISMP wording of the administration times, shared with the exporters.
using export_detail::time_phrase;

std::string units_phrase(const std::vector<UnitCount> &units) {
  std::string s;
  for (const auto &u : units) {
    if (!s.empty()) s += " and ";
    s += std::to_string(u.count) + " " + std::string(to_string(u.form)) + (u.count == 1 ? "" : "s") +
         " of " + u.strength.str();
  }
  return s;
}

namespace {

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string day_range(const DateRange &r) {
  if (r.empty()) return "(no days)";
  const Date last = r.end() - Days(1);
  if (last == r.begin()) return iso(r.begin());
  return iso(r.begin()) + " to " + iso(last);
}

} // namespace

std::string doses_on(const Plan &plan, Date day) {
  const auto today = plan.on(day);
  std::string h;
  for (const auto &[stage, step] : today) {
    for (const auto &adm : step->doses) {
      h += "<li class=\"dose\"><strong>" + esc(capitalised(std::string(time_phrase(adm.time)))) + ":</strong> " +
           esc(stage->drug) + " " + esc(adm.dose.str()) + " &ndash; take " +
           esc(units_phrase(adm.units)) + "</li>";
    }
  }
  if (h.empty()) return "<p>Nothing to take on " + esc(iso(day)) + ".</p>";
  return "<ul class=\"plain\">" + h + "</ul>";
}

std::optional<Date> next_assessment(const Plan &plan, Date day) {
  std::optional<Date> best;
  for (const auto &s : plan.stages) {
    const auto d = s.review_date ? s.review_date : s.decision_date;
    if (d && *d >= day && (!best || *d < *best)) best = d;
  }
  return best;
}

std::string plan_tables(const Plan &plan) {
  std::string h;
  for (const auto &s : plan.stages) {
    h += "<h3>" + esc(s.drug) + " (" + esc(to_string(s.role)) + ")</h3>";
    if (s.target_reached) h += "<p>Target dose reached on " + esc(iso(*s.target_reached));
    if (s.decision_date) {
      h += (s.target_reached ? "; " : "<p>") + std::string("decision date ") +
           esc(iso(*s.decision_date));
    }
    if (s.target_reached || s.decision_date) h += ".</p>";
    if (s.maintenance()) {
      h += "<p><strong>Maintenance:</strong> the last dose below continues with no end date; next "
           "review on " + esc(iso(*s.review_date)) + ".</p>";
    }
    if (!s.note.empty()) h += "<p class=\"muted\">" + esc(s.note) + "</p>";
    h += "<table><thead><tr><th>Days</th><th>Daily total</th><th>Doses</th></tr></thead><tbody>";
    for (const auto &st : s.steps) {
      h += "<tr><td>" + esc(day_range(st.range)) + "</td><td>" + esc(st.daily.str()) + "</td><td>";
      bool first = true;
      for (const auto &adm : st.doses) {
        if (!first) h += "<br>";
        first = false;
        h += esc(capitalised(std::string(time_phrase(adm.time)))) + ": " + esc(adm.dose.str()) + " (" +
             esc(units_phrase(adm.units)) + ")";
      }
      h += "</td></tr>";
    }
    h += "</tbody></table>";
    if (!s.dispense.empty()) h += "<p>Dispense: " + esc(units_phrase(s.dispense)) + ".</p>";
    if (!s.warnings.empty()) h += findings_list(s.warnings);
  }
  if (h.empty()) h = "<p>No stages.</p>";
  return h;
}

std::string findings_list(const std::vector<Finding> &findings) {
  if (findings.empty()) return "<p>None.</p>";
  std::string h = "<ul>";
  for (const auto &f : findings) {
    h += "<li><strong>" + esc(to_string(f.severity)) + ":</strong> " + esc(f.text) +
         " <span class=\"muted\">[" + esc(f.rule) + "; " + esc(f.source) + "]</span></li>";
  }
  return h + "</ul>";
}

std::string chart(const ExportInput &in) {
  std::ostringstream out;
  try {
    write_svg(out, in);
  } catch (const Error &e) {
    return "<p>The chart cannot be drawn: " + esc(e.what()) + "</p>";
  }
  std::string svg = out.str();
  // Inline in HTML: drop the XML declaration; the SVG's own text is already XML-escaped.
  if (svg.rfind("<?xml", 0) == 0) {
    const auto end = svg.find("?>");
    if (end != std::string::npos) svg.erase(0, end + 2);
  }
  return "<div class=\"chart\" role=\"img\" aria-label=\"Pain chart\">" + svg + "</div>";
}

} // namespace titrate::web
