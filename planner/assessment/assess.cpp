// Response-gated decisions (clinical.md A6, design.md §5). Every threshold comes from the
// pathway's DecisionParams and every dose from the Monograph and the eligibility caps; nothing
// clinical is a constant here. The order of the rules is the order of precedence:
//   1. tolerability and safety act at once, on any day (intolerable effect, new avoid verdict);
//   2. no baseline -> review (no efficacy decision can be made);
//   3. before the decision date -> continue (window not complete);
//   4. too few days with scores -> extend, or review once the extensions are used up;
//   5. response: continue / escalate (unless a severe effect holds the dose) / switch / stop.
#include "planner/assessment/assess.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace titrate {

namespace {

// Percentages are compared with this tolerance so that 30 % computed as 29.999999999 (binary
// floating point) still counts as 30 %; scores are whole numbers, so real values never lie
// this close to a threshold without being on it.
constexpr double pct_tolerance = 1e-9;

// "4.2", "7", "33.33": at most `decimals` places, no trailing zeros, a leading zero (ISMP).
std::string num(double v, int decimals) {
  return decimal_text(v, decimals);
}

std::string cite(const Citation &c) {
  return c.verified ? c.source : c.source + " (UNVERIFIED)";
}

std::string join_sources(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto &p : parts) {
    if (p.empty() || out.find(p) != std::string::npos)
      continue;
    out += (out.empty() ? "" : "; ") + p;
  }
  return out;
}

std::string days_text(long n) {
  return std::to_string(n) + (n == 1 ? " day" : " days");
}

// Per-day means of the live entries: an entry whose id a later correction names in
// `supersedes` is dropped; several entries on one day count as one day (their mean).
std::map<Date, double> daily_means(const std::vector<ScoreEntry> &scores, Date today) {
  std::set<std::int64_t> superseded;
  for (const auto &s : scores)
    if (s.supersedes)
      superseded.insert(*s.supersedes);
  std::map<Date, std::pair<int, int>> sums; // day -> (sum, count)
  for (const auto &s : scores) {
    if (s.retracted || (s.id != 0 && superseded.count(s.id)))
      continue;
    if (s.at.date > today)
      continue; // a score from the future is not data yet
    auto &[sum, count] = sums[s.at.date];
    sum += s.score.value();
    ++count;
  }
  std::map<Date, double> out;
  for (const auto &[day, sc] : sums)
    out[day] = static_cast<double>(sc.first) / sc.second;
  return out;
}

// Mean of the daily means in [begin, end) and the number of days that had scores.
Window window_of(const std::map<Date, double> &days, Date begin, Date end) {
  Window w;
  w.start = begin;
  w.end = end;
  double sum = 0;
  for (auto it = days.lower_bound(begin); it != days.end() && it->first < end; ++it) {
    sum += it->second;
    ++w.scores;
  }
  if (w.scores > 0)
    w.mean = sum / w.scores;
  return w;
}

struct Context {
  const AssessInput &in;
  const DecisionParams &dp;
  const Stage &stage;
  const Monograph &drug;
  const EligibilityReport &report;
  const DrugVerdict &verdict;
};

