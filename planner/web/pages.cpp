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

std::string words_html(const words::Lines &lines) {
  // A plan: each stage heading an <h3> and its lines a list, indented by depth. A diff: one list,
  // each line saying in words whether it was removed or added (never by colour alone).
  const bool is_diff = std::any_of(lines.begin(), lines.end(), [](const words::Line &l) {
    return l.kind == words::Kind::removed || l.kind == words::Kind::added;
  });
  std::string h;
  bool open = false;
  for (const auto &l : lines) {
    if (!is_diff && l.kind == words::Kind::heading) {
      if (open)
        h += "</ul>";
      open = false;
      h += "<h3>" + esc(l.text) + "</h3>";
      continue;
    }
    if (!open)
      h += is_diff ? "<ul class=\"words diff\">" : "<ul class=\"words\">";
    open = true;
    std::string marker;
    if (l.kind == words::Kind::removed)
      marker = "<span class=\"mark\">Removed: </span>";
    if (l.kind == words::Kind::added)
      marker = "<span class=\"mark\">Added: </span>";
    h += "<li class=\"w" + std::to_string(l.depth) + " " + kind_class(l.kind) + "\">" + marker +
         esc(l.text) + "</li>";
  }
  if (open)
    h += "</ul>";
  return h;
}

std::string doses_on(const Plan &plan, const Formulary &f, Date day) {
  std::string h;
  for (const auto &line : words::time_lines(plan, f, day)) {
    const auto colon = line.text.find(": ");
    h += "<li class=\"dose\"><strong>" + esc(line.text.substr(0, colon + 1)) + "</strong> " +
         esc(line.text.substr(colon + 2)) + "</li>";
  }
  if (h.empty())
    return "<p>Nothing to take on " + esc(iso(day)) + ".</p>";
  return "<ul class=\"plain\">" + h + "</ul>";
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

std::string plan_html(const Plan &plan, const Formulary &f) {
  if (plan.stages.empty())
    return "<p>No stages.</p>";
  return words_html(words::plan(plan, f));
}

std::string findings_list(const std::vector<Finding> &findings, const Formulary *fm) {
  if (findings.empty())
    return "<p>None.</p>";
  std::string h = "<ul>";
  for (const auto &f : findings) {
    h += "<li><strong>" + esc(to_string(f.severity)) + ":</strong> " +
         esc(fm != nullptr ? words::for_people(*fm, f.text) : f.text) + " <span class=\"muted\">[" +
         esc(f.rule) + "; " + esc(f.source) + "]</span></li>";
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
         "aria-label=\"Pain chart\">" +
         svg + "</div></div>";
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

std::string scores_table(const std::vector<ScoreEntry> &scores, Date from) {
  std::string rows;
  for (auto it = scores.rbegin(); it != scores.rend(); ++it) {
    if (it->at.date < from)
      continue;
    rows += "<tr><td>" + esc(when_text(it->at)) + "</td><td>" + std::to_string(it->score.value()) +
            " of 10</td><td>" + esc(it->note) + "</td></tr>";
  }
  if (rows.empty())
    return "<p>No pain scores since " + esc(iso(from)) + ".</p>";
  return "<table><thead><tr><th>When</th><th>Pain</th><th>Note</th></tr></thead><tbody>" + rows +
         "</tbody></table>";
}

std::string adverse_effects_table(const std::vector<AdverseEffect> &effects, const Formulary &f) {
  if (effects.empty())
    return "<p>No side effects reported.</p>";
  std::string h = "<table class=\"stack\"><thead><tr><th>When</th><th>Severity</th><th>What</th>"
                  "<th>Drugs taken then</th></tr></thead><tbody>";
  for (auto it = effects.rbegin(); it != effects.rend(); ++it) {
    std::string drugs;
    for (const auto &d : it->drugs)
      drugs += (drugs.empty() ? "" : ", ") + words::drug(f, d);
    if (drugs.empty())
      drugs = it->attributed ? "none" : "not attributed";
    const bool serious =
        it->severity == AeSeverity::severe || it->severity == AeSeverity::intolerable;
    h += "<tr><td>" + esc(when_text(it->at)) + "</td><td data-label=\"Severity\">" +
         (serious ? "<strong class=\"warn\">" : "<span>") + esc(to_string(it->severity)) +
         (serious ? "</strong>" : "</span>") + "</td><td data-label=\"What\">" +
         esc(it->description) + "</td><td data-label=\"Drugs taken then\">" + esc(drugs) +
         "</td></tr>";
  }
  return h + "</tbody></table>";
}

std::string due_table(const std::vector<DueEntry> &due, const Formulary &f, Date today,
                      const std::string &patient_href) {
  std::string b = "<table><thead><tr><th>Patient</th><th>Drug</th><th>Assessment</th><th>When</th>"
                  "<th>Scores in window</th></tr></thead><tbody>";
  for (const auto &e : due) {
    const Date starts = e.decision_date - Days(e.window_days);
    const std::string when = e.days_until > 0    ? "in " + std::to_string(e.days_until) + " days"
                             : e.days_until == 0 ? "today"
                                                 : std::to_string(-e.days_until) + " days overdue";
    const std::string who = patient_href.empty() ? esc(e.patient)
                                                 : "<a href=\"" + esc(patient_href + e.patient) +
                                                       "\">" + esc(e.patient) + "</a>";
    b += "<tr><td>" + who + "</td><td>" + esc(words::drug(f, e.drug)) + "</td><td>" +
         (e.review ? "maintenance review " : "decision date ") + esc(iso(e.decision_date)) +
         "</td><td>" + esc(when) + "</td><td>" + std::to_string(e.window_days_with_scores) +
         " of " + std::to_string(e.window_days) + " days" +
         (!e.missing_scores ? ""
          : starts <= today ? " <span class=\"warn\">missing scores</span>"
                            : " (window starts " + esc(iso(starts)) + ")") +
         "</td></tr>";
  }
  return b + "</tbody></table>";
}

} // namespace titrate::web
