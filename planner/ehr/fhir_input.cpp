// The one reader of FHIR input (fhir_input.hpp), one coherent thing: a Bundle or resources in,
// each resource kind (Patient, Observation, MedicationRequest/Statement, Condition,
// AllergyIntolerance) read into the profile with where every value came from, units converted by
// UCUM; a lab older than the project's age rule carries a caution, and an unknown code is listed
// as not checked, never dropped.
#include "planner/ehr/fhir_input.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace titrate::ehr {

using nlohmann::json;

namespace {

std::string short_text(const std::string &s) {
  return printable(s, 64);
}

// The element `key` of an object, or nullptr when absent (or null, or `j` is no object).
// InputError when present but not of the kind `is` tests (`expected`: "an object").
const json *opt_element(const json &j, const char *key, const std::string &where,
                        bool (json::*is)() const noexcept, const char *expected) {
  if (!j.is_object())
    return nullptr;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null())
    return nullptr;
  if (!((*it).*is)()) {
    throw InputError(where + "." + key + ": is a " + it->type_name() + "; expected " + expected);
  }
  return &*it;
}

// A string element, or nullopt when absent. InputError when present but not a string.
std::optional<std::string> opt_str(const json &j, const char *key, const std::string &where) {
  const json *e = opt_element(j, key, where, &json::is_string, "a string");
  if (!e)
    return std::nullopt;
  return e->get<std::string>();
}

const json *opt_obj(const json &j, const char *key, const std::string &where) {
  return opt_element(j, key, where, &json::is_object, "an object");
}

const json *opt_array(const json &j, const char *key, const std::string &where) {
  return opt_element(j, key, where, &json::is_array, "an array");
}

std::string ref_of(const json &r) {
  const auto type = r.value("resourceType", std::string("resource"));
  const auto id =
      r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : std::string("(no id)");
  return type + "/" + id;
}

struct Coding {
  std::string system, code, display;
};

std::vector<Coding> codings(const json *codeable, const std::string &where) {
  std::vector<Coding> out;
  if (!codeable)
    return out;
  if (const json *a = opt_array(*codeable, "coding", where)) {
    for (const auto &c : *a) {
      out.push_back({opt_str(c, "system", where + ".coding").value_or(""),
                     opt_str(c, "code", where + ".coding").value_or(""),
                     opt_str(c, "display", where + ".coding").value_or("")});
    }
  }
  return out;
}

// "CODE (display)" of every coding of `system`, or the concept's text, for "not checked" lines.
std::string concept_text(const json *codeable, const std::string &where) {
  std::string s;
  for (const auto &c : codings(codeable, where)) {
    std::string sys = c.system == rxnorm_system   ? "RxNorm "
                      : c.system == snomed_system ? "SNOMED CT "
                      : c.system == loinc_system  ? "LOINC "
                                                  : (c.system.empty() ? "" : c.system + " ");
    s += (s.empty() ? "" : ", ") + short_text(sys + c.code) +
         (c.display.empty() ? "" : " \"" + short_text(c.display) + "\"");
  }
  if (codeable) {
    if (const auto t = opt_str(*codeable, "text", where)) {
      s += (s.empty() ? "" : ", ") + std::string("\"") + short_text(*t) + "\"";
    }
  }
  return s.empty() ? "no code" : s;
}

// The clinical date of a date or dateTime element: its first 10 characters must be a real date
// not after today. A partial date (YYYY or YYYY-MM) cannot be checked: InputError.
Date clinical_date(const std::string &text, const std::string &where, Date today) {
  if (text.size() < 10) {
    throw InputError(where + ": \"" + short_text(text) +
                     "\" is not a full date; expected YYYY-MM-DD or a dateTime");
  }
  if (text.size() > 10 && text[10] != 'T') {
    throw InputError(where + ": \"" + short_text(text) +
                     "\" is not a FHIR date or dateTime; expected YYYY-MM-DD[Thh:mm:ss+zz:zz]");
  }
  const Date d = parse_date(text.substr(0, 10), where);
  if (d > today) {
    throw InputError(where + ": " + iso(d) + " is after today (" + iso(today) +
                     "); expected a date that has happened");
  }
  return d;
}

std::string number_text2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

double round_to(double v, double step) {
  return std::round(v / step) * step;
}

} // namespace

void FhirReader::add(const json &r, const std::string &where) {
  // An element of the wrong JSON type deep inside a resource is bad input, not a bug.
  try {
    add_checked(r, where);
  } catch (const json::exception &e) {
    throw InputError(where + ": " + printable(e.what(), 160) +
                     "; expected FHIR R4 JSON (an element has the wrong type)");
  }
}

