#pragma once
// The clinic's outcome report: per line of therapy and drug, how many trials
// started, reached the assessed dose, were judged, responded (>= 30 % and >= 50 % less pain,
// IMMPACT, clinical.md A6) with Wilson 95 % intervals, how long it took, and why drugs stopped.
// Pure: the store is read by the caller (app::outcome_report), one patient at a time. A trial is a
// trial stage of a patient's plan (the active approved version, else the latest); its line is
// its place among the plan's trial stages (1 = first line). Days are whole days from the stage's
// first day.
#include "planner/core/date.hpp"
#include "planner/store/repository.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace titrate {

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

// The report folded one patient at a time: add() each patient's trial stages (in plan order, as
// Repository::each_current_trial gives them) with that patient's decisions; rows() at the end,
// by line, then drug name. Memory grows with the drugs and lines, plus one number per trial for
// the medians and the time-on-drug chart, not with the plans.
class OutcomeFold {
public:
  explicit OutcomeFold(OutcomeFilter filter) : f_(std::move(filter)) {}
  void add(const std::vector<TrialSummary> &trials, const std::vector<DecisionSummary> &decisions);
  std::vector<OutcomeRow> rows();

private:
  struct Accumulator {
    OutcomeRow row;
    std::vector<double> to_response, to_dose, window_days;
  };
  OutcomeFilter f_;
  std::map<std::pair<int, std::string>, Accumulator> acc_;
};

std::optional<double> median_of(std::vector<double> values);

} // namespace titrate
