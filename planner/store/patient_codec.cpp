#include "planner/store/patient_codec.hpp"

#include "planner/core/errors.hpp"

namespace titrate::store {

nlohmann::json conditions_document(const Patient &p) {
  nlohmann::json a = p.conditions;
  if (p.dialysis) {
    nlohmann::json days = nlohmann::json::array();
    for (const auto d : p.dialysis->days)
      days.push_back(std::string(to_string(d)));
    a.push_back({{"dialysis", p.dialysis->kind}, {"days", days}});
  }
  return a;
}

void read_conditions_document(const nlohmann::json &j, Patient &p) {
  if (!j.is_array())
    throw InputError("conditions: expected a JSON array");
  p.conditions.clear();
  p.dialysis.reset();
  for (const auto &e : j) {
    if (e.is_string()) {
      p.conditions.push_back(e.get<std::string>());
      continue;
    }
    if (!e.is_object() || p.dialysis) {
      throw InputError("conditions: expected vocabulary terms and at most one dialysis object");
    }
    Dialysis d;
    d.kind = e.at("dialysis").get<std::string>();
    for (const auto &day : e.at("days")) {
      d.days.push_back(parse_enum<Weekday>(day.get<std::string>(), "conditions: dialysis days"));
    }
    validate_dialysis(d);
    p.dialysis = d;
  }
}

nlohmann::json sources_document(const Patient &p) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &v : p.sources) {
    a.push_back({{"field", v.field}, {"resource", v.resource}, {"date", v.date}, {"note", v.note}});
  }
  return a;
}

void read_sources_document(const nlohmann::json &j, Patient &p) {
  p.sources.clear();
  for (const auto &v : j) {
    p.sources.push_back({v.at("field").get<std::string>(), v.at("resource").get<std::string>(),
                         v.at("date").get<std::string>(), v.at("note").get<std::string>()});
  }
}

} // namespace titrate::store
