#pragma once
// clinical.md G #1's patient, the adult many tests start from: a woman of 65 kg with serum
// creatinine 0.8 mg/dL and nothing else (no medicines, conditions or baseline pain). Each test
// gives its own ID and birth date (55 years old on its dates) and adds what its scenario has.
#include "planner/core/patient.hpp"

#include <string>

namespace titrate::test {

inline Patient g1_patient(const std::string &id, Date birth_date) {
  Patient p;
  p.id = id;
  p.birth_date = birth_date;
  p.sex = Sex::female;
  p.weight_kg = 65;
  p.serum_creatinine_mg_dl = 0.8;
  return p;
}

} // namespace titrate::test
