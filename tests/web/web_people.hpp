#pragma once
// The adult patient and the clinician every web test adds its patients as, the same in the
// in-process server (web_fixture.hpp) and the Accounts contract on both back ends.
#include "planner/core/patient.hpp"
#include "planner/store/repository.hpp"
#include "tests/common/g1_patient.hpp"

#include <string>

namespace titrate::test::web_fixture {

// Born 1971-06-15, female, 65 kg, creatinine 0.8 mg/dL, baseline pain 7.
inline Patient adult(const std::string &id) {
  Patient p = g1_patient(id, Date(1971, 6, 15));
  p.baseline_pain = PainScore(7);
  return p;
}

inline const Actor clinician{"dr.a", "clinician"};

} // namespace titrate::test::web_fixture
