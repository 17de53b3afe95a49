#pragma once
// iCalendar (RFC 5545) reminders for a plan: one daily VEVENT series per step and administration
// time (DTSTART;TZID=zone, RRULE:FREQ=DAILY;UNTIL=<last dose in UTC>) with a DISPLAY alarm, and
// an all-day event per assessment date. UIDs are derived from patient id, stage, step and time
// (never the version) and SEQUENCE is the plan version, so importing a newer version updates the
// events. CRLF line ends, lines folded at 75 octets, TEXT escaped. Pure and deterministic.
#include "planner/export/export_context.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace titrate {

// Throws InputError for an unsupported context.time_zone (time_zone.hpp) or a bad context.
void write_ics(std::ostream &out, const ExportInput &in);

// RFC 5545 3.3.11 TEXT escaping: backslash, semicolon, comma, newline.
std::string ics_escape(std::string_view text);
// RFC 5545 3.1 folding of one content line (no line end): CRLF + space after 75 octets, never
// inside a UTF-8 sequence.
std::string ics_fold(std::string_view line);

} // namespace titrate
