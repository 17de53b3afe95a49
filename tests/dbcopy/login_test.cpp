// Who acts on PostgreSQL (issue 14 item 7, docs/architecture.md "Who the actor is"): a database
// login that is a titrate account acts as that account; typing a colleague's name or another
// role with it is refused (exit 4) and writes nothing; a login that is no account (the shared
// admin login of these tests) acts as claimed, as on a SQLite file.
#include "tests/cli/run.hpp"
#include "tests/pg/pg_test.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

using namespace titrate::test;

namespace {

// `url` with its user (between "://" and "@") replaced by `user`.
std::string url_as(const std::string &url, const std::string &user) {
  const std::size_t from = url.find("://") + 3;
  const std::size_t at = url.find('@', from);
  REQUIRE(at != std::string::npos);
  return url.substr(0, from) + user + url.substr(at);
}

// A login role (roles belong to the whole cluster: named per test process) with the rights
// docs/deployment.md grants an application login, and the titrate account of the same name.
std::string login_account(const std::string &db, const std::string &name, const std::string &role) {
  pg_exec(pg_admin_url(), "DROP ROLE IF EXISTS " + name);
  pg_exec(pg_admin_url(), "CREATE ROLE " + name + " LOGIN");
  // pg_exec quotes the SQL for the shell in single quotes: a quote inside is '\''.
  const auto text = [](const std::string &v) { return "'\\''" + v + "'\\''"; };
  pg_exec(db, "GRANT ALL ON ALL TABLES IN SCHEMA public TO " + name +
                  "; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + name +
                  "; INSERT INTO users (name, role, password_hash, created) VALUES (" + text(name) +
                  ", " + text(role) + ", " + text("unused") + ", 0)");
  return url_as(db, name);
}

} // namespace

TEST_CASE("postgres login: an account's login acts as that account and never as a colleague") {
  TempDir d;
  const std::string db = fresh_pg_database("login");
  const auto run_as = [&](const std::string &url, const std::vector<std::string> &args) {
    std::vector<std::string> a = {"--db", url, "--today", "2026-11-25"};
    a.insert(a.end(), args.begin(), args.end());
    return run_titrate(d, a);
  };
  // The shared admin login is no titrate account: it acts as claimed (and makes the tables).
  auto r = run_as(db, {"--user", "dr.ames", "--role", "clinician", "patient", "add", "P1",
                       "--birth-date", "1971-06-15", "--sex", "female", "--weight-kg", "65",
                       "--creatinine-mg-dl", "0.8"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string pid = std::to_string(::getpid());
  const std::string dr = "dr_cole_" + pid, ph = "ph_bell_" + pid;
  const std::string dr_db = login_account(db, dr, "clinician");
  const std::string ph_db = login_account(db, ph, "pharmacist");

  r = run_as(dr_db, {"--user", dr, "--role", "clinician", "plan", "P1", "--start", "2026-12-01",
                     "--submit"});
  REQUIRE(r.exit_code == 0);
  // The drafting clinician's login claiming to be the pharmacist, or its own name with the
  // pharmacist's role: refused before anything is written.
  r = run_as(dr_db,
             {"--user", ph, "--role", "pharmacist", "review", "approve", "P1", "--version", "1"});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("--user " + ph + ": this PostgreSQL login is " + dr +
                                    ", the titrate account " + dr +
                                    " (clinician); on PostgreSQL "
                                    "the login decides who acts"));
  r = run_as(dr_db,
             {"--user", dr, "--role", "pharmacist", "review", "approve", "P1", "--version", "1"});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("--role pharmacist: the account " + dr +
                                    " of this PostgreSQL login is a clinician; expected --role "
                                    "clinician"));
  r = run_as(db, {"--json", "--user", "dr.ames", "--role", "clinician", "audit", "P1"});
  REQUIRE(r.exit_code == 0);
  auto entries = nlohmann::json::parse(r.out)["entries"];
  REQUIRE(entries.size() == 3); // patient.add, plan.draft, plan.submit: nothing more
  CHECK(entries[1]["user"] == dr);

  // Nor can the clinician's login make a pharmacist account to sign in to the web as.
  r = run_titrate(d, {"--db", dr_db, "user", "add", "ph_fake", "--role", "pharmacist"},
                  "a long enough password\n");
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("user add: this PostgreSQL login is " + dr +
                                    ", the titrate account " + dr +
                                    " (clinician); staff accounts are added by the clinic's "
                                    "operator login"));
  r = run_titrate(d, {"--db", db, "user", "add", "ph_other", "--role", "pharmacist"},
                  "a long enough password\n");
  INFO(r.err);
  CHECK(r.exit_code == 0); // the operator's login (no account) adds staff

  // As itself the pharmacist approves, and the audit names the account.
  r = run_as(ph_db,
             {"--user", ph, "--role", "pharmacist", "review", "approve", "P1", "--version", "1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  r = run_as(db, {"--json", "--user", "dr.ames", "--role", "clinician", "audit", "P1"});
  entries = nlohmann::json::parse(r.out)["entries"];
  REQUIRE(entries.size() == 4);
  CHECK(entries[3]["action"] == "plan.approve");
  CHECK(entries[3]["user"] == ph);
  CHECK(entries[3]["role"] == "pharmacist");
}
