#include "planner/core/errors.hpp"
#include "planner/core/finding.hpp"
#include "planner/core/observations.hpp"
#include "planner/core/patient.hpp"

#include <catch2/catch.hpp>

using namespace titrate;

namespace {
Patient valid() {
  Patient p;
  p.id = "P001";
  p.birth_date = parse_date("1958-04-02");
  p.weight_kg = 70;
  p.serum_creatinine_mg_dl = 1.1;
  return p;
}
const Date today = parse_date("2026-11-25");
} // namespace

TEST_CASE("validate_patient accepts a complete profile") {
  CHECK_NOTHROW(validate_patient(valid(), today));
}

TEST_CASE("validate_patient names the bad field") {
  auto expect = [](Patient p, const char *field) {
    INFO(field);
    REQUIRE_THROWS_AS(validate_patient(p, today), InputError);
    REQUIRE_THROWS_WITH(validate_patient(p, today), Catch::Contains(field));
  };
  auto p = valid();
  p.birth_date = parse_date("2027-01-01");
  expect(p, "birth_date");
  p = valid();
  p.weight_kg = 0;
  expect(p, "weight_kg");
  p = valid();
  p.weight_kg = 1000;
  expect(p, "weight_kg");
  p = valid();
  p.serum_creatinine_mg_dl = 0.0;
  expect(p, "serum_creatinine_mg_dl");
  p = valid();
  p.serum_creatinine_mg_dl.reset();
  expect(p, "serum_creatinine_mg_dl");
  p = valid();
  p.crcl_ml_min = -3;
  expect(p, "crcl_ml_min");
  p = valid();
  p.id = "bad id";
  expect(p, "id");
  p = valid();
  p.id = "";
  expect(p, "id");
  p = valid();
  p.stopped_medications.push_back({"phenelzine", parse_date("2026-12-01")});
  expect(p, "stopped_medications");
}

TEST_CASE("enumerations parse only their words") {
  CHECK(parse_enum<Sex>("female", "sex") == Sex::female);
  CHECK_THROWS_AS(parse_enum<Sex>("f", "sex"), InputError);
  CHECK(parse_enum<Hepatic>("moderate", "hepatic") == Hepatic::moderate);
  CHECK_THROWS_AS(parse_enum<Hepatic>("B", "hepatic"), InputError);
  CHECK(parse_enum<AeSeverity>("intolerable", "severity") == AeSeverity::intolerable);
  CHECK_THROWS_WITH(parse_enum<AeSeverity>("awful", "severity"),
                    Catch::Contains("mild, moderate, severe or intolerable"));
  CHECK(parse_enum<Severity>("avoid", "severity") == Severity::avoid);
  CHECK_THROWS_AS(parse_enum<Severity>("bad", "severity"), InputError);
}

TEST_CASE("an enum's one word table serves both directions, and a wrong word is named") {
  // Every word reads back as its value: the printer and the parser share one table.
  for (const auto &w : words_of(Weekday{}).words) {
    CHECK(parse_enum<Weekday>(to_string(w.value), "day") == w.value);
  }
  CHECK(to_string(Weekday::wednesday) == "wednesday");
  CHECK(enum_named<Hepatic>("severe") == Hepatic::severe);
  CHECK_FALSE(enum_named<Hepatic>("Severe").has_value()); // words are exact, as stored
  // A value outside the enum prints as "?", never as a plausible word in its place.
  CHECK(to_string(static_cast<Weekday>(7)) == "?");
  CHECK_THROWS_WITH(parse_enum<Sex>("f", "patient.sex"),
                    "patient.sex: \"f\" is not a sex; expected female or male");
  // The value is quoted through printable(): a control character is not echoed, and most
  // parsers cut it at 32 bytes; Severity quotes it whole.
  CHECK_THROWS_WITH(parse_enum<Weekday>("mon\x1b[2Jday", "dialysis_days"),
                    "dialysis_days: \"mon?[2Jday\" is not a day of the week; expected monday, "
                    "tuesday, wednesday, thursday, friday, saturday or sunday");
  CHECK_THROWS_WITH(parse_enum<Hepatic>(std::string(40, 'x'), "hepatic"),
                    Catch::StartsWith("hepatic: \"" + std::string(32, 'x') + "\" is not"));
  CHECK_THROWS_WITH(parse_enum<Severity>(std::string(40, 'x'), "severity"),
                    Catch::StartsWith("severity: \"" + std::string(40, 'x') + "\" is not"));
  // What is expected is the table's words in order (an enum may name fewer for people to type:
  // a clinician's own decision, tests/cli/course_test.cpp).
  CHECK_THROWS_WITH(parse_enum<Severity>("bad", "severity"),
                    "severity: \"bad\" is not a verdict; expected ok, caution or avoid");
}
