// Transcripts of `titrate db copy` and `titrate db checksum` between SQLite files (the PostgreSQL
// round trip is tests/dbcopy): every row copied with its id and verified, the copy usable, and
// every refusal leaving the source and the destination as they were (or not created). Expected
// row counts are worked out from the steps of tests/dbcopy/demo_db.hpp.
#include "tests/cli/run.hpp"
#include "tests/dbcopy/demo_db.hpp"

#include "planner/store/sqlite/sqlite_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

using namespace titrate::test;
namespace fs = std::filesystem;

namespace {

std::int64_t rows_of(const nlohmann::json &summary, const std::string &table) {
  for (const auto &t : summary["tables"]) {
    if (t["table"] == table)
      return t["rows"].get<std::int64_t>();
  }
  FAIL("no table " << table);
  return -1;
}

// The folder's files, without SQLite's -wal/-shm companions: any reader of a WAL database (the
// copy's read-only source too) may create them; they are not data.
std::set<std::string> files_in(const fs::path &dir) {
  std::set<std::string> out;
  for (const auto &e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with("-wal") || name.ends_with("-shm"))
      continue;
    out.insert(name);
  }
  return out;
}

} // namespace

TEST_CASE("db copy: SQLite to a new SQLite file keeps every row and id, verified by checksums") {
  TempDir d;
  const auto src = d.file("clinic.db");
  const auto dst = d.file("copy.db");
  make_demo_db(d, src);
  const auto before = file_bytes(src);
  const auto a = checksum_of(d, src);
  CHECK(a["schema_version"] == titrate::sqlite_latest_schema_version());
  CHECK(rows_of(a, "patients") == DemoCounts::patients);
  CHECK(rows_of(a, "pain_scores") == DemoCounts::pain_scores);
  CHECK(rows_of(a, "adverse_effects") == DemoCounts::adverse_effects);
  CHECK(rows_of(a, "plan_versions") == DemoCounts::plan_versions);
  CHECK(rows_of(a, "reviews") == DemoCounts::reviews);
  CHECK(rows_of(a, "decisions") == DemoCounts::decisions);
  CHECK(rows_of(a, "users") == DemoCounts::users);
  CHECK(rows_of(a, "patient_links") == DemoCounts::patient_links);
  CHECK(rows_of(a, "sessions") == 0);
  CHECK(a["tables"].size() == 16);

  auto r = run_titrate(d, {"--json", "db", "copy", "--from", src, "--to", dst});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto c = nlohmann::json::parse(r.out);
  CHECK(c["verified"] == true);
  CHECK(c["tables"] == a["tables"]);
  CHECK(c["checksum"] == a["checksum"]);
  CHECK(c["total_rows"] == a["total_rows"]);

  // The source was only read; the copy checksums the same on its own, with no leftovers.
  CHECK(file_bytes(src) == before);
  const auto b = checksum_of(d, dst);
  CHECK(b["tables"] == a["tables"]);
  CHECK(b["checksum"] == a["checksum"]);
  for (const auto &name : files_in(d.path()))
    CHECK(name.find(".tmp") == std::string::npos);

  // The copy is a working database: the same audit, and the next score gets the next id.
  const std::vector<std::string> audit = {"--json", "--role", "clinician", "audit"};
  auto sa = run_titrate(d, [&] {
    auto v = audit;
    v.insert(v.begin(), {"--db", src});
    return v;
  }());
  auto sb = run_titrate(d, [&] {
    auto v = audit;
    v.insert(v.begin(), {"--db", dst});
    return v;
  }());
  REQUIRE(sa.exit_code == 0);
  REQUIRE(sb.exit_code == 0);
  CHECK(sa.out == sb.out);
  r = run_titrate(d, {"--json", "--db", dst, "--today", "2026-12-23", "--user", "DEMO-001",
                      "--role", "patient", "log", "DEMO-001", "--score", "6"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["id"] == DemoCounts::pain_scores + 1);

  // Text output: one line per table and a total.
  r = run_titrate(d, {"--db", src, "db", "checksum"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("pain_scores") && Catch::Contains("total") &&
                        Catch::Contains(a["checksum"].get<std::string>()));
}

TEST_CASE("db copy: a destination that holds titrate rows is refused and left byte-identical") {
  TempDir d;
  const auto src = d.file("clinic.db");
  const auto dst = d.file("other.db");
  make_demo_db(d, src);
  demo_step(d, dst, "dr.ames", "clinician", "2026-11-20",
            {"patient", "add", "X1", "--birth-date", "1960-01-01", "--sex", "male", "--weight-kg",
             "80", "--crcl", "90"});
  const auto before = file_bytes(dst);
  auto r = run_titrate(d, {"db", "copy", "--from", src, "--to", dst});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("already holds titrate data") && Catch::Contains("patients"));
  CHECK(r.out.empty());
  CHECK(file_bytes(dst) == before);
}

TEST_CASE("db copy: an existing empty titrate database is accepted") {
  TempDir d;
  const auto src = d.file("clinic.db");
  const auto dst = d.file("empty.db");
  make_demo_db(d, src);
  { titrate::SqliteStore empty(dst); } // the schema, no rows
  auto r = run_titrate(d, {"--json", "db", "copy", "--from", src, "--to", dst});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(checksum_of(d, dst)["checksum"] == checksum_of(d, src)["checksum"]);
}

TEST_CASE("db copy: refusals name the problem and create nothing") {
  TempDir d;
  const auto src = d.file("clinic.db");
  make_demo_db(d, src);
  const auto text = d.write("notes.txt", std::string(4096, 'x'));
  const auto before = file_bytes(src);
  const auto text_before = file_bytes(text);
  const auto listing = files_in(d.path());
  struct Case {
    std::vector<std::string> args;
    int exit;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"db", "copy", "--from", d.file("missing.db"), "--to", d.file("new.db")}, 3, "not found"},
      {{"db", "copy", "--from", src, "--to", "mysql://host/clinic"}, 2, "not a supported URL"},
      {{"db", "copy", "--from", src, "--to", d.file("no/such/folder/new.db")}, 2, "does not exist"},
      {{"db", "copy", "--from", src, "--to", src}, 2, "two different databases"},
      {{"db", "copy", "--from", src}, 2, "--to"},
      {{"--role", "patient", "--user", "DEMO-001", "db", "copy", "--from", src, "--to",
        d.file("new.db")},
       4,
       "patient"},
      {{"--role", "surgeon", "db", "copy", "--from", src, "--to", d.file("new.db")}, 2, "--role"},
      {{"--db", d.file("missing.db"), "db", "checksum"}, 3, "not found"},
      {{"db", "copy", "--from", text, "--to", d.file("new.db")}, 2, "cannot be read as a SQLite"},
      {{"db", "copy", "--from", src, "--to", text}, 2, "cannot be read as a SQLite"},
  };
  for (const auto &c : cases) {
    auto r = run_titrate(d, c.args);
    INFO(c.args.back() << ": " << r.err);
    CHECK(r.exit_code == c.exit);
    CHECK_THAT(r.err, Catch::Contains(c.says));
    CHECK(r.out.empty());
  }
  CHECK(file_bytes(src) == before);
  CHECK(file_bytes(text) == text_before);
  CHECK(files_in(d.path()) == listing);
}

