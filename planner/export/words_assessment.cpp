#include "planner/export/words_assessment.hpp"

namespace titrate::words {

Lines assessment(const Assessment &a, const Formulary &f) {
  Lines out;
  const auto fact = [&](std::string text, int depth = 0) {
    out.push_back({Kind::fact, depth, std::move(text)});
  };
  std::string head = "Assessment for patient " + a.patient + " on " + iso(a.date);
  if (!a.drug.empty())
    head += ": " + drug(f, a.drug);
  out.push_back({Kind::heading, 0, head});
  std::string d = "Decision: " + std::string(to_string(a.decision));
  if (a.next_dose)
    d += " to " + a.next_dose->str() + " daily";
  if (a.next_drug)
    d += " to " + drug(f, *a.next_drug);
  if (a.next_decision_date) {
    d += (a.decision == DecisionKind::continue_ ? "; maintenance, next review on "
                                                : " to a new decision date ") +
         iso(*a.next_decision_date);
  }
  if (a.substantial)
    d += " (substantial response)";
  fact(d);
  fact("Baseline pain: " + (a.baseline ? number(*a.baseline, 2) + " of 10" : "none"));
  if (a.window.start < a.window.end) {
    std::string w = "Window: " + iso(a.window.start) + " through " + iso(a.window.end - Days(1)) +
                    ", " + std::to_string(a.window.scores) +
                    (a.window.scores == 1 ? " day" : " days") + " with scores";
    if (a.window.mean)
      w += ", mean " + number(*a.window.mean, 2) + " of 10";
    fact(w);
  }
  if (a.change_pct) {
    const double c = *a.change_pct;
    fact("Change from baseline: " +
         (c >= 0 ? number(c, 1) + " % less pain" : number(-c, 1) + " % more pain"));
  }
  fact("Days at target dose: " + std::to_string(a.days_at_target));
  fact("Rule: " + a.rule + " (source: " + for_people(f, a.source) + ")");
  fact("Reasons:");
  for (const auto &r : a.reasons)
    fact(for_people(f, r), 1);
  return out;
}

} // namespace titrate::words
