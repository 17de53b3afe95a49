#pragma once
// Builds dated, dispensable schedules (clinical.md A1, A3, A7): stage choice in pathway order,
// titration steps from marketed strengths capped by the renal band, a hold at target, the
// decision date, tapers and cross-tapers into the next stage, dispense counts. Pure.
#include "planner/pathways/pathway.hpp"
#include "planner/safety/eligibility.hpp"
#include "planner/scheduling/plan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace titrate {

struct PlanRequest {
  Date start{2000, 1, 1};
  Date today{2000, 1, 1};
  std::optional<std::string> prefer;   // --prefer DRUG
  std::vector<std::string> tried;      // drugs already tried, never chosen again
};

// The first plan for a patient. Throws RefusedError (exit 4) for pregnancy, for a --prefer drug
// that is avoid or not in the pathway, or when no drug is left (the message says "refer").
Plan build_plan(const Patient &p, const Formulary &f, const Pathway &pw, const PlanRequest &req);

// Units for one administration: fewest units of marketed strengths, never splitting a capsule.
// nullopt if the dose cannot be built.
std::optional<std::vector<UnitCount>> build_units(const Monograph &m, Dose dose);

// Independent check of any plan against the invariants (issue 4 §2): no dose above the renal cap
// or label maximum, >= min days at target before a decision date, no overlap of two serotonergic
// drugs outside a switch rule, no step shorter than its minimum interval, units add up.
std::vector<Finding> lint(const Plan &plan, const Patient &p, const Formulary &f,
                          const Pathway &pw, Date today);

} // namespace titrate
