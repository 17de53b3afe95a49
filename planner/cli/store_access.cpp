#include "planner/cli/store_access.hpp"

#include "planner/core/errors.hpp"

namespace titrate::cli {

// Replaced by the store implementation.
Patient stored_patient(Context &, const std::string &id) {
  throw NotFoundError("patient " + id + ": no database store is available in this build");
}

} // namespace titrate::cli