// Decides what follows the current drug: the next drug of the pathway (clinical.md A1 stage
// choice, shared with the scheduler) or, when none is left, stop and refer.
void switch_or_stop(Assessment &a, const Context &c, const std::string &rule,
                    const std::string &source) {
  // A drug whose first day is still ahead (it waits for a running taper) was never taken.
  const bool unstarted = !c.stage.steps.empty() && c.stage.steps.front().range.begin() > c.in.today;
  const std::string off = unstarted ? c.stage.drug + " was to start on " +
                                          iso(c.stage.steps.front().range.begin()) +
                                          ": it is not started, and needs no taper"
                                    : std::string();
  std::vector<std::string> tried = c.in.plan.tried;
  for (const auto &st : c.in.plan.stages)
    if (st.role == StageRole::trial &&
        std::find(tried.begin(), tried.end(), st.drug) == tried.end())
      tried.push_back(st.drug);
  try {
    const DrugVerdict &next =
        choose_drug(c.report, c.in.formulary, c.in.pathway, tried, std::nullopt);
    a.decision = DecisionKind::switch_;
    a.rule = rule;
    a.source = source;
    a.next_drug = next.drug;
    std::string why = "switch to " + next.drug + ", the next drug of pathway " + c.in.pathway.name +
                      " not yet tried (verdict " + std::string(to_string(next.verdict)) + ")";
    a.reasons.push_back(why);
    for (const auto &f : next.reasons) {
      if (f.severity != Severity::ok) {
        a.reasons.push_back(next.drug + ": " + std::string(to_string(f.severity)) + ": " + f.text +
                            " (" + f.source + ")");
      }
    }
    a.reasons.push_back(
        unstarted ? off : c.stage.drug + " is tapered off as the formulary's switching rules say");
  } catch (const RefusedError &) {
    a.decision = DecisionKind::stop;
    a.rule = "decision.no-stage-left";
    a.source = join_sources({source, cite(c.in.pathway.cite)});
    a.reasons.push_back("no drug of pathway " + c.in.pathway.name +
                        " is left (every one avoid or already tried)");
    a.reasons.push_back(c.in.pathway.after_last.empty() ? "refer to specialist pain services"
                                                        : c.in.pathway.after_last);
    a.reasons.push_back(
        unstarted ? off : c.stage.drug + " is tapered off as the formulary's taper rule says");
  }
}

std::string maintenance_text(const Stage &stage, Date review, const DecisionParams &dp) {
  return "maintenance: " + stage.drug + " " + stage.assessed_dose.str() +
         " daily goes on with no end date; next review on " + iso(review) + " (" +
         days_text(dp.maintenance_review_days.value) + ", " +
         cite(dp.maintenance_review_days.cite) + ")";
}

// A stage in maintenance (clinical.md A6 "continue"): before its review date the dose
// goes on; at or after it, the response over the window before the review date decides whether
// it goes on to the next review, or a clinician must decide (too few scores, or the response is
// lost). Nothing here stops or lowers a dose on its own.
void assess_maintenance(Assessment &a, const Context &c, const std::map<Date, double> &days,
                        const AdverseEffect *severe) {
  const DecisionParams &dp = c.dp;
  const Stage &stage = c.stage;
  const Date review = *stage.review_date;
  const std::string dose = stage.drug + " " + stage.assessed_dose.str() + " daily";
  a.source = cite(dp.maintenance_review_days.cite);
  if (c.in.today < review) {
    a.decision = DecisionKind::continue_;
    a.rule = "decision.maintenance";
    a.reasons.insert(a.reasons.begin(),
                     "maintenance: " + dose + " goes on; next review on " + iso(review));
    if (severe != nullptr) {
      a.reasons.push_back("severe adverse effect: " + severe->description + " (logged " +
                          iso(severe->at.date) + "); a clinician may review before " + iso(review));
    }
    return;
  }
  a.window = window_of(days, review - Days(dp.window_days.value), review);
  a.change_pct.reset();
  if (a.baseline && *a.baseline > 0 && a.window.mean) {
    a.change_pct = (*a.baseline - *a.window.mean) / *a.baseline * 100.0;
  }
  const std::string window_text =
      "maintenance review " + iso(review) + ": window " + iso(a.window.start) + " through " +
      iso(a.window.end - Days(1)) + ", " + days_text(a.window.scores) + " with scores" +
      (a.window.mean ? ", mean " + num(*a.window.mean, 2) : std::string());
  const std::string choose =
      "; " + dose +
      " goes on until a clinician decides (continue, reduce, escalate, switch or "
      "stop: titrate assess ID --apply --decision KIND --reason TEXT)";
  if (a.window.scores < dp.min_days_with_scores.value) {
    a.decision = DecisionKind::review;
    a.rule = "decision.maintenance-few-scores";
    a.source = join_sources({a.source, cite(dp.min_days_with_scores.cite)});
    a.reasons.insert(a.reasons.begin(), window_text + "; " +
                                            std::to_string(dp.min_days_with_scores.value) +
                                            " needed to judge the response" + choose);
    return;
  }
  const double change = *a.change_pct;
  const std::string change_text = window_text + "; change " + num(change, 1) + " % from baseline";
  if (change + pct_tolerance >= dp.response_pct.value) {
    a.decision = DecisionKind::continue_;
    a.rule = "decision.maintenance-response";
    a.substantial = change + pct_tolerance >= dp.substantial_pct.value;
    a.source = join_sources({cite(dp.response_pct.cite), a.source});
    a.next_decision_date = c.in.today + Days(dp.maintenance_review_days.value);
    a.reasons.insert(a.reasons.begin(), change_text + " (at least " +
                                            num(dp.response_pct.value, 1) +
                                            " %): the response holds; " +
                                            maintenance_text(stage, *a.next_decision_date, dp));
    return;
  }
  a.decision = DecisionKind::review;
  a.rule = "decision.maintenance-response-lost";
  a.source = join_sources({cite(dp.response_pct.cite), a.source});
  a.reasons.insert(a.reasons.begin(), change_text + " (below " + num(dp.response_pct.value, 1) +
                                          " %): the response is lost" + choose);
}

