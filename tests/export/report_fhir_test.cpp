// The outcome report as a FHIR R4 MeasureReport (app::report_fhir), validated by the npm `fhir`
// package (validate_fhir.js: the R4 4.0.1 StructureDefinitions, unknown properties are errors).
// The row is built by hand: 10 duloxetine trials started, 8 at the assessed dose, 6 judged, 3
// responders at 30 % and 1 at 50 %. Wilson 95 % for 3 of 6, worked by hand with z = 1.96:
// centre (0.5 + 3.8415/12) / (1 + 3.8415/6) = 0.5; half-width 1.96 * sqrt(0.25/6 + 3.8415/144) /
// 1.64025 = 0.3124; so 0.1876 to 0.8124.
#include "planner/app/report.hpp"
#include "tests/export/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace titrate;
using namespace titrate::test;

namespace {

OutcomeRow hand_row() {
  OutcomeRow r;
  r.line = 1;
  r.drug = "duloxetine";
  r.started = 10;
  r.reached = 8;
  r.judged = 6;
  r.responders30 = wilson95(3, 6);
  r.responders50 = wilson95(1, 6);
  r.median_days_to_response = 21;
  r.median_days_to_assessed_dose = 7;
  r.stopped = {2, 1, 0, 0};
  r.extensions = 1;
  r.median_window_days = 6.5;
  return r;
}

const nlohmann::json &population(const nlohmann::json &group, const std::string &code) {
  for (const auto &p : group["population"])
    if (p["code"]["coding"][0]["code"] == code)
      return p;
  FAIL("no population " << code);
  static const nlohmann::json none;
  return none;
}

} // namespace

TEST_CASE("the outcome report as a FHIR MeasureReport carries the same figures and validates") {
  const Formulary f = sample_formulary();
  OutcomeFilter filter;
  filter.today = Date(2026, 12, 24);
  filter.from = Date(2026, 1, 1);
  filter.pathway = "cipn-esmo";
  const auto j = app::report_fhir({hand_row()}, filter, f);
  const auto r = validate_fhir(write_output("report.measurereport.json", j.dump(2)));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);

  CHECK(j["resourceType"] == "MeasureReport");
  CHECK(j["status"] == "complete");
  CHECK(j["type"] == "summary");
  CHECK(j["date"] == "2026-12-24");
  CHECK(j["period"]["start"] == "2026-01-01");
  CHECK(j["period"]["end"] == "2026-12-24"); // no --to: up to today
  CHECK(j["extension"][0]["valueString"] == "cipn-esmo");
  REQUIRE(j["group"].size() == 3); // 30 %, 50 %, the course
  const auto &g30 = j["group"][0];
  CHECK(g30["code"]["text"] == "Line 1, DULoxetine: responders, 30 % less pain or more");
  CHECK(g30["code"]["coding"][0]["system"] == "http://www.nlm.nih.gov/research/umls/rxnorm");
  CHECK(population(g30, "initial-population")["count"] == 10);
  CHECK(population(g30, "denominator")["count"] == 6);
  CHECK(population(g30, "numerator")["count"] == 3);
  CHECK(g30["measureScore"]["value"].get<double>() == Approx(0.5));
  CHECK(g30["extension"][0]["valueDecimal"].get<double>() == Approx(0.1876).margin(0.0001));
  CHECK(g30["extension"][1]["valueDecimal"].get<double>() == Approx(0.8124).margin(0.0001));
  const auto &g50 = j["group"][1];
  CHECK(population(g50, "numerator")["count"] == 1);
  CHECK(g50["measureScore"]["value"] == 0.1667); // 1 of 6, to 4 decimals as in the CSV
  const auto &course = j["group"][2];
  CHECK(population(course, "reached-assessed-dose")["count"] == 8);
  CHECK(population(course, "stopped-not-effective")["count"] == 2);
  CHECK(population(course, "stopped-not-tolerated")["count"] == 1);
  CHECK(population(course, "stopped-contraindication")["count"] == 0);
  CHECK(population(course, "extensions")["count"] == 1);
  CHECK(course["extension"][0]["url"] == "urn:titrate:StructureDefinition:median-days-to-response");
  CHECK(course["extension"][0]["valueDecimal"] == 21);

  // Nothing judged: no score (0 of 0 is not a proportion), still valid.
  OutcomeRow none = hand_row();
  none.judged = 0;
  none.responders30 = wilson95(0, 0);
  none.responders50 = wilson95(0, 0);
  none.median_days_to_response.reset();
  const auto k = app::report_fhir({none}, OutcomeFilter{}, f);
  CHECK_FALSE(k["group"][0].contains("measureScore"));
  CHECK_FALSE(k["period"].contains("start"));
  const auto r2 = validate_fhir(write_output("report-none.measurereport.json", k.dump(2)));
  INFO(r2.output);
  CHECK(r2.exit_code == 0);
}
