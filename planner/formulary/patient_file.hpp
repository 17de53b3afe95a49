#pragma once
// The patient file (TOML, design.md §6). Pure: parses text it is handed. Unknown keys, unknown
// conditions, wrong types and out-of-range values are InputError naming the field.
#include "planner/core/patient.hpp"
#include "planner/formulary/loader.hpp"

namespace titrate {

Patient parse_patient_file(const TextFile &file, const Vocabulary &vocabulary, Date today);

// Checks vocabulary terms of a profile built elsewhere (CLI options): unknown condition =
// InputError naming the list; medications must be lower-case-hyphen names.
void validate_vocabulary_terms(const Patient &p, const Vocabulary &vocabulary);

} // namespace titrate
