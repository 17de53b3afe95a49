#pragma once
// The course simulator: random patients (bench/cohort.hpp) through whole courses
// of real decisions. Each course logs pain scores day by day (a random share of days missing),
// side effects on random days and at random times (switch days included, since a new stage's
// first day is drawn on purpose), and now and then a change of renal function; assess() decides
// at each decision or review date (or at once on an intolerable effect) and apply_decision()
// makes the next version, which a clinician then approves. After every version the invariants
// below are checked by this file's own code, never by lint or the code under test:
//   1. every day from the first dose to the last has a dose, except the gap of a sequential
//      switch rule (a washout the plan states);
//   2. every drug switched away from or stopped has a taper or cross-taper of at least its
//      monograph's minimum days, with no dose rise inside it;
//   3. a decision for an intolerable side effect names a drug that was taken when the effect
//      happened (Plan::drugs_taken_at of the plan then), and no effect taken before a drug's
//      first dose makes that drug's assessment switch;
//   4. no dose from the decision day on is above the cap for the profile of that day;
//   5. a trial is judged on its response only after the pathway's minimum days at the
//      assessed dose;
//   6. a plan whose drug is a third serotonergic one for the patient carries a warning;
//   7. a drug given up (switched away from or stopped) has no trial dose planned after the
//      decision day: one not yet begun is not started at all.
// Deterministic for a seed. Used by tests/assessment/simulator_test.cpp (a few hundred courses)
// and bench/bench_courses.cpp (10,000 and more).
#include "bench/cohort.hpp"

#include <map>
#include <set>
#include <sstream>

namespace titrate::sim {

struct Totals {
  int courses = 0;
  int refused = 0;            // no first plan (pregnancy, nothing left)
  int decisions = 0;          // assessments applied
  int versions = 0;           // plan versions checked
  int switch_day_effects = 0; // side effects drawn on the first day of a new stage
  int renal_changes = 0;
  std::map<std::string, int> rules;    // decision rule -> count
  std::vector<std::string> violations; // "invariant N: patient: what"
};

class Simulator {
public:
  Simulator(const Formulary &f, const Pathway &pw, unsigned seed)
      : f_(f), pw_(pw), gen_(f, seed), rng_(seed ^ 0x9e3779b9u) {}

