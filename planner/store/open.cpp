// Back-end selection by location (planner/store/open.hpp).
#include "planner/store/open.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/postgres/pg_module.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_faults.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"

namespace titrate {

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
