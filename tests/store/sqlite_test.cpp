// The SQLite back end: the repository contract, plus what only SQL can show (raw UPDATE/DELETE
// against the append-only triggers, migrations from empty and from schema 1, refusal of a newer
// schema without touching the file, separate processes writing at once, a crash mid-import).
#include "planner/core/errors.hpp"
#include "planner/store/sqlite/sqlite_store.hpp"
#include "tests/cli/run.hpp"
#include "tests/common/thrown.hpp"
#include "tests/store/contract.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

using namespace titrate;
using namespace titrate::test;
namespace fs = std::filesystem;

namespace {

class SqliteBackend : public Backend {
public:
  std::unique_ptr<Repository> connect() override {
    return std::make_unique<SqliteStore>(dir_.file("titrate.db"));
  }

private:
  TempDir dir_;
};

std::unique_ptr<Backend> make_sqlite_backend() {
  return std::make_unique<SqliteBackend>();
}

const Actor clinician{"dr.ada", "clinician"};
const Actor pharmacist{"ph.cho", "pharmacist"};

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
  TempDir dir;
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
  CHECK_THROWS_AS(store.log_score("P9", sample_score(1, 5), clinician), NotFoundError);
}

TEST_CASE("sqlite: a relaxed transaction skips the wait for the disk and no other does") {
  // PRAGMA synchronous: 2 = FULL (every commit waits for fsync), 1 = NORMAL (WAL: durable at the
  // next checkpoint or FULL commit; a crash of the process loses nothing). The setting changes
  // only when a transaction needs the other one, so relaxed transactions in a row set it once.
  TempDir dir;
  const auto db = dir.file("t.db");
  SqliteStore store(db); // migrates
  auto d = open_sqlite_dialect(db);
  const auto synchronous = [&] { return d->query("PRAGMA synchronous", {}).front().integer(0); };
  CHECK(synchronous() == 2);
  d->begin_relaxed();
  CHECK(synchronous() == 1);
  d->query("INSERT INTO used_tokens (scope, token_id, expires) VALUES ('form', 'a', 9)", {});
  d->commit();
  CHECK(synchronous() == 1); // kept for the next relaxed one; no PRAGMA in between
  d->begin_relaxed();
  CHECK(synchronous() == 1);
  d->query("INSERT INTO used_tokens (scope, token_id, expires) VALUES ('form', 'b', 9)", {});
  d->rollback();
  // An ordinary writing transaction after relaxed ones waits for the disk again.
  d->begin(true);
  CHECK(synchronous() == 2);
  d->query("INSERT INTO used_tokens (scope, token_id, expires) VALUES ('form', 'c', 9)", {});
  d->commit();
  CHECK(synchronous() == 2);
  d->begin_relaxed();
  CHECK(synchronous() == 1);
  d->rollback();
  d->begin(true);
  CHECK(synchronous() == 2);
  d->rollback();
  // The committed rows are there, the rolled-back ones are not.
  SQLite::Database check(db, SQLite::OPEN_READONLY);
  CHECK(check.execAndGet("SELECT group_concat(token_id, ',') FROM used_tokens ORDER BY token_id")
            .getString() == "a,c");
}

TEST_CASE("sqlite: a schema-1 database with data is migrated forward and keeps its data") {
  TempDir dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore old(db, 1);
    CHECK(old.schema_version() == 1);
    fill_schema_1(old);
  }
  {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    CHECK_FALSE(d.tableExists("decisions")); // really the previous schema
  }
  SqliteStore store(db);
  CHECK(store.schema_version() == sqlite_latest_schema_version());
  check_schema_1_kept(store);
  // Opening again is a no-op: nothing left to apply.
  SqliteStore again(db);
  CHECK(again.schema_version() == sqlite_latest_schema_version());
}

TEST_CASE("sqlite: a database from a newer titrate is refused and its file is not changed") {
  TempDir dir;
  const auto db = dir.file("t.db");
  { SqliteStore store(db); }
  REQUIRE(raw(db, "UPDATE schema_version SET version = version + 1").empty());
  const auto before = file_bytes(db);
  const auto refusal =
      thrown_message<RefusedError>([&] { SqliteStore store(db); }, "(no RefusedError)");
  CHECK_THAT(refusal, Catch::Contains("newer") && Catch::Contains("was not changed"));
  CHECK(file_bytes(db) == before);
}

