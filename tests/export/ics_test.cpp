// iCalendar export. Every file is parsed in the test by python3-icalendar and by libical
// (check_ics.py: libical's restriction check, X-LIC-ERROR scan and RRULE expansion). The golden
// file golden/short_draft_paris.ics was checked BY HAND against RFC 5545: VCALENDAR with
// VERSION/PRODID/CALSCALE; VTIMEZONE Europe/Paris (CET +0100, CEST +0200 from the last Sunday of
// March 02:00 to the last Sunday of October 03:00; 1970-03-29 and 1970-10-25 were those Sundays);
// DTSTART;TZID=Europe/Paris:20261201T080000 with UNTIL 20261207T070000Z (08:00 CET = 07:00 UTC)
// and 20261208T080000 with UNTIL 20261228T070000Z; DTSTAMP 20261130T150000Z; SEQUENCE 1; an
// all-day assessment event 2026-12-22; CRLF; escaped commas and semicolons; folded lines.
#include "planner/core/errors.hpp"
#include "planner/export/ics.hpp"
#include "tests/export/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

using namespace titrate;
using namespace titrate::test;

namespace {

std::vector<std::string> lines_with(const std::string &text, const std::string &prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0)
      out.push_back(line.substr(0, line.size() - 1)); // drop CR
  return out;
}

const nlohmann::json &event(const nlohmann::json &summary, const std::string &uid) {
  for (const auto &e : summary["libical_events"])
    if (e["uid"] == uid)
      return e;
  FAIL("no event " << uid);
  throw;
}

} // namespace

TEST_CASE("ICS of the short plan matches the hand-checked golden file") {
  check_golden_accepted(write_ics, validate_ics, short_sample(), "short_draft_paris.ics");
}

TEST_CASE("ICS lines end in CRLF and are folded at 75 octets") {
  Sample s;
  const std::string ics = exported(write_ics, s);
  std::size_t start = 0;
  int lines = 0;
  while (start < ics.size()) {
    const auto crlf = ics.find("\r\n", start);
    REQUIRE(crlf != std::string::npos);
    const std::string line = ics.substr(start, crlf - start);
    INFO(line);
    CHECK(line.size() <= 75);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find('\r') == std::string::npos);
    start = crlf + 2;
    ++lines;
  }
  CHECK(lines > 100);
}

TEST_CASE("ICS of the full plan parses with icalendar and libical, with the planned occurrences") {
  Sample s;
  const auto j = accepted_summary(validate_ics, "full_draft_paris.ics", exported(write_ics, s));
  // Hand count: duloxetine 2 steps x 1 time, taper 1 x 1, gabapentin 1 + 2 + 3 + 3, and two
  // assessment dates = 2 + 1 + 9 + 2 = 14 events.
  CHECK(j["icalendar_events"] == 14);
  CHECK(j["libical_events"].size() == 14);
  // Occurrences = days in each step (half-open ranges), expanded by libical from RRULE UNTIL.
  CHECK(event(j, "titrate-P001-stage1-step1-morning@titrate")["occurrences"] == 7);
  CHECK(event(j, "titrate-P001-stage1-step2-morning@titrate")["occurrences"] == 21);
  CHECK(event(j, "titrate-P001-stage1-step2-morning@titrate")["first"] == "20261208T080000");
  CHECK(event(j, "titrate-P001-stage1-step2-morning@titrate")["last"] == "20261228T080000");
  CHECK(event(j, "titrate-P001-stage2-step1-morning@titrate")["occurrences"] == 14);
  CHECK(event(j, "titrate-P001-stage3-step1-bedtime@titrate")["occurrences"] == 1);
  CHECK(event(j, "titrate-P001-stage3-step1-bedtime@titrate")["first"] == "20261229T220000");
  CHECK(event(j, "titrate-P001-stage3-step3-midday@titrate")["occurrences"] == 7);
  CHECK(event(j, "titrate-P001-stage3-step4-bedtime@titrate")["occurrences"] == 14);
  CHECK(event(j, "titrate-P001-assessment1@titrate")["dtstart"] == "20261222");
  CHECK(event(j, "titrate-P001-assessment2@titrate")["dtstart"] == "20270121");
}

TEST_CASE("a newer plan version keeps the UIDs and raises SEQUENCE") {
  Sample s;
  const std::string v1 = exported(write_ics, s);
  s.context = sample_context(ReviewState::approved, 2);
  const std::string v2 = exported(write_ics, s);
  CHECK(lines_with(v1, "UID:") == lines_with(v2, "UID:"));
  const auto uids = lines_with(v1, "UID:");
  CHECK(std::set<std::string>(uids.begin(), uids.end()).size() == uids.size()); // unique
  for (const auto &l : lines_with(v1, "SEQUENCE:"))
    CHECK(l == "SEQUENCE:1");
  for (const auto &l : lines_with(v2, "SEQUENCE:"))
    CHECK(l == "SEQUENCE:2");
  for (const auto &l : lines_with(v1, "STATUS:"))
    CHECK(l == "STATUS:TENTATIVE");
  for (const auto &l : lines_with(v2, "STATUS:"))
    CHECK(l == "STATUS:CONFIRMED");
  accepted_summary(validate_ics, "full_approved_v2.ics", v2);
  CHECK(v2 == exported(write_ics, s)); // byte-identical on a second export
}

