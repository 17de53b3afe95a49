#include "planner/core/patient.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/text.hpp"

#include <algorithm>
#include <cmath>

namespace titrate {

bool Patient::has_condition(std::string_view c) const {
  if (dialysis && c == dialysis->kind)
    return true;
  return std::find(conditions.begin(), conditions.end(), c) != conditions.end();
}

Weekday weekday_of(Date d) {
  // boost: 0 = Sunday .. 6 = Saturday
  const int w = d.day_of_week().as_number();
  return static_cast<Weekday>((w + 6) % 7);
}

bool Dialysis::on(Date d) const {
  return std::find(days.begin(), days.end(), weekday_of(d)) != days.end();
}

void validate_dialysis(Dialysis &d) {
  if (d.kind != "haemodialysis") {
    throw InputError("dialysis: \"" + d.kind.substr(0, 32) +
                     "\" is not a dialysis kind titrate knows; expected haemodialysis");
  }
  if (d.days.empty()) {
    throw InputError("dialysis_days: missing; expected the weekdays of the haemodialysis "
                     "sessions (e.g. [\"monday\", \"wednesday\", \"friday\"])");
  }
  std::sort(d.days.begin(), d.days.end());
  if (std::adjacent_find(d.days.begin(), d.days.end()) != d.days.end()) {
    throw InputError("dialysis_days: a day is listed twice; expected each weekday once");
  }
}

void validate_patient_id(std::string_view id) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (!ok) {
    throw InputError("id: \"" + std::string(id.substr(0, 64)) +
                     "\" is not a patient id; expected 1-64 characters of letters, digits, "
                     "'.', '_' or '-'");
  }
}

namespace {
void check_range(std::string_view field, double v, double lo, double hi, std::string_view unit) {
  if (!std::isfinite(v) || v < lo || v > hi) {
    throw InputError(std::string(field) + ": " + number_text(v) + " is out of range; expected " +
                     number_text(lo) + " to " + number_text(hi) + " " + std::string(unit));
  }
}
} // namespace

void validate_patient(const Patient &p, Date today) {
  validate_patient_id(p.id);
  if (p.birth_date > today) {
    throw InputError("birth_date: " + iso(p.birth_date) + " is in the future (today is " +
                     iso(today) + "); expected a date on or before today");
  }
  if (age_in_years(p.birth_date, today) > 130) {
    throw InputError("birth_date: " + iso(p.birth_date) + " gives an age over 130 years");
  }
  check_range("weight_kg", p.weight_kg, 1, 400, "kg");
  if (p.serum_creatinine_mg_dl) {
    check_range("serum_creatinine_mg_dl", *p.serum_creatinine_mg_dl, 0.1, 20, "mg/dL");
  }
  if (p.crcl_ml_min)
    check_range("crcl_ml_min", *p.crcl_ml_min, 0, 250, "mL/min");
  if (!p.serum_creatinine_mg_dl && !p.crcl_ml_min) {
    throw InputError("serum_creatinine_mg_dl: missing; expected serum_creatinine_mg_dl or "
                     "crcl_ml_min (renal function is needed to dose safely)");
  }
  if (p.dialysis) {
    Dialysis d = *p.dialysis; // the parsers store it sorted; the check needs no order
    validate_dialysis(d);
  }
  for (const auto &s : p.stopped_medications) {
    if (s.stopped > today) {
      throw InputError("stopped_medications: " + s.name + " stopped " + iso(s.stopped) +
                       " is in the future (today is " + iso(today) + ")");
    }
  }
}

} // namespace titrate
