#include "planner/safety/eligibility.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

// A generic engine over the Monograph model: every rule id, severity, text, figure and source
// below comes from the formulary data. The only numbers in this file are the Cockcroft-Gault
// formula itself (clinical.md A2), which is arithmetic, not a clinical threshold.

namespace titrate {

namespace {

// One decimal at most, no trailing zero (clinical.md F): "25", "27.3".
std::string crcl_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
    s.resize(s.size() - 2);
  return s;
}

// The printed source: the citation key(s), flagged where clinical.md marks the figure UNVERIFIED.
std::string source_of(const Citation &c) {
  return c.verified ? c.source : c.source + " (UNVERIFIED)";
}

const Monograph *find_drug(const Formulary &f, std::string_view name) {
  for (const auto &m : f.drugs)
    if (m.name == name)
      return &m;
  return nullptr;
}

bool vocabulary_knows_condition(const Vocabulary &v, std::string_view c) {
  return std::find(v.conditions.begin(), v.conditions.end(), c) != v.conditions.end();
}

// The interaction classes of a medication: the vocabulary's table, which lists the formulary
// drugs too; a formulary drug also belongs to its own drug class (snri, gabapentinoid, tca).
// nullopt: neither the vocabulary nor the formulary knows the name.
std::optional<std::set<std::string>> classes_of(const Formulary &f, const std::string &med) {
  const Vocabulary &v = f.vocabulary;
  std::set<std::string> out;
  bool known = false;
  if (auto it = v.medication_classes.find(med); it != v.medication_classes.end()) {
    known = true;
    out.insert(it->second.begin(), it->second.end());
  }
  if (const Monograph *m = find_drug(f, med)) {
    known = true;
    if (!m->drug_class.empty())
      out.insert(m->drug_class);
    if (auto it = v.drug_classes.find(med); it != v.drug_classes.end())
      out.insert(it->second);
    if (auto it = v.class_members_of_drug.find(med); it != v.class_members_of_drug.end()) {
      out.insert(it->second.begin(), it->second.end());
    }
  }
  if (!known)
    return std::nullopt;
  return out;
}

// A finding under construction, with the day it lifts when it is time-bound.
struct Fired {
  Finding finding;
  std::optional<Date> lifts;
};

Finding finding_of(const Rule &r, const std::string &text) {
  return Finding{r.severity, r.id, text, source_of(r.cite)};
}

class DrugCheck {
public:
  DrugCheck(const Monograph &m, const Patient &p, const Formulary &f, Date today, int age,
            double crcl)
      : m_(m), p_(p), f_(f), today_(today), age_(age), crcl_(crcl) {}

  DrugVerdict run() {
    DrugVerdict v;
    v.drug = m_.name;
    if (!m_.titration.max_daily.is_zero())
      cap(m_.titration.max_daily);
    renal(v);
    hepatic();
    age_rules();
    conditions();
    interactions();

    for (const auto &x : fired_) {
      v.verdict = std::max(v.verdict, x.finding.severity);
      v.reasons.push_back(x.finding);
    }
    // A time-bound avoid lifts only when every avoid lifts; one permanent avoid keeps it closed.
    if (v.verdict == Severity::avoid) {
      std::optional<Date> from;
      bool all_bound = true;
      for (const auto &x : fired_) {
        if (x.finding.severity != Severity::avoid)
          continue;
        if (!x.lifts) {
          all_bound = false;
          break;
        }
        if (!from || *x.lifts > *from)
          from = x.lifts;
      }
      if (all_bound)
        v.available_from = from;
    }
    v.max_daily = cap_;
    return v;
  }

private:
  void cap(Dose d) {
    if (!cap_ || d < *cap_)
      cap_ = d;
  }

  void fire(const Rule &r, const std::string &text, std::optional<Date> lifts = std::nullopt) {
    if (r.max_daily)
      cap(*r.max_daily);
    // A rule of severity ok can only lower the cap; the check shape lists caution/avoid reasons.
    if (r.severity == Severity::ok)
      return;
    fired_.push_back({finding_of(r, text), lifts});
  }

