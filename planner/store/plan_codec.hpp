#pragma once
// The stored form of a Plan: a JSON document that round-trips every field exactly (doses as
// integer micrograms, dates ISO). It is the canonical content of a plan version in every back
// end; the normalized stages/steps tables are a queryable projection of it. Not the §6 "plan"
// API shape (that is export's to_json): this one may only change with a migration.
#include "planner/scheduling/plan.hpp"

#include <nlohmann/json.hpp>

namespace titrate::store {

nlohmann::json plan_to_document(const Plan &p);
// StorageError naming the field on a malformed document (a corrupt or foreign database); a date
// or word in it that does not parse is an InputError, which the reader turns into a StorageError
// naming the version (decode_stored).
Plan plan_from_document(const nlohmann::json &j);

} // namespace titrate::store
