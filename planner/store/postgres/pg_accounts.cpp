#include "planner/store/postgres/pg_accounts.hpp"

#include "planner/store/postgres/pg_store.hpp"

namespace titrate {

// Connection errors name the URL without its password (pg_store.cpp).
PgAccounts::PgAccounts(const std::string &url) : CoreAccounts(open_postgres_dialect(url)) {}

PgAccounts::~PgAccounts() = default;

} // namespace titrate
