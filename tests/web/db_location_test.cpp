// Black-box runs of the real binary: a PostgreSQL --db / TITRATE_DB that cannot be reached gives a
// clear error naming the location, a non-zero exit, and never prints the password.
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

namespace titrate::test {

namespace {

// Port 1 on loopback: nothing listens there, so libpq's connect fails at once.
const std::string tcp_url = "postgresql://alice:s3cretPW@127.0.0.1:1/clinic";
// A socket folder that does not exist, and the password in the query string.
const std::string socket_url =
    "postgres://alice@/clinic?host=/nonexistent-titrate&password=s3cretPW";

// Nothing was made in the folder but the runner's own .stdin/.stdout/.stderr (a URL is not a
// file path, so no database file may appear).
bool nothing_created(const TempDir &dir) {
  for (const auto &e : std::filesystem::directory_iterator(dir.path())) {
    if (e.path().filename().string().rfind('.', 0) != 0)
      return false;
  }
  return true;
}

void check_refused(const RunResult &r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("s3cretPW") == std::string::npos);
  CHECK(r.out.find("s3cretPW") == std::string::npos);
  CHECK(r.err.find("titrate:") != std::string::npos);
}

} // namespace

TEST_CASE("an unreachable PostgreSQL --db is a clear error with the password redacted") {
  TempDir dir;
  const auto r = run_titrate(dir, {"--db", tcp_url, "--user", "dr.a", "--role", "clinician",
                                   "patient", "add", "P1", "--birth-date", "1971-06-15", "--sex",
                                   "female", "--weight-kg", "65", "--creatinine-mg-dl", "0.8"});
  check_refused(r);
  // The message names where it tried.
  CHECK(r.err.find("127.0.0.1") != std::string::npos);
  CHECK(nothing_created(dir));
}

TEST_CASE("TITRATE_DB with a socket URL: serve, user add and invite refuse it the same way") {
  TempDir dir;
  const std::vector<std::string> env{"TITRATE_DB=" + socket_url};
  check_refused(run_titrate(dir, {"serve", "--listen", "127.0.0.1:1"}, "", env));
  check_refused(run_titrate(dir, {"user", "add", "ph.b", "--role", "pharmacist"},
                            "a long staff password\n", env));
  const auto r = run_titrate(
      dir, {"--user", "dr.a", "--role", "clinician", "patient", "invite", "P1"}, "", env);
  check_refused(r);
  CHECK(r.err.find("nonexistent-titrate") != std::string::npos);
  CHECK(nothing_created(dir));
}

TEST_CASE(
    "serve: a bad --db-connections or TITRATE_DB_CONNECTIONS is refused before any database") {
  TempDir dir;
  const auto refused = [&](const std::vector<std::string> &args,
                           const std::vector<std::string> &env, const std::string &says) {
    std::vector<std::string> all{"--db", dir.file("t.db"), "serve", "--listen", "127.0.0.1:0"};
    all.insert(all.end(), args.begin(), args.end());
    const auto r = run_titrate(dir, all, "", env);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(says));
    CHECK_FALSE(std::filesystem::exists(dir.file("t.db")));
  };
  refused({"--db-connections", "0"}, {},
          "--db-connections: '0' is not a number of connections; expected 1-64");
  refused({"--db-connections", "many"}, {},
          "--db-connections: 'many' is not a number of connections; expected 1-64");
  refused({}, {"TITRATE_DB_CONNECTIONS=65"},
          "TITRATE_DB_CONNECTIONS: '65' is not a number of connections; expected 1-64");
  // A SQLite file takes one writer at a time: more connections would only wait on its lock.
  refused({"--db-connections", "4"}, {},
          "--db-connections: 4 connections: a SQLite file is served through one connection");
  // On PostgreSQL the number is checked before the server is tried (port 1: nothing listens).
  const auto r = run_titrate(dir, {"--db", tcp_url, "serve", "--db-connections", "-3"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'-3' is not a number of connections"));
  CHECK_THAT(r.err, !Catch::Contains("127.0.0.1:1"));
}

} // namespace titrate::test
