#include "planner/core/date.hpp"
#include "planner/core/errors.hpp"

#include <catch2/catch.hpp>

using namespace titrate;

TEST_CASE("parse_date accepts real ISO dates only") {
  CHECK(iso(parse_date("2024-02-29")) == "2024-02-29");
  CHECK(iso(parse_date("2026-12-31")) == "2026-12-31");
  for (const char *bad :
       {"2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01",
        "26-01-01", "2026/01/01", "", "2026-01-01T10:00", "tomorrow", "2026-01-0a"}) {
    INFO(bad);
    REQUIRE_THROWS_AS(parse_date(bad, "--start"), InputError);
    REQUIRE_THROWS_WITH(parse_date(bad, "--start"), Catch::Contains("--start"));
  }
}

TEST_CASE("parse_local_datetime takes a date or a date and a 24-hour time") {
  auto t = parse_local_datetime("2026-03-01T08:30");
  CHECK(iso(t) == "2026-03-01T08:30");
  CHECK(t.minute_of_day == 8 * 60 + 30);
  CHECK(parse_local_datetime("2026-03-01").minute_of_day == 0);
  for (const char *bad : {"2026-03-01T24:00", "2026-03-01T08:60", "2026-03-01T8:30",
                          "2026-03-01T08:30Z", "2026-03-01T08:30+01:00", "2026-02-30T08:00"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_local_datetime(bad), InputError);
  }
}

TEST_CASE("DateRange is half-open") {
  DateRange r(parse_date("2026-02-27"), parse_date("2026-03-02"));
  CHECK(r.days() == 3);
  CHECK(r.contains(parse_date("2026-02-27")));
  CHECK(r.contains(parse_date("2026-03-01")));
  CHECK_FALSE(r.contains(parse_date("2026-03-02")));
  CHECK(DateRange::days_from(parse_date("2024-02-28"), 2).end() == parse_date("2024-03-01"));
  CHECK_FALSE(r.overlaps(DateRange(parse_date("2026-03-02"), parse_date("2026-03-05"))));
  CHECK(r.overlaps(DateRange(parse_date("2026-03-01"), parse_date("2026-03-05"))));
  CHECK_THROWS_AS(DateRange(parse_date("2026-03-02"), parse_date("2026-03-01")), InputError);
}

TEST_CASE("age_in_years counts the birthday on the day") {
  CHECK(age_in_years(parse_date("1958-04-02"), parse_date("2026-04-01")) == 67);
  CHECK(age_in_years(parse_date("1958-04-02"), parse_date("2026-04-02")) == 68);
  CHECK(age_in_years(parse_date("2000-02-29"), parse_date("2026-02-28")) == 25);
  CHECK(age_in_years(parse_date("2000-02-29"), parse_date("2026-03-01")) == 26);
}
