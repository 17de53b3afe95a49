#pragma once
// The plan use cases every door calls: draft (and submit) a version from a stored profile,
// preview it without storing, submit the latest draft, and the export input of a stored version.
#include "planner/export/export_context.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/pathways/pathway.hpp"
#include "planner/store/repository.hpp"

#include <optional>
#include <string>
#include <vector>

namespace titrate::app {

struct DraftRequest {
  std::string patient;
  Date start{2000, 1, 1};
  std::optional<std::string> prefer; // plan this drug first (never one that is avoid)
  std::string reason;                // why the prescriber chose `prefer` (required to draft)
  bool backdate = false;             // allow a start more than a year before today
  bool submit = false;               // submit the drafted version for review
  // How the door was asked, first in the version's note: "plan --start 2026-12-01", "web".
  std::string how;
  std::string start_field = "--start";      // the door's names of the start and of `prefer`,
  std::string prefer_field = "--prefer";    // for messages
  std::string backdate_flag = "--backdate"; // empty: this door cannot backdate (no hint)
};

struct Drafted {
  PatientRecord patient;
  Plan plan;
  int version = 0;        // 0: a preview, nothing stored
  bool continued = false; // the running plan goes on from where the patient is
  bool submitted = false;
  std::string note; // the version's note (and its plan.draft audit entry)
};

// The plan a draft would store, stored nowhere: over an active plan the patient goes on from
// where they are (draft_plan/continue_plan) unless `prefer` names another drug. NotFoundError for
// an unknown patient; InputError for a start outside plan_start_range().
Drafted preview_plan(Repository &repo, const Formulary &f, const Pathway &pw, Date today,
                     const DraftRequest &req);
// preview_plan(), then the version stored (and submitted when req.submit) in one transaction.
// InputError when `prefer` comes without a reason.
Drafted draft_plan_version(Repository &repo, const Formulary &f, const Pathway &pw, Date today,
                           const Actor &who, const DraftRequest &req);
// Submits the patient's latest draft; NotFoundError when there is none.
PlanVersion submit_latest_draft(Repository &repo, const std::string &patient, const Actor &who);

// Submits version `version`, the draft a door showed its author (the web's "Submit for
// pharmacist review" button): NotFoundError when there is no such version; InputError naming
// `field` when it is not a draft (already submitted, reviewed or superseded by a newer draft).
PlanVersion submit_draft(Repository &repo, const std::string &patient, int version,
                         const Actor &who, const std::string &field = "version");

// The version an export shows by default: the active (approved) one, else the latest.
// NotFoundError when the patient has no plan (or no such `version`, when one is given).
PlanVersion version_to_show(Repository &repo, const std::string &patient,
                            std::optional<int> version);

// What a person reads about a stored version's review: a superseded version stays approved only
// when a review approved it (else it was a draft or a submitted version that was replaced).
ReviewState review_state(const PlanVersion &v, const std::vector<Review> &reviews);

// The export input context of a stored version, the same for every door: its review state, who
// approved it and when, the generation time (its last review, else its submission, else its
// drafting: two exports of one version are identical), the pathway's response threshold and the
// baseline (the last recorded decision's, else the one entered with the patient).
ExportContext export_context(Repository &repo, const PlanVersion &v, const Patient &p,
                             const std::vector<Pathway> &pathways, const std::string &time_zone);

// "(decision #12)": the tag a version drafted from a recorded decision carries in its note.
std::string decision_tag(std::int64_t decision_id);
// The recorded decision a version was drafted from (its tag is in the version's note), if any.
const DecisionRecord *decision_behind(const PlanVersion &v,
                                      const std::vector<DecisionRecord> &decisions);
// (A pointer into a temporary list would dangle.)
const DecisionRecord *decision_behind(const PlanVersion &v,
                                      std::vector<DecisionRecord> &&decisions) = delete;

} // namespace titrate::app