  void run(int n, Totals &t) {
    ++t.courses;
    const Date start = gen_.start_date();
    const Date today0 = start - Days(static_cast<long>(pick(8)));
    Patient p = gen_.patient(n, today0);
    p.conditions.erase(std::remove(p.conditions.begin(), p.conditions.end(), "pregnancy"),
                       p.conditions.end());
    if (!p.baseline_pain)
      p.baseline_pain = PainScore(5 + static_cast<int>(pick(5)));
    Plan plan;
    try {
      plan = build_plan(p, f_, pw_, cohort::plan_request(start, today0));
    } catch (const RefusedError &) {
      ++t.refused;
      return;
    } catch (const std::exception &e) {
      fail(t, 0, p.id, std::string("build_plan: ") + e.what());
      return;
    }
    check_version(t, p, plan, nullptr, today0);

    // Each drug gets a true effect on pain for this patient; days without a score are missing.
    const double score_days = 0.3 + 0.7 * unit();
    std::map<std::string, double> relief;
    for (const auto &m : f_.drugs)
      relief[m.name] = unit() * 0.7;
    const int baseline = p.baseline_pain->value();

    std::vector<ScoreEntry> scores;
    std::vector<AdverseEffect> effects;
    std::int64_t next_id = 1;
    Date day = start;
    int extensions = 0;
    std::string extended_drug;
    for (int k = 0; k < 10; ++k) {
      // Sometimes renal function changes (a profile update); the clinician re-plans from that
      // day, and the new version continues the running course (continue_plan) within the cap.
      if (unit() < 0.08) {
        static const double crcl[] = {10, 20, 25, 35, 50, 70, 100};
        p.serum_creatinine_mg_dl.reset();
        p.crcl_ml_min = crcl[pick(std::size(crcl))];
        ++t.renal_changes;
        try {
          const Plan before = plan;
          plan = draft_plan(p, f_, pw_, cohort::plan_request(day, day), &before).plan;
          check_version(t, p, plan, &before, day);
        } catch (const RefusedError &) {
          break; // nothing left for this patient now: the clinician refers
        } catch (const std::exception &e) {
          fail(t, 0, p.id, "re-plan on " + iso(day) + ": " + e.what());
          return;
        }
      }
      const auto due = plan.next_assessment();
      if (!due)
        break; // only tapers left: the course has stopped (or been referred)
      // Days up to the assessment: scores, side effects; an intolerable effect is assessed at once.
      Date assess_on = std::max(*due, day);
      for (Date d = day; d < assess_on; d += Days(1)) {
        const auto taken = plan.on(d);
        if (!taken.empty() && unit() < score_days) {
          double r = 0;
          for (const auto &[stage, step] : taken)
            r = std::max(r, relief[stage->drug]);
          const double noisy = baseline * (1 - r) + (unit() - 0.5) * 2;
          ScoreEntry s;
          s.id = next_id++;
          s.at = LocalDateTime{d, 8 * 60 + static_cast<int>(pick(14 * 60))};
          s.score = PainScore(std::clamp(static_cast<int>(noisy + 0.5), 0, 10));
          scores.push_back(s);
        }
        const bool first_day =
            std::any_of(plan.stages.begin(), plan.stages.end(), [&](const Stage &s) {
              return !s.steps.empty() && s.steps.front().range.begin() == d && d > start;
            });
        if (unit() < (first_day ? 0.3 : 0.01)) {
          AdverseEffect ae;
          ae.id = next_id++;
          ae.at = LocalDateTime{d, static_cast<int>(pick(24 * 60))};
          ae.description = "effect";
          const std::size_t sev = pick(10);
          ae.severity = sev < 5   ? AeSeverity::mild
                        : sev < 8 ? AeSeverity::moderate
                        : sev < 9 ? AeSeverity::severe
                                  : AeSeverity::intolerable;
          ae.drugs = plan.drugs_taken_at(ae.at); // as the store attributes it (active plan)
          ae.attributed = true;
          if (first_day)
            ++t.switch_day_effects;
          effects.push_back(ae);
          if (ae.severity == AeSeverity::intolerable && !ae.drugs.empty()) {
            assess_on = d;
            break;
          }
        }
      }
      const Stage *trial = plan.current_trial();
      if (trial == nullptr)
        break;
      if (trial->drug != extended_drug) {
        extensions = 0;
        extended_drug = trial->drug;
      }
      const AssessInput in{plan, p, f_, pw_, scores, effects, assess_on, extensions};
      Assessment a;
      try {
        a = assess(in);
      } catch (const std::exception &e) {
        fail(t, 0, p.id, "assess on " + iso(assess_on) + ": " + e.what());
        return;
      }
      ++t.rules[a.rule];
      check_decision(t, p, plan, effects, a);
      if (a.decision == DecisionKind::review) {
        // A clinician decides: in maintenance, one of their choices; otherwise the course ends.
        if (!trial->maintenance())
          break;
        static const DecisionKind kinds[] = {DecisionKind::continue_, DecisionKind::reduce,
                                             DecisionKind::switch_, DecisionKind::stop};
        try {
          a = clinician_decision(in, kinds[pick(std::size(kinds))], "simulated clinician");
        } catch (const RefusedError &) {
          a = clinician_decision(in, DecisionKind::stop, "simulated clinician");
        }
      }
      if (a.decision == DecisionKind::extend)
        ++extensions;
      const Plan before = plan;
      try {
        plan = apply_decision(in, a);
      } catch (const RefusedError &) {
        break; // above a cap lowered since: the clinician reviews (lint would say so)
      } catch (const std::exception &e) {
        fail(t, 0, p.id,
             "apply " + std::string(to_string(a.decision)) + " on " + iso(assess_on) + ": " +
                 e.what());
        return;
      }
      ++t.decisions;
      check_version(t, p, plan, &before, assess_on);
      day = assess_on;
      if (a.decision == DecisionKind::continue_ && !a.next_decision_date)
        day = assess_on + Days(1);
    }
  }

private:
  static void fail(Totals &t, int invariant, const std::string &id, const std::string &what) {
    if (t.violations.size() < 200) {
      t.violations.push_back(
          (invariant ? "invariant " + std::to_string(invariant) : std::string("error")) + ": " +
          id + ": " + what);
    }
  }

