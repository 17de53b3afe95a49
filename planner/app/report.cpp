// The outcome report as a use case (report.hpp): the cohort in two reads, folded one patient at a
// time, and its renderings.
#include "planner/app/report.hpp"

#include "planner/export/svg.hpp"
#include "planner/export/words.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <sstream>
#include <unordered_map>

namespace titrate::app {

std::vector<OutcomeRow> outcome_report(Repository &repo, const OutcomeFilter &filter) {
  // Decisions by patient (one read), then the trial stages streamed in patient order and folded
  // one patient at a time: neither the plans nor their documents are held.
  std::unordered_map<std::string, std::vector<DecisionSummary>> decisions;
  for (auto &d : repo.decision_summaries())
    decisions[d.patient].push_back(std::move(d));
  const std::vector<DecisionSummary> none;
  OutcomeFold fold(filter);
  std::vector<TrialSummary> trials;
  const auto flush = [&] {
    if (trials.empty())
      return;
    const auto it = decisions.find(trials.front().patient);
    fold.add(trials, it == decisions.end() ? none : it->second);
    trials.clear();
  };
  repo.each_current_trial([&](const TrialSummary &t) {
    if (!trials.empty() && trials.front().patient != t.patient)
      flush();
    trials.push_back(t);
  });
  flush();
  return fold.rows();
}

namespace {

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

} // namespace

std::string report_title(const OutcomeFilter &filter) {
  std::string t = "Outcome report on " + iso(filter.today);
  if (filter.from)
    t += ", trials started from " + iso(*filter.from);
  if (filter.to)
    t += (filter.from ? " through " : ", trials started through ") + iso(*filter.to);
  if (!filter.pathway.empty())
    t += ", pathway " + filter.pathway;
  return t;
}

std::string report_heading(const Formulary &f, const OutcomeRow &r) {
  return "Line " + std::to_string(r.line) + ", " + words::drug(f, r.drug);
}

namespace {

std::string report_share(const Proportion &p) {
  std::string s = std::to_string(p.count) + " of " + std::to_string(p.of) + " judged";
  if (p.of > 0)
    s += " (" + report_pct(static_cast<double>(p.count) / p.of) + ", 95 % interval " +
         report_pct(p.low) + " to " + report_pct(p.high) + ")";
  return s;
}

} // namespace

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
  out << "<p>" << words::phrase::footer << "</p>\n</body>\n</html>\n";
}

std::string report_html_sections(const std::vector<OutcomeRow> &rows, const Formulary &f) {
  std::ostringstream out;
  for (const auto &r : rows) {
    out << "<section><h2>" << xml_escape(report_heading(f, r)) << "</h2>\n<ul>\n";
    for (const auto &line : report_lines(r))
      out << "<li>" << xml_escape(line) << "</li>\n";
    out << "</ul></section>\n";
  }
  if (!rows.empty()) {
    // At its own size (12 px text) on a phone too: the section scrolls sideways instead.
    out << "<section><div style=\"overflow-x:auto\"><div style=\"min-width:560px\">";
    write_report_svg(out, rows, f);
    out << "</div></div></section>\n";
  }
  return out.str();
}

nlohmann::json report_json(const std::vector<OutcomeRow> &rows, const OutcomeFilter &filter) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &r : rows) {
    nlohmann::json stopped;
    for (std::size_t i = 0; i < 4; ++i)
      stopped[stop_reason_names[i]] = r.stopped[i];
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
  const auto date_or_null = [](const std::optional<Date> &d) {
    return d ? nlohmann::json(iso(*d)) : nlohmann::json(nullptr);
  };
  return {{"today", iso(filter.today)},
          {"from", date_or_null(filter.from)},
          {"to", date_or_null(filter.to)},
          {"pathway",
           filter.pathway.empty() ? nlohmann::json(nullptr) : nlohmann::json(filter.pathway)},
          {"rows", a}};
}

namespace {

constexpr const char *kMeasurePopulation =
    "http://terminology.hl7.org/CodeSystem/measure-population";
constexpr const char *kOutcomePopulation = "urn:titrate:CodeSystem:outcome-population";
constexpr const char *kOutcomeExtension = "urn:titrate:StructureDefinition:";

nlohmann::json fhir_population(const char *system, const std::string &code, const std::string &text,
                               int count) {
  return {
      {"code",
       {{"coding", nlohmann::json::array({{{"system", system}, {"code", code}}})}, {"text", text}}},
      {"count", count}};
}

// Proportions and days to 4 decimals, as the CSV prints them.
double fhir_round4(double v) {
  return std::round(v * 10000) / 10000;
}

nlohmann::json fhir_decimal_extension(const std::string &name, double value) {
  return {{"url", std::string(kOutcomeExtension) + name}, {"valueDecimal", fhir_round4(value)}};
}

} // namespace

