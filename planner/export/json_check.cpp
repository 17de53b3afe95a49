// The "check" JSON shape of design.md §6 (a contract: exactly these keys, in this form):
// {"patient", "crcl_ml_min", "drugs": [{"drug", "verdict", "available_from", "max_daily_mg",
//  "reasons": [{"rule", "severity", "text", "source"}]}], "unchecked_medications"}
#include "planner/export/json.hpp"

namespace titrate {

namespace {

// A whole number of milligrams prints as an integer (60, not 60.0); a fraction as a decimal.
} // namespace

nlohmann::json to_json(const Finding &f) {
  return {{"rule", f.rule},
          {"severity", std::string(to_string(f.severity))},
          {"text", f.text},
          {"source", f.source}};
}

nlohmann::json to_json(const EligibilityReport &r) {
  nlohmann::json drugs = nlohmann::json::array();
  for (const auto &d : r.drugs) {
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto &f : d.reasons)
      reasons.push_back(to_json(f));
    drugs.push_back(
        {{"drug", d.drug},
         {"verdict", std::string(to_string(d.verdict))},
         {"available_from",
          d.available_from ? nlohmann::json(iso(*d.available_from)) : nlohmann::json(nullptr)},
         {"max_daily_mg", d.max_daily ? mg_json(*d.max_daily) : nlohmann::json(nullptr)},
         {"reasons", reasons}});
  }
  nlohmann::json unchecked = nlohmann::json::array();
  for (const auto &u : r.unchecked_medications)
    unchecked.push_back(u);
  return {{"patient", r.patient},
          {"crcl_ml_min", r.crcl_ml_min},
          {"drugs", drugs},
          {"unchecked_medications", unchecked}};
}

} // namespace titrate
