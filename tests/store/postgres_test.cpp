// The PostgreSQL back end: the repository contract against a real PostgreSQL 15 server (the ctest
// fixture "pg", tests/pg/), plus what only SQL can show: raw UPDATE/DELETE/TRUNCATE refused by
// the triggers, migrations from empty and from schema 1, two processes migrating one empty
// database at once, refusal of a newer or foreign schema without a change, connection errors
// that name the server but never its password, and ids that `db copy` may give explicitly.
#include "planner/core/errors.hpp"
#include "planner/store/postgres/pg_store.hpp"
#include "planner/store/repository_pool.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "tests/common/thrown.hpp"
#include "tests/pg/pg_test.hpp"
#include "tests/store/contract.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <future>
#include <thread>

using namespace titrate;
using namespace titrate::test;

// LeakSanitizer (sanitized builds): libpqxx 6.4 does not free libpq's error result when a
// statement fails on a connection the server has closed (2 KB per cut connection, inside
// libpqxx; the cut-connection test below shows it). Only leaks allocated under libpqxx's own
// frames are ignored; a leaked PgStore or connection is still reported from our frames.
extern "C" const char *__lsan_default_suppressions() {
  return "leak:libpqxx-6.4.so\n";
}

namespace {

class PgBackend : public Backend {
public:
  PgBackend() : url_(fresh_pg_database("store")) {}
  std::unique_ptr<Repository> connect() override { return std::make_unique<PgStore>(url_); }

private:
  std::string url_;
};

std::unique_ptr<Backend> make_pg_backend() {
  return std::make_unique<PgBackend>();
}

// The contract through ONE RepositoryPool of 3 connections, as `titrate serve` uses it: every
// connect() is a handle on the same pool (a pool of one over it), so the concurrent cases run on
// the pool's connections side by side.
class PgPoolBackend : public Backend {
public:
  PgPoolBackend()
      : url_(fresh_pg_database("store")),
        pool_([this]() -> std::unique_ptr<Repository> { return std::make_unique<PgStore>(url_); },
              3) {}
  std::unique_ptr<Repository> connect() override {
    return std::make_unique<RepositoryPool>(static_cast<Repository &>(pool_));
  }

private:
  std::string url_;
  RepositoryPool pool_;
};

std::unique_ptr<Backend> make_pg_pool_backend() {
  return std::make_unique<PgPoolBackend>();
}

const Actor clinician{"dr.ada", "clinician"};

// Runs raw SQL on its own connection; returns the server's error message, or "" on success.
std::string raw(const std::string &url, const std::string &sql) {
  pqxx::connection c(url);
  try {
    pqxx::work w(c);
    w.exec(sql);
    w.commit();
    return "";
  } catch (const pqxx::sql_error &e) {
    return e.what();
  }
}

std::string value(const std::string &url, const std::string &sql) {
  pqxx::connection c(url);
  pqxx::read_transaction w(c);
  const auto r = w.exec(sql);
  return r.empty() || r[0][0].is_null() ? std::string("NULL") : r[0][0].as<std::string>();
}

// Everything a refused open could have changed: the tables, their row counts, the version.
std::string fingerprint(const std::string &url) {
  pqxx::connection c(url);
  pqxx::read_transaction w(c);
  std::string out;
  for (const auto &t : w.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                              "ORDER BY tablename COLLATE \"C\"")) {
    const auto name = t[0].as<std::string>();
    out += name + "=" +
           w.exec("SELECT count(*) FROM " + w.quote_name(name))[0][0].as<std::string>() + ";";
  }
  out += "functions=" + w.exec("SELECT count(*) FROM pg_proc WHERE pronamespace = "
                               "'public'::regnamespace")[0][0]
                            .as<std::string>();
  return out;
}

} // namespace

TITRATE_STORE_CONTRACT("postgres", make_pg_backend)
TITRATE_STORE_CONTRACT("postgres pool", make_pg_pool_backend)

TEST_CASE("postgres: the migrations have the same numbers and names as SQLite's") {
  const auto &pg = postgres_migrations();
  const auto &lite = sqlite_migrations();
  REQUIRE(pg.size() == lite.size());
  for (std::size_t i = 0; i < pg.size(); ++i) {
    CHECK(pg[i].version == static_cast<int>(i + 1));
    CHECK(pg[i].version == lite[i].version);
    CHECK(pg[i].name == lite[i].name);
    CHECK_FALSE(pg[i].sql.empty());
  }
  CHECK(postgres_latest_schema_version() == sqlite_latest_schema_version());
}

