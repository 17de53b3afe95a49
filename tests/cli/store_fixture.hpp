#pragma once
// Shared by the store transcript tests: the global options of one acting user, and a plan
// version written straight into the test's database through the repository (the `plan ID`
// command is wired separately). The plan is illustrative storage data, not a clinical claim.
#include "planner/store/sqlite/sqlite_store.hpp"
#include "tests/cli/run.hpp"
#include "tests/common/duloxetine_trial.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

namespace titrate::test {

inline std::vector<std::string> as(const TempDir &d, const std::string &user,
                                   const std::string &role, const std::string &today,
                                   std::vector<std::string> args) {
  std::vector<std::string> all = {
      "--db", d.file("clinic/titrate.db"), "--today", today, "--user", user, "--role", role};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

inline Plan fixture_plan(const std::string &patient,
                         Dose second_step_daily = Dose::milligrams(60)) {
  Plan p = duloxetine_trial(patient, second_step_daily);
  p.lint = {{Severity::caution, "test.lint", "an illustrative lint finding", "TEST 1"}};
  return p;
}

// Drafts (and optionally submits) a plan version as `user`; returns its version number.
inline int draft_plan(const TempDir &d, const Plan &plan, const std::string &user, bool submit) {
  SqliteStore store(d.file("clinic/titrate.db"));
  const Actor who{user, "clinician"};
  const int v = store.save_draft(plan, who);
  if (submit)
    store.submit(plan.patient, v, who);
  return v;
}

inline const std::vector<std::string> p1_profile = {
    "patient", "add",         "P1", "--birth-date",       "1958-04-02", "--sex",
    "female",  "--weight-kg", "70", "--creatinine-mg-dl", "1.1"};

// The global options of the transcripts' clinician (dr.ames) and pharmacist (ph.bell).
inline std::vector<std::string> clin(const TempDir &d, const char *today,
                                     std::vector<std::string> a) {
  return as(d, "dr.ames", "clinician", today, std::move(a));
}
inline std::vector<std::string> pharm(const TempDir &d, const char *today,
                                      std::vector<std::string> a) {
  return as(d, "ph.bell", "pharmacist", today, std::move(a));
}

// Adds patient P1 (p1_profile) as clinician dr.ames on 2026-11-20; the run must succeed.
inline void add_p1(const TempDir &d) {
  auto r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20", p1_profile));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// P1 added (add_p1) with fixture_plan("P1") as version 1, drafted and submitted by dr.ames and
// approved by ph.bell on 2026-11-30.
inline void add_p1_approved_plan(const TempDir &d) {
  add_p1(d);
  draft_plan(d, fixture_plan("P1"), "dr.ames", true);
  REQUIRE(run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-11-30",
                            {"review", "approve", "P1", "--version", "1"}))
              .exit_code == 0);
}

// A fresh clinic database that holds patient P1, added by `add` (add_p1 unless a test adds P1
// its own way), with the database's path and its bytes then: what a refused command must leave.
struct ClinicWithP1 {
  TempDir d;
  const std::string db = d.file("clinic/titrate.db");
  std::string before;
  explicit ClinicWithP1(void (*add)(const TempDir &) = add_p1) {
    add(d);
    before = file_bytes(db);
  }
};

// A command that must be refused: its whole argument list, its exit code, and a part of what it
// says on stderr ("" when only the exit code is checked).
struct Refused {
  std::vector<std::string> args;
  int exit;
  std::string says;
};

// Runs each case in `d`: it must exit with its code, say its part, and leave the file `db` with
// the bytes it has now.
inline void check_refused(const TempDir &d, const std::string &db,
                          const std::vector<Refused> &cases) {
  const auto before = file_bytes(db);
  for (const auto &c : cases) {
    auto r = run_titrate(d, c.args);
    INFO(r.err);
    CHECK(r.exit_code == c.exit);
    if (!c.says.empty())
      CHECK_THAT(r.err, Catch::Contains(c.says));
    CHECK(file_bytes(db) == before);
  }
}

} // namespace titrate::test
