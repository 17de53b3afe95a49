// Transcripts of the pharmacist's review (four eyes), the active schedule, due lists and the
// audit. Plan versions are written through the repository (store_fixture.hpp); the expected
// doses and dates are those of that fixture, read off by hand.
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace titrate::test;

TEST_CASE("store review: four eyes, role refusals and only an approved version is the schedule") {
  TempDir d;
  add_p1(d);
  const auto db = d.file("clinic/titrate.db");
  REQUIRE(draft_plan(d, fixture_plan("P1"), "dr.ames", true) == 1);

  auto r =
      run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-11-30", {"--json", "review", "list"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["awaiting_review"].size() == 1);
  CHECK(j["awaiting_review"][0]["patient"] == "P1");
  CHECK(j["awaiting_review"][0]["version"] == 1);
  CHECK(j["awaiting_review"][0]["submitted_by"] == "dr.ames");

  r = run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-11-30", {"review", "show", "P1"}));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("version 1: submitted") &&
                        Catch::Contains("an illustrative lint finding") &&
                        Catch::Contains("everything above is new") &&
                        Catch::Contains("\nStage 1: DULoxetine, trial") &&
                        !Catch::Contains("added    Stage 1")); // the plan is not printed twice

  // Not a schedule yet.
  r = run_titrate(d, as(d, "P1", "patient", "2026-11-30", {"schedule", "P1"}));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("no approved plan"));

  const auto review = [&](const char *user, const char *role, std::vector<std::string> a) {
    a.insert(a.begin(), "review");
    return as(d, user, role, "2026-11-30", a);
  };
  check_refused(
      d, db,
      {
          {review("dr.ames", "clinician", {"approve", "P1", "--version", "1"}), 4, "clinician"},
          {review("P1", "patient", {"approve", "P1", "--version", "1"}), 4, "patient"},
          {review("dr.ames", "pharmacist", {"approve", "P1", "--version", "1"}), 4, "four eyes"},
          {review("dr.ames", "pharmacist", {"reject", "P1", "--version", "1", "--reason", "x"}), 4,
           "four eyes: dr.ames drafted plan of P1 version 1 and cannot reject it"},
          {review("ph.bell", "pharmacist", {"approve", "P1", "--version", "2"}), 3, "no version 2"},
          {review("ph.bell", "pharmacist", {"approve", "P9", "--version", "1"}), 3, "P9"},
          {review("ph.bell", "pharmacist", {"reject", "P1", "--version", "1", "--reason", " "}), 2,
           "--reason: missing; expected why the version is rejected"},
          {review("ph.bell", "pharmacist", {"approve", "P1", "--version", "-1"}), 2, "--version"},
      });

  // Without --version: the one version awaiting review, named in the answer.
  r = run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-11-30", {"review", "approve", "P1"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("approved plan of P1 version 1") &&
                        Catch::Contains("active schedule"));
  // Approving again: not awaiting review.
  const auto approved = file_bytes(db);
  r = run_titrate(d, as(d, "ph.cruz", "pharmacist", "2026-11-30", {"review", "approve", "P1"}));
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("no plan version is awaiting review"));
  CHECK(file_bytes(db) == approved);
  r = run_titrate(d, as(d, "ph.cruz", "pharmacist", "2026-11-30",
                        {"review", "approve", "P1", "--version", "1"}));
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("not awaiting review"));
  CHECK(file_bytes(db) == approved);

  // The fixture's first step is duloxetine 30 mg in the morning from 2026-12-01 to 2026-12-07.
  r = run_titrate(d,
                  as(d, "P1", "patient", "2026-12-05", {"schedule", "P1", "--on", "2026-12-05"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("DULoxetine") &&
                        Catch::Contains("in the morning: DULoxetine 30 mg") &&
                        Catch::Contains("1 capsule of 30 mg"));
  r = run_titrate(
      d, as(d, "P1", "patient", "2026-12-05", {"--json", "schedule", "P1", "--on", "2026-12-10"}));
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["doses"].size() == 1);
  CHECK(j["doses"][0]["mg"] == 60);
  CHECK(j["doses"][0]["time"] == "morning");
  r = run_titrate(d, as(d, "P2", "patient", "2026-12-05", {"schedule", "P1"}));
  CHECK(r.exit_code == 4);
}

TEST_CASE(
    "store review: a new version is shown as a diff against the approved one, reject keeps it") {
  TempDir d;
  add_p1_approved_plan(d);
  REQUIRE(draft_plan(d, fixture_plan("P1", titrate::Dose::milligrams(90)), "dr.ames", true) == 2);
  auto r = run_titrate(
      d, as(d, "ph.bell", "pharmacist", "2026-12-01", {"--json", "review", "show", "P1"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 2);
  CHECK(j["diff"]["against"] == 1);
  CHECK(j["lint"].size() == 1);
  const auto lines = j["diff"]["lines"].dump();
  CHECK_THAT(lines,
             Catch::Contains("removed    Assessed dose 60 mg a day") &&
                 Catch::Contains("added      Assessed dose 90 mg a day") &&
                 Catch::Contains(
                     "added        in the morning: DULoxetine 90 mg, take 1 capsule of 90 mg"));
  CHECK_THAT(lines, !Catch::Contains("from 2026-12-01 through 2026-12-07")); // the unchanged step

  r = run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-12-01",
                        {"review", "reject", "P1", "--version", "2", "--reason", "hold at 60 mg"}));
  REQUIRE(r.exit_code == 0);
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-01", {"--json", "schedule", "P1"}));
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1); // the rejected version never became the schedule

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-01", {"audit", "P1"}));
  CHECK_THAT(r.out, Catch::Contains("ph.bell (pharmacist)  plan.approve  P1  version 1") &&
                        Catch::Contains("plan.reject  P1  version 2: hold at 60 mg"));
}

TEST_CASE("store due: decision dates reached or near, with a missing-score warning") {
  TempDir d;
  add_p1_approved_plan(d);
  // Decision date 2026-12-22; window 2026-12-15 .. 2026-12-21. Scores on 3 of those days.
  for (const char *at :
       {"2026-12-15T09:00", "2026-12-16T09:00", "2026-12-16T21:00", "2026-12-18T09:00"}) {
    REQUIRE(run_titrate(
                d, as(d, "P1", "patient", "2026-12-20", {"log", "P1", "--score", "6", "--at", at}))
                .exit_code == 0);
  }
  auto r = run_titrate(
      d, as(d, "dr.ames", "clinician", "2026-12-20", {"--json", "due", "--within", "3"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["due"].size() == 1);
  CHECK(j["due"][0]["patient"] == "P1");
  CHECK(j["due"][0]["decision_date"] == "2026-12-22");
  CHECK(j["due"][0]["days_until"] == 2);
  CHECK(j["due"][0]["window"]["days_with_scores"] == 3);
  CHECK(j["due"][0]["missing_scores"] == true);
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-20", {"due", "--within", "3"}));
  CHECK_THAT(r.out, Catch::Contains("in 2 days") && Catch::Contains("missing scores"));
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-20", {"due"}));
  CHECK_THAT(r.out, Catch::Contains("no decision or review dates"));
  r = run_titrate(d, as(d, "P1", "patient", "2026-12-20", {"due"}));
  CHECK(r.exit_code == 4);
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-20", {"due", "--within", "-1"}));
  CHECK(r.exit_code == 2);
}