TEST_CASE("db copy: an unreachable PostgreSQL destination is bad input, its password not shown") {
  TempDir d;
  const auto src = d.file("clinic.db");
  make_demo_db(d, src);
  auto r = run_titrate(d, {"db", "copy", "--from", src, "--to",
                           "postgresql://clinic:s3cret@/titrate?host=" + d.file("no-socket")});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot connect") && Catch::Contains("***"));
  CHECK_THAT(r.err, !Catch::Contains("s3cret"));
}

TEST_CASE("db copy: a source at another schema version is refused and not changed") {
  TempDir d;
  const auto newer = d.file("newer.db");
  const auto older = d.file("older.db");
  make_demo_db(d, newer);
  {
    SQLite::Database db(newer, SQLite::OPEN_READWRITE);
    db.exec("UPDATE schema_version SET version = version + 1");
  }
  { titrate::SqliteStore old(older, titrate::sqlite_latest_schema_version() - 1); }
  const auto newer_bytes = file_bytes(newer);
  const auto older_bytes = file_bytes(older);

  auto r = run_titrate(d, {"db", "copy", "--from", newer, "--to", d.file("a.db")});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("newer than this titrate") &&
                        Catch::Contains("copy it with the titrate that wrote it"));
  r = run_titrate(d, {"db", "copy", "--from", older, "--to", d.file("b.db")});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err,
             Catch::Contains("older than this titrate") && Catch::Contains("migrate it first"));
  CHECK(file_bytes(newer) == newer_bytes);
  CHECK(file_bytes(older) == older_bytes);
  CHECK(!fs::exists(d.file("a.db")));
  CHECK(!fs::exists(d.file("b.db")));
}

TEST_CASE("db copy: a row that cannot be copied exactly fails the whole copy, leaving no file") {
  TempDir d;
  const auto src = d.file("clinic.db");
  make_demo_db(d, src);
  add_uncopyable_row(src);
  const auto listing = files_in(d.path());
  auto r = run_titrate(d, {"db", "copy", "--from", src, "--to", d.file("copy.db")});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("users") && Catch::Contains("created"));
  CHECK(files_in(d.path()) == listing); // neither the copy nor its temporary file
}
