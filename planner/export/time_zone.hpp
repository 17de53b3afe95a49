#pragma once
// A fixed set of IANA time zones with their current daylight-saving rules (EU since 1996, US
// since 2007), enough to write an RFC 5545 VTIMEZONE and to turn a local wall time into UTC
// without reading the system's tzdata (exporters stay pure). Offsets are in minutes east of UTC.
#include "planner/core/date.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

// "The `week`th `Sunday` of `month`" (week -1 = the last), at `local_minutes` of wall time in
// the offset in force just before the change.
struct TransitionRule {
  int month = 3;
  int week = -1;
  int local_minutes = 0;
  Date in_year(int year) const; // the date of the change in that year
};

struct DaylightRule {
  int offset_minutes = 0; // in force during daylight time
  std::string abbreviation;
  TransitionRule start; // std -> daylight (read in standard time)
  TransitionRule end;   // daylight -> std (read in daylight time)
};

struct TimeZoneRules {
  std::string name; // IANA name, e.g. "Europe/Paris"
  int standard_offset_minutes = 0;
  std::string standard_abbreviation;
  std::optional<DaylightRule> daylight; // northern-hemisphere rules only (start before end)
};

// Zones the exporters know; sorted by name.
std::vector<std::string> supported_time_zones();
// Throws InputError naming `field`, the bad value and the supported names.
const TimeZoneRules &time_zone_rules(std::string_view name, std::string_view field = "tz");

// UTC offset in force at a local wall time. A wall time skipped by the spring change reads in
// standard time and a repeated one as its first (daylight) occurrence (RFC 5545 3.3.5).
int utc_offset_minutes(const TimeZoneRules &tz, const LocalDateTime &local);
// The UTC wall time of a local one (the date may change).
LocalDateTime to_utc(const TimeZoneRules &tz, const LocalDateTime &local);
// "+01:00", "-05:00", "+00:00"
std::string offset_text(int minutes, bool colon = true);

// "YYYY-MM-DDTHH:MM:SSZ" (as the store records times) to a LocalDateTime in UTC.
LocalDateTime utc_stamp(const std::string &stamp);
// A UTC wall time in `zone`'s local time (via the zone's standard offset, then the offset in
// force there; an instant inside a DST change may read an hour off, for display only).
LocalDateTime to_local_time(const std::string &zone, const LocalDateTime &utc);

} // namespace titrate
