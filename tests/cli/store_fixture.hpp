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

} // namespace titrate::test
