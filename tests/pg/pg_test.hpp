#pragma once
// Test access to the throwaway PostgreSQL cluster of the ctest fixture "pg" (tests/pg/): its
// admin URL, and a fresh empty database per test. Uses the psql client (postgresql-client-15),
// so tests need no libpqxx of their own.
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace titrate::test {

// TITRATE_TEST_PG_URL, else the URL the fixture wrote; throws when there is neither.
inline std::string pg_admin_url() {
  if (const char *e = std::getenv("TITRATE_TEST_PG_URL"); e && *e)
    return e;
#ifdef TITRATE_PG_URL_FILE
  std::ifstream in(TITRATE_PG_URL_FILE);
  std::string url;
  if (in && std::getline(in, url) && !url.empty())
    return url;
#endif
  throw std::runtime_error("no test PostgreSQL server: run through ctest (fixture pg:start) or "
                           "set TITRATE_TEST_PG_URL=postgresql://USER@/postgres?host=SOCKETDIR");
}

// `url` with its database (the path after the host) replaced by `name`.
inline std::string pg_url_for(const std::string &url, const std::string &name) {
  const std::size_t host = url.find("://");
  const std::size_t slash = url.find('/', host == std::string::npos ? 0 : host + 3);
  if (slash == std::string::npos)
    return url + "/" + name;
  const std::size_t end = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (end == std::string::npos ? "" : url.substr(end));
}

// Runs SQL through psql against `url`; throws on failure.
inline void pg_exec(const std::string &url, const std::string &sql) {
  const std::string cmd = "psql -X -q -v ON_ERROR_STOP=1 '" + url + "' -c '" + sql + "' >/dev/null";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("psql failed: " + sql);
}

// A new, empty database named <prefix>_<pid>_<n> (letters, digits and _ only); returns its URL.
inline std::string fresh_pg_database(const std::string &prefix) {
  static std::atomic<int> n{0};
  const std::string name = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  const std::string admin = pg_admin_url();
  pg_exec(admin, "DROP DATABASE IF EXISTS " + name);
  pg_exec(admin, "CREATE DATABASE " + name);
  return pg_url_for(admin, name);
}

} // namespace titrate::test
