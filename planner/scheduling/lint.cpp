// lint: an independent re-check of any plan (built here, edited, or read back from JSON) against
// the plan invariants (no dose above a cap, no gap, no overlap but a planned one). It re-derives
// caps from the monograph and the eligibility report rather than trusting the builder, so a builder
// bug shows up as a finding.
#include "planner/scheduling/scheduler.hpp"

#include <algorithm>

namespace titrate {

namespace {

bool is_serotonergic(const Formulary &f, const std::string &drug) {
  const auto it = f.vocabulary.class_members_of_drug.find(drug);
  if (it == f.vocabulary.class_members_of_drug.end())
    return false;
  return std::find(it->second.begin(), it->second.end(), "serotonergic") != it->second.end();
}

std::string stage_name(const Stage &s, std::size_t i) {
  return "stage " + std::to_string(i + 1) + " (" + s.drug + " " + std::string(to_string(s.role)) +
         ")";
}

std::string step_name(const Stage &s, std::size_t i, const Step &step) {
  return stage_name(s, i) + " step " + iso(step.range.begin()) + "..." + iso(step.range.end());
}

// A trial stage that would be the patient's third (or later) serotonergic medicine at once:
// the serotonin-syndrome risk rises with each one (clinical.md A5), so a plan
// that adds one is flagged for the prescriber and pharmacist, whoever chose the drug.
void lint_serotonergic_load(const Plan &plan, const EligibilityReport &report, const Formulary &f,
                            std::vector<Finding> &out) {
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    const Stage &stage = plan.stages[i];
    if (stage.role != StageRole::trial || !is_serotonergic_medicine(f, stage.drug))
      continue;
    if (std::find(plan.tried.begin(), plan.tried.end(), stage.drug) != plan.tried.end())
      continue;
    std::vector<std::string> taken;
    for (const auto &m : report.serotonergic_medicines)
      if (m != stage.drug)
        taken.push_back(m);
    if (taken.size() < 2)
      continue;
    std::string list;
    for (const auto &m : taken)
      list += (list.empty() ? "" : ", ") + m;
    out.push_back({Severity::avoid, "lint.third-serotonergic",
                   stage_name(stage, i) + ": adds a serotonergic drug to " + list + " (" +
                       std::to_string(taken.size() + 1) +
                       " serotonergic medicines at once: serotonin syndrome risk)",
                   "clinical.md A5 (serotonergic medicines; project rule)"});
  }
}

} // namespace