// The highest dose below `dose` that the monograph titrates through (an opening step or an
// escalation step), for "reduce".
std::optional<Dose> lower_step(const Monograph &m, Dose dose) {
  std::optional<Dose> best;
  auto consider = [&](Dose d) {
    if (d < dose && !d.is_zero() && (!best || *best < d))
      best = d;
  };
  for (const auto &s : m.titration.start)
    consider(s.daily);
  consider(m.titration.target);
  for (const Dose d : m.titration.escalation)
    consider(d);
  return best;
}

} // namespace

Assessment assess(const AssessInput &in) {
  const DecisionParams &dp = in.pathway.decisions;
  Assessment a;
  a.patient = in.plan.patient.empty() ? in.patient.id : in.plan.patient;
  a.date = in.today;

  const Stage *stage = in.plan.current_trial();
  if (stage == nullptr) {
    a.decision = DecisionKind::review;
    a.rule = "decision.no-trial";
    a.source = cite(in.pathway.cite);
    a.reasons.push_back("the plan has no trial stage to assess");
    return a;
  }
  a.drug = stage->drug;
  const Monograph &drug = in.formulary.get(stage->drug);
  const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
  const DrugVerdict *verdict = report.find(stage->drug);
  if (verdict == nullptr) {
    throw DataError("assess: " + stage->drug +
                    " has no eligibility verdict (not in the formulary)");
  }
  const Context c{in, dp, *stage, drug, report, *verdict};

  const Date stage_start =
      stage->steps.empty() ? in.plan.start : stage->steps.front().range.begin();
  const Date first_dose = (in.plan.stages.empty() || in.plan.stages.front().steps.empty())
                              ? in.plan.start
                              : in.plan.stages.front().steps.front().range.begin();
  if (stage->target_reached && in.today > *stage->target_reached) {
    a.days_at_target = static_cast<int>((in.today - *stage->target_reached).days());
  }

  // The numbers are computed first, so that every decision (even "switch now") states them.
  const auto days = daily_means(in.scores, in.today);
  const Window base = window_of(days, first_dose - Days(dp.baseline_days.value), first_dose);
  std::string baseline_how;
  if (base.scores >= dp.baseline_min_days.value && base.mean) {
    a.baseline = *base.mean;
    baseline_how = "baseline " + num(*a.baseline, 2) + ": mean of the daily means of " +
                   days_text(base.scores) + " with scores in the " +
                   days_text(dp.baseline_days.value) + " before the first dose (" +
                   iso(first_dose) + ")";
  } else if (in.patient.baseline_pain) {
    a.baseline = in.patient.baseline_pain->value();
    baseline_how = "baseline " + num(*a.baseline, 2) + ": entered with the patient (" +
                   days_text(base.scores) + " with scores before the first dose; " +
                   std::to_string(dp.baseline_min_days.value) + " needed)";
  }
  if (stage->decision_date) {
    const Date d = *stage->decision_date;
    a.window = window_of(days, d - Days(dp.window_days.value), d);
    if (a.baseline && *a.baseline > 0 && a.window.mean) {
      a.change_pct = (*a.baseline - *a.window.mean) / *a.baseline * 100.0;
    }
  }
  if (!baseline_how.empty())
    a.reasons.push_back(baseline_how);

  // Effects that belong to this drug (taken at their time: stored with the effect, else read off
  // this plan), since it started, up to today. Never a date comparison alone: an effect on the
  // morning of a switch day stays with the drug taken before the switch.
  const AdverseEffect *intolerable = nullptr;
  const AdverseEffect *severe = nullptr;
  std::set<std::int64_t> replaced; // corrected or retracted entries (by a later entry's id)
  for (const auto &ae : in.adverse_effects)
    if (ae.supersedes)
      replaced.insert(*ae.supersedes);
  for (const auto &ae : in.adverse_effects) {
    if (ae.retracted || (ae.id != 0 && replaced.count(ae.id)) || ae.at.date < stage_start ||
        ae.at.date > in.today) {
      continue;
    }
    const auto drugs = ae.attributed ? ae.drugs : in.plan.drugs_taken_at(ae.at);
    if (std::find(drugs.begin(), drugs.end(), stage->drug) == drugs.end())
      continue;
    if (ae.severity == AeSeverity::intolerable && (!intolerable || ae.at < intolerable->at)) {
      intolerable = &ae;
    }
    if (ae.severity == AeSeverity::severe && (!severe || ae.at < severe->at))
      severe = &ae;
  }

  // 1. Tolerability and safety: at once, on any day.
  if (intolerable != nullptr) {
    a.reasons.insert(a.reasons.begin(),
                     "intolerable adverse effect on " + stage->drug + ": " +
                         intolerable->description + " (logged " + iso(intolerable->at.date) +
                         "); switch at once, without waiting for the assessment window");
    switch_or_stop(a, c, "decision.intolerable", cite(in.pathway.cite));
    return a;
  }
  if (verdict->verdict == Severity::avoid) {
    std::string sources;
    for (const auto &f : verdict->reasons) {
      if (f.severity != Severity::avoid)
        continue;
      a.reasons.insert(a.reasons.begin(), stage->drug + " is now avoid for this patient: " +
                                              f.text + " (" + f.source + "); switch at once");
      sources = join_sources({sources, f.source});
    }
    switch_or_stop(a, c, "decision.new-contraindication", sources);
    return a;
  }
  if (report.pregnancy) {
    a.decision = DecisionKind::review;
    a.rule = "decision.pregnancy";
    a.source = cite(in.pathway.cite);
    for (const auto &f : verdict->reasons)
      if (f.severity != Severity::ok)
        a.reasons.push_back(f.text + " (" + f.source + ")");
    a.reasons.insert(a.reasons.begin(), "pregnancy: every drug needs specialist review; no "
                                        "automatic decision (clinical.md A1)");
    return a;
  }

  // 2. Baseline.
  if (!a.baseline || *a.baseline <= 0) {
    a.decision = DecisionKind::review;
    a.rule = "decision.no-baseline";
    a.source = cite(dp.baseline_min_days.cite);
    a.reasons.insert(a.reasons.begin(),
                     a.baseline
                         ? "no baseline: the baseline is 0, so no change can be measured"
                         : "no baseline: " + days_text(base.scores) + " with scores in the " +
                               days_text(dp.baseline_days.value) + " before the first dose (" +
                               std::to_string(dp.baseline_min_days.value) +
                               " needed) and none entered with the patient");
    return a;
  }

  // 3a. Maintenance after a response: the dose goes on; at the review date the response is
  // checked again over the window before it.
  if (stage->review_date) {
    assess_maintenance(a, c, days, severe);
    return a;
  }

  // 3. The hold at the assessed dose.
  if (!stage->decision_date || !stage->target_reached) {
    a.decision = DecisionKind::review;
    a.rule = "decision.no-decision-date";
    a.source = cite(dp.min_days_at_target.cite);
    a.reasons.push_back("the trial stage of " + stage->drug + " has no decision date");
    return a;
  }
  const Date decision_date = *stage->decision_date;
  if (in.today < decision_date) {
    const long total = (decision_date - *stage->target_reached).days();
    const long done = std::clamp<long>(a.days_at_target, 0, total);
    a.decision = DecisionKind::continue_;
    a.rule = "decision.window-not-complete";
    a.source = cite(dp.min_days_at_target.cite);
    a.reasons.insert(a.reasons.begin(), "window not complete: " + std::to_string(done) + " of " +
                                            days_text(total) + " at " + stage->assessed_dose.str() +
                                            " daily; decision date " + iso(decision_date));
    if (in.today < *stage->target_reached) {
      a.reasons.push_back("still titrating: " + stage->assessed_dose.str() + " daily from " +
                          iso(*stage->target_reached));
    }
    if (severe != nullptr) {
      a.reasons.push_back("severe adverse effect: " + severe->description + " (logged " +
                          iso(severe->at.date) + "); no escalation, the dose is held");
    }
    return a;
  }

  // 4. Enough days with scores in the window?
  const std::string window_text =
      "window " + iso(a.window.start) + " through " + iso(a.window.end - Days(1)) + ": " +
      days_text(a.window.scores) + " with scores" +
      (a.window.mean ? ", mean " + num(*a.window.mean, 2) : std::string());
  if (a.window.scores < dp.min_days_with_scores.value) {
    const std::string few =
        window_text + "; " + std::to_string(dp.min_days_with_scores.value) + " needed";
    if (in.extensions_so_far >= dp.max_extensions.value) {
      a.decision = DecisionKind::review;
      a.rule = "decision.extensions-used";
      a.source = join_sources({cite(dp.max_extensions.cite), cite(dp.min_days_with_scores.cite)});
      a.reasons.insert(a.reasons.begin(),
                       few + "; the window was already extended " +
                           std::to_string(in.extensions_so_far) + " times (at most " +
                           std::to_string(dp.max_extensions.value) + "): a clinician must review");
    } else {
      a.decision = DecisionKind::extend;
      a.rule = "decision.extend";
      a.source = join_sources({cite(dp.min_days_with_scores.cite), cite(dp.extension_days.cite)});
      a.next_decision_date = decision_date + Days(dp.extension_days.value);
      a.reasons.insert(a.reasons.begin(),
                       few + "; extend the hold by " + days_text(dp.extension_days.value) +
                           " to a new decision date " + iso(*a.next_decision_date) +
                           " (extension " + std::to_string(in.extensions_so_far + 1) + " of " +
                           std::to_string(dp.max_extensions.value) + ")");
    }
    return a;
  }

  // 5. Response.
  const double change = *a.change_pct;
  const std::string change_text = window_text + "; change " + num(change, 1) + " % from baseline";
  if (change + pct_tolerance >= dp.response_pct.value) {
    a.decision = DecisionKind::continue_;
    a.substantial = change + pct_tolerance >= dp.substantial_pct.value;
    a.rule = a.substantial ? "decision.response-substantial" : "decision.response";
    a.source = a.substantial
                   ? join_sources({cite(dp.substantial_pct.cite), cite(dp.response_pct.cite)})
                   : cite(dp.response_pct.cite);
    a.reasons.insert(a.reasons.begin(),
                     change_text + (a.substantial ? " (substantial: at least " : " (at least ") +
                         num(a.substantial ? dp.substantial_pct.value : dp.response_pct.value, 1) +
                         " %): a response; continue " + stage->drug + " " +
                         stage->assessed_dose.str() + " daily");
    a.next_decision_date = in.today + Days(dp.maintenance_review_days.value);
    a.reasons.push_back(maintenance_text(*stage, *a.next_decision_date, dp));
    if (severe != nullptr) {
      a.reasons.push_back("severe adverse effect: " + severe->description + " (logged " +
                          iso(severe->at.date) + "); no escalation, the dose is held");
    }
    return a;
  }

  const Dose cap = daily_cap(drug, *verdict);
  std::optional<Dose> next;
  for (const Dose d : drug.titration.escalation) {
    if (d > stage->assessed_dose) {
      next = d;
      break;
    }
  }
  const std::string below = change_text + " (below " + num(dp.response_pct.value, 1) + " %)";
  if (next && *next <= cap) {
    if (severe != nullptr) {
      a.decision = DecisionKind::continue_;
      a.rule = "decision.severe-hold";
      a.source = join_sources({cite(dp.response_pct.cite), cite(in.pathway.cite)});
      a.reasons.insert(a.reasons.begin(),
                       below + "; an escalation to " + next->str() +
                           " daily would be allowed, but a severe adverse effect was logged (" +
                           severe->description + ", " + iso(severe->at.date) +
                           "): no escalation; the dose is held at " + stage->assessed_dose.str() +
                           " daily");
      // The held dose goes on (never a day without it) to a review after the pathway's
      // extension, when the clinician decides with the effect in view.
      a.next_decision_date = in.today + Days(dp.extension_days.value);
      a.reasons.push_back("the held dose continues; review on " + iso(*a.next_decision_date) +
                          " (" + days_text(dp.extension_days.value) + ", the pathway's extension)");
      return a;
    }
    a.decision = DecisionKind::escalate;
    a.rule = "decision.escalate";
    a.source = join_sources({cite(dp.response_pct.cite), cite(drug.titration.cite)});
    a.next_dose = *next;
    a.reasons.insert(a.reasons.begin(),
                     below + "; escalate " + stage->drug + " from " + stage->assessed_dose.str() +
                         " to " + next->str() + " daily (cap for this patient " + cap.str() +
                         " daily), with a new hold of " + days_text(dp.min_days_at_target.value) +
                         " from the first day at the higher dose");
    return a;
  }
  a.reasons.insert(a.reasons.begin(),
                   below + " at the stage maximum for this patient (" + stage->assessed_dose.str() +
                       " daily; " +
                       (next ? "the next step " + next->str() + " is above the cap " + cap.str()
                             : std::string("no higher step in the formulary; cap ") + cap.str()) +
                       ")");
  switch_or_stop(a, c, "decision.switch-at-maximum", cite(dp.response_pct.cite));
  return a;
}