  void renal(DrugVerdict &v) {
    if (m_.renal.empty())
      return;
    const RenalBand *band = m_.renal_band(crcl_);
    if (!band) {
      throw DataError(m_.source_file + ": renal: no band contains CrCl " + number_text(crcl_) +
                      " mL/min; expected bands covering 0 to infinity");
    }
    v.renal_band = band;
    if (band->max_daily)
      cap(*band->max_daily);
    const Severity s = band->avoid ? Severity::avoid : band->severity;
    if (s == Severity::ok)
      return;
    std::string text = band->text.empty() ? "renal function" : band->text;
    text += " (CrCl " + crcl_text(crcl_) + " mL/min: " + band->describe() + ")";
    fired_.push_back({Finding{s, "renal." + m_.name, text, source_of(band->cite)}, std::nullopt});
  }

  void hepatic() {
    if (p_.hepatic == Hepatic::none)
      return;
    for (const auto &h : m_.hepatic) {
      if (h.hepatic != p_.hepatic)
        continue;
      fire(h.rule,
           h.rule.text + " (hepatic impairment: " + std::string(to_string(p_.hepatic)) + ")");
    }
  }

  void age_rules() {
    for (const auto &a : m_.age) {
      if (age_ < a.min_age)
        continue;
      const bool all = std::all_of(a.requires_conditions.begin(), a.requires_conditions.end(),
                                   [&](const std::string &c) { return p_.has_condition(c); });
      if (!all)
        continue;
      std::string why = "age " + std::to_string(age_);
      for (const auto &c : a.requires_conditions)
        why += ", " + c;
      fire(a.rule, a.rule.text + " (" + why + ")");
    }
  }

  void conditions() {
    for (const auto &c : m_.conditions) {
      if (!p_.has_condition(c.condition))
        continue;
      fire(c.rule, c.rule.text + " (condition: " + c.condition + ")");
    }
  }

  // One interaction rule: which of the patient's medications (taken now, or stopped within the
  // rule's washout) it names (`medication`) or holds in its class. The candidate drug itself is
  // matched only by a rule that names it ("already taking duloxetine"): a drug does not interact
  // with itself, its own class rule is about a second drug, and it is not counted toward the
  // CNS-active drugs it would be added to. So every class rule acts as if `except_self` were set.
  void interactions() {
    for (const auto &r : m_.interactions) {
      if (age_ < r.min_age)
        continue;
      std::vector<std::string> current;
      struct Stopped {
        std::string name;
        Date stopped;
        Date lifts;
      };
      std::vector<Stopped> stopped;
      std::set<std::string> seen;
      auto member = [&](const std::string &med) {
        if (!r.medication.empty())
          return med == r.medication;
        if (med == m_.name)
          return false;
        auto cls = classes_of(f_, med);
        return cls && cls->count(r.med_class) > 0;
      };
      for (const auto &med : p_.medications) {
        if (!seen.insert(med).second)
          continue;
        if (member(med))
          current.push_back(med);
      }
      if (r.washout_days > 0) {
        for (const auto &s : p_.stopped_medications) {
          if (seen.count(s.name) > 0)
            continue; // taken again now: counted as current
          const Date lifts = s.stopped + Days(r.washout_days);
          if (today_ >= lifts)
            continue; // washout complete: the rule has lifted
          if (!member(s.name))
            continue;
          // The same medication stopped twice: the later stop decides when it lifts.
          auto it = std::find_if(stopped.begin(), stopped.end(),
                                 [&](const Stopped &x) { return x.name == s.name; });
          if (it == stopped.end())
            stopped.push_back({s.name, s.stopped, lifts});
          else if (lifts > it->lifts)
            *it = {s.name, s.stopped, lifts};
        }
      }
      const std::size_t n = current.size() + stopped.size();
      if (r.min_count < 1 || n < static_cast<std::size_t>(r.min_count))
        continue;

      // The rule lifts once fewer than min_count members remain; members taken now never lift.
      std::optional<Date> lifts;
      const std::size_t k = static_cast<std::size_t>(r.min_count);
      if (current.size() < k) {
        std::vector<Date> dates;
        for (const auto &s : stopped)
          dates.push_back(s.lifts);
        std::sort(dates.begin(), dates.end());
        lifts = dates[dates.size() - (k - current.size())];
      }

      std::string list;
      for (const auto &c : current)
        list += (list.empty() ? "" : "; ") + c;
      for (const auto &s : stopped) {
        list += (list.empty() ? "" : "; ") + s.name + " stopped " + iso(s.stopped) +
                ", washout ends " + iso(s.lifts);
      }
      std::string text = r.rule.text + " (" + list;
      if (r.min_age > 0)
        text += "; age " + std::to_string(age_);
      text += ")";
      fire(r.rule, text, lifts);
    }
  }

