#include "planner/export/svg.hpp"

#include "planner/core/text.hpp"
#include "planner/export/export_common.hpp"
#include "planner/export/words.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace titrate {

using namespace export_detail;

std::string xml_escape(std::string_view text) {
  return escape_markup(text, Markup::xml);
}

namespace {

// Geometry of the drawing, in user units of the viewBox.
constexpr double kWidth = 560, kHeight = 390;
// The right margin holds the baseline and response labels, clear of the decision-date labels.
constexpr double kLeft = 44, kRight = 448, kTop = 70, kBottom = 320;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A score-scale number for people: one decimal at most, no trailing zero ("7", "4.9").
std::string score_text(double v) {
  const double r = std::round(v * 10) / 10;
  if (std::fabs(r - std::round(r)) < 1e-9)
    return std::to_string(static_cast<long>(std::round(r)));
  return num(r);
}

} // namespace

void write_svg(std::ostream &out, const ExportInput &in) {
  check_context(in.context);
  const ExportContext &c = in.context;
  const auto scores = effective_scores(in.scores);
  const auto decisions = assessment_dates(in);

  // The time axis covers the plan, every score and every assessment date.
  Date first = in.plan.start, end = in.plan.start + Days(1);
  auto widen = [&](Date b, Date e) {
    first = std::min(first, b);
    end = std::max(end, e);
  };
  for (const auto &s : in.plan.stages)
    for (const auto &st : s.steps)
      if (!st.range.empty())
        widen(st.range.begin(), st.range.end());
  for (const auto &s : scores)
    widen(s.at.date, s.at.date + Days(1));
  for (const Date d : decisions)
    widen(d, d + Days(1));
  const double span = static_cast<double>((end - first).days());
  auto x_at = [&](Date d, double fraction) {
    return kLeft + ((static_cast<double>((d - first).days()) + fraction) / span) * (kRight - kLeft);
  };
  auto y_at = [&](double score) { return kBottom - score / 10.0 * (kBottom - kTop); };

  // Stage bands, and their labels above the plot laid out so that none overlap at any plan length:
  // each label goes on its stage's alternating row when that row is free there, else on the first
  // free row (more rows push the plot down and the drawing grows). Widths are estimated at 7 units
  // a character (12-unit sans-serif, wider than DejaVu Sans' average), with a gap of 8.
  struct StageLabel {
    double x0, x1, lx;
    std::string fill, text;
    std::size_t row = 0;
    bool swatch = false;
  };
  std::vector<StageLabel> labels;
  std::vector<std::vector<std::pair<double, double>>> rows(2);
  for (std::size_t si = 0; si < in.plan.stages.size(); ++si) {
    const Stage &s = in.plan.stages[si];
    std::optional<Date> b, e;
    std::optional<Dose> lo, hi;
    for (const auto &st : s.steps) {
      if (st.range.empty())
        continue;
      b = b ? std::min(*b, st.range.begin()) : st.range.begin();
      e = e ? std::max(*e, st.range.end()) : st.range.end();
      lo = lo ? std::min(*lo, st.daily) : st.daily;
      hi = hi ? std::max(*hi, st.daily) : st.daily;
    }
    if (!b)
      continue;
    static constexpr const char *kFills[] = {"#dbe9f6", "#f6e7d2", "#e3f1df", "#efe0f3"};
    std::string dose = *lo == *hi ? hi->str() : lo->mg_text() + " to " + hi->str();
    StageLabel l{
        x_at(*b, 0), x_at(*e, 0), 0, kFills[si % 4],
        display_name(in.formulary, s.drug) + " " + dose + " daily" +
            (s.role == StageRole::trial ? "" : " (" + std::string(role_word(s.role)) + ")")};
    // A label that would run past the right edge ends at it, after a swatch of its band's colour
    // (it no longer starts over its band).
    double w = 7.0 * static_cast<double>(l.text.size());
    l.lx = l.x0 + 2;
    if (l.lx + w > kWidth - 4) {
      w += 14;
      l.lx = std::max(2.0, kWidth - 4 - w);
      l.swatch = true;
    }
    const auto free = [&](std::size_t r) {
      return std::none_of(rows[r].begin(), rows[r].end(), [&](const auto &ext) {
        return l.lx < ext.second + 8 && ext.first < l.lx + w + 8;
      });
    };
    l.row = si % 2;
    if (!free(l.row)) {
      l.row = 0;
      while (l.row < rows.size() && !free(l.row))
        ++l.row;
      if (l.row == rows.size())
        rows.emplace_back();
    }
    rows[l.row].emplace_back(l.lx, l.lx + w);
    labels.push_back(std::move(l));
  }
  // Rows beyond the first two move everything below them down.
  const double shift = 18.0 * static_cast<double>(rows.size() - 2);

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " << kWidth << " "
      << kHeight + shift << "\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" "
      << "font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-labelledby=\"title\">\n";
  out << "<title id=\"title\">Pain scores for patient " << xml_escape(in.patient.id)
      << (c.plan_version == 0 ? std::string(", plan not stored (preview)")
                              : ", plan version " + std::to_string(c.plan_version))
      << "</title>\n";
  out << "<rect x=\"0\" y=\"0\" width=\"" << num(kWidth) << "\" height=\"" << num(kHeight + shift)
      << "\" fill=\"#ffffff\"/>\n";
  out << "<text x=\"" << num(kLeft)
      << "\" y=\"18\" font-size=\"14\" font-weight=\"bold\">Pain scores, patient "
      << xml_escape(in.patient.id) << "</text>\n";

  for (const auto &l : labels) {
    const double y = 40 + 18.0 * static_cast<double>(l.row);
    if (!l.swatch) {
      out << "<text x=\"" << num(l.lx) << "\" y=\"" << num(y) << "\">" << xml_escape(l.text)
          << "</text>\n";
      continue;
    }
    out << "<rect x=\"" << num(l.lx) << "\" y=\"" << num(y - 10)
        << "\" width=\"10\" height=\"10\" fill=\"" << l.fill
        << "\" stroke=\"#666666\" stroke-width=\"0.5\"/>\n";
    out << "<text x=\"" << num(l.lx + 14) << "\" y=\"" << num(y) << "\">" << xml_escape(l.text)
        << "</text>\n";
  }
  if (shift > 0)
    out << "<g transform=\"translate(0 " << num(shift) << ")\">\n";
  out << "<g id=\"stages\">\n";
  for (const auto &l : labels) {
    out << "<rect x=\"" << num(l.x0) << "\" y=\"" << num(kTop) << "\" width=\"" << num(l.x1 - l.x0)
        << "\" height=\"" << num(kBottom - kTop) << "\" fill=\"" << l.fill
        << "\" opacity=\"0.6\"/>\n";
  }
  out << "</g>\n";

  // Axes and grid: 0-10 on the left; dates below, at most six labels.
  out << "<g id=\"axes\" stroke=\"#999999\" stroke-width=\"0.5\">\n";
  for (int v = 0; v <= 10; v += 2) {
    out << "<line x1=\"" << num(kLeft) << "\" y1=\"" << num(y_at(v)) << "\" x2=\"" << num(kRight)
        << "\" y2=\"" << num(y_at(v)) << "\"/>\n";
  }
  out << "</g>\n<g id=\"labels\" font-size=\"11\">\n";
  for (int v = 0; v <= 10; v += 2) {
    out << "<text x=\"" << num(kLeft - 6) << "\" y=\"" << num(y_at(v) + 4)
        << "\" text-anchor=\"end\">" << v << "</text>\n";
  }
  const long days = (end - first).days();
  const long step = 7 * std::max(1L, (days + 34) / 35);
  for (long d = 0; d < days; d += step) {
    const Date day = first + Days(d);
    out << "<text x=\"" << num(x_at(day, 0)) << "\" y=\"" << num(kBottom + 16)
        << "\" text-anchor=\"middle\" font-size=\"10\">" << iso(day) << "</text>\n";
  }
  out << "<text x=\"12\" y=\"" << num((kTop + kBottom) / 2) << "\" transform=\"rotate(-90 12 "
      << num((kTop + kBottom) / 2) << ")\" text-anchor=\"middle\">Pain (0 to 10)</text>\n";
  out << "</g>\n";

  // Baseline and the response line.
  const std::optional<double> baseline =
      c.baseline
          ? c.baseline
          : (in.patient.baseline_pain ? std::optional<double>(in.patient.baseline_pain->value())
                                      : std::nullopt);
  if (baseline) {
    const double response = *baseline * (1.0 - c.response_pct / 100.0);
    out << "<g id=\"baseline\">\n";
    out << "<line x1=\"" << num(kLeft) << "\" y1=\"" << num(y_at(*baseline)) << "\" x2=\""
        << num(kRight) << "\" y2=\"" << num(y_at(*baseline))
        << "\" stroke=\"#444444\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/>\n";
    out << "<text x=\"" << num(kRight + 4) << "\" y=\"" << num(y_at(*baseline) + 4)
        << "\" font-size=\"10\">baseline " << score_text(*baseline) << "</text>\n";
    out << "<line x1=\"" << num(kLeft) << "\" y1=\"" << num(y_at(response)) << "\" x2=\""
        << num(kRight) << "\" y2=\"" << num(y_at(response))
        << "\" stroke=\"#2e7d32\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"/>\n";
    out << "<text x=\"" << num(kRight + 4) << "\" y=\"" << num(y_at(response) + 4)
        << "\" font-size=\"10\" fill=\"#2e7d32\">" << score_text(c.response_pct)
        << " % less pain: " << score_text(response) << "</text>\n";
    out << "</g>\n";
  }

  // Assessment (decision) dates.
  out << "<g id=\"decisions\">\n";
  for (const Date d : decisions) {
    const double x = x_at(d, 0);
    out << "<line x1=\"" << num(x) << "\" y1=\"" << num(kTop) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(kBottom) << "\" stroke=\"#c62828\" stroke-width=\"1.5\"/>\n";
    out << "<text x=\"" << num(x - 3) << "\" y=\"" << num(kTop + 4) << "\" transform=\"rotate(-90 "
        << num(x - 3) << " " << num(kTop + 4)
        << ")\" text-anchor=\"end\" font-size=\"10\" fill=\"#c62828\" stroke=\"#ffffff\" "
           "stroke-width=\"3\" paint-order=\"stroke\">decision "
        << iso(d) << "</text>\n";
  }
  out << "</g>\n";

  // Daily means (line) and every score (points).
  std::map<Date, std::pair<int, int>> by_day; // date -> (sum, count)
  for (const auto &s : scores) {
    auto &[sum, count] = by_day[s.at.date];
    sum += s.score.value();
    ++count;
  }
  out << "<g id=\"scores\">\n";
  if (!by_day.empty()) {
    out << "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"";
    bool first_point = true;
    for (const auto &[day, sc] : by_day) {
      const double mean = static_cast<double>(sc.first) / sc.second;
      out << (first_point ? "" : " ") << num(x_at(day, 0.5)) << "," << num(y_at(mean));
      first_point = false;
    }
    out << "\"/>\n";
  }
  for (const auto &s : scores) {
    out << "<circle cx=\"" << num(x_at(s.at.date, s.at.minute_of_day / 1440.0)) << "\" cy=\""
        << num(y_at(s.score.value())) << "\" r=\"2.5\" fill=\"#1565c0\"/>\n";
  }
  out << "</g>\n";

  out << "<text x=\"" << num(kLeft) << "\" y=\"" << num(kBottom + 36)
      << "\" font-size=\"10\">Line: daily mean. Dots: each score. Red: decision dates.</text>\n";
  if (baseline)
    out << "<text x=\"" << num(kLeft) << "\" y=\"" << num(kBottom + 50)
        << "\" font-size=\"10\">Dashed: baseline. Green: " << score_text(c.response_pct)
        << " % less pain than baseline (a response).</text>\n";
  out << "<text x=\"" << num(kLeft) << "\" y=\"" << num(kBottom + 64) << "\" font-size=\"10\">"
      << words::phrase::footer << "</text>\n";
  if (shift > 0)
    out << "</g>\n";
  out << "</svg>\n";
}

} // namespace titrate