void FhirReader::add_checked(const json &r, const std::string &where) {
  if (!r.is_object()) {
    throw InputError(where + ": is a " + std::string(r.type_name()) +
                     "; expected a FHIR resource (a JSON object with resourceType)");
  }
  const auto type = opt_str(r, "resourceType", where);
  if (!type)
    throw InputError(where + ": has no resourceType; expected a FHIR R4 resource");
  if (*type != "Bundle") {
    if (*type == "Medication")
      medications_.push_back(r);
    add_resource(r, where);
    return;
  }
  const auto btype = opt_str(r, "type", where).value_or("");
  if (btype != "searchset" && btype != "collection" && btype != "document") {
    throw InputError(where + ": Bundle.type \"" + short_text(btype) +
                     "\" is not read; expected searchset, collection or document (an "
                     "International Patient Summary)");
  }
  const json *entries = opt_array(r, "entry", where);
  if (!entries)
    return; // an empty search result: nothing to read
  // Medication resources first, so a request may reference one listed after it.
  for (const auto &e : *entries) {
    if (const json *res = opt_obj(e, "resource", where + ".entry")) {
      if (res->value("resourceType", "") == "Medication")
        medications_.push_back(*res);
    }
  }
  for (const auto &e : *entries) {
    const json *res = opt_obj(e, "resource", where + ".entry");
    if (!res)
      continue;
    if (const json *search = opt_obj(e, "search", where + ".entry")) {
      if (search->value("mode", "") == "outcome") {
        in_.ignored.push_back(ref_of(*res) + ": search outcome, not patient data");
        continue;
      }
    }
    add_checked(*res, where);
  }
}

void FhirReader::add_resource(const json &r, const std::string &where) {
  const std::string type = r.value("resourceType", "");
  const std::string ref = ref_of(r);
  const std::string at = where + ": " + ref;
  if (type == "Patient") {
    patient(r, at);
  } else if (type == "Observation") {
    observation(r, at);
  } else if (type == "MedicationRequest") {
    medication(r, at, false);
  } else if (type == "MedicationStatement") {
    medication(r, at, true);
  } else if (type == "Condition") {
    condition(r, at);
  } else if (type == "AllergyIntolerance") {
    allergy(r, at);
  } else if (type != "Medication") {
    in_.ignored.push_back(ref + ": a " + type + " is not read");
  }
}

void FhirReader::patient(const json &r, const std::string &at) {
  const std::string ref = ref_of(r);
  if (!in_.patient_resource.empty() && in_.patient_resource != ref) {
    throw InputError(at + ": a second Patient (the first was " + in_.patient_resource +
                     "); expected the resources of one patient");
  }
  in_.patient_resource = ref;
  if (const auto b = opt_str(r, "birthDate", at)) {
    if (b->size() != 10) {
      throw InputError(at + ".birthDate: \"" + short_text(*b) +
                       "\" is not a full date; expected YYYY-MM-DD (age sets the dose rules)");
    }
    in_.birth_date = clinical_date(*b, at + ".birthDate", today_);
    in_.patient_sources.push_back({"birth_date", ref, *b, ""});
  }
  if (const auto g = opt_str(r, "gender", at)) {
    const auto sex = enum_named<Sex>(*g);
    if (!sex) {
      throw InputError(at + ".gender: \"" + short_text(*g) + "\" cannot be used; expected " +
                       enum_expected<Sex>() +
                       " (Cockcroft-Gault's sex factor, clinical.md A2): enter the patient by "
                       "hand with --sex");
    }
    in_.sex = *sex;
    in_.patient_sources.push_back({"sex", ref, "", ""});
  }
}

