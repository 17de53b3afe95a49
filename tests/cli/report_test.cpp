// `titrate report outcomes` (issue 17 item 3) on a small cohort written straight into the store
// (store_fixture.hpp's duloxetine plan: 30 mg from 2026-12-01, the assessed dose 60 mg first
// taken 2026-12-08, decision date 2026-12-22), with decisions set by construction. Illustrative
// storage data, not clinical claims. Expected figures by hand in the comments.
#include "tests/cli/expect.hpp"
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"
#include "tests/common/assessments.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

// In titrate::test (not `using namespace titrate`): the unity build concatenates test files.
namespace titrate::test {

using Catch::Contains;

namespace {

std::vector<std::string> report_as(const TempDir &d, std::vector<std::string> a) {
  return as(d, "dr.ames", "clinician", "2027-01-15", std::move(a));
}

Assessment report_decision(const std::string &patient, Date date, DecisionKind k,
                           std::optional<double> change, int window_days, const std::string &rule) {
  Assessment a = assessment_of(patient, date, "duloxetine", k);
  a.change_pct = change;
  a.rule = rule;
  if (window_days > 0) {
    a.window.start = date - Days(7);
    a.window.end = date;
    a.window.scores = window_days;
  }
  return a;
}

// O1: continue, 42.9 % less pain (a 30 % responder, not 50 %), 6 days with scores.
// O2: continue, 60 % (30 % and 50 %), 7 days.
// O3: extend on 2026-12-22 (3 days with scores), then switch at the maximum, 10 % (5 days):
//     judged, not a responder, stopped as not effective.
// O4: switched for an intolerable effect on 2026-12-05, before the assessed dose (2026-12-08):
//     not reached, not judged, stopped as not tolerated.
// O5: starts 2027-01-10 (the plan moved by 40 days), assessed dose on 2027-01-17, after today
//     (2027-01-15): started, not reached.
void report_cohort(const TempDir &d) {
  for (const char *id : {"O1", "O2", "O3", "O4", "O5"}) {
    run_ok(d, report_as(d, {"patient", "add", id, "--birth-date", "1960-03-01", "--sex", "female",
                            "--weight-kg", "70", "--creatinine-mg-dl", "0.9"}));
  }
  SqliteStore store(d.file("clinic/titrate.db"));
  const Actor who{"dr.ames", "clinician"};
  for (const char *id : {"O1", "O2", "O3", "O4"})
    store.save_draft(fixture_plan(id), who);
  Plan late = fixture_plan("O5");
  late.start = Date(2027, 1, 10);
  for (auto &s : late.stages) {
    for (auto &st : s.steps)
      st.range = DateRange(st.range.begin() + Days(40), st.range.end() + Days(40));
    s.target_reached = *s.target_reached + Days(40);
    s.decision_date = *s.decision_date + Days(40);
  }
  store.save_draft(late, who);
  const Date dd(2026, 12, 22);
  store.record_decision(
      report_decision("O1", dd, DecisionKind::continue_, 42.9, 6, "decision.continue"), 1, who);
  store.record_decision(
      report_decision("O2", dd, DecisionKind::continue_, 60, 7, "decision.continue"), 1, who);
  store.record_decision(
      report_decision("O3", dd, DecisionKind::extend, std::nullopt, 3, "decision.extend"), 1, who);
  store.record_decision(report_decision("O3", Date(2026, 12, 29), DecisionKind::switch_, 10, 5,
                                        "decision.switch-at-maximum"),
                        1, who);
  store.record_decision(report_decision("O4", Date(2026, 12, 5), DecisionKind::switch_,
                                        std::nullopt, 0, "decision.intolerable"),
                        1, who);
}

} // namespace

TEST_CASE("report outcomes: a hand-checked cohort of five duloxetine trials") {
  TempDir d;
  report_cohort(d);
  const auto r = run_ok(d, report_as(d, {"--json", "report", "outcomes"}));
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["rows"].size() == 1);
  const auto &row = j["rows"][0];
  CHECK(row["line"] == 1);
  CHECK(row["drug"] == "duloxetine");
  CHECK(row["started"] == 5);               // O1..O5
  CHECK(row["reached_assessed_dose"] == 3); // O1, O2, O3 (O4 stopped first, O5 not yet)
  CHECK(row["judged"] == 3);                // O1, O2, O3
  CHECK(row["responders_30"]["count"] == 2);
  CHECK(row["responders_30"]["of"] == 3);
  // Wilson, 2 of 3, z = 1.96: z^2 = 3.8415, denominator 1 + 3.8415 / 3 = 2.2805, centre
  // (0.6667 + 0.6402) / 2.2805 = 0.5731, half 1.96 x sqrt(0.2222 / 3 + 3.8415 / 36) / 2.2805
  // = 1.96 x 0.4252 / 2.2805 = 0.3654: 0.2077 to 0.9385.
  CHECK(row["responders_30"]["ci95_low"].get<double>() == Approx(0.2077).margin(0.0005));
  CHECK(row["responders_30"]["ci95_high"].get<double>() == Approx(0.9385).margin(0.0005));
  // 1 of 3: centre (0.3333 + 0.6402) / 2.2805 = 0.4269, the same half: 0.0615 to 0.7923.
  CHECK(row["responders_50"]["count"] == 1);
  CHECK(row["responders_50"]["ci95_low"].get<double>() == Approx(0.0615).margin(0.0005));
  CHECK(row["responders_50"]["ci95_high"].get<double>() == Approx(0.7923).margin(0.0005));
  // O1 and O2 responded at 2026-12-22, 21 days after 2026-12-01.
  CHECK(row["median_days_to_response"] == 21.0);
  // O1..O3 took the assessed dose from 2026-12-08: 7 days.
  CHECK(row["median_days_to_assessed_dose"] == 7.0);
  CHECK(row["stopped"]["not effective"] == 1); // O3
  CHECK(row["stopped"]["not tolerated"] == 1); // O4
  CHECK(row["stopped"]["contraindication"] == 0);
  CHECK(row["stopped"]["other"] == 0);
  CHECK(row["extensions"] == 1); // O3
  // Windows: 6, 7, 3, 5 days with scores: the median of 3, 5, 6, 7 is 5.5.
  CHECK(row["median_window_days_with_scores"] == 5.5);

