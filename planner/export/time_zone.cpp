#include "planner/export/time_zone.hpp"

#include "planner/core/errors.hpp"

#include <algorithm>
#include <cstdio>

namespace titrate {

namespace {

// A zone whose standard time is `std_offset` minutes from UTC, named `std_abbr`, and whose
// daylight time (one hour more, named `dst_abbr`) follows the EU or the US rule:
// EU: last Sunday of March and October at 01:00 UTC (Directive 2000/84/EC).
// US: second Sunday of March at 02:00 standard, first Sunday of November at 02:00 daylight
// (Energy Policy Act 2005, in force since 2007).
TimeZoneRules eu_zone(const char *name, int std_offset, const char *std_abbr,
                      const char *dst_abbr) {
  const int dst = std_offset + 60;
  return {name, std_offset, std_abbr,
          DaylightRule{dst, dst_abbr, TransitionRule{3, -1, 60 + std_offset},
                       TransitionRule{10, -1, 60 + dst}}};
}
TimeZoneRules us_zone(const char *name, int std_offset, const char *std_abbr,
                      const char *dst_abbr) {
  return {name, std_offset, std_abbr,
          DaylightRule{std_offset + 60, dst_abbr, TransitionRule{3, 2, 120},
                       TransitionRule{11, 1, 120}}};
}

const std::vector<TimeZoneRules> &zones() {
  static const std::vector<TimeZoneRules> all = [] {
    std::vector<TimeZoneRules> z{
        {"UTC", 0, "UTC", std::nullopt},
        eu_zone("Europe/London", 0, "GMT", "BST"),
        eu_zone("Europe/Lisbon", 0, "WET", "WEST"),
        eu_zone("Europe/Paris", 60, "CET", "CEST"),
        eu_zone("Europe/Berlin", 60, "CET", "CEST"),
        eu_zone("Europe/Madrid", 60, "CET", "CEST"),
        eu_zone("Europe/Rome", 60, "CET", "CEST"),
        eu_zone("Europe/Amsterdam", 60, "CET", "CEST"),
        eu_zone("Europe/Brussels", 60, "CET", "CEST"),
        eu_zone("Europe/Vienna", 60, "CET", "CEST"),
        eu_zone("Europe/Zurich", 60, "CET", "CEST"),
        eu_zone("Europe/Stockholm", 60, "CET", "CEST"),
        eu_zone("Europe/Athens", 120, "EET", "EEST"),
        eu_zone("Europe/Helsinki", 120, "EET", "EEST"),
        us_zone("America/New_York", -300, "EST", "EDT"),
        us_zone("America/Chicago", -360, "CST", "CDT"),
        us_zone("America/Denver", -420, "MST", "MDT"),
        {"America/Phoenix", -420, "MST", std::nullopt},
        us_zone("America/Los_Angeles", -480, "PST", "PDT"),
    };
    std::sort(z.begin(), z.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    return z;
  }();
  return all;
}

long minutes_since(Date epoch, const LocalDateTime &t) {
  return (t.date - epoch).days() * 1440L + t.minute_of_day;
}

} // namespace

Date TransitionRule::in_year(int year) const {
  using boost::gregorian::Sunday;
  const auto y = static_cast<unsigned short>(year);
  const auto m = static_cast<unsigned short>(month);
  if (week < 0) {
    return boost::gregorian::last_day_of_the_week_in_month(Sunday, m).get_date(y);
  }
  using Nth = boost::gregorian::nth_day_of_the_week_in_month;
  return Nth(static_cast<Nth::week_num>(week), Sunday, m).get_date(y);
}

std::vector<std::string> supported_time_zones() {
  std::vector<std::string> names;
  for (const auto &z : zones())
    names.push_back(z.name);
  return names;
}

const TimeZoneRules &time_zone_rules(std::string_view name, std::string_view field) {
  for (const auto &z : zones())
    if (z.name == name)
      return z;
  std::string list;
  for (const auto &z : zones())
    list += (list.empty() ? "" : ", ") + z.name;
  throw InputError(std::string(field) + ": \"" + std::string(name.substr(0, 64)) +
                   "\" is not a supported time zone; expected one of " + list);
}

int utc_offset_minutes(const TimeZoneRules &tz, const LocalDateTime &local) {
  if (!tz.daylight)
    return tz.standard_offset_minutes;
  const DaylightRule &d = *tz.daylight;
  const int year = local.date.year();
  const Date epoch = local.date;
  const LocalDateTime start{d.start.in_year(year), d.start.local_minutes};
  const LocalDateTime end{d.end.in_year(year), d.end.local_minutes};
  const long t = minutes_since(epoch, local);
  const long jump = d.offset_minutes - tz.standard_offset_minutes;
  const bool in_daylight = t >= minutes_since(epoch, start) + jump && t < minutes_since(epoch, end);
  return in_daylight ? d.offset_minutes : tz.standard_offset_minutes;
}

LocalDateTime to_utc(const TimeZoneRules &tz, const LocalDateTime &local) {
  long minutes = local.minute_of_day - utc_offset_minutes(tz, local);
  Date date = local.date;
  while (minutes < 0) {
    minutes += 1440;
    date -= Days(1);
  }
  while (minutes >= 1440) {
    minutes -= 1440;
    date += Days(1);
  }
  return LocalDateTime{date, static_cast<int>(minutes)};
}

std::string offset_text(int minutes, bool colon) {
  const char sign = minutes < 0 ? '-' : '+';
  const int a = minutes < 0 ? -minutes : minutes;
  char buf[32];
  std::snprintf(buf, sizeof buf, colon ? "%c%02d:%02d" : "%c%02d%02d", sign, a / 60, a % 60);
  return buf;
}

LocalDateTime utc_stamp(const std::string &stamp) {
  // Stored as "YYYY-MM-DDTHH:MM:SSZ"; minutes are enough for DTSTAMP and FHIR timestamps.
  if (stamp.size() >= 16)
    return parse_local_datetime(stamp.substr(0, 16), "stored time");
  return parse_local_datetime(stamp, "stored time");
}

namespace {

LocalDateTime shift_minutes(const LocalDateTime &t, int minutes) {
  int m = t.minute_of_day + minutes;
  Date d = t.date;
  while (m < 0) {
    m += 24 * 60;
    d -= Days(1);
  }
  while (m >= 24 * 60) {
    m -= 24 * 60;
    d += Days(1);
  }
  return {d, m};
}

} // namespace

LocalDateTime to_local_time(const std::string &zone, const LocalDateTime &utc) {
  const auto &tz = time_zone_rules(zone);
  const LocalDateTime guess = shift_minutes(utc, tz.standard_offset_minutes);
  return shift_minutes(utc, utc_offset_minutes(tz, guess));
}

} // namespace titrate