std::vector<Finding> lint(const Plan &plan, const Patient &p, const Formulary &f, const Pathway &pw,
                          Date today) {
  std::vector<Finding> out;
  auto add = [&](const std::string &rule, const std::string &text, const std::string &source) {
    out.push_back({Severity::avoid, "lint." + rule, text, source});
  };
  const EligibilityReport report = check_eligibility(p, f, today);
  const int min_days = pw.decisions.min_days_at_target.value;

  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    const Stage &stage = plan.stages[i];
    const Monograph *m = f.find(stage.drug);
    if (m == nullptr) {
      add("unknown-drug", stage_name(stage, i) + ": not in the formulary", "");
      continue;
    }
    const DrugVerdict *v = report.find(stage.drug);
    const bool active_trial =
        stage.role == StageRole::trial &&
        std::find(plan.tried.begin(), plan.tried.end(), stage.drug) == plan.tried.end();

    // Caps: label/pathway maximum, renal band, and the report's own cap (age rules).
    Dose cap = m->titration.max_daily;
    std::string cap_why = "label maximum";
    std::string cap_source = m->titration.cite.source;
    if (const RenalBand *band = m->renal_band(report.crcl_ml_min);
        band != nullptr && band->max_daily && *band->max_daily < cap) {
      cap = *band->max_daily;
      cap_why = "renal band " + band->describe();
      cap_source = band->cite.source;
    }
    if (v != nullptr && v->max_daily && *v->max_daily < cap) {
      cap = *v->max_daily;
      cap_why = "eligibility cap";
      cap_source = "eligibility";
    }
    if (active_trial && v != nullptr && v->verdict == Severity::avoid) {
      add("avoid", stage_name(stage, i) + ": " + stage.drug + " is avoid for this patient", "A1");
    }

    long stage_days = 0;
    for (std::size_t j = 0; j < stage.steps.size(); ++j) {
      const Step &step = stage.steps[j];
      const std::string where = step_name(stage, i, step);
      stage_days += step.range.days();
      if (step.range.empty())
        add("empty-step", where + ": no days", "");
      if (j > 0 && stage.steps[j - 1].range.end() != step.range.begin()) {
        add("contiguous",
            where + ": does not start where the previous step ends (" +
                iso(stage.steps[j - 1].range.end()) + ")",
            "");
      }
      if (step.daily.is_zero())
        add("zero-dose", where + ": a step with no dose", "");
      // Caps are today's (renal function and age change): steps already taken are history,
      // the ones still running or to come must fit.
      if (step.daily > cap && step.range.end() > today) {
        add("cap",
            where + ": " + step.daily.str() + " per day is above the " + cap_why + " of " +
                cap.str(),
            cap_source);
      }
      Dose sum;
      for (std::size_t k = 0; k < step.doses.size(); ++k) {
        const Administration &a = step.doses[k];
        sum += a.dose;
        if (k > 0 && !(step.doses[k - 1].time < a.time)) {
          add("times", where + ": administration times out of order or repeated", "");
        }
        if (a.dose.is_zero())
          add("zero-dose", where + ": an administration of 0 mg", "");
        Dose units;
        for (const auto &u : a.units) {
          units += u.strength * u.count;
          if (u.count <= 0)
            add("units", where + ": a unit count below 1", "");
          const bool marketed =
              std::any_of(m->strengths.begin(), m->strengths.end(), [&](const Strength &s) {
                return s.dose == u.strength && s.form == u.form;
              });
          if (!marketed) {
            add("strength",
                where + ": " + u.strength.str() + " " + std::string(to_string(u.form)) +
                    " is not a marketed strength of " + stage.drug,
                "");
          }
        }
        if (units != a.dose) {
          add("units",
              where + ": the units make " + units.str() + ", not the " + a.dose.str() +
                  " to take " + std::string(to_string(a.time)),
              "");
        }
      }
      if (sum != step.daily) {
        add("daily-sum",
            where + ": the doses add up to " + sum.str() + ", not the daily " + step.daily.str(),
            "");
      }
      // Titration steps last at least the minimum interval; opening steps as the monograph
      // writes them; the last step of a stage ends at a decision or switch.
      if (stage.role == StageRole::trial && j + 1 < stage.steps.size() &&
          step.range.days() < m->titration.min_interval_days) {
        const bool opening = std::any_of(
            m->titration.start.begin(), m->titration.start.end(), [&](const TitrationStart &s) {
              return s.daily == step.daily && step.range.days() >= s.days;
            });
        if (!opening) {
          add("min-interval",
              where + ": " + std::to_string(step.range.days()) + " days, shorter than the " +
                  std::to_string(m->titration.min_interval_days) + "-day minimum interval",
              m->titration.cite.source);
        }
      }
    }
    // The minimum taper, by the time on drug where the rule has rows (clinical.md H6): from the
    // first step of the latest earlier trial stage of the drug to the first taper day.
    std::optional<long> days_on;
    for (std::size_t k = i; k-- > 0;) {
      const Stage &t = plan.stages[k];
      if (t.drug != stage.drug || t.role != StageRole::trial || t.steps.empty())
        continue;
      if (!stage.steps.empty())
        days_on = (stage.steps.front().range.begin() - t.steps.front().range.begin()).days();
      break;
    }
    const int min_taper = m->taper.min_days_for(days_on);
    if (stage.role != StageRole::trial && !stage.steps.empty() && stage_days < min_taper) {
      add("taper-length",
          stage_name(stage, i) + ": " + std::to_string(stage_days) + " days, shorter than the " +
              std::to_string(min_taper) + "-day minimum taper",
          m->taper.cite.source);
    }

    if (active_trial && stage.decision_date) {
      if (!stage.target_reached) {
        add("days-at-target", stage_name(stage, i) + ": a decision date without a target date",
            pw.decisions.min_days_at_target.cite.source);
      } else {
        long at_target = 0;
        bool first_day_ok = false;
        for (const auto &step : stage.steps) {
          if (step.range.contains(*stage.target_reached)) {
            first_day_ok = step.daily == stage.assessed_dose;
          }
          if (step.daily != stage.assessed_dose)
            continue;
          const Date b = std::max(step.range.begin(), *stage.target_reached);
          const Date e = std::min(step.range.end(), *stage.decision_date);
          if (b < e)
            at_target += (e - b).days();
        }
        if (!first_day_ok) {
          add("days-at-target",
              stage_name(stage, i) + ": on " + iso(*stage.target_reached) +
                  " the dose is not the "
                  "assessed " +
                  stage.assessed_dose.str() + " per day",
              pw.decisions.min_days_at_target.cite.source);
        }
        if (at_target < min_days) {
          add("days-at-target",
              stage_name(stage, i) + ": " + std::to_string(at_target) + " days at " +
                  stage.assessed_dose.str() + " per day before the decision date " +
                  iso(*stage.decision_date) + "; the pathway needs " + std::to_string(min_days),
              pw.decisions.min_days_at_target.cite.source);
        }
      }
    }
  }

  // Moving between drugs: two serotonergic drugs overlap only under an overlap or cross-taper
  // switch rule; a sequential rule's gap is kept.
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    for (std::size_t j = i + 1; j < plan.stages.size(); ++j) {
      const Stage &a = plan.stages[i];
      const Stage &b = plan.stages[j];
      if (a.drug == b.drug || a.steps.empty() || b.steps.empty())
        continue;
      const DateRange span_a(a.steps.front().range.begin(), a.steps.back().range.end());
      const DateRange span_b(b.steps.front().range.begin(), b.steps.back().range.end());
      const SwitchRule *rule = f.switch_rule(a.drug, b.drug);
      const bool overlap_allowed = rule != nullptr && rule->mode != SwitchMode::sequential;
      if (span_a.overlaps(span_b) && !overlap_allowed && is_serotonergic(f, a.drug) &&
          is_serotonergic(f, b.drug)) {
        add("serotonergic-overlap",
            stage_name(a, i) + " and " + stage_name(b, j) +
                ": two serotonergic drugs overlap outside a cross-taper rule",
            rule != nullptr ? rule->cite.source : "clinical.md A7");
      }
      if (rule != nullptr && rule->mode == SwitchMode::sequential &&
          span_b.begin() >= span_a.begin() &&
          span_b.begin() < span_a.end() - Days(1) + Days(std::max(rule->gap_days, 1))) {
        add("switch-gap",
            stage_name(b, j) + " starts " + iso(span_b.begin()) + ", before " + a.drug +
                " allows: the last " + a.drug + " day is " + iso(span_a.end() - Days(1)) +
                " and the rule asks " + std::to_string(rule->gap_days) + " days after it",
            rule->cite.source);
      }
    }
  }
  lint_serotonergic_load(plan, report, f, out);
  return out;
}

} // namespace titrate
