#pragma once
// Helpers shared by the exporters (text, csv, ics, fhir, svg): wording that follows the ISMP
// conventions (clinical.md F), drug display names (tall man where the monograph has one), the
// effective scores and the assessment dates. Pure; dates half-open as everywhere.
#include "planner/export/export_context.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace titrate::export_detail {

const Monograph *find_monograph(const Formulary &f, std::string_view drug);
// The printed name: the monograph's tall-man form if it has one, else the generic name.
std::string display_name(const Formulary &f, std::string_view drug);
std::string_view form_word(Form f);        // "capsule" | "tablet"
std::string_view time_key(AdminTime t);    // "morning" | "midday" | "evening" | "bedtime"
std::string_view time_phrase(AdminTime t); // "in the morning" | "at midday" | ... | "at bedtime"
std::size_t time_index(AdminTime t);       // 0..3, the order of a day
// "once daily" | "twice daily" | "three times daily" | "four times daily"
std::string_view times_daily(std::size_t n);
std::string_view role_word(StageRole r); // "trial" | "taper" | "cross-taper"

// Scores with every superseded entry left out, ordered by time then id (stable).
std::vector<ScoreEntry> effective_scores(const std::vector<ScoreEntry> &scores);
// The context's assessment dates, or each stage's decision_date; sorted, unique.
std::vector<Date> assessment_dates(const ExportInput &in);
// Throws InputError for a context no writer can honour (version < 1, bad admin minutes).
void check_context(const ExportContext &c);

// "YYYYMMDD", "YYYYMMDDTHHMM00"
std::string compact_date(Date d);
std::string compact_datetime(const LocalDateTime &t);
std::string hhmm(int minute_of_day); // "08:00"

} // namespace titrate::export_detail
