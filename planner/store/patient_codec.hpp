#pragma once
// The stored form of a profile's `conditions` column (both back ends): a JSON array of the
// vocabulary terms, followed, for a patient on dialysis (clinical.md H14), by one object
// {"dialysis": "haemodialysis", "days": ["monday", ...]}. Kept in the existing text column so
// that no migration is needed; a profile without dialysis is stored exactly as before.
#include "planner/core/patient.hpp"

#include <nlohmann/json.hpp>

namespace titrate::store {

nlohmann::json conditions_document(const Patient &p);
// Fills p.conditions and p.dialysis. InputError or json::exception on a malformed document
// (the callers map both to StorageError).
void read_conditions_document(const nlohmann::json &j, Patient &p);

// The `sources` column (migration 006): a JSON array of {"field", "resource", "date", "note"}.
nlohmann::json sources_document(const Patient &p);
void read_sources_document(const nlohmann::json &j, Patient &p);

} // namespace titrate::store
