// Transcripts of `titrate log` and `titrate import scores`: role rules, the import report (every
// bad row by line and column, all or nothing, duplicates skipped), byte-identical refusals and
// two processes logging at once. Expected counts are worked out from the files written here.
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <future>

using namespace titrate::test;

TEST_CASE("store log: a patient logs own scores and adverse effects, corrections supersede") {
  TempDir d;
  add_p1(d);
  auto r = run_titrate(d, as(d, "P1", "patient", "2026-11-30",
                             {"--json", "log", "P1", "--score", "7", "--at", "2026-11-29T21:30",
                              "--note", "bad night"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["kind"] == "score");
  CHECK(j["score"] == 7);
  CHECK(j["at"] == "2026-11-29T21:30");
  const auto first = j["id"].get<long long>();

  // A clinician may enter a score on the patient's behalf; no --at means --today.
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-30", {"log", "P1", "--score", "6"}));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("2026-11-30T00:00"));

  r = run_titrate(d, as(d, "P1", "patient", "2026-11-30",
                        {"--json", "log", "P1", "--score", "5", "--at", "2026-11-29T21:30",
                         "--supersedes", std::to_string(first)}));
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["supersedes"] == first);

  r = run_titrate(d, as(d, "P1", "patient", "2026-11-30",
                        {"log", "P1", "--adverse-effect", "dizziness", "--severity", "moderate"}));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("dizziness") && Catch::Contains("moderate"));

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-30", {"--json", "audit", "P1"}));
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["entries"].size() == 5); // add + 3 scores + 1 adverse effect
  CHECK(j["entries"][1]["action"] == "score.log");
  CHECK(j["entries"][1]["user"] == "P1");
  CHECK(j["entries"][1]["role"] == "patient");
  CHECK(j["entries"][2]["user"] == "dr.ames");
  CHECK(j["entries"][4]["action"] == "adverse-effect.log");
}

TEST_CASE_METHOD(ClinicWithP1,
                 "store log: refused and bad entries leave the database byte-identical") {
  // `log PATIENT ...` by `user` in `role` on 2026-11-30.
  const auto log_as = [&](const char *user, const char *role, std::vector<std::string> a) {
    a.insert(a.begin(), "log");
    return as(d, user, role, "2026-11-30", a);
  };
  check_refused(
      d, db,
      {
          {log_as("ph.bell", "pharmacist", {"P1", "--score", "5"}), 4, "pharmacist"},
          {log_as("P2", "patient", {"P1", "--score", "5"}), 4, "own record"},
          {log_as("P1", "patient", {"P1", "--score", "11"}), 2, "--score"},
          {log_as("P1", "patient", {"P1", "--score", "7.5"}), 2, "--score"},
          {log_as("P1", "patient", {"P1", "--score", "5", "--at", "2026-12-01"}), 2, "after today"},
          {log_as("P1", "patient", {"P1", "--score", "5", "--at", "2026-11-31"}), 2, "--at"},
          {log_as("P1", "patient", {"P1"}), 2, "--score"},
          {log_as("P1", "patient", {"P1", "--adverse-effect", "nausea"}), 2, "--severity"},
          {log_as("P1", "patient", {"P1", "--adverse-effect", "nausea", "--severity", "awful"}), 2,
           "--severity"},
          {log_as("P1", "patient", {"P1", "--score", "5", "--supersedes", "999"}), 3, "999"},
          {log_as("dr.ames", "clinician", {"P9", "--score", "5"}), 3, "P9"},
      });
  // No database yet: logging for anyone is "not found", and creates nothing.
  TempDir fresh;
  auto r =
      run_titrate(fresh, as(fresh, "P1", "patient", "2026-11-30", {"log", "P1", "--score", "5"}));
  CHECK(r.exit_code == 3);
  CHECK_FALSE(std::filesystem::exists(fresh.file("clinic/titrate.db")));
}

