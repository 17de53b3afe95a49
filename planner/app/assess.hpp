#pragma once
// Assessing a stored patient's active (approved) plan with the stored scores and adverse effects,
// and applying the decision, the same from every door: applying records the decision and, when
// it changes the plan (escalate, switch, extend, or a stop that tapers), drafts the next plan
// version in the same transaction. A clinician's own decision (maintenance) needs a reason.
#include "planner/assessment/assess.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/store/repository.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace titrate::app {

// The door's lookup of a pathway by name (NotFoundError in its own words when unknown).
using PathwayLookup = std::function<const Pathway &(const std::string &name)>;

struct AssessRequest {
  std::string patient;
  std::optional<DecisionKind> decision; // the clinician's own decision instead of titrate's
  std::string reason;                   // why (with `decision`)
  DecisionFields names;                 // how the door names the two in its messages
};

struct Assessed {
  PatientRecord patient;
  PlanVersion active;
  Assessment assessment;
};

// NotFoundError for an unknown patient or one with no approved plan ("assess ID: no approved
// plan to assess ..."). Nothing is stored.
Assessed assess_stored(Repository &repo, const Formulary &f, const PathwayLookup &pathway,
                       Date today, const AssessRequest &req);

struct Applied {
  Assessed assessed;
  std::int64_t decision_id = 0;
  int version = 0; // the drafted next plan version; 0: the plan is unchanged
};

// assess_stored(), then the decision recorded and the next version drafted in one transaction.
// RefusedError when the same decision on the same plan version is already recorded today.
Applied apply_assessment(Repository &repo, const Formulary &f, const PathwayLookup &pathway,
                         Date today, const Actor &who, const AssessRequest &req);

} // namespace titrate::app
