#include "planner/scheduling/plan.hpp"

#include "planner/core/errors.hpp"

namespace titrate {

std::string_view to_string(StageRole r) {
  switch (r) {
  case StageRole::trial: return "trial";
  case StageRole::taper: return "taper";
  case StageRole::cross_taper: return "cross-taper";
  }
  return "?";
}

StageRole parse_stage_role(std::string_view text, std::string_view field) {
  if (text == "trial") return StageRole::trial;
  if (text == "taper") return StageRole::taper;
  if (text == "cross-taper") return StageRole::cross_taper;
  throw InputError(std::string(field) + ": \"" + std::string(text.substr(0, 32)) +
                   "\" is not a stage role; expected one of trial, taper, cross-taper");
}

std::vector<std::pair<const Stage *, const Step *>> Plan::on(Date d) const {
  std::vector<std::pair<const Stage *, const Step *>> out;
  for (const auto &stage : stages) {
    for (const auto &step : stage.steps) {
      if (step.range.contains(d)) out.emplace_back(&stage, &step);
    }
  }
  return out;
}

const Stage *Plan::current_trial() const {
  for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
    if (it->role == StageRole::trial) return &*it;
  }
  return nullptr;
}

} // namespace titrate
