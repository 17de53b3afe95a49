#pragma once
// Machine-readable CSV (RFC 4180: header row, CRLF line ends, fields quoted only when they hold a
// comma, quote or line break). Numbers are plain ("1000", "0.5"): no thousands separators.
// Pure and deterministic.
#include "planner/export/export_context.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace titrate {

// One row per day, administration time and unit strength, in date, time-of-day, stage order:
// date,time,drug,strength_mg,form,count,dose_mg,daily_total_mg,stage,step
// `time` is morning|midday|evening|bedtime; `dose_mg` is the administration's whole dose (an
// administration made of two strengths gives two rows with the same dose_mg); `daily_total_mg`
// is that drug's daily total on that day; `stage` and `step` are 1-based indices into the plan.
void write_schedule_csv(std::ostream &out, const ExportInput &in);

// The score import format (design.md §6): patient_id,at,score,note; `at` is YYYY-MM-DDTHH:MM.
// Superseded entries are left out, so the file re-imports to the patient's effective scores.
void write_scores_csv(std::ostream &out, std::string_view patient_id,
                      const std::vector<ScoreEntry> &scores);

// One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF.
std::string csv_field(std::string_view s);

} // namespace titrate
