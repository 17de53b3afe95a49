#include "planner/web/pages.hpp"

#include "planner/core/errors.hpp"
#include "planner/export/export_common.hpp"
#include "planner/export/svg.hpp"
#include "planner/export/time_zone.hpp"
#include "planner/export/words.hpp"
#include "planner/web/html.hpp"

#include <algorithm>
#include <cstdio>

#include <sstream>

namespace titrate::web {

namespace {

const char *kind_class(words::Kind k) {
  switch (k) {
  case words::Kind::heading:
    return "heading";
  case words::Kind::step:
    return "step";
  case words::Kind::dose:
    return "dose-line";
  case words::Kind::fact:
    return "fact";
  case words::Kind::stop:
    return "stop";
  case words::Kind::warning:
    return "warn";
  case words::Kind::note:
    return "note";
  case words::Kind::removed:
    return "removed";
  case words::Kind::added:
    return "added";
  }
  return "fact";
}

} // namespace

Html words_html(const words::Lines &lines) {
  // A plan: each stage heading an <h3> and its lines a list, indented by depth. A diff: one list,
  // each line saying in words whether it was removed or added (never by colour alone).
  const bool is_diff = std::any_of(lines.begin(), lines.end(), [](const words::Line &l) {
    return l.kind == words::Kind::removed || l.kind == words::Kind::added;
  });
  Html h;
  bool open = false;
  for (const auto &l : lines) {
    if (!is_diff && l.kind == words::Kind::heading) {
      if (open)
        h += "</ul>"_html;
      open = false;
      h += "<h3>"_html + l.text + "</h3>"_html;
      continue;
    }
    if (!open)
      h += is_diff ? "<ul class=\"words diff\">"_html : "<ul class=\"words\">"_html;
    open = true;
    Html marker;
    if (l.kind == words::Kind::removed)
      marker = "<span class=\"mark\">Removed: </span>"_html;
    if (l.kind == words::Kind::added)
      marker = "<span class=\"mark\">Added: </span>"_html;
    h += "<li class=\"w"_html + std::to_string(l.depth) + " "_html + kind_class(l.kind) +
         "\">"_html + marker + l.text + "</li>"_html;
  }
  if (open)
    h += "</ul>"_html;
  return h;
}

Html doses_on(const Plan &plan, const Formulary &f, Date day) {
  Html h;
  for (const auto &line : words::time_lines(plan, f, day)) {
    const auto colon = line.text.find(": ");
    h += "<li class=\"dose\"><strong>"_html + line.text.substr(0, colon + 1) + "</strong> "_html +
         line.text.substr(colon + 2) + "</li>"_html;
  }
  if (h.empty())
    return "<p>Nothing to take on "_html + iso(day) + ".</p>"_html;
  return "<ul class=\"plain\">"_html + h + "</ul>"_html;
}

std::optional<Date> next_assessment(const Plan &plan, Date day) {
  std::optional<Date> best;
  for (const auto &s : plan.stages) {
    const auto d = s.review_date ? s.review_date : s.decision_date;
    if (d && *d >= day && (!best || *d < *best))
      best = d;
  }
  return best;
}

Html plan_html(const Plan &plan, const Formulary &f) {
  if (plan.stages.empty())
    return "<p>No stages.</p>"_html;
  return words_html(words::plan(plan, f));
}

Html findings_list(const std::vector<Finding> &findings, const Formulary *fm) {
  if (findings.empty())
    return "<p>None.</p>"_html;
  Html h = "<ul>"_html;
  for (const auto &f : findings) {
    h += "<li><strong>"_html + to_string(f.severity) + ":</strong> "_html +
         (fm != nullptr ? words::for_people(*fm, f.text) : f.text) +
         " <span class=\"muted\">["_html + f.rule + "; "_html + f.source + "]</span></li>"_html;
  }
  return h + "</ul>"_html;
}

Html chart(const ExportInput &in) {
  std::ostringstream out;
  try {
    write_svg(out, in);
  } catch (const Error &e) {
    return "<p>The chart cannot be drawn: "_html + e.what() + "</p>"_html;
  }
  std::string svg = out.str();
  // Inline in HTML: drop the XML declaration; the SVG's own text is already XML-escaped.
  if (svg.rfind("<?xml", 0) == 0) {
    const auto end = svg.find("?>");
    if (end != std::string::npos)
      svg.erase(0, end + 2);
  }
  // Readable on a phone: the drawing's smallest text is 10 units of its 560-unit width, so at
  // 672 CSS px or wider every label is at least 12 px; a narrower screen scrolls it sideways
  // instead of shrinking it.
  if (const auto at = svg.find("<svg "); at != std::string::npos)
    svg.insert(at + 5, "style=\"min-width:672px\" ");
  return "<div class=\"chart-scroll\" style=\"overflow-x:auto\" tabindex=\"0\" role=\"region\" "
         "aria-label=\"Pain chart, scrolls sideways\"><div class=\"chart\" role=\"img\" "
         "aria-label=\"Pain chart\">"_html +
         // The exporter's markup: its text is escaped where it is written (XML dialect).
         Html::trusted(std::move(svg)) + "</div></div>"_html;
}

std::string stamp_text(const std::string &stamp) {
  try {
    return when_text(utc_stamp(stamp)) + " UTC";
  } catch (const InputError &) {
    return stamp;
  }
}

std::string when_text(const LocalDateTime &at) {
  char hm[32];
  std::snprintf(hm, sizeof hm, "%02d:%02d", at.minute_of_day / 60, at.minute_of_day % 60);
  return iso(at.date) + " at " + hm;
}

Html scores_table(const std::vector<ScoreEntry> &scores, Date from) {
  Html rows;
  for (auto it = scores.rbegin(); it != scores.rend(); ++it) {
    if (it->at.date < from)
      continue;
    rows += "<tr><td>"_html + when_text(it->at) + "</td><td>"_html +
            std::to_string(it->score.value()) + " of 10</td><td>"_html + it->note +
            "</td></tr>"_html;
  }
  if (rows.empty())
    return "<p>No pain scores since "_html + iso(from) + ".</p>"_html;
  return "<table><thead><tr><th>When</th><th>Pain</th><th>Note</th></tr></thead><tbody>"_html +
         rows + "</tbody></table>"_html;
}

Html adverse_effects_table(const std::vector<AdverseEffect> &effects, const Formulary &f) {
  if (effects.empty())
    return "<p>No side effects reported.</p>"_html;
  Html h = "<table class=\"stack\"><thead><tr><th>When</th><th>Severity</th><th>What</th>"
           "<th>Drugs taken then</th></tr></thead><tbody>"_html;
  for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
    std::string drugs;
    for (const auto &d : it->drugs)
      drugs += (drugs.empty() ? "" : ", ") + words::drug(f, d);
    if (drugs.empty())
      drugs = it->attributed ? "none" : "not attributed";
    const bool serious =
        it->severity == AeSeverity::severe || it->severity == AeSeverity::intolerable;
    h += "<tr><td>"_html + when_text(it->at) + "</td><td data-label=\"Severity\">"_html +
         (serious ? "<strong class=\"warn\">"_html : "<span>"_html) + to_string(it->severity) +
         (serious ? "</strong>"_html : "</span>"_html) + "</td><td data-label=\"What\">"_html +
         it->description + "</td><td data-label=\"Drugs taken then\">"_html + drugs +
         "</td></tr>"_html;
  }
  return h + "</tbody></table>"_html;
}

