#pragma once
// The clinic's outcome report (issue 17 item 3): per line of therapy and drug, how many trials
// started, reached the assessed dose, were judged, responded (>= 30 % and >= 50 % less pain,
// IMMPACT, clinical.md A6) with Wilson 95 % intervals, how long it took, and why drugs stopped.
// Pure: the store is read by the caller (cmd_report.cpp), one patient at a time. A trial is a
// trial stage of a patient's plan (the active approved version, else the latest); its line is
// its place among the plan's trial stages (1 = first line). Days are whole days from the stage's
// first day.
#include "planner/core/date.hpp"
#include "planner/store/repository.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace titrate {

struct OutcomePatient {
  std::string id;
  Plan plan;
  std::vector<DecisionRecord> decisions;
};

struct OutcomeFilter {
  std::optional<Date> from; // trials whose first day is on or after
  std::optional<Date> to;   // ... and on or before (inclusive)
  std::string pathway;      // empty: every pathway
  Date today{2000, 1, 1};   // what has happened by this day counts
};

// Why a trial stopped: the rule of its switch or stop decision.
enum class StopReason { not_effective, not_tolerated, contraindication, other };
inline constexpr std::array<const char *, 4> stop_reason_names{"not effective", "not tolerated",
                                                               "contraindication", "other"};

struct Proportion {
  int count = 0;
  int of = 0;
  double low = 0, high = 0; // Wilson score 95 % interval, 0..1 (0, 0 when of = 0)
};
// Wilson score interval with z = 1.959964 (Wilson 1927; Newcombe 1998, method 3).
Proportion wilson95(int count, int of);

struct OutcomeRow {
  int line = 1;
  std::string drug;
  int started = 0;
  int reached = 0; // the assessed dose first taken on or before today and before any stop
  int judged = 0;  // at least one decision with a change in pain (enough scores in its window)
  Proportion responders30, responders50;              // of the judged
  std::optional<double> median_days_to_response;      // start to the first >= 30 % decision
  std::optional<double> median_days_to_assessed_dose; // start to target_reached, of the reached
  std::array<int, 4> stopped{};                       // by StopReason
  int extensions = 0;                                 // extend decisions (missing scores)
  std::optional<double> median_window_days;           // days with scores per assessed window
  // Days on the drug per trial, sorted: from its first day to its stop or switch decision, else
  // to the end of its last step (a maintenance dose: to today), at most to today.
  std::vector<long> days_on_drug;
};

// Rows by line, then drug name.
std::vector<OutcomeRow> outcome_rows(const std::vector<OutcomePatient> &patients,
                                     const OutcomeFilter &filter);

std::optional<double> median_of(std::vector<double> values);

} // namespace titrate