TEST_CASE("postgres: a new database is migrated from empty and reopening changes nothing") {
  const auto url = fresh_pg_database("store");
  {
    PgStore store(url);
    CHECK(store.schema_version() == postgres_latest_schema_version());
    store.add_patient(sample_patient("P1"), clinician);
  }
  for (const char *t : {"patients", "patient_versions", "plans", "plan_versions", "stages", "steps",
                        "reviews", "pain_scores", "adverse_effects", "audit", "decisions", "users",
                        "patient_links", "sessions", "schema_version"}) {
    INFO(t);
    CHECK(value(url, std::string("SELECT to_regclass('") + t + "') IS NOT NULL") == "t");
  }
  const auto before = fingerprint(url);
  CHECK(value(url, "SELECT count(*) FROM schema_version") == "1");
  {
    PgStore again(url); // idempotent: nothing left to apply
    CHECK(again.schema_version() == postgres_latest_schema_version());
    CHECK(again.patient("P1")->patient == sample_patient("P1"));
  }
  CHECK(fingerprint(url) == before);
}

TEST_CASE("postgres: a relaxed transaction turns synchronous_commit off for itself only") {
  auto d = open_postgres_dialect(fresh_pg_database("store"));
  const auto setting = [&] { return d->query("SHOW synchronous_commit", {}).front().text(0); };
  d->begin(false);
  CHECK(setting() == "on");
  d->commit();
  d->begin_relaxed();
  CHECK(setting() == "off");
  d->query("INSERT INTO used_tokens (scope, token_id, expires) VALUES ('form', 'a', 9)", {});
  d->commit();
  d->begin(false);
  CHECK(setting() == "on"); // SET LOCAL ended with its transaction
  CHECK(d->query("SELECT token_id FROM used_tokens", {}).front().text(0) == "a");
  d->commit();
}

TEST_CASE("postgres: a schema-1 database with data is migrated forward and keeps its data") {
  const auto url = fresh_pg_database("store");
  {
    PgStore old(url, 1);
    CHECK(old.schema_version() == 1);
    fill_schema_1(old);
  }
  CHECK(value(url, "SELECT to_regclass('decisions') IS NULL") == "t"); // really schema 1
  PgStore store(url);
  CHECK(store.schema_version() == postgres_latest_schema_version());
  check_schema_1_kept(store);
}

TEST_CASE("postgres: two processes opening one empty database at once migrate it once") {
  const auto url = fresh_pg_database("store");
  std::atomic<int> ready{0};
  std::string error1, error2;
  auto open = [&](std::string &error) {
    ++ready;
    while (ready < 2)
      std::this_thread::yield();
    try {
      PgStore store(url);
    } catch (const std::exception &e) {
      error = e.what();
    }
  };
  std::thread t1(open, std::ref(error1));
  std::thread t2(open, std::ref(error2));
  t1.join();
  t2.join();
  CHECK(error1 == "");
  CHECK(error2 == "");
  CHECK(value(url, "SELECT count(*) FROM schema_version") == "1");
  CHECK(value(url, "SELECT max(version) FROM schema_version") ==
        std::to_string(postgres_latest_schema_version()));
}

TEST_CASE("postgres: a database from a newer titrate is refused and not changed") {
  const auto url = fresh_pg_database("store");
  {
    PgStore store(url);
    store.add_patient(sample_patient("P1"), clinician);
  }
  REQUIRE(raw(url, "UPDATE schema_version SET version = version + 1").empty());
  const auto before = fingerprint(url);
  const auto refusal =
      thrown_message<RefusedError>([&] { PgStore store(url); }, "(no RefusedError)");
  CHECK_THAT(refusal, Catch::Contains("schema version " +
                                      std::to_string(postgres_latest_schema_version() + 1)) &&
                          Catch::Contains("newer") && Catch::Contains("was not changed"));
  CHECK(fingerprint(url) == before);
  CHECK(value(url, "SELECT version FROM schema_version") ==
        std::to_string(postgres_latest_schema_version() + 1));
}

