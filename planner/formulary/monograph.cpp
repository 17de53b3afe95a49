#include "planner/formulary/monograph.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <algorithm>
#include <cmath>

namespace titrate {

bool RenalBand::contains(double crcl) const {
  if (lower) {
    if (lower_inclusive ? crcl < *lower : crcl <= *lower)
      return false;
  }
  if (upper) {
    if (upper_inclusive ? crcl > *upper : crcl >= *upper)
      return false;
  }
  return true;
}

// In words, not symbols (clinical.md F: no `<`, `>=`): "CrCl less than 30",
// "CrCl 30 or more and less than 60", "CrCl more than 15 and at most 30", "CrCl 60 or more".
std::string RenalBand::describe() const {
  const bool has_lower = lower && *lower > 0;
  if (!has_lower && !upper)
    return "any CrCl";
  std::string low, high;
  if (has_lower) {
    low = lower_inclusive ? number_text(*lower) + " or more" : "more than " + number_text(*lower);
  }
  if (upper) {
    high = upper_inclusive ? "at most " + number_text(*upper) : "less than " + number_text(*upper);
  }
  if (!has_lower)
    return "CrCl " + high;
  if (!upper)
    return "CrCl " + low;
  return "CrCl " + low + " and " + high;
}

const RenalBand *Monograph::renal_band(double crcl) const {
  for (const auto &b : renal)
    if (b.contains(crcl))
      return &b;
  return nullptr;
}

bool Monograph::stocks(Dose d) const {
  return std::any_of(strengths.begin(), strengths.end(),
                     [&](const Strength &s) { return s.dose == d; });
}

bool is_confidence(std::string_view word) {
  return word == "low" || word == "medium" || word == "medium-high" || word == "high";
}

const TaperDuration *TaperRule::duration_for(std::optional<long> days_on_drug) const {
  if (by_time_on_drug.empty())
    return nullptr;
  if (!days_on_drug)
    return &by_time_on_drug.back(); // unknown: the longest course, safer
  const TaperDuration *out = &by_time_on_drug.front();
  for (const auto &d : by_time_on_drug) {
    if (*days_on_drug >= static_cast<long>(d.min_weeks) * 7)
      out = &d;
  }
  return out;
}

int TaperRule::min_days_for(std::optional<long> days_on_drug) const {
  const TaperDuration *d = duration_for(days_on_drug);
  return std::max(min_total_days, d != nullptr ? d->min_total_days : 0);
}

const DialysisSupplement *Haemodialysis::for_daily(Dose daily) const {
  for (const auto &s : supplements)
    if (s.daily == daily)
      return &s;
  return nullptr;
}

std::string Formulary::display_name(std::string_view drug) const {
  const Monograph *m = find(drug);
  return m != nullptr && !m->tall_man.empty() ? m->tall_man : std::string(drug);
}

bool Vocabulary::knows_condition(std::string_view c) const {
  return std::find(conditions.begin(), conditions.end(), c) != conditions.end();
}

bool Vocabulary::knows_indication(std::string_view i) const {
  return indications.find(std::string(i)) != indications.end();
}

std::string Vocabulary::indication_terms() const {
  std::string s;
  for (const auto &[term, label] : indications)
    s += (s.empty() ? "" : ", ") + term;
  return s;
}

bool Vocabulary::knows_class(std::string_view c) const {
  return classes.find(std::string(c)) != classes.end();
}

const std::vector<std::string> *Vocabulary::classes_of(std::string_view medication) const {
  auto it = medication_classes.find(std::string(medication));
  return it == medication_classes.end() ? nullptr : &it->second;
}

const Monograph *Formulary::find(std::string_view name) const {
  for (const auto &m : drugs)
    if (m.name == name)
      return &m;
  return nullptr;
}

const Monograph &Formulary::get(std::string_view name) const {
  if (const auto *m = find(name))
    return *m;
  std::string known;
  for (const auto &m : drugs)
    known += (known.empty() ? "" : ", ") + m.name;
  throw NotFoundError("drug: \"" + std::string(name) +
                      "\" is not in the formulary; known: " + known);
}

const SwitchRule *Formulary::switch_rule(std::string_view from, std::string_view to) const {
  // Specificity: a name scores 2, a class 1, "*" 0; the best total wins, first in file order.
  auto score = [&](const std::string &pattern, std::string_view drug) -> int {
    if (pattern == drug)
      return 2;
    if (pattern == "*")
      return 0;
    if (const auto *m = find(drug); m && m->drug_class == pattern)
      return 1;
    return -1;
  };
  const SwitchRule *best = nullptr;
  int best_score = -1;
  for (const auto &r : switches) {
    const int a = score(r.from, from);
    const int b = score(r.to, to);
    if (a < 0 || b < 0)
      continue;
    if (a + b > best_score) {
      best = &r;
      best_score = a + b;
    }
  }
  return best;
}

} // namespace titrate
