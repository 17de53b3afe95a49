#pragma once
// The PostgreSQL back end as a module (planner/core/plugin.hpp): the four ways the rest of
// titrate opens a PostgreSQL location, as one table of functions. The titrate executable loads
// titrate-postgres.so for a postgresql:// location only (pg_module_loaded.cpp); test executables
// link the back end in (pg_module_linked.cpp). Either way, callers use postgres_module().
#include "planner/store/accounts.hpp"
#include "planner/store/repository.hpp"
#include "planner/store/tables.hpp"

#include <memory>
#include <string>

namespace titrate {

struct PostgresModule {
  // The titrate version the module was built with, and the size of this table: a module from
  // another build is refused rather than called.
  const char *version;
  unsigned long table_size;
  std::unique_ptr<Repository> (*open_repository)(const std::string &url);
  std::unique_ptr<Accounts> (*open_accounts)(const std::string &url);
  std::unique_ptr<TableReader> (*open_table_reader)(const std::string &url,
                                                    const std::string &display);
  std::unique_ptr<TableWriter> (*open_table_writer)(const std::string &url,
                                                    const std::string &display);
};

// The back end's table (pg_module.cpp, in the module and in the linked provider).
const PostgresModule &postgres_module_table();
// The table, loading the module on first use where titrate is built that way. Throws
// RefusedError when the module is missing or from another build.
const PostgresModule &postgres_module();

} // namespace titrate

// The module's entry point (a C name, for dlsym).
extern "C" const titrate::PostgresModule *titrate_postgres_module();
