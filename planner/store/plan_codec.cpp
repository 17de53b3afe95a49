#include "planner/store/plan_codec.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/names.hpp"

namespace titrate::store {

using nlohmann::json;

namespace {

json opt_date(const std::optional<Date> &d) {
  return d ? json(iso(*d)) : json(nullptr);
}

json units_doc(const std::vector<UnitCount> &units) {
  json a = json::array();
  for (const auto &u : units) {
    a.push_back(
        {{"strength_ug", u.strength.ug()}, {"form", to_string(u.form)}, {"count", u.count}});
  }
  return a;
}

json findings_doc(const std::vector<Finding> &fs) {
  json a = json::array();
  for (const auto &f : fs) {
    a.push_back({{"severity", to_string(f.severity)},
                 {"rule", f.rule},
                 {"text", f.text},
                 {"source", f.source}});
  }
  return a;
}

// Reads with the document path in the message, so a corrupt row can be found.
template <class T> T get(const json &j, const char *key, const std::string &path) {
  if (!j.is_object() || !j.contains(key)) {
    throw StorageError("stored plan: " + path + "." + key + " is missing");
  }
  try {
    return j.at(key).get<T>();
  } catch (const json::exception &) {
    throw StorageError("stored plan: " + path + "." + key + " has the wrong type");
  }
}

const json &arr(const json &j, const char *key, const std::string &path) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_array()) {
    throw StorageError("stored plan: " + path + "." + key + " is not an array");
  }
  return j.at(key);
}

std::optional<Date> get_opt_date(const json &j, const char *key, const std::string &path) {
  if (!j.contains(key) || j.at(key).is_null())
    return std::nullopt;
  return parse_date(get<std::string>(j, key, path), key);
}

std::vector<UnitCount> units_from(const json &a, const std::string &path) {
  std::vector<UnitCount> out;
  for (const auto &u : a) {
    out.push_back({Dose::micrograms(get<std::int64_t>(u, "strength_ug", path)),
                   parse_enum<Form>(get<std::string>(u, "form", path), "form"),
                   get<int>(u, "count", path)});
  }
  return out;
}

std::vector<Finding> findings_from(const json &a, const std::string &path) {
  std::vector<Finding> out;
  for (const auto &f : a) {
    out.push_back({parse_enum<Severity>(get<std::string>(f, "severity", path), "severity"),
                   get<std::string>(f, "rule", path), get<std::string>(f, "text", path),
                   get<std::string>(f, "source", path)});
  }
  return out;
}

} // namespace

json plan_to_document(const Plan &p) {
  json stages = json::array();
  for (const auto &s : p.stages) {
    json steps = json::array();
    for (const auto &st : s.steps) {
      json doses = json::array();
      for (const auto &a : st.doses) {
        doses.push_back(
            {{"time", to_string(a.time)}, {"ug", a.dose.ug()}, {"units", units_doc(a.units)}});
      }
      steps.push_back({{"begin", iso(st.range.begin())},
                       {"end", iso(st.range.end())},
                       {"daily_ug", st.daily.ug()},
                       {"doses", doses}});
    }
    json stage = {{"drug", s.drug},
                  {"role", to_string(s.role)},
                  {"steps", steps},
                  {"assessed_ug", s.assessed_dose.ug()},
                  {"target_reached", opt_date(s.target_reached)},
                  {"decision_date", opt_date(s.decision_date)},
                  {"dispense", units_doc(s.dispense)},
                  {"warnings", findings_doc(s.warnings)},
                  {"note", s.note}};
    // Written only for a stage in maintenance, so documents of other plans are unchanged.
    if (s.review_date)
      stage["review_date"] = iso(*s.review_date);
    stages.push_back(std::move(stage));
  }
  return {{"format", 1},
          {"patient", p.patient},
          {"pathway", p.pathway},
          {"start", iso(p.start)},
          {"stages", stages},
          {"lint", findings_doc(p.lint)},
          {"unchecked_medications", p.unchecked_medications},
          {"tried", p.tried}};
}

Plan plan_from_document(const json &j) {
  Plan p;
  p.patient = get<std::string>(j, "patient", "$");
  p.pathway = get<std::string>(j, "pathway", "$");
  p.start = parse_date(get<std::string>(j, "start", "$"), "start");
  int si = 0;
  for (const auto &s : arr(j, "stages", "$")) {
    const std::string sp = "$.stages[" + std::to_string(si++) + "]";
    Stage stage;
    stage.drug = get<std::string>(s, "drug", sp);
    stage.role = parse_enum<StageRole>(get<std::string>(s, "role", sp), "role");
    int ti = 0;
    for (const auto &st : arr(s, "steps", sp)) {
      const std::string tp = sp + ".steps[" + std::to_string(ti++) + "]";
      Step step;
      step.range = DateRange(parse_date(get<std::string>(st, "begin", tp), "begin"),
                             parse_date(get<std::string>(st, "end", tp), "end"));
      step.daily = Dose::micrograms(get<std::int64_t>(st, "daily_ug", tp));
      for (const auto &a : arr(st, "doses", tp)) {
        step.doses.push_back({parse_enum<AdminTime>(get<std::string>(a, "time", tp), "time"),
                              Dose::micrograms(get<std::int64_t>(a, "ug", tp)),
                              units_from(arr(a, "units", tp), tp)});
      }
      stage.steps.push_back(std::move(step));
    }
    stage.assessed_dose = Dose::micrograms(get<std::int64_t>(s, "assessed_ug", sp));
    stage.target_reached = get_opt_date(s, "target_reached", sp);
    stage.decision_date = get_opt_date(s, "decision_date", sp);
    stage.review_date = get_opt_date(s, "review_date", sp);
    stage.dispense = units_from(arr(s, "dispense", sp), sp);
    stage.warnings = findings_from(arr(s, "warnings", sp), sp);
    stage.note = get<std::string>(s, "note", sp);
    p.stages.push_back(std::move(stage));
  }
  p.lint = findings_from(arr(j, "lint", "$"), "$");
  p.unchecked_medications = get<std::vector<std::string>>(j, "unchecked_medications", "$");
  p.tried = get<std::vector<std::string>>(j, "tried", "$");
  return p;
}

} // namespace titrate::store
