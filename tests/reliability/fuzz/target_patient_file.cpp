// The patient_file fuzz entry (targets.hpp), apart so a target links only the parsers it uses.
#include "tests/reliability/fuzz/targets.hpp"

#include "planner/core/errors.hpp"
#include "planner/formulary/patient_file.hpp"

namespace titrate::fuzz {

void patient_file(std::string_view bytes) {
  expect_only_typed_errors([&] {
    const Patient p =
        parse_patient_file({"p.toml", std::string(bytes)}, shipped_vocabulary(), Date(2026, 12, 1));
    // What the file loader promises (patient.hpp validate_patient): ranges hold after a parse.
    fuzz_check(p.weight_kg >= 1 && p.weight_kg <= 400, "weight outside 1-400 kg");
    fuzz_check(p.serum_creatinine_mg_dl.has_value() || p.crcl_ml_min.has_value(),
               "no renal function");
    fuzz_check(p.birth_date <= Date(2026, 12, 1), "birth date after today");
  });
}

} // namespace titrate::fuzz
