#include "planner/core/date.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <cstdio>

namespace titrate {

namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return !s.empty();
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s)
    v = v * 10 + (c - '0');
  return v;
}

} // namespace

Date parse_date(std::string_view text, std::string_view field) {
  auto bad = [&](const std::string &why) {
    return InputError(std::string(field) + ": " + quoted(text) + " is not a date (" + why +
                      "); expected YYYY-MM-DD, e.g. 2026-12-01");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    throw bad("wrong form");
  const auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d))
    throw bad("wrong form");
  const int year = to_int(y), month = to_int(m), day = to_int(d);
  if (year < 1900 || year > 9999)
    throw bad("year out of range 1900-9999");
  if (month < 1 || month > 12)
    throw bad("no month " + std::to_string(month));
  const int last = boost::gregorian::gregorian_calendar::end_of_month_day(
      static_cast<unsigned short>(year), static_cast<unsigned short>(month));
  if (day < 1 || day > last)
    throw bad("day " + std::to_string(day) + " does not exist in that month");
  return Date(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
              static_cast<unsigned short>(day));
}

std::string iso(Date d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year()),
                static_cast<int>(d.month()), static_cast<int>(d.day()));
  return buf;
}

int age_in_years(Date birth, Date on) {
  int age = on.year() - birth.year();
  if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day()))
    --age;
  return age;
}

LocalDateTime parse_local_datetime(std::string_view text, std::string_view field) {
  if (text.size() == 10)
    return {parse_date(text, field), 0};
  auto bad = [&]() {
    return InputError(std::string(field) + ": " + quoted(text) +
                      " is not a local date-time; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM "
                      "(24-hour, no time zone)");
  };
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':')
    throw bad();
  const Date d = parse_date(text.substr(0, 10), field);
  const auto hh = text.substr(11, 2), mm = text.substr(14, 2);
  if (!all_digits(hh) || !all_digits(mm))
    throw bad();
  const int h = to_int(hh), m = to_int(mm);
  if (h > 23 || m > 59)
    throw bad();
  return {d, h * 60 + m};
}

std::string iso(const LocalDateTime &t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d", t.minute_of_day / 60, t.minute_of_day % 60);
  return iso(t.date) + buf;
}

DateRange::DateRange(Date begin, Date end) : begin_(begin), end_(end) {
  if (end < begin) {
    throw InputError("date range: end " + iso(end) + " is before begin " + iso(begin));
  }
}

} // namespace titrate
