// The PostgreSQL back end's function table (pg_module.hpp).
#include "planner/store/postgres/pg_module.hpp"

#include "planner/store/postgres/pg_accounts.hpp"
#include "planner/store/postgres/pg_store.hpp"
#include "planner/store/postgres/pg_tables.hpp"

namespace titrate {

const PostgresModule &postgres_module_table() {
  static const PostgresModule table{
      TITRATE_VERSION,
      sizeof(PostgresModule),
      [](const std::string &url) -> std::unique_ptr<Repository> {
        return std::make_unique<PgStore>(url);
      },
      [](const std::string &url) -> std::unique_ptr<Accounts> {
        return std::make_unique<PgAccounts>(url);
      },
      &open_pg_table_reader,
      &open_pg_table_writer,
  };
  return table;
}

} // namespace titrate

extern "C" const titrate::PostgresModule *titrate_postgres_module() {
  return &titrate::postgres_module_table();
}
