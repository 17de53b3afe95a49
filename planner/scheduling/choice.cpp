// The automatic choice among caution drugs and the serotonergic load: when no
// ok drug is left, the drug with the lightest caution load is planned, with the reason and a
// request for review. Project rule, written down in docs/clinical-basis.md (sched.caution-choice).
#include "planner/scheduling/scheduler.hpp"

#include <algorithm>
#include <tuple>

namespace titrate {

namespace {

bool has(const std::vector<std::string> &v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// How heavy a caution drug is for this patient, lightest first: a third (or later) serotonergic
// medicine outweighs any number of other cautions (serotonin syndrome, clinical.md A5), then the
// number of caution findings, then pathway order.
struct Load {
  bool adds_serotonergic = false;
  int serotonergic_after = 0;
  std::size_t cautions = 0;
  std::size_t order = 0;
  auto key() const {
    return std::make_tuple(adds_serotonergic && serotonergic_after >= 3, cautions, order);
  }
};

std::string load_text(const std::string &drug, const Load &l) {
  std::string t =
      drug + " " + std::to_string(l.cautions) + " caution finding" + (l.cautions == 1 ? "" : "s");
  if (l.adds_serotonergic && l.serotonergic_after >= 3) {
    t += " and would make " + std::to_string(l.serotonergic_after) +
         " serotonergic medicines at once";
  }
  return t;
}

} // namespace

bool is_serotonergic_medicine(const Formulary &f, std::string_view name) {
  const std::string n(name);
  const auto &v = f.vocabulary;
  for (const auto *table : {&v.medication_classes, &v.class_members_of_drug}) {
    if (const auto it = table->find(n); it != table->end() && has(it->second, "serotonergic")) {
      return true;
    }
  }
  return false;
}

std::optional<CautionChoice> choose_caution_drug(const EligibilityReport &r, const Formulary &f,
                                                 const Pathway &pw,
                                                 const std::vector<std::string> &tried) {
  std::vector<std::pair<std::string, Load>> options;
  for (std::size_t i = 0; i < pw.drugs.size(); ++i) {
    const std::string &drug = pw.drugs[i];
    if (has(tried, drug) || f.find(drug) == nullptr)
      continue;
    const DrugVerdict *v = r.find(drug);
    if (v == nullptr || v->verdict == Severity::avoid)
      continue;
    if (v->verdict == Severity::ok)
      return std::nullopt; // an ok drug is left: A1 order decides
    Load l;
    l.order = i;
    for (const auto &reason : v->reasons)
      l.cautions += reason.severity == Severity::caution;
    const auto &taken = r.serotonergic_medicines;
    l.adds_serotonergic = is_serotonergic_medicine(f, drug) && !has(taken, drug);
    l.serotonergic_after = static_cast<int>(taken.size()) + (l.adds_serotonergic ? 1 : 0);
    options.emplace_back(drug, l);
  }
  if (options.empty())
    return std::nullopt;
  std::stable_sort(options.begin(), options.end(),
                   [](const auto &a, const auto &b) { return a.second.key() < b.second.key(); });
  const auto &[drug, load] = options.front();
  std::string others;
  for (std::size_t i = 1; i < options.size(); ++i) {
    others += (others.empty() ? "" : "; ") + load_text(options[i].first, options[i].second);
  }
  std::string text = "every drug of pathway " + pw.name + " left for this patient is caution; " +
                     drug +
                     " was chosen as the one with the fewest and least serious caution "
                     "findings (" +
                     load_text(drug, load) + (others.empty() ? "" : "; against " + others) +
                     "); the prescriber and pharmacist should review the choice";
  return CautionChoice{drug, Finding{Severity::caution, "choice.all-caution", text,
                                     "docs/clinical-basis.md sched.caution-choice (project rule); "
                                     "clinical.md A1"}};
}

} // namespace titrate
