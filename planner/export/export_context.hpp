#pragma once
// What every exporter is handed besides the plan: the plan version and its review state, the
// generation time ("now", UTC; exporters never read the clock), the time zone for calendar and
// FHIR times, and the clock times at which the four administration times fall. Pure data.
#include "planner/core/date.hpp"
#include "planner/core/observations.hpp"
#include "planner/core/patient.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/scheduling/plan.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

// The review state of the exported plan version (design.md §3 `reviews`).
enum class ReviewState { draft, submitted, approved, rejected };
constexpr auto words_of(ReviewState) {
  using enum ReviewState;
  return enum_words<ReviewState>(
      {"review state"},
      {{draft, "draft"}, {submitted, "submitted"}, {approved, "approved"}, {rejected, "rejected"}});
}

enum class Paper { a4, letter };
// "a4" | "letter"; InputError naming --paper and the expected values otherwise.
Paper parse_paper(std::string_view text);

struct HandoutOptions {
  Paper paper = Paper::a4;
  bool large_print = false; // body text 16 pt instead of 11 pt
  std::string clinic_name;  // empty: a line to write on
  std::string clinic_phone; // empty: a line to write on
  std::string link;         // patient invite: the personal link, printed with its QR code
};

struct ExportContext {
  int plan_version = 1; // >= 1; ICS SEQUENCE, printed on the schedule; 0: a draft not stored
  ReviewState review = ReviewState::draft;
  std::string approved_by;                  // pharmacist's name; printed only when approved
  std::optional<LocalDateTime> approved_at; // in the patient's local time
  // Assessment (decision) dates. Empty: each stage's decision_date is used.
  std::vector<Date> assessment_dates;
  // IANA name of the patient's zone for ICS TZID and FHIR date-time offsets; one of
  // supported_time_zones() (time_zone.hpp).
  std::string time_zone = "UTC";
  LocalDateTime now_utc; // generation time in UTC: ICS DTSTAMP, FHIR timestamp
  // Baseline pain for the chart (the assessment's baseline, clinical.md A6). Absent: the
  // patient's entered baseline_pain; absent too: no baseline or response line is drawn.
  std::optional<double> baseline;
  double response_pct = 30; // the pathway's response_pct (clinical.md D1: >= 30 %)
  // Clock time (minutes after midnight, local) of morning, midday, evening, bedtime: when the
  // calendar reminds. A display convention, not a clinical rule; the caller may change it.
  std::array<int, 4> admin_minutes = nominal_admin_minutes;
  // The printed handout's options (paper, large print, clinic, the invite link): read by the pdf
  // writer only.
  HandoutOptions handout;
};

// Everything a writer reads. References: the caller owns the data and keeps it alive.
struct ExportInput {
  const Plan &plan;
  const Patient &patient;
  const Formulary &formulary;
  const std::vector<ScoreEntry> &scores; // may hold superseded entries; writers drop them
  const ExportContext &context;
};

} // namespace titrate
