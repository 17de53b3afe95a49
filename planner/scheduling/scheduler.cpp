// Stage choice, titration, holds, escalation and tapers (clinical.md A1, A3, A7). Every figure
// comes from the Monograph, the renal band, the eligibility report or the pathway; the rules
// that are the project's own are written down in docs/clinical-basis.md "Scheduling rules".
#include "planner/scheduling/scheduler.hpp"

#include "planner/core/errors.hpp"

#include <algorithm>
#include <numeric>

namespace titrate {

namespace {

bool contains(const std::vector<std::string> &v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string> &v) {
  std::string out;
  for (const auto &s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

// A renal band is "reduced" when its cap is below the drug's maximum: there the drug starts at
// the band's lowest daily dose (clinical.md A3, last paragraph) instead of the opening steps.
bool reduced_band(const Monograph &m, const RenalBand *b) {
  return b != nullptr && b->max_daily && *b->max_daily < m.titration.max_daily;
}

std::vector<AdminTime> default_times(const Monograph &m, const RenalBand *b) {
  if (b != nullptr && !b->times.empty())
    return b->times;
  return m.titration.times;
}

struct DoseStep {
  Dose daily;
  int days = 0;
  std::vector<AdminTime> times;
};

Step make_step(const Monograph &m, Dose daily, const std::vector<AdminTime> &times, Date begin,
               Date end) {
  auto doses = split_daily(m, daily, times);
  if (!doses) {
    throw DataError(m.source_file + ": " + m.name + ": a daily dose of " + daily.str() +
                    " cannot be built from the marketed strengths over " +
                    std::to_string(times.size()) + " administration(s)");
  }
  return Step{DateRange(begin, end), daily, std::move(*doses)};
}

// The rising part of a titration from `from` (exclusive) to `to` (inclusive) by the increment.
void add_increments(std::vector<DoseStep> &seq, const Monograph &m, Dose from, Dose to,
                    const std::vector<AdminTime> &times) {
  const auto &t = m.titration;
  Dose d = from;
  while (d < to) {
    if (t.increment.is_zero()) {
      d = to; // no increment in the monograph: the next step is the target itself
    } else {
      d = std::min(d + t.increment, to);
    }
    seq.push_back({d, t.interval_days, times});
  }
}

// The next dose of a decrement taper: `prev - decrement`, or where whole units cannot make
// that dose, the smallest buildable dose above it (project rule: a cut is never larger than the
// rule's decrement). nullopt = stop.
std::optional<Dose> next_taper_dose(const Monograph &m, Dose prev, Dose decrement,
                                    const std::vector<AdminTime> &times) {
  if (prev <= decrement)
    return std::nullopt;
  std::int64_t grain = 0;
  for (const auto &s : m.strengths)
    grain = std::gcd(grain, s.dose.ug());
  if (grain <= 0)
    return std::nullopt;
  // the first multiple of the grain at or above prev - decrement
  const std::int64_t low = (prev - decrement).ug();
  for (std::int64_t ug = (low + grain - 1) / grain * grain; ug < prev.ug(); ug += grain) {
    if (split_daily(m, Dose::micrograms(ug), times))
      return Dose::micrograms(ug);
  }
  return std::nullopt;
}

// Spreads `total` days over the steps as evenly as whole days allow, the longer steps last
// (the lowest doses are held longest). Every step keeps at least one day.
void spread_days(std::vector<DoseStep> &seq, int total) {
  if (seq.empty())
    return;
  const int n = static_cast<int>(seq.size());
  total = std::max(total, n);
  const int base = total / n;
  const int longer = total % n;
  for (int i = 0; i < n; ++i)
    seq[static_cast<std::size_t>(i)].days = base + (i >= n - longer ? 1 : 0);
}

// The reduced step of a once-daily dose (project rule, docs/clinical-basis.md sched.taper): the
// drop_administration rule cuts a twice-daily dose to half on its first step; a once-daily dose
// gets that cut too, down to the largest dose whole units make at or below half the current one
// (gabapentin 700 mg -> 300 mg, as clinical.md G2 #13 reads GAB-US "gradually over a minimum of
// 1 week"). nullopt: no such dose (the lowest strength).
std::optional<Dose> once_daily_reduced(const Monograph &m, Dose current,
                                       const std::vector<AdminTime> &times) {
  std::int64_t grain = 0;
  for (const auto &s : m.strengths)
    grain = std::gcd(grain, s.dose.ug());
  if (grain <= 0)
    return std::nullopt;
  for (std::int64_t ug = current.ug() / 2 / grain * grain; ug > 0; ug -= grain) {
    const Dose d = Dose::micrograms(ug);
    if (auto doses = split_daily(m, d, times); doses && doses->size() == times.size())
      return d;
  }
  return std::nullopt;
}

std::vector<Finding> cautions(const DrugVerdict &v) {
  std::vector<Finding> out;
  for (const auto &r : v.reasons) {
    if (r.severity != Severity::ok)
      out.push_back(r);
  }
  return out;
}

} // namespace

Dose daily_cap(const Monograph &m, const DrugVerdict &v) {
  Dose cap = m.titration.max_daily;
  if (v.max_daily && *v.max_daily < cap)
    cap = *v.max_daily;
  if (v.renal_band != nullptr && v.renal_band->max_daily && *v.renal_band->max_daily < cap) {
    cap = *v.renal_band->max_daily;
  }
  return cap;
}

const DrugVerdict &choose_drug(const EligibilityReport &r, const Formulary &f, const Pathway &pw,
                               const std::vector<std::string> &tried,
                               const std::optional<std::string> &prefer, std::string_view field) {
  if (r.pregnancy && !prefer) {
    // clinical.md H18: pregnancy is a caution (pregabalin avoid), not a blanket refusal, but a
    // plan for a pregnant patient is never generated without the clinician naming the drug.
    throw RefusedError("plan: refused: pregnancy: titrate does not choose a drug in pregnancy; "
                       "after a specialist decision, name the drug (" +
                       std::string(field) + "; clinical.md A1, H18)");
  }
  if (prefer) {
    if (!contains(pw.drugs, *prefer)) {
      throw InputError(std::string(field) + ": \"" + *prefer + "\" is not a drug of pathway " +
                       pw.name + "; expected one of " + join(pw.drugs));
    }
    const DrugVerdict *v = r.find(*prefer);
    if (v == nullptr || f.find(*prefer) == nullptr) {
      throw InputError(std::string(field) + ": \"" + *prefer + "\" is not in the formulary");
    }
    if (contains(tried, *prefer)) {
      throw RefusedError(std::string(field) + ": " + *prefer +
                         " has already been tried for this patient");
    }
    if (v->verdict == Severity::avoid) {
      std::string why;
      for (const auto &reason : v->reasons) {
        if (reason.severity == Severity::avoid)
          why += "; " + reason.text + " (" + reason.source + ")";
      }
      throw RefusedError(std::string(field) + ": refused: " + *prefer +
                         " is avoid for this patient" + why);
    }
    return *v;
  }
  for (const auto &drug : pw.drugs) {
    if (contains(tried, drug) || f.find(drug) == nullptr)
      continue;
    const DrugVerdict *v = r.find(drug);
    if (v != nullptr && v->verdict == Severity::ok)
      return *v;
  }
  // Every drug left is caution: the lightest caution load.
  if (const auto c = choose_caution_drug(r, f, pw, tried))
    return *r.find(c->drug);
  std::string msg = "plan: refused: no drug of pathway " + pw.name +
                    " is left for this patient (every one avoid or already tried); refer to "
                    "specialist pain services";
  if (!pw.after_last.empty())
    msg += " (" + pw.after_last + ")";
  throw RefusedError(msg);
}

Stage build_trial_stage(const Monograph &m, const DrugVerdict &v, const Pathway &pw, Date start,
                        std::optional<Dose> start_dose, std::optional<Date> first_step_until) {
  const auto &t = m.titration;
  const RenalBand *band = v.renal_band;
  const auto times = default_times(m, band);
  const Dose cap = daily_cap(m, v);
  const Dose target = std::min(t.target, cap);
  if (target.is_zero()) {
    throw DataError(m.source_file + ": " + m.name + ": no positive target dose within the cap");
  }

  std::vector<DoseStep> seq;
  if (start_dose) {
    seq.push_back({std::min(*start_dose, target), t.interval_days, times});
  } else if (reduced_band(m, band) && band->min_daily) {
    seq.push_back({std::min(*band->min_daily, target), t.interval_days, times});
  } else {
    for (const auto &s : t.start) {
      const Dose d = std::min(s.daily, target);
      if (!seq.empty() && seq.back().daily >= d)
        continue; // never a step down or a repeat
      seq.push_back({d, s.days, s.times.empty() ? times : s.times});
      if (d == target)
        break;
    }
    if (seq.empty()) {
      throw DataError(m.source_file + ": " + m.name + ": titration has no opening step");
    }
  }
  // The first increment comes a full interval after the last opening dose begins.
  if (seq.back().daily < target)
    seq.back().days = std::max(seq.back().days, t.interval_days);
  add_increments(seq, m, seq.back().daily, target, times);

  Stage stage;
  stage.drug = m.name;
  stage.role = StageRole::trial;
  stage.assessed_dose = target;
  stage.warnings = cautions(v);
  if (band != nullptr && !band->note.empty())
    stage.note = band->note; // e.g. H5 nortriptyline
  Date d = start;
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const bool hold = i + 1 == seq.size();
    const int days = hold ? pw.decisions.min_days_at_target.value : seq[i].days;
    Date end = d + Days(days);
    if (i == 0 && !hold && first_step_until && *first_step_until > end)
      end = *first_step_until;
    stage.steps.push_back(make_step(m, seq[i].daily, seq[i].times, d, end));
    if (hold) {
      stage.target_reached = d;
      stage.decision_date = end;
    }
    d = end;
  }
  stage.dispense = dispense_for(stage.steps);
  return stage;
}

void escalate_stage(Stage &stage, const Monograph &m, const DrugVerdict &v, const Pathway &pw,
                    Dose next, Date from) {
  if (stage.steps.empty() || from <= stage.steps.back().range.begin()) {
    throw InputError("escalate: " + iso(from) + " is not after the start of the current step of " +
                     stage.drug);
  }
  const Dose cap = daily_cap(m, v);
  next = std::min(next, cap);
  if (next <= stage.assessed_dose) {
    throw RefusedError("escalate: refused: " + m.name + " is at " + stage.assessed_dose.str() +
                       " per day, its highest allowed dose for this patient (cap " + cap.str() +
                       ")");
  }
  // The hold ends where the higher dose starts (cut, or lengthened if assessed late).
  while (!stage.steps.empty() && stage.steps.back().range.begin() >= from)
    stage.steps.pop_back();
  Step &last = stage.steps.back();
  last.range = DateRange(last.range.begin(), from);

  std::vector<DoseStep> seq;
  add_increments(seq, m, stage.assessed_dose, next, default_times(m, v.renal_band));
  Date d = from;
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const bool hold = i + 1 == seq.size();
    const int days = hold ? pw.decisions.min_days_at_target.value : seq[i].days;
    const Date end = d + Days(days);
    stage.steps.push_back(make_step(m, seq[i].daily, seq[i].times, d, end));
    if (hold) {
      stage.target_reached = d;
      stage.decision_date = end;
    }
    d = end;
  }
  stage.assessed_dose = next;
  stage.dispense = dispense_for(stage.steps);
}

Stage build_taper_stage(const Monograph &m, const Step &current, Date from, const SwitchRule *cross,
                        std::optional<long> days_on_drug) {
  Stage stage;
  stage.drug = m.name;
  stage.role = StageRole::taper;
  const auto &rule = m.taper;
  std::vector<AdminTime> times;
  for (const auto &a : current.doses)
    times.push_back(a.time);

  std::vector<DoseStep> seq;
  int min_total = rule.min_total_days;
  // By the time on drug (clinical.md H6, TCAs): the row sets the taper's length.
  const TaperDuration *duration = cross == nullptr ? rule.duration_for(days_on_drug) : nullptr;
  if (cross != nullptr) {
    // Cross-taper (formulary/switching.toml): cut by the rule's decrement every interval.
    if (cross->decrement.is_zero() || cross->interval_days <= 0) {
      throw DataError("switching rule " + cross->from + " -> " + cross->to +
                      ": cross_taper needs a decrement and interval_days");
    }
    for (Dose d = current.daily; auto n = next_taper_dose(m, d, cross->decrement, times);) {
      d = *n;
      seq.push_back({d, cross->interval_days, times});
    }
    if (seq.empty()) {
      // The dose is at or below one decrement (gabapentin 300 mg a day against "cut by 300 mg"):
      // the drug's own taper rule stops it (a reduced step held its minimum), never abruptly.
      return build_taper_stage(m, current, from, nullptr, days_on_drug);
    }
  } else if (rule.kind == TaperKind::explicit_steps) {
    // The rows for the highest `from` at or below the current dose, in order; a row needing a
    // strength the formulary does not stock is left out (duloxetine 20 mg, clinical.md A7).
    std::optional<Dose> row_from;
    for (const auto &s : rule.steps) {
      if (s.from <= current.daily && (!row_from || s.from > *row_from))
        row_from = s.from;
    }
    if (row_from) {
      for (const auto &s : rule.steps) {
        if (s.from != *row_from || s.to.is_zero() || s.to >= current.daily)
          continue;
        if (s.requires_strength && !m.stocks(s.to))
          continue;
        if (!seq.empty() && s.to >= seq.back().daily)
          continue;
        seq.push_back({s.to, s.days, times});
      }
    }
  } else if (rule.kind == TaperKind::decrement) {
    if (rule.decrement.is_zero()) {
      throw DataError(m.source_file + ": " + m.name + ": taper decrement is 0");
    }
    for (Dose d = current.daily; auto n = next_taper_dose(m, d, rule.decrement, times);) {
      d = *n;
      seq.push_back({d, rule.interval_days, times});
    }
    if (duration != nullptr) {
      // The cuts keep their doses; their days are spread so that the taper lasts at least the
      // row's minimum and at most its maximum.
      int total = 0;
      for (const auto &st : seq)
        total += st.days;
      if (total < duration->min_total_days)
        spread_days(seq, duration->min_total_days);
      if (duration->max_total_days && total > *duration->max_total_days) {
        spread_days(seq, *duration->max_total_days);
      }
      min_total = 0;
      stage.note = duration->text;
      if (seq.empty() && duration->min_total_days > 0 && !current.daily.is_zero()) {
        stage.warnings.push_back({Severity::caution, "taper.no-reduced-step",
                                  m.name + " " + current.daily.str() +
                                      " a day is the lowest dose the marketed units "
                                      "make: the taper has no reduced step (" +
                                      duration->text +
                                      "); the prescriber should review how to stop it",
                                  rule.cite.source});
      }
    }
  } else if (current.doses.size() == 1) {
    // drop_administration, once daily: one reduced step (see once_daily_reduced), held for the
    // rule's minimum, then stop.
    if (auto d = once_daily_reduced(m, current.daily, times)) {
      seq.push_back({*d, rule.interval_days, times});
    } else if (!current.daily.is_zero()) {
      stage.warnings.push_back(
          {Severity::caution, "taper.single-administration",
           m.name + " " + current.daily.str() +
               " once a day: no smaller once-daily dose can be "
               "made from the marketed units, so the taper has no reduced step; the "
               "prescriber should review how to stop it",
           rule.cite.source});
    }
  } else { // drop_administration: the earliest administration goes first
    std::vector<Administration> left = current.doses;
    while (left.size() > 1) {
      left.erase(left.begin());
      Dose d;
      std::vector<AdminTime> ts;
      for (const auto &a : left) {
        d += a.dose;
        ts.push_back(a.time);
      }
      seq.push_back({d, rule.interval_days, ts});
    }
  }
  // The taper lasts at least the rule's minimum (e.g. gabapentinoids >= 7 days): the last
  // reduced step is lengthened.
  if (!seq.empty()) {
    int total = 0;
    for (const auto &s : seq)
      total += s.days;
    if (total < min_total)
      seq.back().days += min_total - total;
  }
  Date d = from;
  for (const auto &s : seq) {
    const Date end = d + Days(s.days);
    stage.steps.push_back(make_step(m, s.daily, s.times, d, end));
    d = end;
  }
  if (!rule.note.empty())
    stage.note += std::string(stage.note.empty() ? "" : "; ") + rule.note;
  stage.dispense = dispense_for(stage.steps);
  return stage;
}

namespace {

std::string weekday_list(const Dialysis &d) {
  std::vector<std::string> names;
  for (const auto w : d.days) {
    std::string n(to_string(w));
    n[0] = static_cast<char>(n[0] - 'a' + 'A');
    names.push_back(n);
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  }
  return out;
}

std::string cite_text(const Citation &c) {
  return c.source + (c.verified ? "" : ", UNVERIFIED");
}

} // namespace

std::vector<DialysisDose> dialysis_supplements_on(const Plan &plan, const Patient &p,
                                                  const Formulary &f, Date day) {
  std::vector<DialysisDose> out;
  if (!p.dialysis || !p.dialysis->on(day))
    return out;
  for (const auto &[stage, step] : plan.on(day)) {
    const Monograph *m = f.find(stage->drug);
    if (m == nullptr || !m->haemodialysis || step->doses.size() != 1)
      continue;
    const DialysisSupplement *row = m->haemodialysis->for_daily(step->daily);
    if (row == nullptr)
      continue;
    DialysisDose d;
    d.stage = stage;
    d.maintenance = step->daily;
    d.supplement = row->supplement;
    d.buildable = build_units(*m, row->supplement).has_value();
    const std::string head = "after the haemodialysis session: " + f.display_name(m->name) + " " +
                             row->supplement.str() + " (supplement with " + step->daily.str() +
                             " once daily";
    const std::string tail =
        d.buildable ? std::string()
                    : "; " + row->supplement.str() +
                          " cannot be made from the stocked capsules and tablets: the pharmacist "
                          "supplies it";
    d.text = head + ")" + tail;
    d.cited_text = head + "; " + cite_text(m->haemodialysis->cite) + ")" + tail;
    out.push_back(std::move(d));
  }
  return out;
}

std::optional<std::string> dialysis_days_line(const Stage &stage, const Step &step,
                                              const Patient &p, const Formulary &f) {
  const Monograph *m = f.find(stage.drug);
  if (!p.dialysis || m == nullptr || !m->haemodialysis || step.doses.size() != 1)
    return std::nullopt;
  const DialysisSupplement *row = m->haemodialysis->for_daily(step.daily);
  if (row == nullptr)
    return std::nullopt;
  std::string line = "After each haemodialysis session (" + weekday_list(*p.dialysis) +
                     " only): " + f.display_name(m->name) + " " + row->supplement.str() +
                     " (supplement with " + step.daily.str() + " once daily)";
  if (!build_units(*m, row->supplement)) {
    line += "; " + row->supplement.str() +
            " cannot be made from the stocked capsules and "
            "tablets: the pharmacist supplies it";
  }
  return line;
}

void note_dialysis(Plan &plan, const Patient &p, const Formulary &f) {
  for (auto &stage : plan.stages) {
    const Monograph *m = f.find(stage.drug);
    if (m == nullptr || !m->haemodialysis || stage.steps.empty())
      continue;
    if (!p.dialysis) {
      if (!p.has_condition("haemodialysis"))
        continue;
      const bool has = std::any_of(stage.warnings.begin(), stage.warnings.end(),
                                   [](const Finding &w) { return w.rule == "dialysis.no-days"; });
      if (!has) {
        stage.warnings.push_back(
            {Severity::caution, "dialysis.no-days",
             "haemodialysis without dialysis days in the profile: the supplement after each "
             "session is not scheduled; record dialysis and dialysis_days",
             cite_text(m->haemodialysis->cite)});
      }
      continue;
    }
    std::vector<std::string> with, without;
    for (const auto &step : stage.steps) {
      const DialysisSupplement *row =
          step.doses.size() == 1 ? m->haemodialysis->for_daily(step.daily) : nullptr;
      const std::string item =
          row != nullptr
              ? row->supplement.str() + " with " + step.daily.str() + " once daily"
              : step.daily.str() + " a day" + (step.doses.size() == 1 ? " once daily" : "");
      auto &list = row != nullptr ? with : without;
      if (std::find(list.begin(), list.end(), item) == list.end())
        list.push_back(item);
    }
    std::string note = "haemodialysis on " + weekday_list(*p.dialysis) + ": ";
    if (!with.empty()) {
      note += "after each session a supplement of ";
      for (std::size_t i = 0; i < with.size(); ++i)
        note += (i == 0 ? "" : ", ") + with[i];
      note += " (on those days only)";
    }
    if (!without.empty()) {
      note += std::string(with.empty() ? "" : "; ") + "no supplement in the label's table for ";
      for (std::size_t i = 0; i < without.size(); ++i)
        note += (i == 0 ? "" : ", ") + without[i];
      note += ": specialist review";
    }
    note += " (" + cite_text(m->haemodialysis->cite) + ")";
    // The dialysis note is the last part of the note: a re-note (a later version) replaces it.
    if (const auto at = stage.note.find("haemodialysis on "); at != std::string::npos) {
      stage.note.erase(at >= 2 ? at - 2 : at);
    }
    stage.note += std::string(stage.note.empty() ? "" : "; ") + note;
  }
}

namespace {

// A patient recorded with an indication the pathway is not written for (e.g. trigeminal
// neuralgia on NICE CG173, whose first-line choice excludes it): a caution on the first stage, so
// the prescriber and the pharmacist check the pathway fits. No indication recorded, or a pathway
// that lists none: nothing to compare.
std::optional<Finding> indication_caution(const Patient &p, const Formulary &f, const Pathway &pw) {
  if (p.indication.empty() || pw.indications.empty() ||
      std::find(pw.indications.begin(), pw.indications.end(), p.indication) !=
          pw.indications.end()) {
    return std::nullopt;
  }
  const auto label = [&](const std::string &term) {
    const auto it = f.vocabulary.indications.find(term);
    return it == f.vocabulary.indications.end() ? term : it->second;
  };
  std::string for_what;
  for (std::size_t i = 0; i < pw.indications.size(); ++i) {
    for_what += std::string(i == 0                           ? ""
                            : i + 1 == pw.indications.size() ? " or "
                                                             : ", ") +
                label(pw.indications[i]);
  }
  return Finding{Severity::caution, "plan.indication",
                 "the patient's recorded indication is " + label(p.indication) + " (" +
                     p.indication + "); pathway " + pw.name + " is written for " + for_what +
                     ": check that the pathway fits before prescribing",
                 "schedules/" + pw.name + ".toml indications; " +
                     f.vocabulary.indications_cite.source};
}

} // namespace

Plan build_plan(const Patient &p, const Formulary &f, const Pathway &pw, const PlanRequest &req) {
  const EligibilityReport report = check_eligibility(p, f, req.today);
  // The clinician may prefer any drug of the pathway that is not avoid; with
  // none preferred and no ok drug left, the lightest caution load is chosen and explained.
  std::optional<CautionChoice> caution_choice;
  if (!req.prefer && !report.pregnancy) {
    caution_choice = choose_caution_drug(report, f, pw, req.tried);
  }
  const DrugVerdict &v =
      choose_drug(report, f, pw, req.tried, caution_choice ? caution_choice->drug : req.prefer,
                  req.prefer_field);
  const Monograph &m = f.get(v.drug);

  Plan plan;
  plan.patient = p.id;
  plan.pathway = pw.name;
  plan.start = req.start;
  plan.tried = req.tried;
  plan.unchecked_medications = report.unchecked_medications;
  plan.stages.push_back(build_trial_stage(m, v, pw, req.start));
  Stage &first = plan.stages.back();
  if (caution_choice)
    first.warnings.push_back(caution_choice->why);
  if (auto w = indication_caution(p, f, pw))
    first.warnings.push_back(*w);
  if (req.prefer) {
    const std::string chosen = "chosen by the prescriber (--prefer " + *req.prefer + ")" +
                               (req.prefer_reason.empty() ? "" : ": " + req.prefer_reason);
    first.note = first.note.empty() ? chosen : chosen + "; " + first.note;
  }
  note_dialysis(plan, p, f);
  plan.lint = lint(plan, p, f, pw, req.today);
  return plan;
}

} // namespace titrate
