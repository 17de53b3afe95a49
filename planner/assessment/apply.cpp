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
    if (plan.stages[i].role == StageRole::trial)
      return i;
  }
  throw InputError("apply: the plan has no trial stage to act on");
}

const DrugVerdict &verdict_of(const EligibilityReport &r, const std::string &drug) {
  const DrugVerdict *v = r.find(drug);
  if (v == nullptr)
    throw NotFoundError("apply: no eligibility verdict for " + drug);
  return *v;
}

void add_unique(std::vector<std::string> &v, const std::string &s) {
  if (std::find(v.begin(), v.end(), s) == v.end())
    v.push_back(s);
}

// The trial stage ends on `on`: later steps go, the last one is cut (or lengthened, when the
// assessment came after the planned decision date) to end there.
void end_stage_on(Stage &stage, Date on) {
  stage.review_date.reset(); // a stage that ends is no longer open-ended maintenance
  while (!stage.steps.empty() && stage.steps.back().range.begin() >= on)
    stage.steps.pop_back();
  if (!stage.steps.empty()) {
    Step &last = stage.steps.back();
    last.range = DateRange(last.range.begin(), on);
  }
  if (stage.target_reached && *stage.target_reached >= on)
    stage.target_reached.reset();
  if (stage.decision_date && *stage.decision_date > on)
    stage.decision_date.reset();
  if (!stage.target_reached)
    stage.decision_date.reset();
}

bool serotonergic(const Formulary &f, const std::string &drug) {
  const auto it = f.vocabulary.class_members_of_drug.find(drug);
  return it != f.vocabulary.class_members_of_drug.end() &&
         std::find(it->second.begin(), it->second.end(), "serotonergic") != it->second.end();
}

// The next drug may start while an earlier drug (not only the one just switched from) is still
// being tapered: every stage still running on the start day must allow it by its own switch
// rule, else the start moves to the day that rule allows (sequential: last dose day + gap; no
// rule between two serotonergic drugs: the day after the last dose).
Date clear_of_running_stages(const Formulary &f, const Plan &plan, const std::string &next,
                             Date start) {
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto &st : plan.stages) {
      if (st.drug == next || st.steps.empty())
        continue;
      const Date end = st.steps.back().range.end();
      const SwitchRule *r = f.switch_rule(st.drug, next);
      Date earliest = start;
      if (r != nullptr && r->mode == SwitchMode::sequential) {
        earliest = end - Days(1) + Days(std::max(r->gap_days, 1));
      } else if (r == nullptr && serotonergic(f, st.drug) && serotonergic(f, next)) {
        earliest = end;
      }
      if (earliest > start) {
        start = earliest;
        moved = true;
      }
    }
  }
  return start;
}

// What follows a drug given up: the next drug of the pathway (the one the assessment named if it is
// still eligible, else the pathway's order), or none and why, the words for a referral (without
// choose_drug's "plan: refused: "). A stop never starts another drug: titrate's own stop
// (`next_allowed`) says why none is left; a clinician's stop says `clinician_stop`.
struct NextDrug {
  const DrugVerdict *verdict = nullptr;
  std::string refer;
};

NextDrug next_after(const AssessInput &in, const EligibilityReport &report,
                    const std::vector<std::string> &tried, const Assessment &decision,
                    bool next_allowed, const std::string &clinician_stop) {
  NextDrug n;
  if (decision.decision == DecisionKind::stop && next_allowed) {
    try {
      choose_drug(report, in.formulary, in.pathway, tried, std::nullopt);
      n.refer = "the decision is to stop; " + in.pathway.after_last;
    } catch (const RefusedError &e) {
      n.refer = e.what();
    }
  } else if (!next_allowed) {
    n.refer = clinician_stop;
  } else {
    try {
      n.verdict = &choose_drug(report, in.formulary, in.pathway, tried, decision.next_drug);
    } catch (const RefusedError &e) {
      n.refer = e.what();
    } catch (const InputError &) {
      // the assessment named a drug that is no longer eligible: fall back to pathway order
      try {
        n.verdict = &choose_drug(report, in.formulary, in.pathway, tried, std::nullopt);
      } catch (const RefusedError &e2) {
        n.refer = e2.what();
      }
    }
  }
  const std::string prefix = "plan: refused: ";
  if (n.refer.rfind(prefix, 0) == 0)
    n.refer = n.refer.substr(prefix.size());
  return n;
}

