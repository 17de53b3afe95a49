#pragma once
// Calendar dates and local date-times on Boost.Date_Time, parsed strictly (ISO 8601 forms only),
// and the half-open DateRange [begin, end) used for every step, window and stage.
// No function here reads the clock: "today" is always passed in.
#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <compare>
#include <string>
#include <string_view>

namespace titrate {

using Date = boost::gregorian::date;
using Days = boost::gregorian::date_duration;

// "YYYY-MM-DD", a real calendar date (no Feb 30). Throws InputError naming `field`.
Date parse_date(std::string_view text, std::string_view field = "date");
std::string iso(Date d);
// Whole years between birth and on (the birthday counts on the day).
int age_in_years(Date birth, Date on);

// A local wall-clock time to the minute (scores are logged in the patient's local time).
struct LocalDateTime {
  Date date;
  int minute_of_day = 0; // 0..1439

  std::strong_ordering operator<=>(const LocalDateTime &o) const {
    if (date != o.date)
      return date < o.date ? std::strong_ordering::less : std::strong_ordering::greater;
    return minute_of_day <=> o.minute_of_day;
  }
  bool operator==(const LocalDateTime &o) const {
    return date == o.date && minute_of_day == o.minute_of_day;
  }
};
// "YYYY-MM-DD" (midnight) or "YYYY-MM-DDTHH:MM". Throws InputError naming `field`.
LocalDateTime parse_local_datetime(std::string_view text, std::string_view field = "at");
// "YYYY-MM-DDTHH:MM"
std::string iso(const LocalDateTime &t);

// Half-open [begin, end): `end` is the first day not included. Invariant: begin <= end.
class DateRange {
public:
  DateRange(Date begin, Date end); // throws InputError if end < begin
  static DateRange days_from(Date begin, long days) { return {begin, begin + Days(days)}; }

  Date begin() const { return begin_; }
  Date end() const { return end_; }
  long days() const { return (end_ - begin_).days(); }
  bool empty() const { return begin_ == end_; }
  bool contains(Date d) const { return begin_ <= d && d < end_; }
  bool overlaps(const DateRange &o) const { return begin_ < o.end_ && o.begin_ < end_; }
  bool operator==(const DateRange &o) const { return begin_ == o.begin_ && end_ == o.end_; }

private:
  Date begin_;
  Date end_;
};

} // namespace titrate
