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
  std::optional<std::string> prefer;     // --prefer DRUG
  std::string prefer_reason;             // --reason: why the clinician chose it (kept in the plan)
  std::vector<std::string> tried;        // drugs already tried, never chosen again
  std::string prefer_field = "--prefer"; // the door's name of `prefer`, for messages
};

// The first plan for a patient. Throws RefusedError (exit 4) for pregnancy without --prefer, for
// a --prefer drug that is avoid or already tried, or when no drug is left (the message says
// "refer"); a --prefer drug not in the pathway is InputError. Any ok or caution drug of the
// pathway may be preferred.
Plan build_plan(const Patient &p, const Formulary &f, const Pathway &pw, const PlanRequest &req);

// Units for one administration: fewest units of marketed strengths, never splitting a capsule.
// nullopt if the dose cannot be built.
std::optional<std::vector<UnitCount>> build_units(const Monograph &m, Dose dose);

// Independent check of any plan against the invariants: no dose above the renal cap
// or label maximum, >= min days at target before a decision date, no overlap of two serotonergic
// drugs outside a switch rule, no step shorter than its minimum interval, units add up.
std::vector<Finding> lint(const Plan &plan, const Patient &p, const Formulary &f, const Pathway &pw,
                          Date today);

// A new version drafted on `from` over the running (active) plan: the patient goes on from where
// they are (replan.cpp). Before `from` everything is history; running tapers go on; the current
// trial goes on at the dose taken on `from` (maintenance as it is; mid-titration up from that
// dose to today's target), lowered only to today's cap with a "replan.capped" warning. nullopt
// when nothing has been taken by `from` (plan afresh).
std::optional<Plan> continue_plan(const Plan &running, const Patient &p, const Formulary &f,
                                  const Pathway &pw, Date from, Date today);

// Findings (avoid) where `next` drops a taper running on `from` in `running`, or gives less of
// the current trial drug on `from` than the patient takes (unless capped, said in a warning), or
// ends a maintenance: what only a recorded decision may do.
std::vector<Finding> lint_continuity(const Plan &next, const Plan &running, Date from);

// What a clinician drafts from req.start, at every door (CLI `plan ID --start`, the web): over a
// running plan the patient goes on from where they are (continue_plan) unless req.prefer names
// another drug; the plan's lint includes lint_continuity against the running plan.
struct Draft {
  Plan plan;
  bool continued = false; // the running plan goes on (else a plan built afresh)
};
Draft draft_plan(const Patient &p, const Formulary &f, const Pathway &pw, PlanRequest req,
                 const Plan *running);

// ---- Building blocks shared with assessment/apply.cpp (added by the scheduling engineer) ----

// Per-administration doses for `daily` over `times` (time-of-day order). Project rule
// (docs/clinical-basis.md "Scheduling rules"): equal doses where each is buildable from whole
// marketed units; otherwise the split with the smallest difference between the largest and
// smallest dose, larger doses later in the day, then the fewest units; if no split gives every
// time a dose, the earliest times are left out. nullopt if `daily` cannot be built at all.
std::optional<std::vector<Administration>> split_daily(const Monograph &m, Dose daily,
                                                       const std::vector<AdminTime> &times);

// The highest daily dose allowed for this patient: the lowest of the label/pathway maximum, the
// renal band's cap and the eligibility report's cap (age rules).
Dose daily_cap(const Monograph &m, const DrugVerdict &v);

// Stage choice (clinical.md A1, H18): pregnancy without `prefer` refuses; `prefer` must be in the
// pathway (InputError) and not avoid or already tried (RefusedError); else the first ok drug in
// pathway order not in `tried`, else the caution drug of choose_caution_drug; none left ->
// RefusedError saying refer. Messages name `prefer` as `field` (the door's name of it).
const DrugVerdict &choose_drug(const EligibilityReport &r, const Formulary &f, const Pathway &pw,
                               const std::vector<std::string> &tried,
                               const std::optional<std::string> &prefer,
                               std::string_view field = "--prefer");

// In choice.cpp. A medicine is serotonergic when the vocabulary's medication or
// formulary-drug classes say so.
bool is_serotonergic_medicine(const Formulary &f, std::string_view name);
// When no ok drug of the pathway is left but caution ones are: the one with the lightest caution
// load (one that would be the patient's third serotonergic medicine at once last, then the fewest
// caution findings, then pathway order), with a caution finding that explains the choice and
// asks for review. nullopt when an ok drug is left or no drug is caution. choose_drug uses it, so
// a switch (assessment) chooses the same way.
struct CautionChoice {
  std::string drug;
  Finding why;
};
std::optional<CautionChoice> choose_caution_drug(const EligibilityReport &r, const Formulary &f,
                                                 const Pathway &pw,
                                                 const std::vector<std::string> &tried);

// A trial stage starting on `start`: opening steps (or the renal band's lowest dose, or
// `start_dose`), increments every interval to the target, then the hold to the decision date.
// `first_step_until`: the first step (if not already the hold) lasts at least until this day
// (a cross-taper keeps the incoming drug at its start dose while the outgoing one is high).
Stage build_trial_stage(const Monograph &m, const DrugVerdict &v, const Pathway &pw, Date start,
                        std::optional<Dose> start_dose = std::nullopt,
                        std::optional<Date> first_step_until = std::nullopt);

// Raises a trial stage from its assessed dose to `next` on `from` (by the titration increments),
// with a new hold of the pathway's minimum and a new decision date. The last step is cut or
// lengthened to end on `from`.
void escalate_stage(Stage &stage, const Monograph &m, const DrugVerdict &v, const Pathway &pw,
                    Dose next, Date from);

// The outgoing drug's taper from the doses of `current` (the last step taken), starting `from`.
// `cross` (a cross_taper switch rule) replaces the drug's own TaperRule by its decrement.
// `days_on_drug` (from the stage's first step to `from`) picks the TaperRule's row by time on
// drug (clinical.md H6); unknown = the longest-course row.
Stage build_taper_stage(const Monograph &m, const Step &current, Date from,
                        const SwitchRule *cross = nullptr,
                        std::optional<long> days_on_drug = std::nullopt);

// The supplement after haemodialysis on one day (clinical.md H14): for every stage with a
// once-daily step of a drug with a [haemodialysis] table on `day`, when the patient's dialysis
// days include that weekday. Empty when the patient is not on dialysis.
struct DialysisDose {
  const Stage *stage = nullptr;
  Dose maintenance;       // the once-daily dose of that day
  Dose supplement;        // after the session
  bool buildable = false; // whole marketed units make it (125 mg does not)
  std::string text;       // the line for the patient (their page)
  std::string cited_text; // the same with its source, for the clinic (`schedule --on`)
};
std::vector<DialysisDose> dialysis_supplements_on(const Plan &plan, const Patient &p,
                                                  const Formulary &f, Date day);

// For a view by runs of days: the line naming the supplement of `step` and the dialysis
// weekdays ("After each haemodialysis session (Monday, Wednesday and Friday only): ..."), or
// nullopt when the step has none.
std::optional<std::string> dialysis_days_line(const Stage &stage, const Step &step,
                                              const Patient &p, const Formulary &f);

// Notes, on each stage of a drug with a [haemodialysis] table, which supplement goes with which
// once-daily dose and on which weekdays (persisted with the plan, so the pharmacist approves it).
// A patient with the `haemodialysis` condition but no dialysis days gets a caution instead.
void note_dialysis(Plan &plan, const Patient &p, const Formulary &f);

// Units of each strength to cover the steps (sum over days x units per administration).
std::vector<UnitCount> dispense_for(const std::vector<Step> &steps);

} // namespace titrate
