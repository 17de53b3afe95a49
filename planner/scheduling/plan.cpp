#include "planner/scheduling/plan.hpp"

#include <algorithm>
#include <map>

namespace titrate {

std::vector<std::pair<const Stage *, const Step *>> Plan::on(Date d) const {
  std::vector<std::pair<const Stage *, const Step *>> out;
  for (const auto &stage : stages) {
    for (const auto &step : stage.steps) {
      const bool open_end = stage.maintenance() && &step == &stage.steps.back();
      if (step.range.contains(d) || (open_end && d >= step.range.begin())) {
        out.emplace_back(&stage, &step);
      }
    }
  }
  return out;
}

std::optional<Date> Plan::next_assessment() const {
  const Stage *t = current_trial();
  // A trial already switched away from or stopped (tapered off) is assessed no more.
  if (t == nullptr || std::find(tried.begin(), tried.end(), t->drug) != tried.end()) {
    return std::nullopt;
  }
  return t->review_date ? t->review_date : t->decision_date;
}

const Stage *Plan::current_trial() const {
  for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
    if (it->role == StageRole::trial)
      return &*it;
  }
  return nullptr;
}

std::vector<std::string> Plan::drugs_taken_at(const LocalDateTime &at) const {
  // Each drug's first dose in the plan: the day and the earliest administration of that day.
  std::map<std::string, LocalDateTime> first;
  for (const auto &stage : stages) {
    if (stage.steps.empty())
      continue;
    const Step &step = stage.steps.front();
    int minute = nominal_admin_minutes.back();
    for (const auto &a : step.doses) {
      minute = std::min(minute, nominal_admin_minutes[static_cast<std::size_t>(a.time)]);
    }
    const LocalDateTime f{step.range.begin(), minute};
    auto it = first.find(stage.drug);
    if (it == first.end() || f < it->second)
      first[stage.drug] = f;
  }
  std::vector<std::string> that_day;
  for (const auto &[stage, step] : on(at.date)) {
    (void)step;
    if (std::find(that_day.begin(), that_day.end(), stage->drug) == that_day.end()) {
      that_day.push_back(stage->drug);
    }
  }
  std::vector<std::string> out;
  for (const auto &drug : that_day) {
    const LocalDateTime &f = first.at(drug);
    const bool starts_today = f.date == at.date;
    const bool others = std::any_of(that_day.begin(), that_day.end(), [&](const std::string &d) {
      return d != drug && first.at(d).date < at.date;
    });
    if (starts_today && others && at.minute_of_day < f.minute_of_day)
      continue;
    out.push_back(drug);
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace titrate
