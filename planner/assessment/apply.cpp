// Applying a decision: the next plan version (clinical.md A6, A7). Escalate raises the current
// trial stage by the titration increments with a new hold; extend moves the decision date; switch
// ends the trial, tapers the outgoing drug per its TaperRule (or cross-tapers per the switching
// rule) and starts the next drug of the pathway. The figures come from the formulary/pathway.
#include "planner/assessment/assess.hpp"

#include "planner/core/errors.hpp"

#include <algorithm>

namespace titrate {

namespace {

std::size_t current_trial_index(const Plan &plan) {
  for (std::size_t i = plan.stages.size(); i-- > 0;) {
    if (plan.stages[i].role == StageRole::trial) return i;
  }
  throw InputError("apply: the plan has no trial stage to act on");
}

const DrugVerdict &verdict_of(const EligibilityReport &r, const std::string &drug) {
  const DrugVerdict *v = r.find(drug);
  if (v == nullptr) throw NotFoundError("apply: no eligibility verdict for " + drug);
  return *v;
}

void add_unique(std::vector<std::string> &v, const std::string &s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// The trial stage ends on `on`: later steps go, the last one is cut (or lengthened, when the
// assessment came after the planned decision date) to end there.
void end_stage_on(Stage &stage, Date on) {
  while (!stage.steps.empty() && stage.steps.back().range.begin() >= on) stage.steps.pop_back();
  if (!stage.steps.empty()) {
    Step &last = stage.steps.back();
    last.range = DateRange(last.range.begin(), on);
  }
  if (stage.target_reached && *stage.target_reached >= on) stage.target_reached.reset();
  if (stage.decision_date && *stage.decision_date > on) stage.decision_date.reset();
  if (!stage.target_reached) stage.decision_date.reset();
}

Plan apply_switch(const AssessInput &in, const Assessment &decision, Plan out) {
  const Date on = decision.date;
  Stage &cur = out.stages[current_trial_index(out)];
  const std::string outgoing = cur.drug;
  const Monograph &out_m = in.formulary.get(outgoing);
  if (cur.steps.empty() || on <= cur.steps.front().range.begin()) {
    throw InputError("apply: switch on " + iso(on) + " is not after the start of " + outgoing);
  }
  end_stage_on(cur, on);
  cur.dispense = dispense_for(cur.steps);
  const Step last = cur.steps.back();

  for (const auto &st : out.stages) {
    if (st.role == StageRole::trial) add_unique(out.tried, st.drug);
  }

  const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
  out.unchecked_medications = report.unchecked_medications;
  const DrugVerdict *next = nullptr;
  std::string refer;
  try {
    next = &choose_drug(report, in.formulary, in.pathway, out.tried, decision.next_drug);
  } catch (const RefusedError &e) {
    refer = e.what();
  } catch (const InputError &e) {
    // the assessment named a drug that is no longer eligible: fall back to pathway order
    try {
      next = &choose_drug(report, in.formulary, in.pathway, out.tried, std::nullopt);
    } catch (const RefusedError &e2) {
      refer = e2.what();
    }
  }

  const SwitchRule *rule = next ? in.formulary.switch_rule(outgoing, next->drug) : nullptr;
  std::optional<Finding> no_rule;
  if (next != nullptr && rule == nullptr) {
    // formulary/switching.toml names no way to move between this pair (clinical.md A7 does
    // not): taper only, and leave the start of the next drug to the clinician.
    no_rule = Finding{Severity::caution, "switch.no-rule",
                      "no switching rule from " + outgoing + " to " + next->drug +
                          " in the formulary: " + outgoing +
                          " is tapered off; the clinician must plan when and how " + next->drug +
                          " starts",
                      "clinical.md A7"};
    next = nullptr;
  }
  const SwitchMode mode = rule ? rule->mode : SwitchMode::sequential;
  Stage taper = build_taper_stage(out_m, last, on,
                                  mode == SwitchMode::cross_taper ? rule : nullptr);
  if (next != nullptr && mode != SwitchMode::sequential) taper.role = StageRole::cross_taper;
  if (rule != nullptr && !rule->text.empty()) {
    taper.note += std::string(taper.note.empty() ? "" : "; ") + rule->text + " (" +
                  rule->cite.source + ")";
  }
  if (no_rule) {
    taper.warnings.push_back(*no_rule);
    taper.note += std::string(taper.note.empty() ? "" : "; ") + no_rule->text;
  } else if (next == nullptr) {
    // The refusal says why (none left, or pregnancy) and that the patient is to be referred.
    const std::string prefix = "plan: refused: ";
    if (refer.rfind(prefix, 0) == 0) refer = refer.substr(prefix.size());
    taper.note += std::string(taper.note.empty() ? "" : "; ") + "no further drug: " + refer;
  }
  const Date taper_end = taper.steps.empty() ? on : taper.steps.back().range.end();
  out.stages.push_back(std::move(taper));

  if (next != nullptr) {
    // sequential: the next drug's first day = the last outgoing dose day + gap_days
    // (formulary/switching.toml); overlap and cross-taper: the first taper day.
    const Date last_dose_day = taper_end - Days(1);
    const Date start = mode == SwitchMode::sequential
                           ? last_dose_day + Days(std::max(rule->gap_days, 1))
                           : on;
    const Monograph &next_m = in.formulary.get(next->drug);
    out.stages.push_back(build_trial_stage(next_m, *next, in.pathway, start,
                                           rule ? rule->next_start : std::nullopt));
  }
  return out;
}

} // namespace

Plan apply_decision(const AssessInput &in, const Assessment &decision) {
  Plan out = in.plan;
  switch (decision.decision) {
  case DecisionKind::continue_:
  case DecisionKind::stop:
  case DecisionKind::review:
    return out;
  case DecisionKind::extend: {
    Stage &stage = out.stages[current_trial_index(out)];
    if (!stage.decision_date || stage.steps.empty()) {
      throw InputError("apply: extend: stage " + stage.drug + " has no decision date");
    }
    const Date next = decision.next_decision_date
                          ? *decision.next_decision_date
                          : *stage.decision_date + Days(in.pathway.decisions.extension_days.value);
    if (next <= *stage.decision_date) {
      throw InputError("apply: extend: the new decision date " + iso(next) +
                       " is not after " + iso(*stage.decision_date));
    }
    Step &last = stage.steps.back();
    last.range = DateRange(last.range.begin(), std::max(last.range.end(), next));
    stage.decision_date = next;
    stage.dispense = dispense_for(stage.steps);
    break;
  }
  case DecisionKind::escalate: {
    Stage &stage = out.stages[current_trial_index(out)];
    const Monograph &m = in.formulary.get(stage.drug);
    const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
    const DrugVerdict &v = verdict_of(report, stage.drug);
    std::optional<Dose> next = decision.next_dose;
    if (!next) {
      for (const Dose d : m.titration.escalation) {
        if (d > stage.assessed_dose) {
          next = d;
          break;
        }
      }
    }
    if (!next) {
      throw RefusedError("apply: escalate: refused: " + stage.drug +
                         " has no escalation step above " + stage.assessed_dose.str() +
                         " per day");
    }
    escalate_stage(stage, m, v, in.pathway, *next, decision.date);
    break;
  }
  case DecisionKind::switch_:
    out = apply_switch(in, decision, std::move(out));
    break;
  }
  out.lint = lint(out, in.patient, in.formulary, in.pathway, in.today);
  return out;
}

} // namespace titrate
