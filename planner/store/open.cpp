// Back-end selection by location (planner/store/open.hpp).
#include "planner/store/open.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/postgres/pg_accounts.hpp"
#include "planner/store/postgres/pg_store.hpp"
#include "planner/store/sqlite/sqlite_accounts.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"

namespace titrate {

bool is_postgres_location(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redact_location(const std::string &location) {
  if (!is_postgres_location(location)) return location;
  std::string out = location;
  // user:password@host: the userinfo ends at the first '@' before the path.
  const std::size_t scheme_end = out.find("://") + 3;
  const std::size_t path = out.find_first_of("/?", scheme_end);
  const std::size_t at = out.rfind('@', path == std::string::npos ? out.size() : path);
  if (at != std::string::npos && at >= scheme_end) {
    const std::size_t colon = out.find(':', scheme_end);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // ?password=...&... in the query string.
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const std::size_t begin = pos + 9;
    const std::size_t end = out.find('&', begin);
    out.replace(begin, (end == std::string::npos ? out.size() : end) - begin, "***");
  }
  return out;
}

std::unique_ptr<Repository> open_repository(const std::string &location) {
  if (is_postgres_location(location)) return std::make_unique<PgStore>(location);
  return std::make_unique<SqliteStore>(location);
}

std::unique_ptr<Accounts> open_accounts(const std::string &location) {
  if (is_postgres_location(location)) return std::make_unique<PgAccounts>(location);
  return std::make_unique<SqliteAccounts>(location);
}

} // namespace titrate