TEST_CASE("sqlite: a newer database with WAL frames left by its writer is refused and neither "
          "file changes") {
  // Another program (a newer titrate) wrote last and left its changes in the WAL: titrate's one
  // connection reads the version, refuses, and closes without the checkpoint SQLite makes when
  // the last connection closes, so the frames are not moved into the database.
  TempDir dir;
  const auto db = dir.file("t.db");
  { SqliteStore store(db); }
  {
    SQLite::Database d(db, SQLite::OPEN_READWRITE);
    sqlite3_db_config(d.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    d.exec("PRAGMA wal_autocheckpoint = 0");
    d.exec("UPDATE schema_version SET version = version + 1");
  }
  REQUIRE(std::filesystem::exists(db + "-wal"));
  const auto before = file_bytes(db);
  const auto wal_before = file_bytes(db + "-wal");
  REQUIRE_FALSE(wal_before.empty());
  CHECK_THROWS_AS(SqliteStore(db), RefusedError);
  CHECK(file_bytes(db) == before);
  CHECK(file_bytes(db + "-wal") == wal_before);
}

TEST_CASE("sqlite: a database that is not titrate's is refused") {
  TempDir dir;
  const auto db = dir.file("other.db");
  {
    SQLite::Database d(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    d.exec("CREATE TABLE accounts (id INTEGER)");
  }
  const auto before = file_bytes(db);
  CHECK_THROWS_AS(SqliteStore(db), RefusedError);
  CHECK(file_bytes(db) == before);
}

TEST_CASE("sqlite: triggers refuse UPDATE and DELETE on append-only tables, even in raw SQL") {
  TempDir dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore store(db);
    fill_append_only_tables(store);
  }
  for (const char *t :
       {"pain_scores", "adverse_effects", "audit", "decisions", "patient_versions"}) {
    INFO(t);
    CHECK_THAT(raw(db, std::string("UPDATE ") + t + " SET patient_id = patient_id"),
               Catch::Contains("append-only"));
    CHECK_THAT(raw(db, std::string("DELETE FROM ") + t), Catch::Contains("append-only"));
  }
  CHECK_THAT(raw(db, "UPDATE plan_versions SET content = '{}'"), Catch::Contains("immutable"));
  CHECK_THAT(raw(db, "UPDATE plan_versions SET status = 'draft'"), Catch::Contains("not allowed"));
  CHECK_THAT(raw(db, "DELETE FROM plan_versions"), Catch::Contains("append-only"));
  SqliteStore store(db);
  CHECK(store.scores("P1").size() == 1);
  CHECK(store.audit(std::nullopt).size() == 6);
}

TEST_CASE("sqlite: a stored date that cannot be true is a storage error naming the row") {
  // Only a damaged file or a hand edit can hold one (the triggers are dropped here to write it).
  // It is corrupt data, not bad input of the person asking: StorageError, naming the entry.
  TempDir dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore store(db);
    fill_append_only_tables(store);
  }
  REQUIRE(raw(db, "DROP TRIGGER pain_scores_no_update; DROP TRIGGER decisions_no_update; "
                  "DROP TRIGGER plan_versions_immutable; "
                  "UPDATE pain_scores SET at = '2026-02-30T09:00'; "
                  "UPDATE decisions SET date = '2026-13-01'; "
                  "UPDATE plan_versions SET content = json_set(content, '$.start', '2026-04-31')")
              .empty());
  SqliteStore store(db);
  const auto storage_error = [](const auto &call) {
    try {
      call();
    } catch (const StorageError &e) {
      return std::string(e.what());
    } catch (const std::exception &e) {
      return std::string("not a StorageError: ") + e.what();
    }
    return std::string("no error");
  };
  const auto scores = storage_error([&] { store.scores("P1"); });
  CHECK_THAT(scores, Catch::StartsWith("stored pain score #1: ") && Catch::Contains("2026-02-30"));
  const auto decisions = storage_error([&] { store.decisions("P1"); });
  CHECK_THAT(decisions, Catch::StartsWith("stored decision #1: ") && Catch::Contains("2026-13-01"));
  const auto summaries = storage_error([&] { store.decision_summaries(); });
  CHECK_THAT(summaries,
             Catch::StartsWith("stored decision of P1: ") && Catch::Contains("2026-13-01"));
  // A date inside a stored plan document names the version (not just "stored plan").
  const auto plan = storage_error([&] { store.plan_version("P1", 1); });
  CHECK_THAT(plan,
             Catch::StartsWith("stored plan of P1 version 1: ") && Catch::Contains("2026-04-31"));
  CHECK(store.adverse_effects("P1").size() == 1); // the other tables still read
}

