// A clinic's month through the stored CLI, as a new user runs it: plan -> review
// approve -> log scores -> assess --apply -> submit -> approve -> schedule -> due, then an
// adverse effect (attributed to the drug taken then), its retraction, a maintenance review and a
// re-plan in the middle of the course. Dates by hand from clinical.md A3/A6 and the pathway's
// maintenance_review_days (56): G1 patient, duloxetine 30 mg 2026-12-01..07, 60 mg from
// 2026-12-08, decision date 2026-12-22, window 2026-12-15..21; review 2027-02-16.
#include "tests/cli/expect.hpp"
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace titrate::test;
using Catch::Contains;

namespace {

void approve(const TempDir &d, const char *today, int version) {
  run_ok(d, pharm(d, today, {"review", "approve", "G1", "--version", std::to_string(version)}));
}

// G1 (clinical.md G #1) on a running duloxetine plan, approved, with the window scores of a
// response (4 against a baseline of 7, 42.9 %).
void responder(const TempDir &d) {
  run_ok(d, clin(d, "2026-11-25",
                 {"patient", "add", "G1", "--birth-date", "1971-06-15", "--sex", "female",
                  "--weight-kg", "65", "--creatinine-mg-dl", "0.8", "--baseline-pain", "7"}));
  run_ok(d, clin(d, "2026-11-25", {"plan", "G1", "--start", "2026-12-01", "--submit"}));
  approve(d, "2026-11-26", 1);
  for (int i = 15; i <= 21; ++i) {
    run_ok(d, as(d, "G1", "patient", "2026-12-21",
                 {"log", "G1", "--score", "4", "--at", "2026-12-" + std::to_string(i) + "T09:00"}));
  }
}

} // namespace

TEST_CASE("course: a responder keeps duloxetine 60 mg with no end and due moves to the review") {
  TempDir d;
  responder(d);
  auto r = run_ok(d, clin(d, "2026-12-22", {"assess", "G1", "--apply"}));
  CHECK_THAT(r.out, Contains("Decision: continue; maintenance, next review on 2027-02-16"));
  CHECK_THAT(r.out, Contains("Drafted plan version 2"));
  run_ok(d, clin(d, "2026-12-22", {"plan", "G1", "--submit"}));
  approve(d, "2026-12-22", 2);

  // The day after the decision date, and months later: 60 mg every day.
  for (const char *day : {"2026-12-23", "2027-01-30", "2027-06-01"}) {
    CAPTURE(day);
    r = run_ok(d, clin(d, "2026-12-23", {"schedule", "G1", "--on", day}));
    CHECK_THAT(r.out, Contains("DULoxetine (trial), 60 mg a day"));
    CHECK_THAT(r.out, Contains("maintenance with no end date"));
  }
  r = run_ok(d, clin(d, "2027-06-01", {"schedule", "G1", "--on", "2027-06-01"}));
  CHECK_THAT(r.out, Contains("review due since 2027-02-16"));

  // due: not overdue at the old decision date; listed at the review.
  r = run_ok(d, clin(d, "2026-12-23", {"--json", "due", "--within", "7"}));
  CHECK(nlohmann::json::parse(r.out)["due"].empty());
  r = run_ok(d, clin(d, "2027-02-10", {"--json", "due", "--within", "7"}));
  auto due = nlohmann::json::parse(r.out)["due"];
  REQUIRE(due.size() == 1);
  CHECK(due[0]["decision_date"] == "2027-02-16");

  // Re-planning a responder never restarts titration: the new version keeps 60 mg going.
  r = run_ok(d,
             clin(d, "2027-01-10", {"--json", "plan", "G1", "--start", "2027-01-10", "--submit"}));
  auto plan = nlohmann::json::parse(r.out);
  CHECK(plan["lint"].empty());
  REQUIRE(plan["stages"].size() == 1);
  CHECK(plan["stages"][0]["maintenance"] == true);
  CHECK(plan["stages"][0]["review_date"] == "2027-02-16");
  for (const auto &step : plan["stages"][0]["steps"]) {
    if (step["start"].get<std::string>() >= "2026-12-08")
      CHECK(step["daily_mg"] == 60);
  }

  // At the review the response holds (window 2027-02-09..15, mean 3): the next review 8 weeks on.
  for (int i = 9; i <= 15; ++i) {
    run_ok(d, as(d, "G1", "patient", "2027-02-15",
                 {"log", "G1", "--score", "3", "--at",
                  "2027-02-" + (i < 10 ? "0" + std::to_string(i) : std::to_string(i))}));
  }
  approve(d, "2027-02-16", 3); // the re-plan of 2027-01-10 (nothing changed)
  r = run_ok(d, clin(d, "2027-02-16", {"assess", "G1", "--apply"}));
  CHECK_THAT(r.out, Contains("the response holds"));
  CHECK_THAT(r.out, Contains("next review on 2027-04-13"));

  // The clinician's own decision needs --apply and --reason; a reduce lowers to 30 mg.
  auto bad = run_titrate(d, clin(d, "2027-02-16", {"assess", "G1", "--decision", "reduce"}));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("--decision"));
  bad = run_titrate(d, clin(d, "2027-02-16",
                            {"assess", "G1", "--apply", "--decision", "lower", "--reason", "x"}));
  CHECK(bad.exit_code == 2);
  // Only what a clinician may choose is offered: extend and review are titrate's alone.
  CHECK_THAT(bad.err, Contains("\"lower\" is not a decision; expected one of continue, reduce, "
                               "escalate, switch, stop"));
  // The CLI's messages name its flags (the web's name its form fields).
  bad = run_titrate(d, clin(d, "2027-02-16", {"assess", "G1", "--apply", "--decision", "stop"}));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("--reason: missing; expected why the clinician decides stop"));
}