// The current trial has not begun on the decision day (it waits for a running taper, as after a
// sequential switch) and is given up: a contraindication appeared meanwhile (renal function
// fell), or a clinician switches or stops it. Nothing of it was taken, so nothing is tapered: it
// leaves the plan (and is never chosen again). With `next_allowed`, the next drug of the
// pathway starts on the day it would have started, or later where a running taper's own
// switching rule asks; none left, or a stop: the plan says why and that the patient is referred.
Plan replace_unstarted_trial(const AssessInput &in, const Assessment &decision, Plan out,
                             bool next_allowed) {
  const std::size_t i = current_trial_index(out);
  const std::string dropped = out.stages[i].drug;
  const Date planned = out.stages[i].steps.front().range.begin();
  out.stages.erase(out.stages.begin() + static_cast<std::ptrdiff_t>(i));
  add_unique(out.tried, dropped);
  const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
  out.unchecked_medications = report.unchecked_medications;
  std::string why = dropped + " was to start on " + iso(planned) +
                    " and is not started (assessment of " + iso(decision.date) + ")" +
                    (decision.reasons.empty() ? std::string() : ": " + decision.reasons.front());
  const NextDrug choice = next_after(in, report, out.tried, decision, next_allowed,
                                     "the clinician stopped " + dropped + " before it started");
  const DrugVerdict *next = choice.verdict;
  if (next != nullptr) {
    const Date start =
        clear_of_running_stages(in.formulary, out, next->drug, std::max(planned, decision.date));
    Stage stage = build_trial_stage(in.formulary.get(next->drug), *next, in.pathway, start,
                                    std::nullopt, std::nullopt);
    stage.note = why + (stage.note.empty() ? std::string() : "; " + stage.note);
    out.stages.push_back(std::move(stage));
    return out;
  }
  why += "; no further drug: " + choice.refer;
  // Said on the stage still running (the earlier drug's taper), else on the last stage.
  Stage *host = out.stages.empty() ? nullptr : &out.stages.back();
  for (auto &st : out.stages)
    if (st.role != StageRole::trial && !st.steps.empty() &&
        st.steps.back().range.end() > decision.date)
      host = &st;
  if (host != nullptr)
    host->note += std::string(host->note.empty() ? "" : "; ") + why;
  return out;
}

