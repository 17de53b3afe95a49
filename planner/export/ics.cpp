#include "planner/export/ics.hpp"

#include "planner/export/export_common.hpp"
#include "planner/export/time_zone.hpp"
#include "planner/export/words.hpp"

#include <algorithm>
#include <vector>

namespace titrate {

using namespace export_detail;

std::string ics_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case ';':
      out += "\\;";
      break;
    case ',':
      out += "\\,";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string ics_fold(std::string_view line) {
  std::string out;
  std::size_t budget = 75; // octets on the first line; continuation lines spend one on the space
  std::size_t used = 0;
  for (std::size_t i = 0; i < line.size();) {
    const auto lead = static_cast<unsigned char>(line[i]);
    std::size_t len = 1;
    if (lead >= 0xF0)
      len = 4;
    else if (lead >= 0xE0)
      len = 3;
    else if (lead >= 0xC0)
      len = 2;
    len = std::min(len, line.size() - i);
    if (used + len > budget) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, len));
    used += len;
    i += len;
  }
  return out;
}

namespace {

class Lines {
public:
  explicit Lines(std::ostream &out) : out_(out) {}
  void add(std::string_view line) { out_ << ics_fold(line) << "\r\n"; }

private:
  std::ostream &out_;
};

std::string utc_stamp(const LocalDateTime &t) {
  return compact_datetime(t) + "Z";
}

std::string by_day(const TransitionRule &r) {
  return "FREQ=YEARLY;BYMONTH=" + std::to_string(r.month) + ";BYDAY=" + std::to_string(r.week) +
         "SU";
}

// One STANDARD or DAYLIGHT block: from `dtstart` (local time in the offset before it), repeating
// by `rrule` unless it is empty, moving from offset `from` to offset `to`, called `name`.
void write_observance(Lines &l, std::string_view kind, const std::string &dtstart,
                      const std::string &rrule, int from, int to, const std::string &name) {
  l.add("BEGIN:" + std::string(kind));
  l.add("DTSTART:" + dtstart);
  if (!rrule.empty())
    l.add("RRULE:" + rrule);
  l.add("TZOFFSETFROM:" + offset_text(from, false));
  l.add("TZOFFSETTO:" + offset_text(to, false));
  l.add("TZNAME:" + name);
  l.add("END:" + std::string(kind));
}

void write_vtimezone(Lines &l, const TimeZoneRules &tz) {
  l.add("BEGIN:VTIMEZONE");
  l.add("TZID:" + tz.name);
  const int standard = tz.standard_offset_minutes;
  if (!tz.daylight) {
    write_observance(l, "STANDARD", "19700101T000000", "", standard, standard,
                     tz.standard_abbreviation);
  } else {
    const DaylightRule &d = *tz.daylight;
    // DTSTART: the first change on or after 1970, as local time in the offset before it.
    write_observance(l, "DAYLIGHT",
                     compact_datetime({d.start.in_year(1970), d.start.local_minutes}),
                     by_day(d.start), standard, d.offset_minutes, d.abbreviation);
    write_observance(l, "STANDARD", compact_datetime({d.end.in_year(1970), d.end.local_minutes}),
                     by_day(d.end), d.offset_minutes, standard, tz.standard_abbreviation);
  }
  l.add("END:VTIMEZONE");
}

std::string approval_words(const ExportContext &c) {
  switch (c.review) {
  case ReviewState::approved:
    return "approved by a pharmacist";
  case ReviewState::rejected:
    return "REJECTED by a pharmacist: do not follow";
  default:
    return "NOT YET APPROVED by a pharmacist";
  }
}

std::string_view event_status(ReviewState r) {
  switch (r) {
  case ReviewState::approved:
    return "CONFIRMED";
  case ReviewState::rejected:
    return "CANCELLED";
  default:
    return "TENTATIVE";
  }
}

// An event's opening lines: its UID (`uid`@titrate), stamp, sequence and status; its times follow.
void begin_event(Lines &l, const std::string &uid, const std::string &stamp,
                 const std::string &sequence, ReviewState review) {
  l.add("BEGIN:VEVENT");
  l.add("UID:" + uid + "@titrate");
  l.add("DTSTAMP:" + stamp);
  l.add("SEQUENCE:" + sequence);
  l.add("STATUS:" + std::string(event_status(review)));
}

// An event's text and its reminder, which shows the summary at `trigger` (a duration from the
// event's start); the event ends there.
void end_event(Lines &l, const std::string &summary, const std::string &description,
               const std::string &trigger) {
  l.add("SUMMARY:" + ics_escape(summary));
  l.add("DESCRIPTION:" + ics_escape(description));
  l.add("TRANSP:TRANSPARENT");
  l.add("BEGIN:VALARM");
  l.add("ACTION:DISPLAY");
  l.add("DESCRIPTION:" + ics_escape(summary));
  l.add("TRIGGER:" + trigger);
  l.add("END:VALARM");
  l.add("END:VEVENT");
}

} // namespace