Assessment clinician_decision(const AssessInput &in, DecisionKind kind, const std::string &reason,
                              const DecisionFields &names) {
  const std::string decision_field(names.decision);
  if (reason.find_first_not_of(" \t") == std::string::npos) {
    throw InputError(std::string(names.reason) + ": missing; expected why the clinician decides " +
                     std::string(to_string(kind)) + " (recorded with the decision and audit)");
  }
  if (kind == DecisionKind::extend || kind == DecisionKind::review) {
    throw InputError(decision_field + ": \"" + std::string(to_string(kind)) +
                     "\" is titrate's own decision; expected continue, reduce, escalate, switch "
                     "or stop");
  }
  Assessment a = assess(in);
  const Stage *stage = in.plan.current_trial();
  if (stage == nullptr || !stage->maintenance()) {
    throw RefusedError(decision_field + ": refused: the plan of " + a.patient +
                       " is not in maintenance; during a trial titrate decides at the decision "
                       "date, and its own decision is the one to apply");
  }
  const DecisionParams &dp = in.pathway.decisions;
  const Monograph &m = in.formulary.get(stage->drug);
  const EligibilityReport report = check_eligibility(in.patient, in.formulary, in.today);
  const DrugVerdict *v = report.find(stage->drug);
  a.decision = kind;
  a.rule = "decision.clinician";
  a.next_dose.reset();
  a.next_drug.reset();
  a.next_decision_date.reset();
  a.substantial = false;
  std::string what;
  switch (kind) {
  case DecisionKind::continue_:
    a.next_decision_date = in.today + Days(dp.maintenance_review_days.value);
    what = maintenance_text(*stage, *a.next_decision_date, dp);
    break;
  case DecisionKind::reduce: {
    // Below the dose taken now (the last step's), and within today's cap.
    const Dose now = stage->steps.empty() ? stage->assessed_dose : stage->steps.back().daily;
    const Dose cap = v != nullptr ? daily_cap(m, *v) : m.titration.max_daily;
    a.next_dose = lower_step(m, now);
    if (a.next_dose && *a.next_dose > cap)
      a.next_dose.reset();
    if (!a.next_dose) {
      throw RefusedError(decision_field + " reduce: refused: " + stage->drug +
                         " has no titration step "
                         "below " +
                         now.str() + " daily within this patient's cap of " + cap.str() +
                         " daily; stop instead");
    }
    a.next_decision_date = in.today + Days(dp.min_days_at_target.value);
    what = "reduce " + stage->drug + " from " + now.str() + " to " + a.next_dose->str() +
           " daily from " + iso(in.today) + ", judged after " +
           days_text(dp.min_days_at_target.value) + " at it (decision date " +
           iso(*a.next_decision_date) + ")";
    break;
  }
  case DecisionKind::escalate: {
    const Dose cap = v != nullptr ? daily_cap(m, *v) : m.titration.max_daily;
    for (const Dose d : m.titration.escalation) {
      if (d > stage->assessed_dose) {
        if (d <= cap)
          a.next_dose = d;
        break;
      }
    }
    if (!a.next_dose) {
      throw RefusedError(decision_field + " escalate: refused: " + stage->drug +
                         " has no escalation "
                         "step above " +
                         stage->assessed_dose.str() +
                         " daily within this "
                         "patient's cap of " +
                         cap.str() + " daily");
    }
    what = "escalate " + stage->drug + " to " + a.next_dose->str() + " daily";
    break;
  }
  case DecisionKind::switch_: {
    std::vector<std::string> tried = in.plan.tried;
    for (const auto &st : in.plan.stages)
      if (st.role == StageRole::trial &&
          std::find(tried.begin(), tried.end(), st.drug) == tried.end())
        tried.push_back(st.drug);
    try {
      a.next_drug = choose_drug(report, in.formulary, in.pathway, tried, std::nullopt).drug;
    } catch (const RefusedError &) {
      throw RefusedError(decision_field + " switch: refused: no drug of pathway " +
                         in.pathway.name + " is left to switch to; stop instead");
    }
    what = "switch from " + stage->drug + " to " + *a.next_drug + "; " + stage->drug +
           " is tapered off as the formulary's switching rules say";
    break;
  }
  case DecisionKind::stop:
    what = "stop " + stage->drug + ": tapered off as its label says; no further drug is started";
    break;
  case DecisionKind::extend:
  case DecisionKind::review:
    break;
  }
  a.reasons.insert(a.reasons.begin(), "clinician's decision: " + what + "; reason: " + reason);
  return a;
}

} // namespace titrate