  bool serotonergic(const std::string &name) const {
    for (const auto *table :
         {&f_.vocabulary.class_members_of_drug, &f_.vocabulary.medication_classes}) {
      const auto it = table->find(name);
      if (it != table->end() &&
          std::find(it->second.begin(), it->second.end(), "serotonergic") != it->second.end())
        return true;
    }
    return false;
  }

  // 3 and 5: the decision against the data it was made on.
  void check_decision(Totals &t, const Patient &p, const Plan &plan,
                      const std::vector<AdverseEffect> &effects, const Assessment &a) {
    const Stage *trial = plan.current_trial();
    if (a.rule == "decision.intolerable") {
      const bool owned = std::any_of(effects.begin(), effects.end(), [&](const AdverseEffect &e) {
        return e.severity == AeSeverity::intolerable && e.at.date <= a.date &&
               std::find(e.drugs.begin(), e.drugs.end(), a.drug) != e.drugs.end();
      });
      if (!owned)
        fail(t, 3, p.id, "switch for an intolerable effect not taken with " + a.drug);
    }
    static const std::set<std::string> efficacy = {
        "decision.response", "decision.response-substantial", "decision.escalate",
        "decision.switch-at-maximum", "decision.severe-hold"};
    if (efficacy.count(a.rule) && trial != nullptr) {
      if (!trial->target_reached) {
        fail(t, 5, p.id, a.rule + " with no target date");
        return;
      }
      // Days at the assessed dose before the decision day, counted from the steps.
      long at_dose = 0;
      for (const auto &st : trial->steps) {
        if (st.daily != trial->assessed_dose)
          continue;
        const Date b = std::max(st.range.begin(), *trial->target_reached);
        const Date e = std::min(st.range.end(), a.date);
        if (b < e)
          at_dose += (e - b).days();
      }
      if (at_dose < pw_.decisions.min_days_at_target.value) {
        fail(t, 5, p.id,
             a.rule + " on " + iso(a.date) + " after " + std::to_string(at_dose) + " days at " +
                 trial->assessed_dose.str());
      }
    }
  }