TEST_CASE("postgres: a database that is not titrate's is refused and not changed") {
  const auto url = fresh_pg_database("store");
  REQUIRE(raw(url, "CREATE TABLE accounts (id integer)").empty());
  const auto before = fingerprint(url);
  CHECK_THROWS_AS(PgStore(url), RefusedError);
  CHECK(fingerprint(url) == before);
}

TEST_CASE("postgres: triggers refuse UPDATE, DELETE and TRUNCATE on append-only tables") {
  const auto url = fresh_pg_database("store");
  {
    PgStore store(url);
    fill_append_only_tables(store);
    store.approve("P1", 1, Actor{"ph.cho", "pharmacist"});
  }
  // The same messages as SQLite's triggers (planner/store/sqlite/migrations/001, 002).
  CHECK_THAT(raw(url, "UPDATE pain_scores SET score = 0"),
             Catch::Contains("append-only: pain_scores cannot be updated; log a correction"));
  CHECK_THAT(raw(url, "DELETE FROM pain_scores"),
             Catch::Contains("append-only: pain_scores cannot be deleted"));
  for (const char *t : {"adverse_effects", "audit", "decisions", "patient_versions"}) {
    INFO(t);
    CHECK_THAT(raw(url, std::string("UPDATE ") + t + " SET patient_id = patient_id"),
               Catch::Contains(std::string("append-only: ") + t + " cannot be updated"));
    CHECK_THAT(raw(url, std::string("DELETE FROM ") + t),
               Catch::Contains(std::string("append-only: ") + t + " cannot be deleted"));
    CHECK_THAT(raw(url, std::string("TRUNCATE ") + t + " CASCADE"), Catch::Contains("append-only"));
  }
  CHECK_THAT(raw(url, "UPDATE reviews SET note = 'x'"),
             Catch::Contains("append-only: reviews cannot be updated"));
  CHECK_THAT(raw(url, "DELETE FROM reviews"),
             Catch::Contains("append-only: reviews cannot be deleted"));
  CHECK_THAT(raw(url, "UPDATE plan_versions SET content = '{}'"),
             Catch::Contains("immutable: a submitted plan version cannot be edited"));
  CHECK_THAT(raw(url, "UPDATE plan_versions SET status = 'draft'"),
             Catch::Contains("plan version: this status change is not allowed"));
  CHECK_THAT(raw(url, "UPDATE plan_versions SET status = 'rejected'"),
             Catch::Contains("not allowed")); // approved -> rejected is not a forward move
  CHECK_THAT(raw(url, "DELETE FROM plan_versions"),
             Catch::Contains("append-only: plan_versions cannot be deleted"));
  CHECK(raw(url, "UPDATE plan_versions SET status = 'superseded'").empty()); // allowed forward
  PgStore store(url);
  CHECK(store.scores("P1").size() == 1);
  CHECK(store.audit(std::nullopt).size() == 7);
}

TEST_CASE("postgres: ids may be given explicitly (db copy keeps them)") {
  const auto url = fresh_pg_database("store");
  { PgStore store(url); }
  REQUIRE(raw(url, "INSERT INTO patients (id, created_at) VALUES ('P1', '2026-12-01T00:00:00Z');"
                   "INSERT INTO pain_scores (id, patient_id, at, score, note, entered_by, "
                   "entered_at) VALUES (1000, 'P1', '2026-12-01T08:00', 5, '', 'x', "
                   "'2026-12-01T00:00:00Z');"
                   "INSERT INTO audit (id, at, \"user\", role, action, detail) "
                   "VALUES (77, '2026-12-01T00:00:00Z', 'x', 'clinician', 'copy', '')")
              .empty());
  PgStore store(url);
  const auto s = store.scores("P1");
  REQUIRE(s.size() == 1);
  CHECK(s[0].id == 1000);
  CHECK(store.audit(std::nullopt).at(0).id == 77);
}

TEST_CASE("postgres: a refused approval or unknown patient changes nothing") {
  const auto url = fresh_pg_database("store");
  check_refused_writes_change_nothing([&] { return std::make_unique<PgStore>(url); },
                                      [&] { return fingerprint(url); });
  CHECK(PgStore(url).plan_version("P1", 1)->status == PlanStatus::submitted);
}

