// Time-zone rules, expected values worked out by hand from the EU rule (last Sunday of March and
// October, 01:00 UTC) and the US rule (second Sunday of March 02:00, first Sunday of November
// 02:00) with a calendar: 2027-03-28, 2026-10-25 and 2027-10-31 are last Sundays; 2027-03-14 is
// the second Sunday of March and 2027-11-07 the first Sunday of November.
#include "planner/core/errors.hpp"
#include "planner/export/time_zone.hpp"

#include <catch2/catch.hpp>

using namespace titrate;

namespace {
std::string utc(const char *zone, const char *local) {
  return iso(to_utc(time_zone_rules(zone), parse_local_datetime(local)));
}
} // namespace

TEST_CASE("Europe/Paris: CET in winter, CEST from the last Sunday of March") {
  CHECK(utc("Europe/Paris", "2026-12-01T08:00") == "2026-12-01T07:00");
  CHECK(utc("Europe/Paris", "2027-03-27T08:00") == "2027-03-27T07:00");
  CHECK(utc("Europe/Paris", "2027-03-28T01:59") == "2027-03-28T00:59");
  CHECK(utc("Europe/Paris", "2027-03-28T03:00") == "2027-03-28T01:00");
  CHECK(utc("Europe/Paris", "2027-03-28T08:00") == "2027-03-28T06:00");
  CHECK(utc("Europe/Paris", "2027-10-31T02:30") == "2027-10-31T00:30"); // repeated hour: first
  CHECK(utc("Europe/Paris", "2027-10-31T03:00") == "2027-10-31T02:00");
}

TEST_CASE("Europe/London: BST to midnight shifts the UTC date") {
  CHECK(utc("Europe/London", "2026-10-25T00:30") == "2026-10-24T23:30");
  CHECK(utc("Europe/London", "2026-10-25T08:00") == "2026-10-25T08:00");
  CHECK(utc("UTC", "2026-07-01T08:00") == "2026-07-01T08:00");
}

TEST_CASE("America/New_York: the skipped and the repeated hour") {
  CHECK(utc("America/New_York", "2027-03-14T01:30") == "2027-03-14T06:30");
  CHECK(utc("America/New_York", "2027-03-14T02:30") == "2027-03-14T07:30"); // skipped: standard
  CHECK(utc("America/New_York", "2027-03-14T03:00") == "2027-03-14T07:00");
  CHECK(utc("America/New_York", "2027-11-07T01:30") == "2027-11-07T05:30"); // repeated: daylight
  CHECK(utc("America/New_York", "2027-11-07T02:00") == "2027-11-07T07:00");
  CHECK(utc("America/New_York", "2026-12-31T22:00") == "2027-01-01T03:00");
}

TEST_CASE("offsets print with sign and two-digit hours and unknown zones are refused") {
  CHECK(offset_text(60) == "+01:00");
  CHECK(offset_text(-300) == "-05:00");
  CHECK(offset_text(0, false) == "+0000");
  CHECK_THROWS_AS(time_zone_rules("Europe/Atlantis"), InputError);
  CHECK_THROWS_WITH(time_zone_rules("Europe/Atlantis", "--tz"), Catch::Contains("--tz"));
  CHECK(supported_time_zones().front() == "America/Chicago");
}
