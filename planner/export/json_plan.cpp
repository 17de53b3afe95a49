// The "plan" JSON shape of design.md §6 (a contract): {"patient", "pathway", "stages": [{"drug",
// "role", "steps": [{"start", "end", "daily_mg", "doses": [{"time", "mg", "units": [{"strength_mg",
// "form", "count"}]}]}], "target_reached", "decision_date", "dispense"}], "lint"}. Dates are ISO
// and half-open (`end` is the first day not included); a taper stage has null target_reached and
// decision_date. Added keys, so that plan_from_json is the exact inverse: top-level "start",
// "tried", "unchecked_medications"; per stage "assessed_mg", "warnings", "note".
#include "planner/export/json.hpp"

#include "planner/core/errors.hpp"

namespace titrate {

namespace {

using nlohmann::json;

json optional_date(const std::optional<Date> &d) {
  return d ? json(iso(*d)) : json(nullptr);
}

json units_json(const std::vector<UnitCount> &units) {
  json out = json::array();
  for (const auto &u : units) {
    out.push_back({{"strength_mg", mg_json(u.strength)},
                   {"form", std::string(to_string(u.form))},
                   {"count", u.count}});
  }
  return out;
}

// ---- reading back: every fault names its JSON path ----

[[noreturn]] void bad(const std::string &path, const std::string &what) {
  throw InputError("plan JSON: " + path + ": " + what);
}

const json &member(const json &obj, const std::string &path, const char *key) {
  if (!obj.is_object())
    bad(path, "expected an object");
  const auto it = obj.find(key);
  if (it == obj.end())
    bad(path + "." + key, "missing");
  return *it;
}

std::string get_string(const json &obj, const std::string &path, const char *key) {
  const json &v = member(obj, path, key);
  if (!v.is_string())
    bad(path + "." + key, "expected a string");
  return v.get<std::string>();
}

const json &get_array(const json &obj, const std::string &path, const char *key) {
  const json &v = member(obj, path, key);
  if (!v.is_array())
    bad(path + "." + key, "expected an array");
  return v;
}

Dose get_mg(const json &obj, const std::string &path, const char *key) {
  const json &v = member(obj, path, key);
  if (!v.is_number())
    bad(path + "." + key, "expected a number of mg");
  try {
    return Dose::from_mg_double(v.get<double>(), path + "." + key);
  } catch (const InputError &e) {
    bad(path + "." + key, e.what());
  }
}

int get_int(const json &obj, const std::string &path, const char *key) {
  const json &v = member(obj, path, key);
  if (!v.is_number_integer())
    bad(path + "." + key, "expected a whole number");
  return v.get<int>();
}

Date get_date(const json &obj, const std::string &path, const char *key) {
  return parse_date(get_string(obj, path, key), "plan JSON: " + path + "." + key);
}

std::optional<Date> get_optional_date(const json &obj, const std::string &path, const char *key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return std::nullopt;
  if (!it->is_string())
    bad(path + "." + key, "expected a date or null");
  return parse_date(it->get<std::string>(), "plan JSON: " + path + "." + key);
}

Form get_form(const json &obj, const std::string &path) {
  return parse_enum<Form>(get_string(obj, path, "form"), "plan JSON: " + path + ".form");
}

std::vector<UnitCount> units_from(const json &arr, const std::string &path) {
  std::vector<UnitCount> out;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    out.push_back(
        {get_mg(arr[i], p, "strength_mg"), get_form(arr[i], p), get_int(arr[i], p, "count")});
  }
  return out;
}

// The array at obj[key], each element read by `read(element, its path)`; absent or null is an
// empty list, anything else but an array is `expected`.
template <class T, class Read>
std::vector<T> optional_array(const json &obj, const std::string &path, const char *key,
                              const char *expected, Read read) {
  std::vector<T> out;
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return out;
  if (!it->is_array())
    bad(path + "." + key, expected);
  for (std::size_t i = 0; i < it->size(); ++i)
    out.push_back(read((*it)[i], path + "." + key + "[" + std::to_string(i) + "]"));
  return out;
}

std::vector<std::string> strings_from(const json &obj, const std::string &path, const char *key) {
  return optional_array<std::string>(obj, path, key, "expected an array of strings",
                                     [](const json &s, const std::string &p) {
                                       if (!s.is_string())
                                         bad(p, "expected a string");
                                       return s.get<std::string>();
                                     });
}

std::vector<Finding> findings_from(const json &obj, const std::string &path, const char *key) {
  return optional_array<Finding>(
      obj, path, key, "expected an array of findings", [](const json &f, const std::string &p) {
        Finding finding;
        finding.rule = get_string(f, p, "rule");
        finding.severity =
            parse_enum<Severity>(get_string(f, p, "severity"), "plan JSON: " + p + ".severity");
        finding.text = get_string(f, p, "text");
        finding.source = get_string(f, p, "source");
        return finding;
      });
}

} // namespace