TEST_CASE("postgres: a server that cannot be reached is an InputError without the password") {
  for (const std::string &url :
       {std::string("postgresql://alice:s3cr3t-pw@/titrate?host=/nonexistent-titrate-socket"),
        std::string("postgresql:///titrate?host=/nonexistent-titrate-socket&password=s3cr3t-pw")}) {
    INFO(url);
    const auto m = thrown_message<InputError>([&] { PgStore store(url); }, "(no InputError)");
    CHECK_THAT(m, Catch::Contains("nonexistent-titrate-socket") && Catch::Contains("***") &&
                      Catch::Contains("cannot connect"));
    CHECK_THAT(m, !Catch::Contains("s3cr3t"));
  }
}

TEST_CASE("postgres: a connection cut in a transaction fails without the password and a cut idle "
          "one is replaced") {
  const auto url = fresh_pg_database("store");
  // The test cluster trusts its socket, so a password in the URL is accepted and ignored.
  const std::string with_password = url.substr(0, url.find("://") + 3) +
                                    value(url, "SELECT current_user") + ":s3cr3t-pw@" +
                                    url.substr(url.find('@') + 1);
  PgStore store(with_password);
  store.add_patient(sample_patient("P1"), clinician);
  // The cut waits (up to 10 s) until the store's server process has gone: without the wait the
  // next call could reach the process while it is still ending, which is a cut during that call
  // (its outcome unknown), not the cut while idle this test means.
  const auto cut = [&] {
    REQUIRE(value(url, "SELECT bool_and(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()") == "t");
  };
  // Cut inside a transaction: the call fails, naming the database without its password.
  const auto m = thrown_message<StorageError>(
      [&] {
        store.atomically([&] {
          store.log_score("P1", sample_score(2, 7), clinician);
          cut();
          store.log_score("P1", sample_score(3, 6), clinician);
        });
      },
      "(no StorageError)");
  CHECK_THAT(m, Catch::Contains("connection to PostgreSQL was lost") && Catch::Contains("***") &&
                    !Catch::Contains("s3cr3t"));
  // The next call reconnects: nothing of the failed transaction was kept, and the store works.
  CHECK(store.scores("P1").empty());
  store.log_score("P1", sample_score(1, 5), clinician);
  CHECK(store.scores("P1").size() == 1);
  // Cut while idle (a server restart between two requests): the next call finds the closed
  // connection before it sends its statement, connects again and succeeds, once.
  cut();
  store.log_score("P1", sample_score(4, 4), clinician);
  CHECK(store.scores("P1").size() == 2);
  // A read (no BEGIN: its statements go alone) is sent again on a new connection.
  cut();
  CHECK(store.scores("P1").size() == 2);
}

TEST_CASE("postgres: a score whose connection is cut while its one statement waits is in doubt, "
          "and nothing of it is kept") {
  const auto url = fresh_pg_database("store");
  PgStore store(url);
  store.add_patient(sample_patient("P1"), clinician);
  const std::size_t audit_before = store.audit(std::nullopt).size();
  // Another connection holds the scores table, so the score's one statement (no BEGIN before
  // it) waits for the lock; the server then ends the store's connection while it waits.
  pqxx::connection locker(url);
  pqxx::work hold(locker);
  hold.exec0("LOCK TABLE pain_scores IN ACCESS EXCLUSIVE MODE");
  auto logging = std::async(std::launch::async, [&]() -> std::string {
    try {
      store.log_score("P1", sample_score(2, 7), clinician);
      return "no error";
    } catch (const StorageError &e) {
      return e.what();
    }
  });
  const std::string waiting = "FROM pg_stat_activity WHERE datname = current_database() AND "
                              "wait_event_type = 'Lock'";
  for (int i = 0; value(url, "SELECT count(*) " + waiting) != "1"; ++i) {
    REQUIRE(i < 400); // 20 s
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(value(url, "SELECT bool_and(pg_terminate_backend(pid, 10000)) " + waiting) == "t");
  const std::string message = logging.get();
  CHECK_THAT(message, Catch::Contains("may or may not have been made") &&
                          Catch::Contains("check before repeating it"));
  hold.abort();
  // The statement never ran to its end: no score and no audit entry, and the store goes on.
  CHECK(store.scores("P1").empty());
  CHECK(store.audit(std::nullopt).size() == audit_before);
  store.log_score("P1", sample_score(3, 6), clinician);
  CHECK(store.scores("P1").size() == 1);
}