void FhirReader::observation(const json &r, const std::string &at) {
  const std::string ref = ref_of(r);
  const std::string status = opt_str(r, "status", at).value_or("");
  if (status == "entered-in-error" || status == "cancelled") {
    in_.ignored.push_back(ref + ": status " + status);
    return;
  }
  const json *code = opt_obj(r, "code", at);
  enum class Kind { none, cr_mass, cr_substance, egfr, weight } kind = Kind::none;
  for (const auto &c : codings(code, at + ".code")) {
    if (c.system != loinc_system)
      continue;
    if (codes_.creatinine_mass.count(c.code))
      kind = Kind::cr_mass;
    else if (codes_.creatinine_substance.count(c.code))
      kind = Kind::cr_substance;
    else if (codes_.egfr.count(c.code))
      kind = Kind::egfr;
    else if (codes_.body_weight.count(c.code))
      kind = Kind::weight;
    if (kind != Kind::none)
      break;
  }
  if (kind == Kind::none) {
    in_.not_checked.push_back(ref + ": Observation " + concept_text(code, at + ".code") +
                              " is not one titrate reads");
    return;
  }
  if (status != "final" && status != "amended" && status != "corrected") {
    in_.not_checked.push_back(ref + ": status \"" + short_text(status) +
                              "\" (expected final, amended or corrected): not used");
    return;
  }
  std::optional<std::string> when = opt_str(r, "effectiveDateTime", at);
  if (!when) {
    if (const json *p = opt_obj(r, "effectivePeriod", at))
      when = opt_str(*p, "start", at);
  }
  if (!when)
    when = opt_str(r, "effectiveInstant", at);
  if (!when)
    when = opt_str(r, "issued", at);
  if (!when) {
    in_.not_checked.push_back(ref + ": no effective date (its age cannot be checked): not used");
    return;
  }
  const Date date = clinical_date(*when, at + ".effective[x]", today_);
  const json *q = opt_obj(r, "valueQuantity", at);
  if (!q || !q->contains("value") || !(*q)["value"].is_number()) {
    in_.not_checked.push_back(ref + ": no numeric valueQuantity: not used");
    return;
  }
  const double value = (*q)["value"].get<double>();
  const auto system = opt_str(*q, "system", at + ".valueQuantity");
  std::string unit = opt_str(*q, "code", at + ".valueQuantity").value_or("");
  if (system && *system != ucum_system) {
    throw InputError(at + ".valueQuantity.system: \"" + short_text(*system) + "\"; expected " +
                     ucum_system + " (UCUM)");
  }
  if (unit.empty())
    unit = opt_str(*q, "unit", at + ".valueQuantity").value_or("");
  const std::string given = number_text2(value) + " " + unit;
  const auto bad_unit = [&](const std::string &expected) {
    return InputError(at + ".valueQuantity: unit \"" + short_text(unit) + "\" for " +
                      concept_text(code, at) + "; expected " + expected);
  };
  if (!std::isfinite(value) || value <= 0) {
    throw InputError(at + ".valueQuantity.value: " + number_text2(value) +
                     "; expected a positive measurement");
  }
  Reading rd;
  rd.date = date;
  rd.when = *when;
  std::optional<Reading> *slot = nullptr;
  switch (kind) {
  case Kind::cr_mass:
    if (unit != "mg/dL")
      throw bad_unit("mg/dL (UCUM) for a creatinine by mass");
    rd.value = value;
    rd.source = {"serum_creatinine_mg_dl", ref, *when, given};
    slot = &in_.creatinine;
    break;
  case Kind::cr_substance:
    if (unit != "umol/L")
      throw bad_unit("umol/L (UCUM) for a creatinine by substance");
    rd.value = round_to(value / creatinine_umol_l_per_mg_dl, 0.01);
    rd.source = {"serum_creatinine_mg_dl", ref, *when,
                 given + " / 88.4 = " + number_text2(rd.value) + " mg/dL"};
    slot = &in_.creatinine;
    break;
  case Kind::egfr:
    if (unit != "mL/min/{1.73_m2}")
      throw bad_unit("mL/min/{1.73_m2} (UCUM) for an eGFR");
    rd.value = value;
    rd.source = {"egfr", ref, *when, given + " (shown; dosing uses Cockcroft-Gault CrCl)"};
    slot = &in_.egfr;
    break;
  case Kind::weight:
    if (unit == "kg") {
      rd.value = value;
      rd.source = {"weight_kg", ref, *when, given};
    } else if (unit == "g") {
      rd.value = round_to(value / 1000, 0.1);
      rd.source = {"weight_kg", ref, *when, given + " = " + number_text2(rd.value) + " kg"};
    } else if (unit == "[lb_av]") {
      rd.value = round_to(value * kg_per_lb, 0.1);
      rd.source = {"weight_kg", ref, *when,
                   given + " x 0.45359237 = " + number_text2(rd.value) + " kg"};
    } else {
      throw bad_unit("kg, g or [lb_av] (UCUM) for a body weight");
    }
    slot = &in_.weight;
    break;
  case Kind::none:
    return;
  }
  // The newest value of its kind wins (by date, then by the date-time text).
  if (!*slot || (*slot)->date < rd.date || ((*slot)->date == rd.date && (*slot)->when < rd.when)) {
    if (*slot)
      in_.ignored.push_back((*slot)->source.resource + ": older than " + ref);
    *slot = rd;
  } else {
    in_.ignored.push_back(ref + ": older than " + (*slot)->source.resource);
  }
}