nlohmann::json report_fhir(const std::vector<OutcomeRow> &rows, const OutcomeFilter &filter,
                           const Formulary &f) {
  using nlohmann::json;
  json groups = json::array();
  for (const auto &r : rows) {
    json drug = {{"text", report_heading(f, r)}};
    if (const Monograph *m = f.find(r.drug); m && !m->rxcui.empty()) {
      drug["coding"] = json::array({{{"system", "http://www.nlm.nih.gov/research/umls/rxnorm"},
                                     {"code", m->rxcui},
                                     {"display", r.drug}}});
    }
    const auto responders = [&](const Proportion &p, const char *threshold) {
      json g = drug;
      g["text"] = report_heading(f, r) + ": responders, " + threshold + " less pain or more";
      json group = {
          {"code", g},
          {"population",
           json::array(
               {fhir_population(kMeasurePopulation, "initial-population", "started", r.started),
                fhir_population(kMeasurePopulation, "denominator", "judged", r.judged),
                fhir_population(kMeasurePopulation, "numerator", "responders", p.count)})}};
      if (p.of > 0) {
        group["measureScore"] = {{"value", fhir_round4(static_cast<double>(p.count) / p.of)},
                                 {"unit", "1"},
                                 {"system", "http://unitsofmeasure.org"},
                                 {"code", "1"}};
        group["extension"] = json::array({fhir_decimal_extension("ci95-low", p.low),
                                          fhir_decimal_extension("ci95-high", p.high)});
      }
      return group;
    };
    groups.push_back(responders(r.responders30, "30 %"));
    groups.push_back(responders(r.responders50, "50 %"));
    json course = drug;
    course["text"] = report_heading(f, r) + ": course";
    json pops = json::array(
        {fhir_population(kMeasurePopulation, "initial-population", "started", r.started),
         fhir_population(kOutcomePopulation, "reached-assessed-dose", "reached the assessed dose",
                         r.reached),
         fhir_population(kOutcomePopulation, "judged", "judged", r.judged)});
    static constexpr std::array<const char *, 4> stop_codes{
        "stopped-not-effective", "stopped-not-tolerated", "stopped-contraindication",
        "stopped-other"};
    for (std::size_t i = 0; i < 4; ++i) {
      pops.push_back(fhir_population(kOutcomePopulation, stop_codes[i],
                                     std::string("stopped or switched: ") + stop_reason_names[i],
                                     r.stopped[i]));
    }
    pops.push_back(fhir_population(kOutcomePopulation, "extensions",
                                   "extensions for missing scores", r.extensions));
    json g = {{"code", course}, {"population", pops}};
    json ext = json::array();
    const auto median = [&](const char *name, const std::optional<double> &v) {
      if (v)
        ext.push_back(fhir_decimal_extension(name, *v));
    };
    median("median-days-to-response", r.median_days_to_response);
    median("median-days-to-assessed-dose", r.median_days_to_assessed_dose);
    median("median-window-days-with-scores", r.median_window_days);
    if (!ext.empty())
      g["extension"] = ext;
    groups.push_back(std::move(g));
  }
  json period;
  if (filter.from)
    period["start"] = iso(*filter.from);
  period["end"] = iso(filter.to ? *filter.to : filter.today);
  json report = {{"resourceType", "MeasureReport"},
                 {"status", "complete"},
                 {"type", "summary"},
                 {"measure", "urn:titrate:Measure:titration-outcomes"},
                 {"date", iso(filter.today)},
                 {"period", period}};
  if (!filter.pathway.empty()) {
    report["extension"] = json::array(
        {{{"url", std::string(kOutcomeExtension) + "pathway"}, {"valueString", filter.pathway}}});
  }
  if (!groups.empty())
    report["group"] = std::move(groups);
  return report;
}

void write_report_csv(std::ostream &out, const std::vector<OutcomeRow> &rows) {
  out << "line,drug,started,reached_assessed_dose,judged,responders_30,responders_30_ci95_low,"
         "responders_30_ci95_high,responders_50,responders_50_ci95_low,responders_50_ci95_high,"
         "median_days_to_response,median_days_to_assessed_dose,stopped_not_effective,"
         "stopped_not_tolerated,stopped_contraindication,stopped_other,extensions,"
         "median_window_days_with_scores\r\n";
  const auto num = [](double v) { return words::number(v, 4); };
  const auto opt = [](const std::optional<double> &v) {
    return v ? words::number(*v, 1) : std::string();
  };
  for (const auto &r : rows) {
    out << r.line << "," << r.drug << "," << r.started << "," << r.reached << "," << r.judged << ","
        << r.responders30.count << "," << num(r.responders30.low) << "," << num(r.responders30.high)
        << "," << r.responders50.count << "," << num(r.responders50.low) << ","
        << num(r.responders50.high) << "," << opt(r.median_days_to_response) << ","
        << opt(r.median_days_to_assessed_dose);
    for (int n : r.stopped)
      out << "," << n;
    out << "," << r.extensions << "," << opt(r.median_window_days) << "\r\n";
  }
}

void write_report_text(std::ostream &out, const std::vector<OutcomeRow> &rows, const Formulary &f,
                       const std::string &title) {
  out << title << "\n";
  if (rows.empty())
    out << "No trials started.\n";
  for (const auto &r : rows) {
    out << "\n" << report_heading(f, r) << "\n";
    for (const auto &line : report_lines(r))
      out << "  " << line << "\n";
  }
  out << "\n" << words::phrase::footer << "\n";
}

} // namespace titrate::app
