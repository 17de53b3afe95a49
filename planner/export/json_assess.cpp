// The "assess" JSON shape of design.md §6, exactly those keys: other tools read it.
// Means are rounded to 2 decimals and the change to 1, as the text output shows them, so the
// two never disagree; absent numbers (no baseline, no scores) are null.
#include "planner/export/json.hpp"

#include <cmath>

namespace titrate {

namespace {

nlohmann::json rounded(const std::optional<double> &v, int decimals) {
  if (!v)
    return nullptr;
  const double scale = std::pow(10.0, decimals);
  double r = std::round(*v * scale) / scale;
  if (r == 0)
    r = 0; // no "-0.0"
  return r;
}

} // namespace

nlohmann::json to_json(const Assessment &a) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto &r : a.reasons)
    reasons.push_back(r);
  return {
      {"patient", a.patient},
      {"date", iso(a.date)},
      {"drug", a.drug},
      {"decision", std::string(to_string(a.decision))},
      {"baseline", rounded(a.baseline, 2)},
      {"window",
       {{"start", iso(a.window.start)},
        {"end", iso(a.window.end)},
        {"mean", rounded(a.window.mean, 2)},
        {"scores", a.window.scores}}},
      {"change_pct", rounded(a.change_pct, 1)},
      {"days_at_target", a.days_at_target},
      {"rule", a.rule},
      {"source", a.source},
      {"reasons", reasons},
  };
}

} // namespace titrate
