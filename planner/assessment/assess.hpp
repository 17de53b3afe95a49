#pragma once
// Response-gated decisions (clinical.md A6) and applying them to make the next plan version.
#include "planner/assessment/decision.hpp"
#include "planner/safety/eligibility.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <vector>

namespace titrate {

struct AssessInput {
  const Plan &plan;
  const Patient &patient;
  const Formulary &formulary;
  const Pathway &pathway;
  const std::vector<ScoreEntry> &scores; // corrections supersede by id
  const std::vector<AdverseEffect> &adverse_effects;
  Date today;
  int extensions_so_far = 0; // extend decisions already applied to the current trial stage
};

Assessment assess(const AssessInput &in);

// The clinician's own decision for a plan in maintenance (continue, reduce, escalate, switch or
// stop; `reason` required), carrying the numbers assess() computed. RefusedError when the plan
// is not in maintenance or the decision has no dose or drug to go to; InputError for a kind that
// is titrate's alone (extend, review) or an empty reason.
// Messages name the decision and the reason by `names`: the web's form fields by default, the
// CLI's flags ("--decision", "--reason") from the CLI.
struct DecisionFields {
  std::string_view decision = "decision";
  std::string_view reason = "reason";
};
Assessment clinician_decision(const AssessInput &in, DecisionKind kind, const std::string &reason,
                              const DecisionFields &names = {});

// The next plan version for a decision. Escalate, reduce and extend change the trial's doses and
// dates; continue after a response turns the trial into maintenance (the dose goes on with no
// end, reviewed on next_decision_date); switch and stop taper the outgoing drug (switch adds the
// next trial stage per formulary/switching.toml). Review, and continue inside the window, return
// the plan unchanged.
Plan apply_decision(const AssessInput &in, const Assessment &decision);

} // namespace titrate
