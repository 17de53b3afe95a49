#pragma once
// Decisions at an assessment date (design.md §5, clinical.md A6): continue, escalate, switch,
// extend, stop or review, with the numbers behind them and the rule that fired.
#include "planner/core/observations.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/scheduling/plan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace titrate {

// reduce: at a maintenance review, try a lower dose (a new hold at it, judged like any dose).
enum class DecisionKind { continue_, escalate, switch_, extend, stop, review, reduce };
// The parse error lists what a clinician may choose (extend and review are the planner's own).
constexpr auto words_of(DecisionKind) {
  using enum DecisionKind;
  return enum_words<DecisionKind>({"decision", "one of continue, reduce, escalate, switch, stop"},
                                  {{continue_, "continue"},
                                   {escalate, "escalate"},
                                   {switch_, "switch"},
                                   {extend, "extend"},
                                   {stop, "stop"},
                                   {review, "review"},
                                   {reduce, "reduce"}});
}

struct Window {
  Date start{2000, 1, 1};
  Date end{2000, 1, 1}; // half-open
  std::optional<double> mean;
  int scores = 0; // days with scores in the window
  bool operator==(const Window &) const = default;
};

struct Assessment {
  std::string patient;
  Date date{2000, 1, 1};
  std::string drug;
  DecisionKind decision = DecisionKind::review;
  std::optional<double> baseline;
  Window window;
  std::optional<double> change_pct;
  int days_at_target = 0;
  std::string rule;
  std::string source;
  std::vector<std::string> reasons;
  std::optional<Dose> next_dose;        // escalate, reduce: the new assessed dose
  std::optional<std::string> next_drug; // switch: the next stage's drug, if any
  // extend: the decision date after this extension; continue after a response (or a held dose):
  // the maintenance review date. `substantial`: the response reached the pathway's substantial
  // threshold (reported, same decision).
  std::optional<Date> next_decision_date;
  bool substantial = false;
};

} // namespace titrate
