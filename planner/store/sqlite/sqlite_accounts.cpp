#include "planner/store/sqlite/sqlite_accounts.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"

namespace titrate {

namespace {

const std::string &accounts_file(const std::string &path) {
  if (path.empty() || path == ":memory:") {
    throw InputError("accounts: expected a database file, not an in-memory database");
  }
  return path;
}

} // namespace

SqliteAccounts::SqliteAccounts(const std::string &path)
    : CoreAccounts(open_sqlite_dialect(accounts_file(path))) {}

SqliteAccounts::~SqliteAccounts() = default;

} // namespace titrate