  SECTION("the text form says the same") {
    const auto t = run_ok(d, report_as(d, {"report", "outcomes"}));
    CHECK_THAT(t.out, Contains("Line 1, DULoxetine\n  started: 5\n  reached the assessed dose: 3\n"
                               "  judged: 3\n"));
    CHECK_THAT(t.out, Contains("responders, 30 % less pain or more: 2 of 3 judged (66.7 %, 95 % "
                               "interval 20.8 % to 93.9 %)"));
    CHECK_THAT(t.out, Contains("stopped or switched: not effective 1, not tolerated 1, "
                               "contraindication 0, other 0"));
  }
  SECTION("csv: a header and one row") {
    const auto c = run_ok(d, report_as(d, {"report", "outcomes", "--format", "csv"}));
    CHECK(c.out.rfind("line,drug,started,reached_assessed_dose,judged,responders_30,"
                      "responders_30_ci95_low,responders_30_ci95_high,responders_50,",
                      0) == 0);
    CHECK_THAT(c.out, Contains(",stopped_other,extensions,median_window_days_with_scores\r\n"));
    CHECK_THAT(
        c.out,
        Contains("\r\n1,duloxetine,5,3,3,2,0.2077,0.9385,1,0.0615,0.7923,21,7,1,1,0,0,1,5.5\r\n"));
  }
  SECTION("html: the same lines and an SVG chart of the days on the drug") {
    const auto h = run_ok(d, report_as(d, {"report", "outcomes", "--format", "html"}));
    CHECK_THAT(h.out, Contains("<h2>Line 1, DULoxetine</h2>"));
    CHECK_THAT(h.out, Contains("<li>judged: 3</li>"));
    // Days on the drug, by hand: O1 and O2 go on to the end of the last step, 2026-12-22 (21
    // days); O3 switched on 2026-12-29 but its last step ended 2026-12-22 (21); O4 switched on
    // 2026-12-05 (4); O5 from 2027-01-10 to today 2027-01-15 (5). Sorted 4, 5, 21, 21, 21: the
    // median is 21, the longest 21, so the bar and three dots reach the axis end (x = 170 + 360).
    CHECK_THAT(h.out, Contains("<title>median 21 days</title>"));
    CHECK_THAT(h.out, Contains("<circle cx=\"530\""));
    CHECK_THAT(h.out, Contains("<circle cx=\"238.6\"")); // 170 + 360 x 4 / 21 = 238.57
    CHECK_THAT(h.out, Contains(">21 days</text>"));
  }
  SECTION("--from and --to pick trials by their first day") {
    const auto late = nlohmann::json::parse(
        run_ok(d, report_as(d, {"--json", "report", "outcomes", "--from", "2027-01-01"})).out);
    CHECK(late["rows"][0]["started"] == 1); // O5
    CHECK(late["rows"][0]["reached_assessed_dose"] == 0);
    CHECK(late["rows"][0]["median_days_to_response"].is_null()); // nothing judged
    CHECK(late["from"] == "2027-01-01");
    const auto early = nlohmann::json::parse(
        run_ok(d, report_as(d, {"--json", "report", "outcomes", "--to", "2026-12-31"})).out);
    CHECK(early["rows"][0]["started"] == 4); // O1..O4
    const auto other = nlohmann::json::parse(
        run_ok(d, report_as(d, {"--json", "report", "outcomes", "--pathway", "nice-cg173"})).out);
    CHECK(other["rows"].empty()); // every plan is cipn-esmo
  }
}

TEST_CASE(
    "report outcomes: bad dates, an unknown pathway or format, and a patient's role are refused") {
  TempDir d;
  report_cohort(d);
  auto r = run_titrate(d, report_as(d, {"report", "outcomes", "--from", "2026-13-01"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--from"));
  r = run_titrate(
      d, report_as(d, {"report", "outcomes", "--from", "2027-01-02", "--to", "2027-01-01"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--to: 2027-01-01 is before --from 2027-01-02"));
  r = run_titrate(d, report_as(d, {"report", "outcomes", "--pathway", "nope"}));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("nope") && Contains("cipn-esmo"));
  r = run_titrate(d, report_as(d, {"report", "outcomes", "--format", "xml"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("\"xml\" is not a report format; expected text, csv, html or fhir"));
  r = run_titrate(d, as(d, "O1", "patient", "2027-01-15", {"report", "outcomes"}));
  CHECK(r.exit_code == 4);
}

} // namespace titrate::test
