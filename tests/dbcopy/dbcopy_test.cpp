// `titrate db copy` through PostgreSQL ("done when"): the demo-like database goes
// SQLite -> PostgreSQL -> SQLite and every table comes back with the same rows and checksum; a
// PostgreSQL destination that holds rows is refused untouched; a failed copy leaves it empty; the
// identity sequences continue after the copied ids. Counts come from tests/dbcopy/demo_db.hpp.
#include "tests/cli/run.hpp"
#include "tests/dbcopy/demo_db.hpp"
#include "tests/pg/pg_test.hpp"

#include "planner/store/sqlite/sqlite_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdio>

using namespace titrate::test;

namespace {

// The first field of the first row `sql` returns (psql -At).
std::string pg_value(const std::string &url, const std::string &sql) {
  const std::string cmd = "psql -X -At -v ON_ERROR_STOP=1 '" + url + "' -c \"" + sql + "\"";
  FILE *p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  std::array<char, 256> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), p))
    out += buf.data();
  REQUIRE(::pclose(p) == 0);
  while (!out.empty() && out.back() == '\n')
    out.pop_back();
  return out;
}

// The demo database plus an audit entry whose text needs every escape of PostgreSQL's COPY
// format (tab, newline, carriage return, backslash) and a non-ASCII letter, and a profile
// version whose CrCl needs all 17 significant digits (45.5 + 2^-46: two units in the last
// place above 45.5), which PostgreSQL prints to only 15 when extra_float_digits is 0.
void make_source(const TempDir &d, const std::string &db) {
  make_demo_db(d, db);
  titrate::SqliteStore s(db);
  s.append_audit({"ops", "clinician"}, "test.escape", "", "tab\there back\\slash\nnew line\r\\N é");
  titrate::Patient p = s.patient("DEMO-002")->patient;
  p.crcl_ml_min = 45.5 + std::ldexp(1.0, -46);
  s.update_patient(p, {"dr.ames", "clinician"});
}

// A server or PGOPTIONS that rounds reals on output must not change what is copied.
const std::vector<std::string> rounding_env = {"PGOPTIONS=-c extra_float_digits=0"};

} // namespace

TEST_CASE("db copy: the demo database round-trips SQLite to PostgreSQL to SQLite identically") {
  TempDir d;
  const auto src = d.file("clinic.db");
  make_source(d, src);
  const auto a = checksum_of(d, src);
  REQUIRE(a["total_rows"].get<int>() > 0);

  const std::string url = fresh_pg_database("dbcopy");
  auto r = run_titrate(d, {"--json", "db", "copy", "--from", src, "--to", url}, "", rounding_env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["checksum"] == a["checksum"]);
  const auto p = checksum_of(d, url);
  CHECK(p["tables"] == a["tables"]);
  CHECK(p["checksum"] == a["checksum"]);
  CHECK(p["schema_version"] == a["schema_version"]);

  // The text really arrived as text (not only as matching checksums).
  CHECK(pg_value(url, "SELECT detail FROM audit WHERE action = 'test.escape'") ==
        "tab\there back\\slash\nnew line\r\\N é");
  CHECK(pg_value(url, "SELECT weight_kg FROM patient_versions WHERE patient_id = 'DEMO-002' "
                      "AND version = 1") == "81.3");
  CHECK(pg_value(url, "SELECT crcl_ml_min FROM patient_versions WHERE patient_id = 'DEMO-002' "
                      "AND version = 2") == "45.500000000000014");
  // The next generated id follows the copied ones (pain_scores ids 1..52).
  CHECK(pg_value(url, "SELECT nextval(pg_get_serial_sequence('pain_scores', 'id'))") ==
        std::to_string(DemoCounts::pain_scores + 1));

  // The copy works as a clinic database: the repository reads the same audit and profile there.
  for (const auto &args : std::vector<std::vector<std::string>>{
           {"--json", "--role", "clinician", "audit"},
           {"--json", "--role", "clinician", "patient", "show", "DEMO-002"}}) {
    auto v1 = args, v2 = args;
    v1.insert(v1.begin(), {"--db", src});
    v2.insert(v2.begin(), {"--db", url});
    const auto s1 = run_titrate(d, v1);
    const auto s2 = run_titrate(d, v2);
    INFO(s2.err);
    CHECK(s1.exit_code == 0);
    CHECK(s2.exit_code == 0);
    CHECK(s1.out == s2.out);
  }

  const auto back = d.file("back.db");
  r = run_titrate(d, {"--json", "db", "copy", "--from", url, "--to", back}, "", rounding_env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto b = checksum_of(d, back);
  CHECK(b["tables"] == a["tables"]);
  CHECK(b["checksum"] == a["checksum"]);

  // Copying into the now-full PostgreSQL database again is refused, and it stays as it was.
  r = run_titrate(d, {"db", "copy", "--from", back, "--to", url});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("already holds titrate data"));
  CHECK(checksum_of(d, url)["checksum"] == a["checksum"]);
}

TEST_CASE("db copy: a failed copy into PostgreSQL leaves the database empty, schema and all") {
  TempDir d;
  const auto src = d.file("clinic.db");
  make_source(d, src);
  add_uncopyable_row(src);
  const std::string url = fresh_pg_database("dbcopy");
  auto r = run_titrate(d, {"db", "copy", "--from", src, "--to", url});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("users") && Catch::Contains("created"));
  CHECK(pg_value(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                      "current_schema()") == "0");
}

TEST_CASE("db copy: a PostgreSQL source at a newer schema version is refused, unchanged") {
  TempDir d;
  const auto src = d.file("clinic.db");
  make_source(d, src);
  const std::string url = fresh_pg_database("dbcopy");
  auto r = run_titrate(d, {"db", "copy", "--from", src, "--to", url});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  pg_exec(url, "UPDATE schema_version SET version = version + 1");
  r = run_titrate(d, {"db", "copy", "--from", url, "--to", d.file("back.db")});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("newer than this titrate"));
  CHECK(!std::filesystem::exists(d.file("back.db")));
  CHECK(pg_value(url, "SELECT count(*) FROM pain_scores") ==
        std::to_string(DemoCounts::pain_scores));
}

TEST_CASE("db copy: a PostgreSQL database with other tables is refused and left as it was") {
  TempDir d;
  const auto src = d.file("clinic.db");
  make_source(d, src);
  const std::string url = fresh_pg_database("dbcopy");
  pg_exec(url, "CREATE TABLE ledger (x integer)");
  auto r = run_titrate(d, {"db", "copy", "--from", src, "--to", url});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("not a titrate database"));
  CHECK(pg_value(url, "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE "
                      "table_schema = current_schema()") == "ledger");
}