void FhirReader::medication(const json &r, const std::string &at, bool statement) {
  const std::string ref = ref_of(r);
  const std::string status = opt_str(r, "status", at).value_or("");
  if (status == "entered-in-error" || status == "cancelled" || status == "draft" ||
      status == "not-taken") {
    in_.ignored.push_back(ref + ": status " + status);
    return;
  }
  const json *codeable = opt_obj(r, "medicationCodeableConcept", at);
  json resolved;
  if (!codeable) {
    if (const json *mref = opt_obj(r, "medicationReference", at)) {
      std::string target = opt_str(*mref, "reference", at + ".medicationReference").value_or("");
      if (!target.empty() && target[0] == '#') {
        if (const json *contained = opt_array(r, "contained", at)) {
          for (const auto &c : *contained) {
            if (c.value("resourceType", "") == "Medication" && "#" + c.value("id", "") == target)
              resolved = c;
          }
        }
      } else {
        for (const auto &m : medications_) {
          if (ref_of(m) == target || target.ends_with("/" + ref_of(m)))
            resolved = m;
        }
      }
      if (!resolved.is_null())
        codeable = opt_obj(resolved, "code", target);
    }
  }
  std::optional<std::string> name;
  for (const auto &c : codings(codeable, at + ".medication")) {
    if (c.system == rxnorm_system && (name = codes_.medication_of(c.code)))
      break;
  }
  if (!name) {
    in_.not_checked.push_back(ref + ": medication " + concept_text(codeable, at + ".medication") +
                              " is not a known RxNorm code");
    return;
  }
  std::optional<std::string> when;
  if (statement) {
    when = opt_str(r, "effectiveDateTime", at);
    if (!when) {
      if (const json *p = opt_obj(r, "effectivePeriod", at))
        when = opt_str(*p, "start", at);
    }
    if (!when)
      when = opt_str(r, "dateAsserted", at);
  } else {
    when = opt_str(r, "authoredOn", at);
  }
  const std::string date = when ? iso(clinical_date(*when, at + " date", today_)) : "";
  const bool current = status == "active" || status == "on-hold" || status == "intended" ||
                       (statement && status == "unknown");
  if (current) {
    const bool dup = std::any_of(in_.medications.begin(), in_.medications.end(),
                                 [&](const auto &m) { return m.first == *name; });
    if (!dup)
      in_.medications.push_back({*name, {"medications:" + *name, ref, date, status}});
    return;
  }
  if (status == "completed" || status == "stopped") {
    std::optional<std::string> end;
    if (statement) {
      if (const json *p = opt_obj(r, "effectivePeriod", at))
        end = opt_str(*p, "end", at);
    } else if (const json *d = opt_obj(r, "dispenseRequest", at)) {
      if (const json *v = opt_obj(*d, "validityPeriod", at))
        end = opt_str(*v, "end", at);
    }
    if (!end) {
      in_.not_checked.push_back(ref + ": " + *name + " " + status +
                                " with no end date: its washout cannot be checked");
      return;
    }
    const Date stopped = clinical_date(*end, at + " end", today_);
    in_.stopped.push_back({{*name, stopped}, {"stopped_medications:" + *name, ref, *end, status}});
    return;
  }
  in_.not_checked.push_back(ref + ": " + *name + " status \"" + short_text(status) +
                            "\" (expected active, on-hold, completed or stopped): not checked");
}

void FhirReader::condition(const json &r, const std::string &at) {
  const std::string ref = ref_of(r);
  for (const char *k : {"verificationStatus", "clinicalStatus"}) {
    for (const auto &c : codings(opt_obj(r, k, at), at + "." + k)) {
      if (c.code == "entered-in-error" || c.code == "refuted" || c.code == "inactive" ||
          c.code == "remission" || c.code == "resolved") {
        in_.ignored.push_back(ref + ": " + k + " " + c.code);
        return;
      }
    }
  }
  const json *code = opt_obj(r, "code", at);
  for (const auto &c : codings(code, at + ".code")) {
    if (c.system != snomed_system)
      continue;
    const auto cond = codes_.snomed.find(c.code);
    const auto ind = codes_.snomed_indications.find(c.code);
    if (cond == codes_.snomed.end() && ind == codes_.snomed_indications.end())
      continue;
    std::optional<std::string> when = opt_str(r, "onsetDateTime", at);
    if (!when)
      when = opt_str(r, "recordedDate", at);
    const std::string date = when ? iso(clinical_date(*when, at + " date", today_)) : "";
    if (cond != codes_.snomed.end()) {
      in_.conditions.push_back({cond->second, {"conditions:" + cond->second, ref, date, c.code}});
    } else {
      in_.indications.push_back({ind->second, {"indication", ref, date, c.code}});
    }
    return;
  }
  in_.not_checked.push_back(ref + ": condition " + concept_text(code, at + ".code") +
                            " is not a known SNOMED CT code");
}

