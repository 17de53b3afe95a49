// The SQLite back end: the repository contract, plus what only SQL can show (raw UPDATE/DELETE
// against the append-only triggers, migrations from empty and from schema 1, refusal of a newer
// schema without touching the file, separate processes writing at once, a crash mid-import).
#include "planner/core/errors.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "tests/store/contract.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace titrate;
using namespace titrate::test;
namespace fs = std::filesystem;

namespace {

class TempFolder {
public:
  TempFolder() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
      auto p = fs::temp_directory_path() / ("titrate-store-" + std::to_string(rd()));
      if (fs::create_directory(p)) {
        path_ = p;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary folder");
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder &) = delete;
  TempFolder &operator=(const TempFolder &) = delete;
  std::string file(const std::string &name) const { return (path_ / name).string(); }

private:
  fs::path path_;
};

class SqliteBackend : public Backend {
public:
  std::unique_ptr<Repository> connect() override {
    return std::make_unique<SqliteStore>(dir_.file("titrate.db"));
  }

private:
  TempFolder dir_;
};

std::unique_ptr<Backend> make_sqlite_backend() { return std::make_unique<SqliteBackend>(); }

std::string bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Actor clinician{"dr.ada", "clinician"};
const Actor pharmacist{"ph.cho", "pharmacist"};

ScoreEntry score(int day, int v) {
  ScoreEntry s;
  s.at = {Date(2026, 12, static_cast<unsigned short>(day)), 8 * 60};
  s.score = PainScore(v);
  return s;
}

// Runs raw SQL on its own connection; returns the SQLite error message, or "" if it succeeded.
std::string raw(const std::string &db, const std::string &sql) {
  SQLite::Database d(db, SQLite::OPEN_READWRITE);
  try {
    d.exec(sql);
    return "";
  } catch (const SQLite::Exception &e) {
    return e.what();
  }
}

} // namespace

TITRATE_STORE_CONTRACT("sqlite", make_sqlite_backend)

TEST_CASE("sqlite: the embedded migrations are numbered 1..N without gaps, at least two") {
  const auto &m = sqlite_migrations();
  REQUIRE(m.size() >= 2);
  for (std::size_t i = 0; i < m.size(); ++i) {
    CHECK(m[i].version == static_cast<int>(i + 1));
    CHECK_FALSE(m[i].sql.empty());
  }
  CHECK(m[0].name == "initial");
  CHECK(sqlite_latest_schema_version() == m.back().version);
}

TEST_CASE("sqlite: a new database is migrated from empty, in WAL mode with foreign keys on") {
  TempFolder dir;
  const auto db = dir.file("t.db");
  SqliteStore store(db);
  CHECK(store.schema_version() == sqlite_latest_schema_version());
  SQLite::Database d(db, SQLite::OPEN_READONLY);
  CHECK(d.execAndGet("PRAGMA journal_mode").getString() == "wal");
  for (const char *t : {"patients", "patient_versions", "plans", "plan_versions", "stages", "steps",
                        "reviews", "pain_scores", "adverse_effects", "audit", "decisions"}) {
    CHECK(d.tableExists(t));
  }
  // Foreign keys are enforced on the store's connection: a score for no patient is refused.
  store.add_patient(sample_patient("P1"), clinician);
  CHECK(store.scores("P1").empty());
  CHECK_THROWS_AS(store.log_score("P9", score(1, 5), clinician), NotFoundError);
}

TEST_CASE("sqlite: a schema-1 database with data is migrated forward and keeps its data") {
  TempFolder dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore old(db, 1);
    CHECK(old.schema_version() == 1);
    old.add_patient(sample_patient("P1"), clinician);
    old.log_score("P1", score(1, 6), clinician);
    old.save_draft(sample_plan("P1"), clinician);
  }
  {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    CHECK_FALSE(d.tableExists("decisions")); // really the previous schema
  }
  SqliteStore store(db);
  CHECK(store.schema_version() == sqlite_latest_schema_version());
  CHECK(store.patient("P1")->patient == sample_patient("P1"));
  CHECK(store.scores("P1").size() == 1);
  CHECK(store.plan_version("P1", 1)->plan == sample_plan("P1"));
  Assessment a;
  a.patient = "P1";
  a.date = Date(2026, 12, 22);
  a.drug = "duloxetine";
  a.rule = "r";
  a.source = "s";
  store.record_decision(a, 1, clinician); // the table migration 2 added
  CHECK(store.decisions("P1").size() == 1);
  // Opening again is a no-op: nothing left to apply.
  SqliteStore again(db);
  CHECK(again.schema_version() == sqlite_latest_schema_version());
}

