#pragma once
// The SQLite back end of Accounts (web state, migration 003): CoreAccounts over SQLite's dialect
// on its own connection to the same database file as SqliteStore (WAL, foreign keys on, 10 s
// busy timeout). Opening migrates the file first, so the tables exist. Needs a file path (not
// ":memory:", which a second connection could not see).
#include "planner/store/core_accounts.hpp"

#include <string>

namespace titrate {

class SqliteAccounts final : public CoreAccounts {
public:
  explicit SqliteAccounts(const std::string &path);
  ~SqliteAccounts() override;
};

} // namespace titrate