TEST_CASE("sqlite: a word in a stored plan document that is not known names the version") {
  TempDir dir;
  const auto db = dir.file("t.db");
  {
    SqliteStore store(db);
    fill_append_only_tables(store);
  }
  REQUIRE(raw(db, "DROP TRIGGER plan_versions_immutable; UPDATE plan_versions SET content = "
                  "json_set(content, '$.stages[0].role', 'cross_taper')")
              .empty());
  SqliteStore store(db);
  try {
    (void)store.plan_version("P1", 1);
    FAIL("no error");
  } catch (const StorageError &e) {
    CHECK(std::string(e.what()) ==
          "stored plan of P1 version 1: role: \"cross_taper\" is not a stage role; expected "
          "trial, taper or cross-taper");
  }
}

TEST_CASE("sqlite: a refused approval leaves the database file byte-identical") {
  TempDir dir;
  const auto db = dir.file("t.db");
  check_refused_writes_change_nothing([&] { return std::make_unique<SqliteStore>(db); },
                                      [&] { return file_bytes(db); });
}

TEST_CASE("sqlite: two processes logging at once both succeed") {
  TempDir dir;
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
          store.log_score(patient, sample_score(1 + i % 28, i % 11), Actor{patient, "patient"});
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
  TempDir dir;
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

namespace {

// Storage shapes for the due-list comparison (illustrative doses, no clinical claim): 0 one
// trial; 1 two trials (the second assessed); 2 a trial then a taper; 3 a taper alone; 4 two
// trials where the last has no decision date (never due); 5 trial, cross-taper, trial.
Plan shaped_plan(const std::string &patient, Date decision, int shape) {
  Plan p = sample_plan(patient);
  Stage &first = p.stages[0];
  first.decision_date = decision;
  Stage other = first;
  switch (shape) {
  case 1:
    other.drug = "gabapentin";
    p.stages[0].decision_date = decision - Days(14);
    p.stages.push_back(other);
    break;
  case 2:
    other.role = StageRole::taper;
    other.drug = "amitriptyline";
    other.decision_date.reset();
    p.stages.push_back(other);
    break;
  case 3:
    p.stages[0].role = StageRole::taper;
    p.stages[0].decision_date.reset();
    break;
  case 4:
    other.drug = "pregabalin";
    other.decision_date.reset();
    p.stages.push_back(other);
    break;
  case 5: {
    Stage cross = other;
    cross.role = StageRole::cross_taper;
    cross.drug = "nortriptyline";
    cross.decision_date.reset();
    other.drug = "pregabalin";
    p.stages[0].decision_date = decision - Days(21);
    p.stages.push_back(cross);
    p.stages.push_back(other);
    break;
  }
  default:
    break;
  }
  return p;
}

} // namespace

// SqliteStore::due_list is one query; it must give exactly due_list_generic()'s entries. Three
// seeds over 150 patients each: superseded, rejected, submitted and draft versions, every plan
// shape above, scores on both window edges and several a day, corrections of corrections, and
// today/within pairs before, inside and after the decision dates.
TEST_CASE("sqlite: the due-list query equals the generic walk on seeded random cohorts") {
  for (const unsigned seed : {1u, 20261125u, 777u}) {
    INFO("seed " << seed);
    TempDir dir;
    SqliteStore repo(dir.file("t.db"));
    SeededPick pick(seed);
    const Date base(2026, 12, 22);
    std::vector<std::string> ids;
    for (int i = 0; i < 150; ++i)
      ids.push_back((i % 2 ? "p" : "P") + std::to_string(pick(0, 9999)));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<ScoreImportRow> rows;
    int line = 1;
    for (const auto &id : ids) {
      repo.add_patient(sample_patient(id), clinician);
      const Date dd = base + Days(pick(-10, 10));
      const int versions = pick(0, 3);
      for (int v = 1; v <= versions; ++v) {
        repo.save_draft(shaped_plan(id, dd + Days(pick(-3, 3)), pick(0, 5)), clinician);
        const int fate = pick(0, 4); // 0 draft, 1 submitted, 2 rejected, 3-4 approved
        if (fate >= 1)
          repo.submit(id, v, clinician);
        if (fate == 2)
          repo.reject(id, v, pharmacist, "test");
        if (fate >= 3)
          repo.approve(id, v, pharmacist);
      }
      const int n = pick(0, 20);
      for (int k = 0; k < n; ++k) {
        rows.push_back(
            {id, {dd + Days(pick(-10, 2)), pick(0, 1439)}, PainScore(pick(0, 10)), "", ++line});
      }
    }
    repo.import_scores(rows, clinician, "seed.csv");
    for (int k = 0; k < 120; ++k) { // corrections, some of earlier corrections
      const auto &id = ids[static_cast<std::size_t>(pick(0, static_cast<int>(ids.size()) - 1))];
      const auto s = repo.scores(id);
      if (s.empty())
        continue;
      ScoreEntry fix = s[static_cast<std::size_t>(pick(0, static_cast<int>(s.size()) - 1))];
      fix.supersedes = fix.id;
      fix.at.date = fix.at.date + Days(pick(-5, 5));
      repo.log_score(id, fix, clinician);
    }
    // The stored decision date is the last trial stage's, as the generic walk reads it.
    SQLite::Database raw_db(dir.file("t.db"), SQLite::OPEN_READONLY);
    SQLite::Statement q(raw_db, "SELECT p.patient_id, v.version, v.decision_date FROM "
                                "plan_versions v JOIN plans p ON p.id = v.plan_id");
    int checked = 0;
    while (q.executeStep()) {
      const auto v = repo.plan_version(q.getColumn(0).getString(), q.getColumn(1).getInt());
      REQUIRE(v);
      const auto dd = plan_decision_date(v->plan);
      CHECK(q.getColumn(2).isNull() == !dd);
      if (dd)
        CHECK(q.getColumn(2).getString() == iso(*dd));
      ++checked;
    }
    CHECK(checked > 100);
    int compared = 0;
    for (const auto &[today, within] : std::vector<std::pair<Date, int>>{{base - Days(40), 0},
                                                                         {base - Days(12), 0},
                                                                         {base - Days(5), 4},
                                                                         {base, 0},
                                                                         {base, 2},
                                                                         {base + Days(3), 0},
                                                                         {base + Days(11), 0},
                                                                         {base - Days(60), 365}}) {
      compared += static_cast<int>(check_due_list_is_generic(repo, today, within).size());
    }
    CHECK(compared > 50); // the cohort is not trivially empty
  }
}

// The import skips the duplicate query for a row outside the patient's range of stored and
// imported times; the counts and the stored rows must still be exactly those of the rule "equal
// (patient, at, score, note) to a stored row or an earlier row of the file is a duplicate".
// Reference computed by a plain set over the same rows (not by the store).
TEST_CASE("sqlite: a streamed import skips exactly the duplicates, in any row order") {
  for (const unsigned seed : {3u, 1125u, 99u}) {
    INFO("seed " << seed);
    TempDir dir;
    SqliteStore repo(dir.file("t.db"));
    SeededPick pick(seed);
    using Key = std::tuple<std::string, std::string, int, std::string>;
    std::set<Key> stored;
    std::multiset<Key> all;
    const std::vector<std::string> ids = {"P1", "P2", "P3"};
    for (const auto &id : ids)
      repo.add_patient(sample_patient(id), clinician);
    auto random_row = [&](int line) {
      ScoreImportRow r{ids[static_cast<std::size_t>(pick(0, 2))],
                       {Date(2026, 12, static_cast<unsigned short>(pick(1, 6))), pick(0, 3) * 7},
                       PainScore(pick(0, 2)),
                       pick(0, 3) == 0 ? "n" : "",
                       line};
      return r;
    };
    for (int k = 0; k < 30; ++k) { // stored beforehand through log, one a correction
      ScoreImportRow r = random_row(0);
      ScoreEntry e{0, r.at, r.score, r.note, std::nullopt};
      if (k == 29) {
        r.patient = "P1";
        e.supersedes = repo.scores("P1").at(0).id;
      }
      repo.log_score(r.patient, e, clinician);
      const Key key{r.patient, iso(r.at), r.score.value(), r.note};
      stored.insert(key);
      all.insert(key);
    }
    for (int round = 0; round < 3; ++round) {
      std::vector<ScoreImportRow> rows;
      for (int k = 0; k < 200; ++k)
        rows.push_back(random_row(k + 2));
      if (round == 1) { // a diary in time order per patient, then reversed
        std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
          return std::tie(a.patient, a.at) < std::tie(b.patient, b.at);
        });
      } else if (round == 2) {
        std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
          return std::tie(a.patient, b.at) < std::tie(b.patient, a.at);
        });
      }
      int want_imported = 0, want_dups = 0;
      for (const auto &r : rows) {
        const Key key{r.patient, iso(r.at), r.score.value(), r.note};
        if (stored.insert(key).second) {
          ++want_imported;
          all.insert(key);
        } else {
          ++want_dups;
        }
      }
      const ImportResult got = repo.import_scores(rows, clinician, "r.csv");
      CHECK(got.imported == want_imported);
      CHECK(got.duplicates == want_dups);
    }
    std::multiset<Key> have;
    for (const auto &id : ids) {
      for (const auto &s : repo.scores(id, true))
        have.insert({id, iso(s.at), s.score.value(), s.note});
    }
    CHECK(have == all);
  }
}