// `next_allowed` false: the outgoing drug is tapered and nothing follows (a clinician's stop).
Plan apply_switch(const AssessInput &in, const Assessment &decision, Plan out,
                  bool next_allowed = true) {
  Stage &cur = out.stages[current_trial_index(out)];
  const std::string outgoing = cur.drug;
  const Monograph &out_m = in.formulary.get(outgoing);
  if (cur.steps.empty())
    throw InputError("apply: the trial of " + outgoing + " has no steps to switch from");
  if (decision.date < cur.steps.front().range.begin())
    return replace_unstarted_trial(in, decision, std::move(out), next_allowed);
  // A switch decided on a drug's first day (an intolerable effect after its first dose) acts from
  // the next day: that day's doses were taken, and the taper follows the label from there.
  const Date on = std::max(decision.date, cur.steps.front().range.begin() + Days(1));
  end_stage_on(cur, on);
  cur.dispense = dispense_for(cur.steps);
  Step last = cur.steps.back();
  const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
  {
    // Renal function or age may have lowered the cap since the trial was planned: the taper
    // starts from the dose taken or the cap, whichever is lower.
    const Dose cap = daily_cap(out_m, verdict_of(report, outgoing));
    std::vector<AdminTime> times;
    for (const auto &a : last.doses)
      times.push_back(a.time);
    if (last.daily > cap) {
      if (auto doses = split_daily(out_m, cap, times)) {
        last.daily = cap;
        last.doses = std::move(*doses);
      }
    }
  }

  for (const auto &st : out.stages) {
    if (st.role == StageRole::trial)
      add_unique(out.tried, st.drug);
  }

  out.unchecked_medications = report.unchecked_medications;
  const NextDrug choice = next_after(
      in, report, out.tried, decision, next_allowed,
      "the clinician stopped " + outgoing + " (" +
          (decision.reasons.empty() ? std::string("see the decision") : decision.reasons.front()) +
          ")");
  const DrugVerdict *next = choice.verdict;

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
  // Time on drug (clinical.md H6): from the stage's first step to the first taper day.
  Stage taper = build_taper_stage(out_m, last, on, mode == SwitchMode::cross_taper ? rule : nullptr,
                                  (on - cur.steps.front().range.begin()).days());
  if (next != nullptr && mode != SwitchMode::sequential)
    taper.role = StageRole::cross_taper;
  // Why the drug is given up, first in the note: every view of the plan shows it.
  if (!decision.reasons.empty()) {
    taper.note = "why " + outgoing + " stops (assessment of " + iso(decision.date) +
                 "): " + decision.reasons.front() +
                 (taper.note.empty() ? std::string() : "; " + taper.note);
  }
  if (rule != nullptr && !rule->text.empty()) {
    taper.note +=
        std::string(taper.note.empty() ? "" : "; ") + rule->text + " (" + rule->cite.source + ")";
  }
  if (rule != nullptr && !rule->caution.empty()) {
    taper.warnings.push_back(
        {Severity::caution, "switch.caution", rule->caution, rule->cite.source});
  }
  if (no_rule) {
    taper.warnings.push_back(*no_rule);
    taper.note += std::string(taper.note.empty() ? "" : "; ") + no_rule->text;
  } else if (next == nullptr) {
    // The refusal says why (none left, or pregnancy) and that the patient is to be referred.
    taper.note += std::string(taper.note.empty() ? "" : "; ") + "no further drug: " + choice.refer;
  }
  const Date taper_end = taper.steps.empty() ? on : taper.steps.back().range.end();
  out.stages.push_back(std::move(taper));

  if (next != nullptr) {
    // sequential: the next drug's first day = the last outgoing dose day + gap_days
    // (formulary/switching.toml); overlap and cross-taper: the first taper day.
    const Date last_dose_day = taper_end - Days(1);
    Date start =
        mode == SwitchMode::sequential ? last_dose_day + Days(std::max(rule->gap_days, 1)) : on;
    start = clear_of_running_stages(in.formulary, out, next->drug, start);
    // Cross-taper (switching.toml gabapentin -> duloxetine: "duloxetine to 60 mg once gabapentin
    // is at or below half its dose"): the incoming drug stays at its start dose until the
    // outgoing daily dose is at or below half the dose it was tapered from.
    std::optional<Date> hold_start;
    if (mode == SwitchMode::cross_taper) {
      hold_start = taper_end;
      for (const auto &step : out.stages.back().steps) {
        if (step.daily * 2 <= last.daily) {
          hold_start = step.range.begin();
          break;
        }
      }
    }
    const Monograph &next_m = in.formulary.get(next->drug);
    out.stages.push_back(build_trial_stage(next_m, *next, in.pathway, start,
                                           rule ? rule->next_start : std::nullopt, hold_start));
  }
  return out;
}

// Holding or raising a dose that is now above the patient's cap (renal function or age changed
// since the stage was planned) is refused: the clinician must review (or switch, which tapers
// from the cap).
void refuse_above_cap(const AssessInput &in, const Stage &stage) {
  const Monograph &m = in.formulary.get(stage.drug);
  const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
  const DrugVerdict &v = verdict_of(report, stage.drug);
  if (v.verdict == Severity::avoid) {
    // A contraindication appeared since the stage was planned: assess() says switch; holding or
    // raising the drug is never planned.
    throw RefusedError("apply: refused: " + stage.drug + " is now avoid for this patient (" +
                       (v.reasons.empty() ? std::string("see check") : v.reasons.front().text) +
                       "); switch instead");
  }
  const Dose cap = daily_cap(m, v);
  if (stage.assessed_dose > cap) {
    throw RefusedError("apply: refused: " + stage.drug + " " + stage.assessed_dose.str() +
                       " a day is now above this patient's cap of " + cap.str() +
                       " (renal function or age changed); the dose needs review");
  }
}

// The stage's last step runs on at least until `until` (its dose held), and what is dispensed
// covers it.
void hold_last_step_until(Stage &stage, Date until) {
  Step &last = stage.steps.back();
  last.range = DateRange(last.range.begin(), std::max(last.range.end(), until));
  stage.dispense = dispense_for(stage.steps);
}

} // namespace