void write_ics(std::ostream &out, const ExportInput &in) {
  check_context(in.context);
  const ExportContext &c = in.context;
  const TimeZoneRules &tz = time_zone_rules(c.time_zone);
  const std::string stamp = utc_stamp(c.now_utc);
  const std::string sequence = std::to_string(c.plan_version);
  const std::string uid_base = "titrate-" + in.patient.id;
  const std::string footer(words::phrase::footer);

  Lines l(out);
  l.add("BEGIN:VCALENDAR");
  l.add("VERSION:2.0");
  l.add("PRODID:-//titrate//medication schedule//EN");
  l.add("CALSCALE:GREGORIAN");
  write_vtimezone(l, tz);

  for (std::size_t si = 0; si < in.plan.stages.size(); ++si) {
    const Stage &s = in.plan.stages[si];
    for (std::size_t pi = 0; pi < s.steps.size(); ++pi) {
      const Step &st = s.steps[pi];
      if (st.range.empty())
        continue;
      for (const auto &a : st.doses) {
        const int minute = c.admin_minutes[time_index(a.time)];
        const LocalDateTime first{st.range.begin(), minute};
        const LocalDateTime last{st.range.end() - Days(1), minute};
        const std::string summary = words::dose(in.formulary, s.drug, a);
        const std::string description =
            words::capitalised(words::administration(in.formulary, s.drug, a)) + ", " +
            words::dates(st.range) + ". Daily total " + st.daily.str() + " each day. Stage " +
            std::to_string(si + 1) + " (" + std::string(role_word(s.role)) + "), step " +
            std::to_string(pi + 1) + ". Plan version " + sequence + ", " + approval_words(c) +
            ". " + footer;
        begin_event(l,
                    uid_base + "-stage" + std::to_string(si + 1) + "-step" +
                        std::to_string(pi + 1) + "-" + std::string(time_key(a.time)),
                    stamp, sequence, c.review);
        l.add("DTSTART;TZID=" + tz.name + ":" + compact_datetime(first));
        l.add("DURATION:PT15M");
        l.add("RRULE:FREQ=DAILY;UNTIL=" + utc_stamp(to_utc(tz, last)));
        end_event(l, summary, description, "PT0S");
      }
    }
  }

  const auto dates = assessment_dates(in);
  for (std::size_t i = 0; i < dates.size(); ++i) {
    const std::string summary = "Pain assessment due";
    const std::string description =
        "Your pain scores are reviewed on " + iso(dates[i]) +
        " and the next step is decided. Keep logging your pain score every day. " + footer;
    begin_event(l, uid_base + "-assessment" + std::to_string(i + 1), stamp, sequence, c.review);
    l.add("DTSTART;VALUE=DATE:" + compact_date(dates[i]));
    l.add("DTEND;VALUE=DATE:" + compact_date(dates[i] + Days(1)));
    // At the morning administration time of that day (all-day events start at local midnight).
    end_event(l, summary, description,
              "PT" + std::to_string(c.admin_minutes[0] / 60) + "H" +
                  (c.admin_minutes[0] % 60 ? std::to_string(c.admin_minutes[0] % 60) + "M" : ""));
  }
  l.add("END:VCALENDAR");
}

} // namespace titrate