void FhirReader::allergy(const json &r, const std::string &at) {
  const std::string ref = ref_of(r);
  for (const auto &c : codings(opt_obj(r, "verificationStatus", at), at + ".verificationStatus")) {
    if (c.code == "entered-in-error" || c.code == "refuted") {
      in_.ignored.push_back(ref + ": verificationStatus " + c.code);
      return;
    }
  }
  const json *code = opt_obj(r, "code", at);
  std::optional<std::string> drug;
  for (const auto &c : codings(code, at + ".code")) {
    if (c.system == rxnorm_system && (drug = codes_.medication_of(c.code)))
      break;
  }
  if (drug)
    in_.allergy_drugs.push_back(*drug);
  in_.allergies.push_back(ref + ": " + concept_text(code, at + ".code") +
                          (drug ? " (" + *drug + ")" : std::string(" (not a known RxNorm code)")));
}

std::vector<std::string> FhirReader::cautions() const {
  std::vector<std::string> out;
  const auto stale = [&](const std::optional<Reading> &rd, const std::string &what,
                         const std::string &unit) {
    if (!rd)
      return;
    const long age = (today_ - rd->date).days();
    if (age > codes_.lab_max_age_days) {
      out.push_back(what + " " + number_text2(rd->value) + " " + unit + " (" + rd->source.resource +
                    ") is from " + iso(rd->date) + ", " + std::to_string(age) +
                    " days ago: older than " + std::to_string(codes_.lab_max_age_days) + " days (" +
                    codes_.lab_max_age_cite.source + "); confirm it describes the patient today");
    }
  };
  stale(in_.creatinine, "serum creatinine", "mg/dL");
  stale(in_.weight, "body weight", "kg");
  stale(in_.egfr, "eGFR", "mL/min/1.73 m2");
  return out;
}

Patient to_patient(const FhirInput &in, const std::string &id, const EhrCodes &codes) {
  const auto join = [](const std::set<std::string> &s) {
    std::string out;
    for (const auto &c : s)
      out += (out.empty() ? "" : ", ") + c;
    return out;
  };
  if (in.patient_resource.empty())
    throw InputError("no Patient resource; expected one");
  if (!in.birth_date)
    throw InputError(in.patient_resource + ": no birthDate; expected YYYY-MM-DD");
  if (!in.sex)
    throw InputError(in.patient_resource + ": no gender; expected " + enum_expected<Sex>());
  if (!in.weight) {
    throw InputError("no body weight Observation (LOINC " + join(codes.body_weight) +
                     ", final); expected one: Cockcroft-Gault needs the weight (clinical.md A2)");
  }
  if (!in.creatinine) {
    throw InputError("no serum creatinine Observation (LOINC " + join(codes.creatinine_mass) +
                     " mg/dL or " + join(codes.creatinine_substance) +
                     " umol/L, final); expected one: titrate does not dose from an eGFR "
                     "(clinical.md A2 uses Cockcroft-Gault)");
  }
  Patient p;
  p.id = id;
  p.birth_date = *in.birth_date;
  p.sex = *in.sex;
  p.weight_kg = in.weight->value;
  p.serum_creatinine_mg_dl = in.creatinine->value;
  p.sources = in.patient_sources;
  p.sources.push_back(in.weight->source);
  p.sources.push_back(in.creatinine->source);
  if (in.egfr)
    p.sources.push_back(in.egfr->source);
  for (const auto &[name, src] : in.medications) {
    p.medications.push_back(name);
    p.sources.push_back(src);
  }
  for (const auto &[s, src] : in.stopped) {
    p.stopped_medications.push_back(s);
    p.sources.push_back(src);
  }
  for (const auto &[c, src] : in.conditions) {
    if (std::find(p.conditions.begin(), p.conditions.end(), c) == p.conditions.end()) {
      p.conditions.push_back(c);
      p.sources.push_back(src);
    }
  }
  if (!in.indications.empty()) {
    p.indication = in.indications.front().first;
    p.sources.push_back(in.indications.front().second);
  }
  return p;
}

} // namespace titrate::ehr