TEST_CASE("sqlite: a database from a newer titrate is refused and its file is not changed") {
  TempFolder dir;
  const auto db = dir.file("t.db");
  { SqliteStore store(db); }
  REQUIRE(raw(db, "UPDATE schema_version SET version = version + 1").empty());
  const auto before = bytes(db);
  try {
    SqliteStore store(db);
    FAIL("a newer schema must be refused");
  } catch (const RefusedError &e) {
    CHECK_THAT(e.what(), Catch::Contains("newer") && Catch::Contains("was not changed"));
  }
  CHECK(bytes(db) == before);
}

TEST_CASE("sqlite: a database that is not titrate's is refused") {
  TempFolder dir;
  const auto db = dir.file("other.db");
  {
    SQLite::Database d(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    d.exec("CREATE TABLE accounts (id INTEGER)");
  }
  const auto before = bytes(db);
  CHECK_THROWS_AS(SqliteStore(db), RefusedError);
  CHECK(bytes(db) == before);
}

TEST_CASE("sqlite: triggers refuse UPDATE and DELETE on append-only tables, even in raw SQL") {
  TempFolder dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore store(db);
    store.add_patient(sample_patient("P1"), clinician);
    store.log_score("P1", score(1, 6), clinician);
    AdverseEffect ae;
    ae.at = {Date(2026, 12, 1), 0};
    ae.description = "dizziness";
    store.log_adverse_effect("P1", ae, clinician);
    Assessment a;
    a.patient = "P1";
    a.drug = "duloxetine";
    store.record_decision(a, std::nullopt, clinician);
    store.save_draft(sample_plan("P1"), clinician);
    store.submit("P1", 1, clinician);
  }
  for (const char *t : {"pain_scores", "adverse_effects", "audit", "decisions", "patient_versions"}) {
    INFO(t);
    CHECK_THAT(raw(db, std::string("UPDATE ") + t + " SET patient_id = patient_id"),
               Catch::Contains("append-only"));
    CHECK_THAT(raw(db, std::string("DELETE FROM ") + t), Catch::Contains("append-only"));
  }
  CHECK_THAT(raw(db, "UPDATE plan_versions SET content = '{}'"), Catch::Contains("immutable"));
  CHECK_THAT(raw(db, "UPDATE plan_versions SET status = 'draft'"),
             Catch::Contains("not allowed"));
  CHECK_THAT(raw(db, "DELETE FROM plan_versions"), Catch::Contains("append-only"));
  SqliteStore store(db);
  CHECK(store.scores("P1").size() == 1);
  CHECK(store.audit(std::nullopt).size() == 6);
}

TEST_CASE("sqlite: a refused approval leaves the database file byte-identical") {
  TempFolder dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore store(db);
    store.add_patient(sample_patient("P1"), clinician);
    store.save_draft(sample_plan("P1"), clinician);
    store.submit("P1", 1, clinician);
  }
  const auto before = bytes(db);
  {
    SqliteStore store(db);
    CHECK_THROWS_AS(store.approve("P1", 1, Actor{"dr.ada", "pharmacist"}), RefusedError);
    CHECK_THROWS_AS(store.log_score("P9", score(1, 5), clinician), NotFoundError);
  }
  CHECK(bytes(db) == before);
}

TEST_CASE("sqlite: two processes logging at once both succeed") {
  TempFolder dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore store(db);
    store.add_patient(sample_patient("P1"), clinician);
    store.add_patient(sample_patient("P2"), clinician);
  }
  constexpr int per_process = 100;
  std::vector<pid_t> kids;
  for (const char *patient : {"P1", "P2"}) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int rc = 0;
      try {
        SqliteStore store(db);
        for (int i = 0; i < per_process; ++i) {
          store.log_score(patient, score(1 + i % 28, i % 11), Actor{patient, "patient"});
        }
      } catch (...) {
        rc = 1;
      }
      _exit(rc);
    }
    kids.push_back(pid);
  }
  for (pid_t k : kids) {
    int status = 0;
    waitpid(k, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  SqliteStore store(db);
  CHECK(store.scores("P1").size() == per_process);
  CHECK(store.scores("P2").size() == per_process);
}

TEST_CASE("sqlite: a crash in the middle of an import leaves no partial import") {
  TempFolder dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore store(db);
    store.add_patient(sample_patient("P1"), clinician);
  }
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    SqliteStore store(db);
    std::vector<ScoreImportRow> rows;
    for (int i = 0; i < 500; ++i) {
      rows.push_back({"P1", {Date(2026, 12, 1), i}, PainScore(i % 11), "", i + 2});
    }
    store.atomically([&] {
      store.import_scores(rows, clinician, "s.csv");
      _exit(0); // the process dies with the rows written but not committed
    });
    _exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  SqliteStore store(db);
  CHECK(store.scores("P1").empty());
  CHECK(store.audit(std::string("P1")).size() == 1); // only patient.add
}
