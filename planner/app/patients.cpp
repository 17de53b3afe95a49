#include "planner/app/patients.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/patient_file.hpp"

#include <algorithm>
#include <cmath>

namespace titrate::app {

namespace {

double profile_number(const std::string &text, const std::string &field, const std::string &unit) {
  // Plain decimals only ("70", "1.1"): std::stod alone would also take "0x46", " 70", "1e2",
  // "inf" and "nan".
  const bool plain = !text.empty() && text.size() <= 16 &&
                     text.find_first_not_of("0123456789.") == std::string::npos &&
                     text.front() != '.' && text.back() != '.' &&
                     std::count(text.begin(), text.end(), '.') <= 1;
  if (!plain) {
    throw InputError(field + ": \"" + text.substr(0, 32) + "\" is not a number; expected " + unit +
                     " as a plain decimal such as 70 or 1.1");
  }
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (text.empty() || used != text.size() || !std::isfinite(v)) {
    throw InputError(field + ": \"" + text.substr(0, 32) + "\" is not a number; expected " + unit);
  }
  return v;
}

// A list or text field of the profile: --clear-X empties it, then X replaces it when given.
template <class T> void clear_or_replace(T &field, bool clear, const T &given) {
  if (clear)
    field.clear();
  if (!given.empty())
    field = given;
}

// Applies the given options onto `p` (a fresh profile for add, the current one for update).
void apply_fields(const ProfileFields &o, Patient &p, bool update, std::string_view prefix) {
  const std::string F(prefix);
  if (!update) {
    if (o.birth_date.empty())
      throw InputError(F + "birth-date: missing; expected YYYY-MM-DD");
    if (o.sex.empty())
      throw InputError(F + "sex: missing; expected " + enum_expected<Sex>());
    if (o.weight_kg.empty())
      throw InputError(F + "weight-kg: missing; expected a weight in kg");
  }
  if (!o.creatinine.empty() && !o.crcl.empty()) {
    throw InputError(F + "creatinine-mg-dl and " + F + "crcl: give one of them, not both");
  }
  if (!o.birth_date.empty())
    p.birth_date = parse_date(o.birth_date, F + "birth-date");
  if (!o.sex.empty())
    p.sex = parse_enum<Sex>(o.sex, F + "sex");
  if (!o.weight_kg.empty())
    p.weight_kg = profile_number(o.weight_kg, F + "weight-kg", "kg");
  if (!o.creatinine.empty()) {
    p.serum_creatinine_mg_dl = profile_number(o.creatinine, F + "creatinine-mg-dl", "mg/dL");
    p.crcl_ml_min.reset();
  }
  if (!o.crcl.empty()) {
    p.crcl_ml_min = profile_number(o.crcl, F + "crcl", "mL/min");
    p.serum_creatinine_mg_dl.reset();
  }
  if (!o.hepatic.empty())
    p.hepatic = parse_enum<Hepatic>(o.hepatic, F + "hepatic");
  clear_or_replace(p.conditions, o.clear_conditions, o.conditions);
  clear_or_replace(p.medications, o.clear_medications, o.medications);
  if (o.clear_stopped)
    p.stopped_medications.clear();
  if (!o.stopped.empty()) {
    p.stopped_medications.clear();
    for (const auto &s : o.stopped) {
      const auto eq = s.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw InputError(F + "stopped-medication: \"" + s.substr(0, 64) +
                         "\" is not NAME=YYYY-MM-DD (e.g. phenelzine=2026-11-20)");
      }
      p.stopped_medications.push_back(
          {s.substr(0, eq),
           parse_date(s.substr(eq + 1), F + "stopped-medication " + s.substr(0, eq))});
    }
  }
  if (o.clear_baseline_pain)
    p.baseline_pain.reset();
  if (!o.baseline_pain.empty())
    p.baseline_pain = PainScore::parse(o.baseline_pain, F + "baseline-pain");
  clear_or_replace(p.indication, o.clear_indication, o.indication);
  if (o.clear_dialysis)
    p.dialysis.reset();
  if (!o.dialysis.empty() || !o.dialysis_days.empty()) {
    // Both together on add; on update, either replaces its part of the current description.
    Dialysis d = p.dialysis.value_or(Dialysis{"", {}});
    if (!o.dialysis.empty())
      d.kind = o.dialysis;
    if (!o.dialysis_days.empty()) {
      d.days.clear();
      for (const auto &day : o.dialysis_days)
        d.days.push_back(parse_enum<Weekday>(day, F + "dialysis-day"));
    }
    if (d.kind.empty()) {
      throw InputError(F + "dialysis-day: given without " + F + "dialysis; expected " + F +
                       "dialysis haemodialysis too");
    }
    if (d.days.empty()) {
      throw InputError(F + "dialysis: given without " + F +
                       "dialysis-day; expected the weekdays of the " + "sessions (e.g. " + F +
                       "dialysis-day monday " + F + "dialysis-day wednesday)");
    }
    try {
      validate_dialysis(d);
    } catch (const InputError &e) {
      const std::string msg = e.what();
      throw InputError(
          F + std::string(msg.rfind("dialysis_days", 0) == 0 ? "dialysis-day" : "dialysis") +
          msg.substr(msg.find(':')));
    }
    p.dialysis = d;
  }
}

// A value changed by hand no longer comes from the FHIR resource it was read from: its source is
// dropped, so `patient show` never credits an EHR with a typed value.
void prune_sources(const Patient &before, Patient &p) {
  const auto in = [](const std::vector<std::string> &v, const std::string &x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  std::vector<std::string> stopped;
  for (const auto &s : p.stopped_medications)
    stopped.push_back(s.name);
  std::erase_if(p.sources, [&](const ValueSource &s) {
    const auto colon = s.field.find(':');
    const std::string kind = s.field.substr(0, colon);
    const std::string name = colon == std::string::npos ? "" : s.field.substr(colon + 1);
    if (kind == "birth_date")
      return p.birth_date != before.birth_date;
    if (kind == "sex")
      return p.sex != before.sex;
    if (kind == "weight_kg")
      return p.weight_kg != before.weight_kg;
    if (kind == "serum_creatinine_mg_dl") {
      return p.serum_creatinine_mg_dl != before.serum_creatinine_mg_dl;
    }
    if (kind == "medications")
      return !in(p.medications, name);
    if (kind == "stopped_medications") {
      return !in(stopped, name) || p.stopped_medications != before.stopped_medications;
    }
    if (kind == "conditions")
      return !in(p.conditions, name);
    if (kind == "indication")
      return p.indication != before.indication;
    return false;
  });
}

} // namespace

Patient new_profile(const std::string &id, const ProfileFields &fields, const Formulary &f,
                    Date today, std::string_view prefix) {
  Patient p;
  p.id = id;
  apply_fields(fields, p, false, prefix);
  validate_patient(p, today);
  validate_vocabulary_terms(p, f.vocabulary);
  return p;
}

int add_patient(Repository &repo, const Patient &p, const Actor &who) {
  return repo.add_patient(p, who);
}

int update_patient(Repository &repo, const std::string &id, const ProfileFields &fields,
                   const Formulary &f, Date today, const Actor &who, std::string_view prefix) {
  validate_patient_id(id);
  int version = 0;
  repo.atomically([&] {
    const auto rec = repo.patient(id);
    if (!rec)
      throw NotFoundError("patient " + id + ": not found");
    Patient p = rec->patient;
    const Patient before = p;
    apply_fields(fields, p, true, prefix);
    prune_sources(before, p);
    if (p == before) {
      throw InputError("patient update " + id +
                       ": nothing to change; give at least one option "
                       "that differs from the current profile");
    }
    validate_patient(p, today);
    validate_vocabulary_terms(p, f.vocabulary);
    version = repo.update_patient(p, who);
  });
  return version;
}

} // namespace titrate::app
