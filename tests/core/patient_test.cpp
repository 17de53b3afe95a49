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
  CHECK(parse_sex("female") == Sex::female);
  CHECK_THROWS_AS(parse_sex("f"), InputError);
  CHECK(parse_hepatic("moderate") == Hepatic::moderate);
  CHECK_THROWS_AS(parse_hepatic("B"), InputError);
  CHECK(parse_ae_severity("intolerable") == AeSeverity::intolerable);
  CHECK_THROWS_WITH(parse_ae_severity("awful"),
                    Catch::Contains("mild, moderate, severe or intolerable"));
  CHECK(parse_severity("avoid") == Severity::avoid);
  CHECK_THROWS_AS(parse_severity("bad"), InputError);
}