TEST_CASE("course: an adverse effect belongs to the drug taken then and can be retracted") {
  TempDir d;
  responder(d);
  auto r = run_ok(d, as(d, "G1", "patient", "2026-12-05",
                        {"--json", "log", "G1", "--adverse-effect", "nausea", "--severity",
                         "intolerable", "--at", "2026-12-05T07:30"}));
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["drugs"] == nlohmann::json::array({"duloxetine"}));
  const auto nausea = j["id"].get<long long>();

  r = run_ok(d, clin(d, "2026-12-05", {"assess", "G1"}));
  CHECK_THAT(r.out, Contains("Decision: switch to gabapentin"));

  // Logged in error: the patient withdraws it (append-only), and the switch is no longer due.
  auto bad = run_titrate(
      d, as(d, "G1", "patient", "2026-12-05", {"log", "G1", "--retract", std::to_string(nausea)}));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("--reason: missing"));
  bad = run_titrate(d, as(d, "G1", "patient", "2026-12-05",
                          {"log", "G1", "--retract", "999", "--reason", "typo"}));
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Contains("no adverse effect #999"));
  r = run_ok(d,
             as(d, "G1", "patient", "2026-12-05",
                {"log", "G1", "--retract", std::to_string(nausea), "--reason", "meant dizziness"}));
  CHECK_THAT(r.out, Contains("retracted adverse effect #" + std::to_string(nausea)));
  bad = run_titrate(d, as(d, "G1", "patient", "2026-12-05",
                          {"log", "G1", "--retract", std::to_string(nausea), "--reason", "again"}));
  CHECK(bad.exit_code == 4);
  CHECK_THAT(bad.err, Contains("already corrected or retracted"));
  r = run_ok(d, clin(d, "2026-12-05", {"assess", "G1"}));
  CHECK_THAT(r.out, Contains("Decision: continue"));

  // A correction supersedes: severe, not intolerable, so no switch (the dose is held).
  r = run_ok(d, as(d, "G1", "patient", "2026-12-06",
                   {"--json", "log", "G1", "--adverse-effect", "dizziness", "--severity", "mild",
                    "--at", "2026-12-06T10:00"}));
  const auto dizzy = nlohmann::json::parse(r.out)["id"].get<long long>();
  r = run_ok(d, as(d, "G1", "patient", "2026-12-06",
                   {"--json", "log", "G1", "--adverse-effect", "dizziness", "--severity", "severe",
                    "--at", "2026-12-06T10:00", "--supersedes", std::to_string(dizzy)}));
  CHECK(nlohmann::json::parse(r.out)["supersedes"] == dizzy);
  r = run_ok(d, clin(d, "2026-12-06", {"--json", "audit", "G1"}));
  CHECK_THAT(r.out, Contains("adverse-effect.retract") && Contains("taking duloxetine"));
}

TEST_CASE(
    "course: decisions lists each decision with the version it drafted and that version's state") {
  TempDir d;
  responder(d);
  auto r = run_ok(d, clin(d, "2026-12-22", {"decisions", "G1"}));
  CHECK_THAT(r.out, Contains("no decisions recorded for G1"));
  run_ok(d, clin(d, "2026-12-22", {"assess", "G1", "--apply"}));
  r = run_ok(d, clin(d, "2026-12-22", {"decisions", "G1"}));
  CHECK_THAT(r.out,
             Contains("  #1  2026-12-22  DULoxetine: continue [decision.response], by dr.ames; "
                      "assessed version 1; drafted version 2: draft (not yet submitted)\n"));
  run_ok(d, clin(d, "2026-12-22", {"plan", "G1", "--submit"}));
  r = run_ok(d, pharm(d, "2026-12-22", {"decisions", "G1"}));
  CHECK_THAT(r.out, Contains("drafted version 2: submitted (awaiting a pharmacist's review)"));
  run_ok(d, pharm(d, "2026-12-22", {"review", "approve", "G1"})); // the one awaiting review
  r = run_ok(d, as(d, "G1", "patient", "2026-12-22", {"--json", "decisions", "G1"}));
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["decisions"].size() == 1);
  CHECK(j["decisions"][0]["decision"] == "continue");
  CHECK(j["decisions"][0]["assessed_version"] == 1);
  CHECK(j["decisions"][0]["drafted_version"] == 2);
  CHECK(j["decisions"][0]["drafted_status"] == "approved");
  // Another patient may not read them; an unknown patient is not found.
  auto refused = run_titrate(d, as(d, "G2", "patient", "2026-12-22", {"decisions", "G1"}));
  CHECK(refused.exit_code == 4);
  auto unknown = run_titrate(d, clin(d, "2026-12-22", {"decisions", "G9"}));
  CHECK(unknown.exit_code == 3);
}
