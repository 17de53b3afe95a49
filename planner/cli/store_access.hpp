#pragma once
// The bridge from engine commands given a patient ID (check ID, plan ID, assess ID, export ID) to
// the store. Implemented by the store layer (planner/cli/store_access.cpp).
#include "planner/cli/context.hpp"
#include "planner/core/patient.hpp"

#include <string>

namespace titrate::cli {

// The current profile of a stored patient; NotFoundError (exit 3) if there is none.
Patient stored_patient(Context &ctx, const std::string &id);

} // namespace titrate::cli
