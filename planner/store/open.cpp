// Back-end selection by location (planner/store/open.hpp).
#include "planner/store/open.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/postgres/pg_module.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_faults.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"

namespace titrate {

// For executables that neither link the PostgreSQL back end in nor load it (most test
// executables, which then start without libpq): a PostgreSQL location is refused. The titrate
// executable's loader (pg_module_loaded.cpp) and the linked-in back end (pg_module_linked.cpp)
// define the real one, which the linker takes over this weak one.
[[gnu::weak]] const PostgresModule &postgres_module() {
  throw RefusedError("cannot open a PostgreSQL database: this program was built without the "
                     "PostgreSQL back end");
}

std::unique_ptr<Repository> open_repository(const std::string &location) {
  require_supported_location(location);
  if (is_postgres_location(location))
    return postgres_module().open_repository(location);
  return std::make_unique<SqliteStore>(location);
}

std::unique_ptr<Accounts> open_accounts(const std::string &location) {
  require_supported_location(location);
  if (is_postgres_location(location))
    return postgres_module().open_accounts(location);
  return std::make_unique<SqliteAccounts>(location);
}

void throw_storage_fault(const std::exception &e, const std::string &location) {
  // PostgreSQL faults are typed where they happen (pg_store.cpp guarded()).
  if (!is_postgres_location(location))
    throw_sqlite_fault(e, location);
}

} // namespace titrate
