#pragma once
// Synthetic cohort for the lint property test and bench_plans: random patients drawn from the
// formulary's own vocabularies (no clinical figure here), random start dates weighted towards
// leap days, month ends and year ends, and a random course of decisions (escalate, extend,
// switch, early switch) applied to each plan. Deterministic for a given seed.
#include "planner/assessment/assess.hpp"
#include "planner/core/errors.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace titrate::cohort {

struct Outcome {
  int plans = 0;                 // plan versions built (first plans and every applied decision)
  int refused = 0;               // build_plan refused (pregnancy, nothing left)
  int decisions = 0;             // decisions applied
  std::vector<Finding> findings; // lint findings (must stay empty)
  // lint.third-serotonergic on a plan whose serotonergic trial stages all carry the serotonin
  // warning: a flag for review that the plan explains, counted, not a finding.
  int serotonergic_flags = 0;
  std::vector<std::string> failures; // exceptions other than refusals, with the patient
};

// The request of a plan from `start`, drafted on `today` (no --prefer, nothing tried).
inline PlanRequest plan_request(Date start, Date today) {
  PlanRequest req;
  req.start = start;
  req.today = today;
  return req;
}

class Generator {
public:
  Generator(const Formulary &f, unsigned seed) : f_(f), rng_(seed) {
    for (const auto &[med, classes] : f.vocabulary.medication_classes)
      meds_.push_back(med);
    for (const auto &d : f.drugs)
      meds_.push_back(d.name);
  }

  Date start_date() {
    static const char *special[] = {"2028-02-29", "2024-02-29", "2027-02-28", "2026-12-31",
                                    "2027-01-31", "2026-04-30", "2029-12-31", "2028-02-28",
                                    "2026-11-30", "2030-06-30"};
    if (chance(0.5))
      return parse_date(special[pick(std::size(special))]);
    return Date(2024, 1, 1) + Days(static_cast<long>(pick(365 * 7)));
  }

  Patient patient(int n, Date today) {
    Patient p;
    p.id = "C" + std::to_string(n);
    const int age = 18 + static_cast<int>(pick(83));
    p.birth_date = today - Days(static_cast<long>(age) * 365 + static_cast<long>(pick(365)));
    if (p.birth_date > today)
      p.birth_date = today;
    p.sex = chance(0.5) ? Sex::female : Sex::male;
    p.weight_kg = 40 + static_cast<double>(pick(1200)) / 10.0;
    if (chance(0.4)) {
      // CrCl at and around the band boundaries of clinical.md A2, and some ordinary values.
      static const double crcl[] = {5,  14.9, 15,    15.01, 20,    29.99, 30, 30.01,
                                    45, 59.5, 59.99, 60,    60.01, 75,    90, 130};
      p.crcl_ml_min = crcl[pick(std::size(crcl))];
    } else {
      p.serum_creatinine_mg_dl = 0.4 + static_cast<double>(pick(760)) / 100.0;
    }
    static const Hepatic hep[] = {Hepatic::none, Hepatic::none,     Hepatic::none,
                                  Hepatic::mild, Hepatic::moderate, Hepatic::severe};
    p.hepatic = hep[pick(std::size(hep))];
    for (const auto &c : f_.vocabulary.conditions) {
      if (chance(c == "pregnancy" ? 0.01 : 0.04))
        p.conditions.push_back(c);
    }
    const std::size_t n_meds = pick(4) == 0 ? pick(4) : 0;
    for (std::size_t i = 0; i < n_meds && !meds_.empty(); ++i) {
      const std::string &m = meds_[pick(meds_.size())];
      if (std::find(p.medications.begin(), p.medications.end(), m) == p.medications.end())
        p.medications.push_back(m);
    }
    if (chance(0.02))
      p.medications.push_back("zzz-unknown-medication");
    if (chance(0.05) && !meds_.empty()) {
      p.stopped_medications.push_back(
          {meds_[pick(meds_.size())], today - Days(static_cast<long>(pick(30)))});
    }
    return p;
  }

  // One patient's course: first plan, then up to five decisions; lint after each version.
  void run(int n, const Pathway &pw, Outcome &out) {
    const Date start = start_date();
    const Date today = start - Days(static_cast<long>(pick(8)));
    const Patient p = patient(n, today);
    Plan plan;
    try {
      plan = build_plan(p, f_, pw, plan_request(start, today));
    } catch (const RefusedError &) {
      ++out.refused;
      return;
    } catch (const std::exception &e) {
      out.failures.push_back(p.id + ": build_plan: " + e.what());
      return;
    }
    ++out.plans;
    collect(out, plan, p.id);
    const std::vector<ScoreEntry> scores;
    const std::vector<AdverseEffect> effects;
    for (int k = 0; k < 5; ++k) {
      const Stage *trial = plan.current_trial();
      if (trial == nullptr ||
          std::find(plan.tried.begin(), plan.tried.end(), trial->drug) != plan.tried.end() ||
          !trial->decision_date || trial->steps.empty()) {
        break;
      }
      Assessment a;
      a.patient = p.id;
      a.drug = trial->drug;
      a.date = *trial->decision_date;
      const std::size_t what = pick(10);
      if (what < 4) {
        a.decision = DecisionKind::escalate;
      } else if (what < 6) {
        a.decision = DecisionKind::extend;
      } else if (what < 9) {
        a.decision = DecisionKind::switch_;
      } else {
        // an intolerable effect on a day inside the trial: switch at once
        a.decision = DecisionKind::switch_;
        const Date first = trial->steps.front().range.begin();
        const long span = (*trial->decision_date - first).days();
        a.date = first + Days(1 + static_cast<long>(pick(static_cast<std::size_t>(span - 1))));
      }
      const Date on = a.date;
      AssessInput in{plan, p, f_, pw, scores, effects, on, 0};
      try {
        try {
          plan = apply_decision(in, a);
        } catch (const RefusedError &) {
          // at the stage maximum, or the dose is above a cap lowered since: switch instead
          if (a.decision == DecisionKind::switch_)
            throw;
          a.decision = DecisionKind::switch_;
          plan = apply_decision(in, a);
        }
      } catch (const std::exception &e) {
        out.failures.push_back(p.id + ": apply " + std::string(to_string(a.decision)) + " on " +
                               iso(on) + ": " + e.what());
        return;
      }
      ++out.decisions;
      ++out.plans;
      collect(out, plan, p.id);
    }
  }

private:
  bool serotonin_warned(const Plan &plan) const {
    for (const auto &st : plan.stages) {
      if (st.role != StageRole::trial || !is_serotonergic_medicine(f_, st.drug))
        continue;
      const bool warned = std::any_of(st.warnings.begin(), st.warnings.end(), [](const Finding &w) {
        return w.rule.rfind("interaction.serotonergic", 0) == 0;
      });
      if (!warned)
        return false;
    }
    return true;
  }
  void collect(Outcome &out, const Plan &plan, const std::string &id) {
    for (auto f : plan.lint) {
      if (f.rule == "lint.third-serotonergic" && serotonin_warned(plan)) {
        ++out.serotonergic_flags;
        continue;
      }
      f.text = id + ": " + f.text;
      out.findings.push_back(std::move(f));
    }
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::size_t pick(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  const Formulary &f_;
  std::mt19937 rng_;
  std::vector<std::string> meds_;
};

} // namespace titrate::cohort
