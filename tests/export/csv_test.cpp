// CSV exports. Every file is parsed by Python's csv module (check_csv.py, strict mode) in the
// test. Golden files golden/schedule_short.csv and golden/scores.csv were checked BY HAND against
// RFC 4180 (header, CRLF, quoting of "," and doubled quotes) and the columns of docs/exports.md.
#include "planner/export/csv.hpp"
#include "tests/export/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace titrate;
using namespace titrate::test;

TEST_CASE("schedule CSV of the short plan matches the hand-checked golden file") {
  check_golden_accepted(write_schedule_csv, validate_csv, short_sample(), "schedule_short.csv");
}

TEST_CASE("schedule CSV parses with python csv: one row per day, time and strength") {
  Sample s;
  const auto j = accepted_summary(validate_csv, "schedule.csv", exported(write_schedule_csv, s));
  CHECK(j["header"] == nlohmann::json::parse(R"(["date","time","drug","strength_mg","form",
        "count","dose_mg","daily_total_mg","stage","step"])"));
  // Counted by hand from support.cpp: duloxetine 28 days x 1 + taper 14 x 1 + gabapentin
  // 1 x 1 + 1 x 2 + 7 x 3 + 14 x 3 = 28 + 14 + 1 + 2 + 21 + 42 = 108 rows.
  const auto &rows = j["rows"];
  REQUIRE(rows.size() == 108);
  const std::vector<std::pair<std::size_t, const char *>> expected_rows = {
      {0, R"(["2026-12-01","morning","duloxetine","30","capsule","1","30","30","1","1"])"},
      // 2026-12-29: the taper's morning dose, then gabapentin at bedtime (time-of-day order).
      {28, R"(["2026-12-29","morning","duloxetine","30","capsule","1","30","30","2","1"])"},
      {29, R"(["2026-12-29","bedtime","gabapentin","300","capsule","1","300","300","3","1"])"},
      // Last row: 2027-01-20 bedtime, 600 mg tablet, daily total 1800 (no thousands separator).
      {107, R"(["2027-01-20","bedtime","gabapentin","600","tablet","1","600","1800","3","4"])"},
  };
  for (const auto &[index, row] : expected_rows) {
    INFO("row " << index);
    CHECK(rows[index] == nlohmann::json::parse(row));
  }
}

TEST_CASE("an administration of two strengths gives two rows with the same dose") {
  Sample s = short_sample();
  auto &step = s.plan.stages[0].steps[0];
  step.range = DateRange(parse_date("2026-12-01"), parse_date("2026-12-02"));
  step.daily = Dose::milligrams(90);
  step.doses = {Administration{AdminTime::morning,
                               Dose::milligrams(90),
                               {UnitCount{Dose::milligrams(60), Form::capsule, 1},
                                UnitCount{Dose::milligrams(30), Form::capsule, 1}}}};
  s.plan.stages[0].steps.resize(1);
  const auto j =
      accepted_summary(validate_csv, "two_strengths.csv", exported(write_schedule_csv, s));
  REQUIRE(j["rows"].size() == 2);
  CHECK(j["rows"][0][3] == "60");
  CHECK(j["rows"][1][3] == "30");
  CHECK(j["rows"][0][6] == "90");
  CHECK(j["rows"][1][6] == "90");
}

TEST_CASE("scores CSV is the import format and leaves superseded scores out") {
  Sample s;
  std::ostringstream out;
  write_scores_csv(out, "P001", s.scores);
  check_golden("scores.csv", out.str());
  const auto j = accepted_summary(validate_csv, "scores.csv", out.str());
  CHECK(j["header"] == nlohmann::json::parse(R"(["patient_id","at","score","note"])"));
  REQUIRE(j["rows"].size() == 6); // 7 entries, id 10 superseded by id 11
  CHECK(j["rows"][2] ==
        nlohmann::json::parse(R"(["P001","2026-11-30T20:00","7","bad night, feet burning"])"));
  CHECK(j["rows"][4] ==
        nlohmann::json::parse(R"(["P001","2026-12-10T20:00","7","said \"better\""])"));
  CHECK(j["rows"][5] == nlohmann::json::parse(R"(["P001","2026-12-20T09:00","7",""])"));
}

TEST_CASE("CSV fields are quoted only when RFC 4180 needs it") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"x\"") == "\"say \"\"x\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("the CSV validator rejects a malformed file") {
  const auto r = validate_csv(write_output("broken.csv", "a,b\r\n1,2,3\r\n\"open,4\r\n"));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const auto lf = validate_csv(write_output("lf.csv", "a,b\n1,2\n")); // LF, not CRLF
  INFO(lf.output);
  CHECK(lf.exit_code == 1);
}
