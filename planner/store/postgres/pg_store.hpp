#pragma once
// The PostgreSQL back end (libpqxx 6.4): a dialect of the store core (core_store.hpp), for a
// health network running several clinics and several `titrate serve` instances on one server
// (docs/deployment.md). Selected by a database location of the form postgresql://...
// (planner/store/open.hpp). Same contract as SqliteStore (tests/store/contract.cpp runs against
// both): the same numbered schema versions (migrations/NNN_name.sql, embedded), append-only tables
// kept by triggers, and every call one transaction whose isolation keeps four eyes and versioning
// right when two instances race (READ COMMITTED plus row locks on the patient's plan/profile row;
// the reasons are in pg_store.cpp and docs/storage.md). One PgStore is one connection: use it from
// one thread.
#include "planner/store/core_store.hpp"
#include "planner/store/migration.hpp"

#include <memory>
#include <string>
#include <vector>

namespace titrate {

// Every embedded PostgreSQL migration, in order (generated from
// planner/store/postgres/migrations/).
const std::vector<Migration> &postgres_migrations();
// The schema version this build writes: the last migration's number (equal to SQLite's).
int postgres_latest_schema_version();

// PostgreSQL's dialect on a new connection to `url`, migrated to the latest schema (Accounts).
std::unique_ptr<store::StoreDialect> open_postgres_dialect(const std::string &url);

// The core's Repository over PostgreSQL's dialect (defined in pg_store.cpp).
class PgStore final : public CoreStore {
public:
  // Connects to `url` (postgresql://...) and migrates the database to the latest schema (for
  // migration tests: only up to `schema_version`, <= latest); a newer schema is refused
  // (RefusedError) untouched. Connection errors are InputError naming the URL without its
  // password.
  explicit PgStore(const std::string &url, int schema_version = postgres_latest_schema_version());
};

} // namespace titrate