TEST_CASE("UNTIL is the last dose in UTC across a daylight-saving change") {
  Sample s = short_sample();
  auto &stage = s.plan.stages[0];
  stage.steps.resize(1);
  // 2027-03-20 .. 2027-04-02 inclusive; Paris moves to CEST on 2027-03-28 (last Sunday of
  // March), so the last dose, 2027-04-02 08:00 CEST (+02:00), is 06:00 UTC; 14 occurrences.
  stage.steps[0].range = DateRange(parse_date("2027-03-20"), parse_date("2027-04-03"));
  stage.decision_date.reset();
  const std::string paris = exported(write_ics, s);
  CHECK_THAT(paris, Catch::Contains("RRULE:FREQ=DAILY;UNTIL=20270402T060000Z"));
  const auto j = accepted_summary(validate_ics, "dst_paris.ics", paris);
  CHECK(event(j, "titrate-P001-stage1-step1-morning@titrate")["occurrences"] == 14);
  // New York: EDT from 2027-03-14 (second Sunday); 08:00 EDT (-04:00) = 12:00 UTC.
  s.context.time_zone = "America/New_York";
  const std::string ny = exported(write_ics, s);
  CHECK_THAT(ny, Catch::Contains("RRULE:FREQ=DAILY;UNTIL=20270402T120000Z"));
  CHECK_THAT(ny, Catch::Contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"));
  CHECK_THAT(ny, Catch::Contains("DTSTART:19700308T020000")); // 1970-03-08: second Sunday
  CHECK_THAT(ny, Catch::Contains("DTSTART:19701101T020000")); // 1970-11-01: first Sunday
  const auto k = accepted_summary(validate_ics, "dst_new_york.ics", ny);
  CHECK(event(k, "titrate-P001-stage1-step1-morning@titrate")["occurrences"] == 14);
}

TEST_CASE("ICS text is escaped and folded without splitting UTF-8") {
  CHECK(ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne");
  std::string long_line = "DESCRIPTION:";
  for (int i = 0; i < 60; ++i)
    long_line += "\xC3\xA9"; // é, two octets each
  const std::string folded = ics_fold(long_line);
  std::string unfolded;
  std::size_t start = 0;
  while (true) {
    const auto cut = folded.find("\r\n ", start);
    const std::string part =
        folded.substr(start, cut == std::string::npos ? std::string::npos : cut - start);
    CHECK(part.size() + (start == 0 ? 0 : 1) <= 75);
    // A part never starts with a UTF-8 continuation octet.
    CHECK((static_cast<unsigned char>(part[0]) & 0xC0) != 0x80);
    unfolded += part;
    if (cut == std::string::npos)
      break;
    start = cut + 3;
  }
  CHECK(unfolded == long_line);
  CHECK(ics_fold("SHORT") == "SHORT");
}

TEST_CASE("an unsupported time zone is refused naming the value") {
  Sample s;
  s.context.time_zone = "Mars/Olympus";
  CHECK_THROWS_AS(exported(write_ics, s), InputError);
  CHECK_THROWS_WITH(exported(write_ics, s),
                    Catch::Contains("Mars/Olympus") && Catch::Contains("Europe/Paris"));
}

TEST_CASE("the ICS validators reject a broken calendar") {
  const std::string broken =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nCALSCALE:GREGORIAN\r\n"
      "METHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTART;TZID=Nowhere/City:20261201T080000\r\n"
      "SUMMARY:no DTSTAMP and an unknown zone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  const auto r = validate_ics(write_output("broken.ics", broken));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.output, Catch::Contains("DTSTAMP"));
}

TEST_CASE("ICS reminders use ISMP-safe wording and tall man") {
  Sample s;
  std::string ics = exported(write_ics, s);
  // Unfold (RFC 5545 3.1) and read the people-facing values only.
  for (std::size_t p; (p = ics.find("\r\n ")) != std::string::npos;)
    ics.erase(p, 3);
  std::string shown;
  for (const char *key : {"SUMMARY:", "DESCRIPTION:"})
    for (const auto &line : lines_with(ics, key))
      shown += line.substr(std::string(key).size()) + "\n";
  CHECK_THAT(shown, Catch::Contains("In the morning: DULoxetine 60 mg\\, take 1 capsule of 60 mg"));
  CHECK_THAT(shown, Catch::Contains("Daily total 1\\,800 mg each day")); // escaped comma of 1,800
  CHECK_THAT(shown, !Catch::Contains("duloxetine"));
  for (const auto &v : ismp_violations(shown))
    FAIL_CHECK(v);
}
