// postgres_module() for executables that link the PostgreSQL back end in (the tests).
#include "planner/store/postgres/pg_module.hpp"

namespace titrate {

const PostgresModule &postgres_module() {
  return postgres_module_table();
}

} // namespace titrate
