#pragma once
// The clinic's outcome report as a use case: read the cohort from the store in
// one pass per table (every patient's current plan, every decision), compute the rows
// (outcomes.hpp), and write them for each door: text, CSV and JSON (the CLI), an HTML document
// with its SVG chart (the CLI's --format html), and the HTML sections the clinic web page shows.
// One wording: the text and both HTML forms print the same lines.
#include "planner/app/outcomes.hpp"
#include "planner/formulary/monograph.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace titrate::app {

// The rows of the report for `filter`, read from `repo` in two queries.
std::vector<OutcomeRow> outcome_report(Repository &repo, const OutcomeFilter &filter);

// "Outcome report on 2026-11-30, trials started from 2026-01-01, pathway cipn-esmo".
std::string report_title(const OutcomeFilter &filter);
// The lines of one row ("started: 3", "responders, 30 % less pain or more: 1 of 2 judged (…)").
std::vector<std::string> report_lines(const OutcomeRow &r);
// "Line 1, DULoxetine".
std::string report_heading(const Formulary &f, const OutcomeRow &r);

nlohmann::json report_json(const std::vector<OutcomeRow> &rows, const OutcomeFilter &filter);
// The same figures as a FHIR R4 MeasureReport (type summary, status complete; docs/exports.md):
// per line and drug, a group for each responder threshold (initial-population = started,
// denominator = judged, numerator = responders, measureScore = the proportion, the Wilson 95 %
// interval as extensions) and a group for the course (reached the assessed dose, stopped or
// switched by reason, extensions for missing scores; medians as extensions). Drugs carry their
// RxNorm ingredient code from the formulary.
nlohmann::json report_fhir(const std::vector<OutcomeRow> &rows, const OutcomeFilter &filter,
                           const Formulary &f);
void write_report_csv(std::ostream &out, const std::vector<OutcomeRow> &rows);
void write_report_text(std::ostream &out, const std::vector<OutcomeRow> &rows, const Formulary &f,
                       const std::string &title);
// Time on each drug: a row per line and drug, a dot per trial, a bar to the median (SVG 1.1).
void write_report_svg(std::ostream &out, const std::vector<OutcomeRow> &rows, const Formulary &f);
// A whole HTML document (the CLI's --format html).
void write_report_html(std::ostream &out, const std::vector<OutcomeRow> &rows, const Formulary &f,
                       const std::string &title);
// The sections of the report as HTML (a <section> per row, then the chart), for a page that has
// its own <html>, header and title.
std::string report_html_sections(const std::vector<OutcomeRow> &rows, const Formulary &f);

} // namespace titrate::app