nlohmann::json mg_json(Dose d) {
  if (d.is_whole_mg())
    return d.whole_mg();
  return d.mg();
}

nlohmann::json to_json(const Plan &p) {
  json stages = json::array();
  for (const auto &s : p.stages) {
    json steps = json::array();
    for (const auto &step : s.steps) {
      json doses = json::array();
      for (const auto &a : step.doses) {
        doses.push_back({{"time", std::string(to_string(a.time))},
                         {"mg", mg_json(a.dose)},
                         {"units", units_json(a.units)}});
      }
      steps.push_back({{"start", iso(step.range.begin())},
                       {"end", iso(step.range.end())},
                       {"daily_mg", mg_json(step.daily)},
                       {"doses", doses}});
    }
    json warnings = json::array();
    for (const auto &w : s.warnings)
      warnings.push_back(to_json(w));
    json stage = {{"drug", s.drug},
                  {"role", std::string(to_string(s.role))},
                  {"steps", steps},
                  {"target_reached", optional_date(s.target_reached)},
                  {"decision_date", optional_date(s.decision_date)},
                  {"dispense", units_json(s.dispense)},
                  {"assessed_mg", mg_json(s.assessed_dose)},
                  {"warnings", warnings},
                  {"note", s.note}};
    // Maintenance only: the last step's dose continues past its "end" (the review date).
    if (s.review_date) {
      stage["maintenance"] = true;
      stage["review_date"] = iso(*s.review_date);
    }
    stages.push_back(std::move(stage));
  }
  json lint = json::array();
  for (const auto &f : p.lint)
    lint.push_back(to_json(f));
  return {{"patient", p.patient},
          {"pathway", p.pathway},
          {"stages", stages},
          {"lint", lint},
          {"start", iso(p.start)},
          {"tried", p.tried},
          {"unchecked_medications", p.unchecked_medications}};
}

Plan plan_from_json(const nlohmann::json &j) {
  const std::string root = "$";
  Plan p;
  p.patient = get_string(j, root, "patient");
  p.pathway = get_string(j, root, "pathway");
  const json &stages = get_array(j, root, "stages");
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const std::string sp = root + ".stages[" + std::to_string(i) + "]";
    const json &sj = stages[i];
    Stage s;
    s.drug = get_string(sj, sp, "drug");
    s.role = parse_enum<StageRole>(get_string(sj, sp, "role"), "plan JSON: " + sp + ".role");
    const json &steps = get_array(sj, sp, "steps");
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const std::string tp = sp + ".steps[" + std::to_string(k) + "]";
      const json &tj = steps[k];
      const Date begin = get_date(tj, tp, "start");
      const Date end = get_date(tj, tp, "end");
      if (end < begin)
        bad(tp + ".end", iso(end) + " is before start " + iso(begin));
      Step step{DateRange(begin, end), get_mg(tj, tp, "daily_mg"), {}};
      const json &doses = get_array(tj, tp, "doses");
      for (std::size_t d = 0; d < doses.size(); ++d) {
        const std::string dp = tp + ".doses[" + std::to_string(d) + "]";
        Administration a;
        a.time =
            parse_enum<AdminTime>(get_string(doses[d], dp, "time"), "plan JSON: " + dp + ".time");
        a.dose = get_mg(doses[d], dp, "mg");
        a.units = units_from(get_array(doses[d], dp, "units"), dp + ".units");
        step.doses.push_back(std::move(a));
      }
      s.steps.push_back(std::move(step));
    }
    s.target_reached = get_optional_date(sj, sp, "target_reached");
    s.decision_date = get_optional_date(sj, sp, "decision_date");
    s.review_date = get_optional_date(sj, sp, "review_date");
    s.dispense = units_from(get_array(sj, sp, "dispense"), sp + ".dispense");
    if (sj.contains("assessed_mg")) {
      s.assessed_dose = get_mg(sj, sp, "assessed_mg");
    } else if (s.target_reached) {
      // a document with only the §6 keys: the assessed dose is the dose on the target day
      for (const auto &step : s.steps) {
        if (step.range.contains(*s.target_reached))
          s.assessed_dose = step.daily;
      }
    }
    s.warnings = findings_from(sj, sp, "warnings");
    if (sj.contains("note") && !sj["note"].is_null())
      s.note = get_string(sj, sp, "note");
    p.stages.push_back(std::move(s));
  }
  p.lint = findings_from(j, root, "lint");
  if (j.contains("start") && !j["start"].is_null()) {
    p.start = get_date(j, root, "start");
  } else if (!p.stages.empty() && !p.stages.front().steps.empty()) {
    p.start = p.stages.front().steps.front().range.begin();
  }
  p.tried = strings_from(j, root, "tried");
  p.unchecked_medications = strings_from(j, root, "unchecked_medications");
  return p;
}

} // namespace titrate
