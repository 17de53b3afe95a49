// Course G2 #13 through the stored CLI, as a clinic would run it: scenario 2 (68 years, CrCl 25),
// plan, approval, a week of pain scores, assess --apply, the drafted next version. Expected
// values by hand from clinical.md: gabapentin 200 -> 500 -> 700 mg once daily (GAB-US 2.3, band
// 15-30), 700 mg from 2026-12-15, decision date 2026-12-29 (A6: + 14 days); pain 7 against a
// baseline of 7 at the stage maximum -> switch to amitriptyline (cipn-esmo order; duloxetine avoid
// below CrCl 30). Gabapentin is reduced to 300 mg once daily for 7 days (A7 and GAB-US: gradually
// over at least 1 week) and stops after 2027-01-04; amitriptyline 10 mg starts on 2026-12-29
// (H8: overlap, caution for additive sedation).
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace titrate::test;

TEST_CASE("G2 #13 stored: gabapentin 700 mg once daily, no response: 300 mg for 7 days, never an "
          "abrupt stop") {
  TempDir d;
  auto r =
      run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-30",
                        {"patient", "add", "G13", "--birth-date", "1958-03-01", "--sex", "male",
                         "--weight-kg", "70", "--crcl", "25", "--baseline-pain", "7"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-30",
                        {"plan", "G13", "--start", "2026-12-01", "--submit"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("700 mg a day, once daily"));
  CHECK_THAT(r.out, Catch::Contains("Decision date: 2026-12-29"));
  r = run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-11-30",
                        {"review", "approve", "G13", "--version", "1"}));
  REQUIRE(r.exit_code == 0);
  for (int day = 22; day <= 28; ++day) {
    const std::string date = "2026-12-" + std::to_string(day);
    r = run_titrate(
        d, as(d, "G13", "patient", date, {"log", "G13", "--score", "7", "--at", date + "T09:00"}));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-29", {"assess", "G13", "--apply"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("switch to amitriptyline"));

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-29", {"plan", "G13", "--submit"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, !Catch::Contains("no reduced step"));
  CHECK_THAT(r.out, Catch::Contains("Stop gabapentin from 2027-01-05 (last dose on 2027-01-04)"));

  r = run_titrate(
      d, as(d, "ph.bell", "pharmacist", "2026-12-29", {"--json", "review", "show", "G13"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto plan = nlohmann::json::parse(r.out).at("plan");
  const auto &stages = plan.at("stages");
  REQUIRE(stages.size() == 3);
  const auto &taper = stages[1];
  CHECK(taper.at("drug") == "gabapentin");
  REQUIRE(taper.at("steps").size() == 1);
  CHECK(taper["steps"][0]["daily_mg"] == 300);
  CHECK(taper["steps"][0]["start"] == "2026-12-29");
  CHECK(taper["steps"][0]["end"] == "2027-01-05"); // end excluded: 7 days
  CHECK(taper["steps"][0]["doses"].size() == 1);   // still once daily
  bool caution = false;
  for (const auto &w : taper.at("warnings"))
    caution = caution || w.at("rule") == "switch.caution";
  CHECK(caution);
  CHECK(stages[2].at("drug") == "amitriptyline");
  CHECK(stages[2]["steps"][0]["start"] == "2026-12-29");
  CHECK(stages[2]["steps"][0]["daily_mg"] == 10);
}