Plan apply_decision(const AssessInput &in, const Assessment &decision) {
  Plan out = in.plan;
  switch (decision.decision) {
  case DecisionKind::review:
    return out;
  case DecisionKind::continue_: {
    // Inside the window nothing changes. After a response (or a dose held for a severe effect)
    // the trial becomes maintenance: the dose goes on with no end, reviewed on the date the
    // assessment set; the last step runs to that review so that exports dispense to it.
    if (!decision.next_decision_date)
      return out;
    Stage &stage = out.stages[current_trial_index(out)];
    if (stage.steps.empty())
      return out;
    refuse_above_cap(in, stage);
    const Date review = *decision.next_decision_date;
    stage.review_date = review;
    hold_last_step_until(stage, review);
    break;
  }
  case DecisionKind::reduce: {
    // A lower dose from the decision day: a new hold at it, judged at a new decision date like
    // any dose (a response keeps it; none escalates back up).
    Stage &stage = out.stages[current_trial_index(out)];
    if (!decision.next_dose || !decision.next_decision_date || stage.steps.empty()) {
      throw InputError("apply: reduce needs the lower dose and the next decision date");
    }
    const Monograph &m = in.formulary.get(stage.drug);
    std::vector<AdminTime> times;
    for (const auto &a : stage.steps.back().doses)
      times.push_back(a.time);
    auto doses = split_daily(m, *decision.next_dose, times);
    if (!doses)
      doses = split_daily(m, *decision.next_dose, m.titration.times);
    if (!doses) {
      throw RefusedError("apply: reduce: refused: " + decision.next_dose->str() + " of " +
                         stage.drug + " a day cannot be made from marketed strengths");
    }
    const Date on = decision.date;
    end_stage_on(stage, on);
    if (stage.steps.empty() || stage.steps.back().range.end() != on) {
      throw InputError("apply: reduce on " + iso(on) + " is not inside the stage of " + stage.drug);
    }
    stage.steps.push_back(
        Step{DateRange(on, *decision.next_decision_date), *decision.next_dose, std::move(*doses)});
    stage.assessed_dose = *decision.next_dose;
    stage.target_reached = on;
    stage.decision_date = *decision.next_decision_date;
    stage.dispense = dispense_for(stage.steps);
    break;
  }
  case DecisionKind::stop: {
    // No drug is left (or none may be given, or the clinician stops it): the drug being taken
    // is still tapered per its label, never stopped abruptly (clinical.md A7), and the plan
    // notes the referral.
    const Plan *p = &out;
    const Stage *trial = p->current_trial();
    // Taken up to the day before counts: at the decision date the hold has just ended, and the
    // patient took the drug yesterday.
    const bool taken = trial != nullptr && !trial->steps.empty() &&
                       trial->steps.front().range.begin() <= decision.date &&
                       (trial->maintenance() || trial->steps.back().range.end() >= decision.date);
    // Not begun (it waits for a running taper): apply_switch takes it out of the plan.
    const bool unstarted = trial != nullptr && !trial->steps.empty() &&
                           trial->steps.front().range.begin() > decision.date;
    if (!taken && !unstarted) {
      // Nothing has been taken since before yesterday (the plan ran out): nothing to taper, but
      // the drug is stopped all the same and assessed no more.
      if (trial != nullptr)
        add_unique(out.tried, trial->drug);
      break;
    }
    out = apply_switch(in, decision, std::move(out), decision.rule != "decision.clinician");
    break;
  }
  case DecisionKind::extend: {
    Stage &stage = out.stages[current_trial_index(out)];
    refuse_above_cap(in, stage);
    if (!stage.decision_date || stage.steps.empty()) {
      throw InputError("apply: extend: stage " + stage.drug + " has no decision date");
    }
    const Date next = decision.next_decision_date
                          ? *decision.next_decision_date
                          : *stage.decision_date + Days(in.pathway.decisions.extension_days.value);
    if (next <= *stage.decision_date) {
      throw InputError("apply: extend: the new decision date " + iso(next) + " is not after " +
                       iso(*stage.decision_date));
    }
    stage.decision_date = next;
    hold_last_step_until(stage, next);
    break;
  }
  case DecisionKind::escalate: {
    Stage &stage = out.stages[current_trial_index(out)];
    stage.review_date.reset(); // out of maintenance: a new hold at the higher dose
    const Monograph &m = in.formulary.get(stage.drug);
    const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
    const DrugVerdict &v = verdict_of(report, stage.drug);
    refuse_above_cap(in, stage);
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
                         " has no escalation step above " + stage.assessed_dose.str() + " per day");
    }
    escalate_stage(stage, m, v, in.pathway, *next, decision.date);
    break;
  }
  case DecisionKind::switch_:
    out = apply_switch(in, decision, std::move(out));
    break;
  }
  note_dialysis(out, in.patient, in.formulary);
  out.lint = lint(out, in.patient, in.formulary, in.pathway, in.today);
  return out;
}

} // namespace titrate
