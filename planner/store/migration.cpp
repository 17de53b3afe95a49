// Schema-version refusals shared by the back ends (planner/store/migration.hpp).
#include "planner/store/migration.hpp"

#include "planner/core/errors.hpp"

namespace titrate {

void refuse_schema_version(const std::string &where, int found, int latest) {
  if (found < 0) {
    throw RefusedError("database " + where +
                       ": not a titrate database (it has tables but no schema_version); "
                       "refusing to touch it");
  }
  if (found > latest) {
    throw RefusedError("database " + where + ": schema version " + std::to_string(found) +
                       " is newer than this titrate understands (" + std::to_string(latest) +
                       "); it was written by a newer titrate. Upgrade titrate; the database "
                       "was not changed");
  }
}

int latest_version(const std::vector<Migration> &migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

} // namespace titrate