TEST_CASE("store import: all rows or none, every bad row reported, re-import harmless") {
  TempDir d;
  add_p1(d);
  const auto db = d.file("clinic/titrate.db");
  // `titrate import scores FILE` as `user` on 2026-11-30.
  const auto import_as = [&d](const std::string &user, const std::string &role,
                              const std::string &file) {
    return as(d, user, role, "2026-11-30", {"import", "scores", file});
  };
  const auto good = d.write("diary.csv", "patient_id,at,score,note\n"
                                         "P1,2026-11-24T09:00,8,\n"
                                         "P1,2026-11-24T21:00,7,evening\n"
                                         "P1,2026-11-25,8,\"walked, then rested\"\n");
  auto r =
      run_titrate(d, as(d, "P1", "patient", "2026-11-30", {"--json", "import", "scores", good}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["rows"] == 3);
  CHECK(j["imported"] == 3);
  CHECK(j["duplicates"] == 0);
  r = run_titrate(d, import_as("P1", "patient", good));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out,
             Catch::Contains("imported 0 scores") && Catch::Contains("skipped 3 duplicates"));

  const auto before = file_bytes(db);
  const auto bad = d.write("bad.csv", "patient_id,at,score,note\n"
                                      "P1,2026-11-26,6,\n"
                                      "P1,2026-11-26,eleven,\n"
                                      "P1,2026-13-01,5,\n"
                                      "P1,2026-11-27,12,\n");
  r = run_titrate(d, import_as("dr.ames", "clinician", bad));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.csv:3: score") && Catch::Contains("bad.csv:4: at") &&
                        Catch::Contains("bad.csv:5: score"));
  CHECK(file_bytes(db) == before); // the good row 2 was not imported either

  const auto unknown = d.write("unknown.csv", "patient_id,at,score\n"
                                              "P1,2026-11-26,6\n"
                                              "P7,2026-11-26,6\n"
                                              "P1,2026-11-27,5\n"
                                              "P8,2026-11-27,5\n");
  r = run_titrate(d, import_as("dr.ames", "clinician", unknown));
  CHECK(r.exit_code == 3); // not found (design.md section 4), every unknown row named
  CHECK_THAT(r.err, Catch::Contains("unknown.csv:3: patient_id") && Catch::Contains("P7") &&
                        Catch::Contains("unknown.csv:5: patient_id"));
  CHECK(file_bytes(db) == before);

  const auto future = d.write("future.csv", "patient_id,at,score\nP1,2026-12-01,6\n");
  const auto other =
      d.write("other.csv", "patient_id,at,score\nP1,2026-11-26,6\nP2,2026-11-26,6\n");
  check_refused(d, db,
                {
                    {import_as("P1", "patient", future), 2, "future.csv:2: at"},
                    {import_as("P1", "patient", other), 4, "other.csv:3"},
                    {import_as("ph.bell", "pharmacist", good), 4, ""},
                    {import_as("P1", "patient", d.file("missing.csv")), 2, ""},
                });
  CHECK(file_bytes(db) == before);
}

TEST_CASE("store log: two processes logging at once both succeed") {
  TempDir d;
  add_p1(d);
  auto r2 = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                              {"patient", "add", "P2", "--birth-date", "1960-01-01", "--sex",
                               "male", "--weight-kg", "80", "--crcl", "80"}));
  REQUIRE(r2.exit_code == 0);
  // Each process needs its own folder for its captured output; the database is shared.
  TempDir a, b;
  const auto db = d.file("clinic/titrate.db");
  auto writer = [&db](const TempDir &dir, const std::string &patient) {
    int failures = 0;
    for (int i = 0; i < 10; ++i) {
      auto r = run_titrate(dir, {"--db", db, "--today", "2026-11-30", "--user", patient, "--role",
                                 "patient", "log", patient, "--score", std::to_string(i), "--at",
                                 "2026-11-2" + std::to_string(i % 10) + "T08:00"});
      if (r.exit_code != 0)
        ++failures;
    }
    return failures;
  };
  auto fa = std::async(std::launch::async, writer, std::cref(a), "P1");
  auto fb = std::async(std::launch::async, writer, std::cref(b), "P2");
  CHECK(fa.get() == 0);
  CHECK(fb.get() == 0);
  titrate::SqliteStore store(db);
  CHECK(store.scores("P1").size() == 10);
  CHECK(store.scores("P2").size() == 10);
}
