// Re-planning over a running plan (clinical.md G2 #15): the patient goes on from
// where they are. A new version never restarts a titration the patient is in, never drops a
// taper that is running, and never cuts the dose being taken; only today's cap (renal function
// or age changed) may lower it, and the plan then says so. lint_continuity is the independent
// check of any new version against the running one.
#include "planner/scheduling/scheduler.hpp"

#include "planner/core/errors.hpp"

#include <algorithm>

namespace titrate {

namespace {

// The dose of `drug` on `d` across the plan's stages (0 when none); the stage it comes from.
Dose dose_of(const Plan &plan, const std::string &drug, Date d) {
  Dose total;
  for (const auto &[stage, step] : plan.on(d)) {
    if (stage->drug == drug)
      total += step->daily;
  }
  return total;
}

const Step *step_on(const Stage &stage, Date d) {
  for (const auto &st : stage.steps) {
    if (st.range.contains(d))
      return &st;
  }
  if (stage.maintenance() && !stage.steps.empty() && d >= stage.steps.back().range.begin()) {
    return &stage.steps.back();
  }
  return nullptr;
}

Finding capped_finding(const Stage &stage, Dose taken, Dose cap, Date from) {
  return {Severity::caution, "replan.capped",
          stage.drug + " " + taken.str() + " a day is above this patient's cap of " + cap.str() +
              " a day today (renal function or age changed): from " + iso(from) + " the dose is " +
              cap.str() + " a day",
          "eligibility (clinical.md A2, A4)"};
}

} // namespace

std::optional<Plan> continue_plan(const Plan &running, const Patient &p, const Formulary &f,
                                  const Pathway &pw, Date from, Date today) {
  if (running.stages.empty() || running.stages.front().steps.empty())
    return std::nullopt;
  Date first_dose = running.stages.front().steps.front().range.begin();
  for (const auto &s : running.stages)
    if (!s.steps.empty())
      first_dose = std::min(first_dose, s.steps.front().range.begin());
  if (from <= first_dose)
    return std::nullopt; // nothing taken yet: plan afresh
  Plan out = running;
  out.lint.clear();
  // Running tapers go on as planned, but never above today's cap (renal function or age
  // changed): a step above it is cut at `from` and goes on at the cap, said in a warning. So do
  // the days left of an earlier trial that a switch cut short (its last days, before the next
  // drug: a switch on a drug's first day leaves that day); only the current trial is re-planned
  // below.
  // The current trial: the last one, unless its drug was given up (switched away from or stopped
  // on a decision: then what is left of it is history, capped like a taper, never titrated on).
  Stage *trial = nullptr;
  for (auto it = out.stages.rbegin(); it != out.stages.rend() && trial == nullptr; ++it)
    if (it->role == StageRole::trial)
      trial = &*it;
  if (trial != nullptr &&
      std::find(out.tried.begin(), out.tried.end(), trial->drug) != out.tried.end())
    trial = nullptr;
  const EligibilityReport today_report = check_eligibility(p, f, today);
  for (auto &st : out.stages) {
    if (&st == trial || st.steps.empty())
      continue;
    const DrugVerdict *tv = today_report.find(st.drug);
    if (tv == nullptr)
      continue;
    const Monograph &tm = f.get(st.drug);
    const Dose tcap = daily_cap(tm, *tv);
    std::vector<Step> steps;
    std::optional<Dose> capped_from;
    for (const auto &step : st.steps) {
      if (step.range.end() <= from || step.daily <= tcap) {
        steps.push_back(step);
        continue;
      }
      std::vector<AdminTime> ts;
      for (const auto &a : step.doses)
        ts.push_back(a.time);
      auto doses = split_daily(tm, tcap, ts);
      if (!doses)
        doses = split_daily(tm, tcap, tm.titration.times);
      if (!doses) {
        steps.push_back(step); // cannot be made: lint flags the cap
        continue;
      }
      if (step.range.begin() < from) {
        Step before = step;
        before.range = DateRange(step.range.begin(), from);
        steps.push_back(before);
      }
      steps.push_back(Step{DateRange(std::max(step.range.begin(), from), step.range.end()), tcap,
                           std::move(*doses)});
      if (!capped_from)
        capped_from = step.daily;
    }
    if (capped_from) {
      st.steps = std::move(steps);
      st.dispense = dispense_for(st.steps);
      st.warnings.push_back(capped_finding(st, *capped_from, tcap, from));
    }
  }
  if (trial == nullptr)
    return out; // tapers only (or a trial given up): they go on as planned, within today's cap
  const Step *now = step_on(*trial, from);
  if (now == nullptr) {
    // Not started yet (a sequential switch's gap): planned again for today's profile, from its
    // first day and first dose (capped); ended: as planned.
    if (trial->steps.empty() || trial->steps.front().range.begin() <= from)
      return out;
    const Monograph &m = f.get(trial->drug);
    const EligibilityReport report = check_eligibility(p, f, today);
    const DrugVerdict *v = report.find(trial->drug);
    if (v == nullptr || v->verdict == Severity::avoid)
      return out; // lint says so
    const Dose first = std::min(trial->steps.front().daily, daily_cap(m, *v));
    Stage again = build_trial_stage(m, *v, pw, trial->steps.front().range.begin(), first);
    again.note = trial->note;
    for (const auto &w : trial->warnings) {
      if (std::find(again.warnings.begin(), again.warnings.end(), w) == again.warnings.end()) {
        again.warnings.push_back(w);
      }
    }
    *trial = std::move(again);
    return out;
  }

  const Monograph &m = f.get(trial->drug);
  const EligibilityReport report = check_eligibility(p, f, today);
  const DrugVerdict *v = report.find(trial->drug);
  if (v == nullptr)
    throw NotFoundError("replan: no eligibility verdict for " + trial->drug);
  const Dose cap = daily_cap(m, *v);
  const Dose taken = now->daily;
  std::vector<AdminTime> times;
  for (const auto &a : now->doses)
    times.push_back(a.time);

  // Cut the stage at `from`: what was taken before stays as history.
  auto cut_at_from = [&](Stage &st) {
    while (!st.steps.empty() && st.steps.back().range.begin() >= from)
      st.steps.pop_back();
    if (!st.steps.empty())
      st.steps.back().range = DateRange(st.steps.back().range.begin(), from);
  };

  if (trial->maintenance()) {
    if (taken <= cap)
      return out; // maintenance goes on as it is
    auto doses = split_daily(m, cap, times);
    if (!doses)
      doses = split_daily(m, cap, m.titration.times);
    if (!doses)
      return out; // lint flags the cap; the clinician decides
    const Date review = *trial->review_date;
    cut_at_from(*trial);
    trial->steps.push_back(Step{DateRange(from, std::max(review, from + Days(1))), cap, *doses});
    trial->review_date = std::max(review, from + Days(1));
    trial->assessed_dose = cap; // the dose maintained from now on
    trial->warnings.push_back(capped_finding(*trial, taken, cap, from));
    trial->dispense = dispense_for(trial->steps);
    return out;
  }

  // Every step from `from` on still within today's cap (the profile change, if any, did not
  // lower it): the titration goes on exactly as planned.
  const Dose target = std::min(m.titration.target, cap);
  const bool within_cap =
      std::all_of(trial->steps.begin(), trial->steps.end(),
                  [&](const Step &st) { return st.range.end() <= from || st.daily <= cap; });
  if (within_cap && trial->assessed_dose <= cap)
    return out;
  // Mid-titration (or above today's cap): go on from the dose taken (or the cap), up to
  // today's target, with the pathway's hold there.
  const Dose start_dose = std::min(taken, cap);
  Stage rest = build_trial_stage(m, *v, pw, from, start_dose);
  if (trial->assessed_dose > target && rest.assessed_dose < trial->assessed_dose) {
    rest.warnings.push_back(capped_finding(*trial, trial->assessed_dose, cap, from));
  }
  if (taken > cap)
    trial->warnings.push_back(capped_finding(*trial, taken, cap, from));
  cut_at_from(*trial);
  for (auto &st : rest.steps)
    trial->steps.push_back(std::move(st));
  trial->assessed_dose = rest.assessed_dose;
  trial->target_reached = rest.target_reached;
  trial->decision_date = rest.decision_date;
  for (auto &w : rest.warnings) {
    if (std::find(trial->warnings.begin(), trial->warnings.end(), w) == trial->warnings.end()) {
      trial->warnings.push_back(std::move(w));
    }
  }
  trial->dispense = dispense_for(trial->steps);
  return out;
}

std::vector<Finding> lint_continuity(const Plan &next, const Plan &running, Date from) {
  std::vector<Finding> out;
  auto add = [&](const std::string &rule, const std::string &text) {
    out.push_back({Severity::avoid, "lint." + rule,
                   text + "; only a recorded decision (titrate assess ID --apply) may do that",
                   "project rule: a running course goes on (docs/clinical-basis.md)"});
  };
  // Running tapers: every remaining day keeps its planned dose (or today's cap, said in a
  // "replan.capped" warning on that drug's stage).
  auto capped_in_next = [&](const std::string &drug) {
    return std::any_of(next.stages.begin(), next.stages.end(), [&](const Stage &s) {
      return s.drug == drug &&
             std::any_of(s.warnings.begin(), s.warnings.end(),
                         [](const Finding &w) { return w.rule == "replan.capped"; });
    });
  };
  for (const auto &stage : running.stages) {
    if (stage.role == StageRole::trial || capped_in_next(stage.drug))
      continue;
    for (const auto &step : stage.steps) {
      for (Date d = std::max(step.range.begin(), from); d < step.range.end(); d += Days(1)) {
        const Dose planned = dose_of(running, stage.drug, d);
        const Dose kept = dose_of(next, stage.drug, d);
        if (kept < planned) {
          add("dropped-taper", "the " + std::string(to_string(stage.role)) + " of " + stage.drug +
                                   " running on " + iso(from) + " is not kept: on " + iso(d) +
                                   " the new version gives " + kept.str() +
                                   " a day where the taper gives " + planned.str());
          break;
        }
      }
    }
  }
  // The current trial: the dose taken on `from` is not cut (unless today's cap lowered it and
  // the plan says so).
  const Stage *trial = running.current_trial();
  if (trial != nullptr) {
    const Dose taken = dose_of(running, trial->drug, from);
    const Dose kept = dose_of(next, trial->drug, from);
    bool capped = false;
    for (const auto &st : next.stages) {
      for (const auto &w : st.warnings)
        capped = capped || w.rule == "replan.capped";
    }
    if (!taken.is_zero() && kept < taken && !capped) {
      add("cut-dose", trial->drug + ": the new version gives " + kept.str() + " a day on " +
                          iso(from) + ", below the " + taken.str() +
                          " a day the patient takes (a restarted titration or a cut dose)");
    }
    if (trial->maintenance() && !taken.is_zero()) {
      const Stage *nt = next.current_trial();
      if (nt == nullptr || nt->drug != trial->drug || !nt->maintenance()) {
        add("cut-dose", trial->drug + " is in maintenance after a response on " + iso(from) +
                            "; the new version does not keep it going");
      }
    }
  }
  return out;
}

Draft draft_plan(const Patient &p, const Formulary &f, const Pathway &pw, PlanRequest req,
                 const Plan *running) {
  Draft d;
  if (running != nullptr) {
    req.tried = running->tried; // drugs already tried are never chosen again
    const Stage *trial = running->current_trial();
    if (!req.prefer || (trial != nullptr && trial->drug == *req.prefer)) {
      if (auto c = continue_plan(*running, p, f, pw, req.start, req.today)) {
        d.plan = std::move(*c);
        d.plan.lint = lint(d.plan, p, f, pw, req.today);
        d.continued = true;
      }
    }
  }
  if (!d.continued)
    d.plan = build_plan(p, f, pw, req);
  if (running != nullptr) {
    for (auto &finding : lint_continuity(d.plan, *running, req.start))
      d.plan.lint.push_back(finding);
  }
  return d;
}

} // namespace titrate
