// Course G2 #16 through the stored CLI, as a new user would try it: a patient on haemodialysis
// on Monday, Wednesday and Friday (patient add --dialysis, --dialysis-day), CrCl 10, a plan,
// a pharmacist's approval, then what to take on each day. Expected values by hand from
// clinical.md H14 and the CrCl 15-or-less band of GAB-US 2.3: gabapentin 100 mg once daily from
// 2026-12-01 (a Tuesday) for 7 days, 300 mg from 2026-12-08; after each session 125 mg with
// 100 mg once daily, 350 mg with 300 mg once daily.
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

using namespace titrate::test;

TEST_CASE("G2 #16 stored: haemodialysis days in the profile, the supplement on those days only") {
  TempDir d;
  const std::vector<std::string> add = {"patient",
                                        "add",
                                        "P16",
                                        "--birth-date",
                                        "1966-05-10",
                                        "--sex",
                                        "female",
                                        "--weight-kg",
                                        "65",
                                        "--crcl",
                                        "10",
                                        "--dialysis",
                                        "haemodialysis",
                                        "--dialysis-day",
                                        "wednesday",
                                        "--dialysis-day",
                                        "monday",
                                        "--dialysis-day",
                                        "friday"};
  // Bad dialysis input is refused before anything is written.
  auto bad = run_titrate(
      d, as(d, "dr.ames", "clinician", "2026-11-30",
            {"patient", "add", "P9", "--birth-date", "1966-05-10", "--sex", "female", "--weight-kg",
             "65", "--crcl", "10", "--dialysis", "haemodialysis", "--dialysis-day", "funday"}));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--dialysis-day") && Catch::Contains("funday"));
  bad = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-30",
                          {"patient", "add", "P9", "--birth-date", "1966-05-10", "--sex", "female",
                           "--weight-kg", "65", "--crcl", "10", "--dialysis", "haemodialysis"}));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--dialysis-day"));

  auto r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-30", add));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_titrate(
      d, as(d, "dr.ames", "clinician", "2026-11-30", {"--json", "patient", "show", "P16"}));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["dialysis"]["kind"] == "haemodialysis");
  CHECK(j["dialysis"]["days"] == nlohmann::json::array({"monday", "wednesday", "friday"}));

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-30",
                        {"plan", "P16", "--start", "2026-12-01", "--submit"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("haemodialysis on Monday, Wednesday and Friday"));
  r = run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-11-30",
                        {"review", "approve", "P16", "--version", "1"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  // Wednesday 2026-12-02 (100 mg week): 125 mg after the session.
  r = run_titrate(d,
                  as(d, "P16", "patient", "2026-12-02", {"schedule", "P16", "--on", "2026-12-02"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("after the haemodialysis session: gabapentin 125 mg"));
  // Tuesday 2026-12-08: no session, no supplement line.
  r = run_titrate(d,
                  as(d, "P16", "patient", "2026-12-08", {"schedule", "P16", "--on", "2026-12-08"}));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("300 mg"));
  CHECK_THAT(r.out, !Catch::Contains("haemodialysis session"));
  // Monday 2026-12-14 (300 mg): 350 mg after the session; JSON names it.
  r = run_titrate(d, as(d, "P16", "patient", "2026-12-14",
                        {"--json", "schedule", "P16", "--on", "2026-12-14"}));
  REQUIRE(r.exit_code == 0);
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["supplements"].size() == 1);
  CHECK(j["supplements"][0]["drug"] == "gabapentin");
  CHECK(j["supplements"][0]["mg"] == 350);
  CHECK(j["supplements"][0]["with_daily_mg"] == 300);
  CHECK(j["supplements"][0]["buildable"] == false);
  r = run_titrate(d, as(d, "P16", "patient", "2026-12-15",
                        {"--json", "schedule", "P16", "--on", "2026-12-15"}));
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(nlohmann::json::parse(r.out).contains("supplements"));

  // The printed handout says it too, as the text export does (clinical.md H14): a section for the
  // supplement, with the dates of each step that has one (100 mg from 2026-12-01: 125 mg).
  r = run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-12-01",
                        {"export", "P16", "--format", "pdf", "-o", "p16.pdf"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string text;
  {
    FILE *pipe = ::popen(("pdftotext " + d.file("p16.pdf") + " - 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
      text.append(buf, n);
    CHECK(::pclose(pipe) == 0);
  }
  std::string squashed; // a table cell or a paragraph wraps its words over lines
  for (char c : text)
    if (!(std::isspace(static_cast<unsigned char>(c)) && !squashed.empty() &&
          squashed.back() == ' '))
      squashed += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
  CHECK_THAT(squashed, Catch::Contains("AFTER HAEMODIALYSIS"));
  CHECK_THAT(squashed, Catch::Contains("After each haemodialysis session (Monday, Wednesday and "
                                       "Friday only): gabapentin 125 mg (supplement with 100 mg "
                                       "once daily)"));

  // Off dialysis: --clear-dialysis; the haemodialysis condition was never listed, so it goes too.
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-12-16",
                        {"patient", "update", "P16", "--clear-dialysis"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_titrate(
      d, as(d, "dr.ames", "clinician", "2026-12-16", {"--json", "patient", "show", "P16"}));
  CHECK(nlohmann::json::parse(r.out)["dialysis"].is_null());
}
