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
  const std::vector<ScoreEntry> &scores;          // corrections supersede by id
  const std::vector<AdverseEffect> &adverse_effects;
  Date today;
  int extensions_so_far = 0; // extend decisions already applied to the current trial stage
};

Assessment assess(const AssessInput &in);

// The next plan version for an escalate / switch / extend decision (continue, stop and review
// return the plan unchanged). Switch adds the taper (or cross-taper) of the outgoing drug and the
// next trial stage per formulary/switching.toml.
Plan apply_decision(const AssessInput &in, const Assessment &decision);

} // namespace titrate