  // 1, 2, 4, 6 on a plan version drafted on `today`.
  void check_version(Totals &t, const Patient &p, const Plan &plan, const Plan *before,
                     Date today) {
    ++t.versions;
    (void)before;
    Date first{9999, 1, 1}, last{1400, 1, 1};
    for (const auto &s : plan.stages) {
      if (s.steps.empty())
        continue;
      first = std::min(first, s.steps.front().range.begin());
      last = std::max(last, s.steps.back().range.end());
    }
    if (first > last)
      return;
    // 1. No day without a dose, except a sequential switch's gap.
    for (Date d = first; d < last; d += Days(1)) {
      if (!plan.on(d).empty())
        continue;
      bool washout = false;
      for (const auto &a : plan.stages) {
        for (const auto &b : plan.stages) {
          if (a.steps.empty() || b.steps.empty() || a.drug == b.drug)
            continue;
          const SwitchRule *r = f_.switch_rule(a.drug, b.drug);
          if (r != nullptr && r->mode == SwitchMode::sequential &&
              d >= a.steps.back().range.end() && d < b.steps.front().range.begin()) {
            washout = true;
          }
        }
      }
      if (!washout)
        fail(t, 1, p.id, "no dose on " + iso(d) + " and no washout says why");
    }
    // 2. A drug that stops is tapered for at least its minimum, never rising.
    for (const auto &s : plan.stages) {
      if (s.role == StageRole::trial)
        continue;
      // Time on drug (H6): from the drug's first trial day to the first taper day.
      std::optional<long> on_drug;
      for (const auto &tr : plan.stages) {
        if (tr.role == StageRole::trial && tr.drug == s.drug && !tr.steps.empty() &&
            !s.steps.empty())
          on_drug = (s.steps.front().range.begin() - tr.steps.front().range.begin()).days();
      }
      // The plan may say that the marketed units make no smaller dose (a stated exception).
      const bool stated = std::any_of(s.warnings.begin(), s.warnings.end(), [](const Finding &w) {
        return w.rule == "taper.no-reduced-step" || w.rule == "taper.single-administration";
      });
      long days = 0;
      for (std::size_t i = 0; i < s.steps.size(); ++i) {
        days += s.steps[i].range.days();
        if (i > 0 && s.steps[i].daily > s.steps[i - 1].daily) {
          fail(t, 2, p.id, s.drug + " taper rises on " + iso(s.steps[i].range.begin()));
        }
      }
      const Monograph &m = f_.get(s.drug);
      const int min_days = m.taper.min_days_for(on_drug);
      if (days < min_days && !stated) {
        fail(t, 2, p.id,
             s.drug + " " + std::string(to_string(s.role)) + " from " +
                 (s.steps.empty() ? std::string("-") : iso(s.steps.front().range.begin())) +
                 " over " + std::to_string(days) + " days, under its " + std::to_string(min_days) +
                 " (" + std::to_string(s.steps.size()) + " steps; note: " + s.note + ")");
      }
    }
    for (const auto &drug : plan.tried) {
      const bool tapered = std::any_of(plan.stages.begin(), plan.stages.end(), [&](const Stage &s) {
        return s.drug == drug && s.role != StageRole::trial;
      });
      // A drug never taken (its trial starts after the day it was given up) needs no taper.
      const bool taken = std::any_of(plan.stages.begin(), plan.stages.end(), [&](const Stage &s) {
        return s.drug == drug && !s.steps.empty() && s.steps.front().range.begin() < today;
      });
      if (!tapered && taken) {
        std::string steps;
        for (const auto &s : plan.stages)
          if (s.drug == drug && !s.steps.empty())
            steps += " " + std::string(to_string(s.role)) + " " +
                     iso(s.steps.front().range.begin()) + ".." + iso(s.steps.back().range.end());
        fail(t, 2, p.id,
             drug + " was switched away from with no taper (version of " + iso(today) + ";" +
                 steps + ")");
      }
    }
    // 7. A drug given up is not started or raised later as a trial.
    for (const auto &s : plan.stages) {
      if (s.role != StageRole::trial ||
          std::find(plan.tried.begin(), plan.tried.end(), s.drug) == plan.tried.end())
        continue;
      for (const auto &st : s.steps)
        if (st.range.begin() > today)
          fail(t, 7, p.id,
               "version of " + iso(today) + ": " + s.drug + " was given up but its trial has " +
                   st.daily.str() + " a day from " + iso(st.range.begin()));
    }
    // 4. Caps for today's profile, from the decision day on.
    const EligibilityReport report = check_eligibility(p, f_, today);
    for (const auto &s : plan.stages) {
      const DrugVerdict *v = report.find(s.drug);
      if (v == nullptr)
        continue;
      const Dose cap = daily_cap(f_.get(s.drug), *v);
      for (const auto &st : s.steps) {
        if (st.range.end() > today && st.daily > cap) {
          fail(
              t, 4, p.id,
              "version of " + iso(today) + (before ? "" : " (first)") + ": " + s.drug + " " +
                  std::string(to_string(s.role)) + " " + st.daily.str() + " a day from " +
                  iso(std::max(st.range.begin(), today)) + " above the cap " + cap.str() + " [" +
                  [&] {
                    std::string all;
                    for (const auto &x : s.steps)
                      all += iso(x.range.begin()) + ".." + iso(x.range.end()) + "=" +
                             x.daily.str() + " ";
                    return all + (s.note.empty() ? "" : "note: " + s.note);
                  }() +
                  "]");
        }
      }
    }
    // 6. A third serotonergic drug carries a warning.
    int on_board = 0;
    for (const auto &m : p.medications)
      on_board += serotonergic(m) ? 1 : 0;
    for (const auto &s : plan.stages) {
      if (s.role != StageRole::trial || !serotonergic(s.drug) || on_board < 2)
        continue;
      const bool warned = !s.warnings.empty() ||
                          std::any_of(plan.lint.begin(), plan.lint.end(), [](const Finding &f) {
                            return f.rule.find("serotonergic") != std::string::npos;
                          });
      if (!warned)
        fail(t, 6, p.id, s.drug + " is a third serotonergic drug with no warning");
    }
  }

  double unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  std::size_t pick(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  const Formulary &f_;
  const Pathway &pw_;
  cohort::Generator gen_;
  std::mt19937 rng_;
};

} // namespace titrate::sim
