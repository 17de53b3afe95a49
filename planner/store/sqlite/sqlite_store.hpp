#pragma once
// The SQLite back end (SQLiteCpp): a dialect of the store core (core_store.hpp). WAL, foreign
// keys on, a 10 s busy timeout so concurrent writers wait, every writing call one IMMEDIATE
// transaction (or joined into atomically()).
// Opening applies the embedded numbered migrations forward in one transaction; a database whose
// schema is newer than this build knows is refused (RefusedError, exit 4) without being written.
#include "planner/store/core_store.hpp"
#include "planner/store/migration.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace titrate {

// The schema version of an open SQLite database: 0 for one without tables, -1 for one that has
// tables but no schema_version (not titrate's).
int sqlite_schema_version(SQLite::Database &db);

// Every embedded migration, in order (generated from planner/store/sqlite/migrations/).
const std::vector<Migration> &sqlite_migrations();
// The schema version this build writes: the last migration's number.
int sqlite_latest_schema_version();

// SQLite's dialect on a new connection to `path`, migrated to the latest schema (the Accounts and
// any other reader of the same file open their own).
std::unique_ptr<store::StoreDialect> open_sqlite_dialect(const std::string &path);

// The core's Repository over SQLite's dialect (defined in sqlite_store.cpp).
class SqliteStore final : public CoreStore {
public:
  // Opens `path` (creating the file, not its folder) and migrates it to the latest schema (for
  // migration tests: only up to `schema_version`, <= latest).
  explicit SqliteStore(const std::string &path,
                       int schema_version = sqlite_latest_schema_version());
};

} // namespace titrate
