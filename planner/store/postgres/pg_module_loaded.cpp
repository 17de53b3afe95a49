// postgres_module() for the titrate executable: titrate-postgres.so is loaded the first time a
// postgresql:// location is opened (planner/core/plugin.hpp).
#include "planner/store/postgres/pg_module.hpp"

#include "planner/core/plugin.hpp"

namespace titrate {

const PostgresModule &postgres_module() {
  return load_module_table<PostgresModule>("postgres", "titrate_postgres_module",
                                           "open a PostgreSQL database");
}

} // namespace titrate