  const Monograph &m_;
  const Patient &p_;
  const Formulary &f_;
  Date today_;
  int age_;
  double crcl_;
  std::optional<Dose> cap_;
  std::vector<Fired> fired_;
};

} // namespace

double creatinine_clearance(const Patient &p, Date today) {
  if (p.crcl_ml_min) {
    const double c = *p.crcl_ml_min;
    if (!std::isfinite(c) || c < 0) {
      throw InputError("crcl_ml_min: " + number_text(c) +
                       " is not a creatinine clearance; expected a "
                       "number of mL/min, 0 or more");
    }
    return c;
  }
  if (!p.serum_creatinine_mg_dl) {
    throw InputError("serum_creatinine_mg_dl: missing; expected serum_creatinine_mg_dl (mg/dL) "
                     "or crcl_ml_min (mL/min)");
  }
  const double scr = *p.serum_creatinine_mg_dl;
  if (!std::isfinite(scr) || scr <= 0) {
    throw InputError("serum_creatinine_mg_dl: " + number_text(scr) +
                     " cannot give a creatinine clearance; expected a value above 0 mg/dL");
  }
  if (!std::isfinite(p.weight_kg) || p.weight_kg <= 0) {
    throw InputError("weight_kg: " + number_text(p.weight_kg) +
                     " is not a body weight; expected kg above 0");
  }
  const int age = age_in_years(p.birth_date, today);
  if (age < 0) {
    throw InputError("birth_date: " + iso(p.birth_date) + " is after today (" + iso(today) +
                     "); expected a date on or before today");
  }
  // Cockcroft-Gault, actual body weight (clinical.md A2).
  double crcl = (140.0 - age) * p.weight_kg / (72.0 * scr);
  if (p.sex == Sex::female)
    crcl *= 0.85;
  return std::max(crcl, 0.0);
}

const DrugVerdict *EligibilityReport::find(std::string_view drug) const {
  for (const auto &d : drugs)
    if (d.drug == drug)
      return &d;
  return nullptr;
}

EligibilityReport check_eligibility(const Patient &p, const Formulary &f, Date today) {
  for (const auto &c : p.conditions) {
    if (!vocabulary_knows_condition(f.vocabulary, c)) {
      std::string known;
      for (const auto &k : f.vocabulary.conditions)
        known += (known.empty() ? "" : ", ") + k;
      throw InputError("conditions: \"" + c +
                       "\" is not a known condition; expected one of: " + known);
    }
  }
  const int age = age_in_years(p.birth_date, today);
  if (age < 0) {
    throw InputError("birth_date: " + iso(p.birth_date) + " is after today (" + iso(today) +
                     "); expected a date on or before today");
  }

  EligibilityReport r;
  r.patient = p.id;
  r.crcl_ml_min = creatinine_clearance(p, today);
  r.crcl_given = p.crcl_ml_min.has_value();
  // The vocabulary term that makes `plan` refuse (clinical.md A1); its caution findings come
  // from each monograph's condition rules like any other condition.
  r.pregnancy = p.has_condition("pregnancy");

  std::set<std::string> listed;
  auto unchecked = [&](const std::string &med) {
    if (classes_of(f, med))
      return;
    if (!listed.insert(med).second)
      return;
    r.unchecked_medications.push_back("not checked: unknown medication " + med);
  };
  for (const auto &m : p.medications)
    unchecked(m);
  for (const auto &s : p.stopped_medications)
    unchecked(s.name);
  for (const auto &m : p.medications) {
    const auto cls = classes_of(f, m);
    if (cls && cls->count("serotonergic") > 0 &&
        std::find(r.serotonergic_medicines.begin(), r.serotonergic_medicines.end(), m) ==
            r.serotonergic_medicines.end()) {
      r.serotonergic_medicines.push_back(m);
    }
  }

  for (const auto &m : f.drugs) {
    r.drugs.push_back(DrugCheck(m, p, f, today, age, r.crcl_ml_min).run());
  }
  return r;
}

} // namespace titrate
