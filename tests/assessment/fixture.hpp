#pragma once
// Hand-built inputs for the decision tests, so that they depend on the assessment rules only
// (not on the scheduler or the shipped data files): a small formulary with the clinical.md A3
// titration figures, the cipn-esmo decision parameters of clinical.md A6, and plans written
// out stage by stage.
#include "planner/assessment/assess.hpp"

#include <string>
#include <utility>
#include <vector>

namespace titrate::test {

inline Dose mg(long v) {
  return Dose::milligrams(v);
}

inline RenalBand any_crcl_band() {
  RenalBand b;
  b.text = "no renal adjustment";
  b.cite = {"test", true};
  return b;
}

// Gabapentin renal bands, clinical.md A2 (boundaries in the safer band) and B2 (GAB-US 2.3).
inline std::vector<RenalBand> gabapentin_bands() {
  auto band = [](std::optional<double> lo, bool lo_inc, std::optional<double> hi, bool hi_inc,
                 long min_mg, long max_mg) {
    RenalBand b;
    b.lower = lo;
    b.lower_inclusive = lo_inc;
    b.upper = hi;
    b.upper_inclusive = hi_inc;
    b.min_daily = mg(min_mg);
    b.max_daily = mg(max_mg);
    b.text = "gabapentin renal band";
    b.cite = {"GAB-US 2.3", true};
    return b;
  };
  return {band(std::nullopt, true, 15, true, 100, 300), band(15, false, 30, true, 200, 700),
          band(30, false, 60, false, 400, 1400), band(60, true, std::nullopt, false, 900, 3600)};
}

// clinical.md A3: target, escalation steps and maximum per drug.
inline Monograph monograph(std::string name, std::string cls, long target, std::vector<long> esc,
                           long max, std::string source) {
  Monograph m;
  m.name = std::move(name);
  m.drug_class = std::move(cls);
  m.titration.target = mg(target);
  for (long e : esc)
    m.titration.escalation.push_back(mg(e));
  m.titration.max_daily = mg(max);
  m.titration.cite = {std::move(source), true};
  m.renal = {any_crcl_band()};
  return m;
}

inline Formulary fixture_formulary() {
  Formulary f;
  // Sorted by name, as the loader keeps them.
  f.drugs.push_back(monograph("amitriptyline", "tca", 50, {75}, 75, "ESMO; NeuPSIG"));
  Monograph dul = monograph("duloxetine", "snri", 60, {}, 60, "ESMO; Smith 2013; DUL-US");
  HepaticRule hep; // clinical.md A4: hepatic impairment -> duloxetine avoid
  hep.hepatic = Hepatic::moderate;
  hep.rule.id = "hepatic.moderate";
  hep.rule.severity = Severity::avoid;
  hep.rule.text = "hepatic impairment: avoid";
  hep.rule.cite = {"DUL-US; DUL-UK 4.3", true};
  dul.hepatic.push_back(hep);
  f.drugs.push_back(dul);
  Monograph gab =
      monograph("gabapentin", "gabapentinoid", 1800, {2400, 3600}, 3600, "GAB-US 2.1; NeuPSIG");
  gab.renal = gabapentin_bands();
  f.drugs.push_back(gab);
  f.vocabulary.drug_classes = {
      {"amitriptyline", "tca"}, {"duloxetine", "snri"}, {"gabapentin", "gabapentinoid"}};
  return f;
}

// clinical.md A6 (IMMPACT, Farrar 2001) as a pathway file would give them.
inline Pathway fixture_pathway() {
  Pathway p;
  p.name = "cipn-esmo";
  p.drugs = {"duloxetine", "gabapentin", "amitriptyline"};
  p.first_line = {"duloxetine"};
  p.after_last = "refer to specialist pain services";
  p.cite = {"ESMO 2020", true};
  DecisionParams &d = p.decisions;
  d.min_days_at_target = {14, {"project rule (clinical.md D2)", true}};
  d.window_days = {7, {"project rule", true}};
  d.min_days_with_scores = {4, {"project rule", true}};
  d.baseline_days = {7, {"project rule", true}};
  d.baseline_min_days = {3, {"project rule", true}};
  d.response_pct = {30, {"IMMPACT (Dworkin 2008); Farrar 2001", true}};
  d.substantial_pct = {50, {"IMMPACT (Dworkin 2008)", true}};
  d.extension_days = {7, {"project rule", true}};
  d.max_extensions = {2, {"project rule", true}};
  return p;
}

inline Patient fixture_patient(std::optional<int> baseline = std::nullopt, double crcl = 90) {
  Patient p;
  p.id = "P001";
  p.birth_date = Date(1971, 5, 1);
  p.sex = Sex::female;
  p.weight_kg = 65;
  p.crcl_ml_min = crcl;
  if (baseline)
    p.baseline_pain = PainScore(*baseline);
  return p;
}

// A trial stage from `start`: steps of (daily mg, days); the last step is the assessed dose,
// held for `hold` days (the pathway's 14) up to the decision date.
inline Stage trial_stage(const std::string &drug, Date start,
                         const std::vector<std::pair<long, long>> &titration, long hold = 14) {
  Stage s;
  s.drug = drug;
  s.role = StageRole::trial;
  Date d = start;
  for (std::size_t i = 0; i < titration.size(); ++i) {
    const bool last = i + 1 == titration.size();
    const long days = last ? hold : titration[i].second;
    Step st;
    st.range = DateRange::days_from(d, days);
    st.daily = mg(titration[i].first);
    if (last) {
      s.assessed_dose = st.daily;
      s.target_reached = d;
      s.decision_date = d + Days(hold);
    }
    s.steps.push_back(st);
    d = d + Days(days);
  }
  return s;
}

inline Plan plan_of(std::vector<Stage> stages, std::vector<std::string> tried = {}) {
  Plan p;
  p.patient = "P001";
  p.pathway = "cipn-esmo";
  p.start = stages.front().steps.front().range.begin();
  p.stages = std::move(stages);
  p.tried = std::move(tried);
  return p;
}

inline ScoreEntry score(Date d, int v, std::int64_t id = 0, int minute = 9 * 60,
                        std::optional<std::int64_t> supersedes = std::nullopt) {
  return ScoreEntry{id, LocalDateTime{d, minute}, PainScore(v), "", supersedes};
}

// One score a day on consecutive days from `first`.
inline std::vector<ScoreEntry> daily_scores(Date first, const std::vector<int> &values) {
  std::vector<ScoreEntry> out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out.push_back(score(first + Days(static_cast<long>(i)), values[i]));
  return out;
}

inline AdverseEffect effect(Date d, std::string what, AeSeverity s) {
  AdverseEffect e;
  e.at = LocalDateTime{d, 8 * 60};
  e.description = std::move(what);
  e.severity = s;
  return e;
}

} // namespace titrate::test
