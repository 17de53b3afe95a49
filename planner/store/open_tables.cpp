// Back-end selection for raw table access (planner/store/tables.hpp), by the same rule as
// open_repository (planner/store/open.hpp): postgresql:// or postgres:// is PostgreSQL, any
// other location a SQLite file path. A location that looks like some other URL is refused
// rather than taken as a file name.
#include "planner/core/errors.hpp"
#include "planner/store/open.hpp"
#include "planner/store/postgres/pg_module.hpp"
#include "planner/store/sqlite/sqlite_tables.hpp"
#include "planner/store/tables.hpp"

namespace titrate {

std::unique_ptr<TableReader> open_table_reader(const std::string &location) {
  require_supported_location(location);
  if (is_postgres_location(location)) {
    return postgres_module().open_table_reader(location, redact_location(location));
  }
  return open_sqlite_table_reader(location);
}

std::unique_ptr<TableWriter> open_table_writer(const std::string &location) {
  require_supported_location(location);
  if (is_postgres_location(location)) {
    return postgres_module().open_table_writer(location, redact_location(location));
  }
  return open_sqlite_table_writer(location);
}

} // namespace titrate