Html due_table(const std::vector<DueEntry> &due, const Formulary &f, Date today,
               const std::string &patient_href) {
  Html b = "<table><thead><tr><th>Patient</th><th>Drug</th><th>Assessment</th><th>When</th>"
           "<th>Scores in window</th></tr></thead><tbody>"_html;
  for (const auto &e : due) {
    const Date starts = e.decision_date - Days(e.window_days);
    const std::string when = e.days_until > 0    ? "in " + std::to_string(e.days_until) + " days"
                             : e.days_until == 0 ? "today"
                                                 : std::to_string(-e.days_until) + " days overdue";
    const Html who = patient_href.empty() ? Html::text(e.patient)
                                          : "<a href=\""_html + (patient_href + e.patient) +
                                                "\">"_html + e.patient + "</a>"_html;
    b += "<tr><td>"_html + who + "</td><td>"_html + words::drug(f, e.drug) + "</td><td>"_html +
         (e.review ? "maintenance review "_html : "decision date "_html) + iso(e.decision_date) +
         "</td><td>"_html + when + "</td><td>"_html + std::to_string(e.window_days_with_scores) +
         " of "_html + std::to_string(e.window_days) + " days"_html +
         (!e.missing_scores ? ""_html
          : starts <= today ? " <span class=\"warn\">missing scores</span>"_html
                            : " (window starts "_html + iso(starts) + ")"_html) +
         "</td></tr>"_html;
  }
  return b + "</tbody></table>"_html;
}

} // namespace titrate::web
