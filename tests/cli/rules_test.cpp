// Issue 13 items 5-7 through the real binary: rules that cannot be walked around (roles, dates
// that cannot be true, preview versus draft), database faults named with their path, and the
// clinician's choice of any drug that is not avoid. Each case asserts the exit code, the message
// and that a refused command wrote nothing.
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <vector>

using namespace titrate::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> with_data(std::vector<std::string> args) {
  std::vector<std::string> all = {"--formulary", source_dir() + "/formulary", "--pathways",
                                  source_dir() + "/schedules"};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

RunResult run_as(const TempDir &d, const std::string &user, const std::string &role,
                 const std::string &today, std::vector<std::string> args) {
  return run_titrate(d, with_data(as(d, user, role, today, std::move(args))));
}

void add_patient(const TempDir &d, std::vector<std::string> profile) {
  auto r = run_as(d, "dr.ames", "clinician", "2026-11-20", std::move(profile));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

std::vector<std::string> p2_profile() {
  auto p = p1_profile;
  p[2] = "P2";
  return p;
}

} // namespace

TEST_CASE("rules: a patient reads only their own check; check ID needs a role") {
  TempDir d;
  add_patient(d, p1_profile);
  add_patient(d, p2_profile());
  const auto db = d.file("clinic/titrate.db");
  const auto before = file_bytes(db);

  auto r = run_as(d, "P1", "patient", "2026-11-25", {"check", "P2"});
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("check: refused for role patient: user \"P1\" may act only on "
                                    "their own record, not on P2"));
  CHECK(r.out.empty());

  r = run_titrate(d, with_data({"--db", db, "--today", "2026-11-25", "--user", "x", "check", "P1"}));
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("check: no role given"));

  r = run_as(d, "P1", "patient", "2026-11-25", {"check", "P1"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Eligibility for patient P1"));
  r = run_as(d, "ph.bell", "pharmacist", "2026-11-25", {"check", "P2"});
  CHECK(r.exit_code == 0);
  CHECK(file_bytes(db) == before);
}

