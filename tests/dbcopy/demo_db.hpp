#pragma once
// A demo-like clinic database made through the real binary, following docs/demo.sh (one
// patient's whole trial: profile, baseline scores, plan submitted and approved, a diary import,
// an applied assessment and its approved version 2), plus what the demo leaves out so that every
// table holds rows and NULLs: a second patient with a CrCl and no baseline, a score correction,
// an adverse effect, a staff user and a patient link. Used by the db copy tests (tests/cli and
// tests/dbcopy). Every count in DemoCounts is worked out from the steps below, not read back.
#include "tests/cli/run.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace titrate::test {

struct DemoCounts {
  // add DEMO-001 + add DEMO-002
  static constexpr int patients = 2;
  // 7 baseline + 22 diary days x 2 (2026-12-01 .. 2026-12-22) + 1 correction
  static constexpr int pain_scores = 7 + 44 + 1;
  static constexpr int adverse_effects = 1;
  static constexpr int plan_versions = 2; // version 1, and version 2 drafted by assess --apply
  static constexpr int reviews = 2;       // approvals of versions 1 and 2
  static constexpr int decisions = 1;     // assess --apply
  static constexpr int users = 1;         // user add ph.bell
  static constexpr int patient_links = 1; // patient invite DEMO-001
};

inline RunResult demo_step(const TempDir &d, const std::string &db, const std::string &user,
                           const std::string &role, const std::string &today,
                           std::vector<std::string> args, const std::string &input = "") {
  std::vector<std::string> all = {"--db", db, "--today", today, "--user", user, "--role", role};
  all.insert(all.end(), args.begin(), args.end());
  auto r = run_titrate(d, all, input);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

inline void make_demo_db(const TempDir &d, const std::string &db) {
  const std::string dr = "dr.ames", ph = "ph.bell", pt = "DEMO-001";
  demo_step(d, db, dr, "clinician", "2026-11-20",
            {"patient", "add", pt, "--birth-date", "1971-05-14", "--sex", "female", "--weight-kg",
             "65", "--creatinine-mg-dl", "0.8", "--baseline-pain", "8"});
  for (int day = 24; day <= 30; ++day) {
    demo_step(d, db, pt, "patient", "2026-11-30",
              {"log", pt, "--score", "8", "--at", "2026-11-" + std::to_string(day) + "T09:00"});
  }
  demo_step(d, db, dr, "clinician", "2026-11-30",
            {"plan", pt, "--start", "2026-12-01", "--submit"});
  demo_step(d, db, ph, "pharmacist", "2026-11-30", {"review", "approve", pt, "--version", "1"});
  std::string diary = "patient_id,at,score,note\n";
  for (int day = 1; day <= 22; ++day) {
    const std::string date = std::string("2026-12-") + (day < 10 ? "0" : "") + std::to_string(day);
    diary += pt + "," + date + "T09:00,7,\n";
    diary += pt + "," + date + "T21:00,8,evening\n";
  }
  const std::string csv = d.write("diary.csv", diary);
  demo_step(d, db, pt, "patient", "2026-12-22", {"import", "scores", csv});
  demo_step(d, db, dr, "clinician", "2026-12-22", {"assess", pt, "--apply"});
  demo_step(d, db, dr, "clinician", "2026-12-22", {"plan", pt, "--submit"});
  demo_step(d, db, ph, "pharmacist", "2026-12-22", {"review", "approve", pt, "--version", "2"});
  // Beyond the demo: an adverse effect, a correction (supersedes the first score, id 1), a
  // second patient whose optional numbers are NULL, a staff user and a patient link.
  demo_step(d, db, pt, "patient", "2026-12-22",
            {"log", pt, "--adverse-effect", "dizziness", "--severity", "mild"});
  demo_step(d, db, pt, "patient", "2026-12-22",
            {"log", pt, "--score", "7", "--at", "2026-11-24T09:00", "--supersedes", "1"});
  demo_step(d, db, dr, "clinician", "2026-12-22",
            {"patient", "add", "DEMO-002", "--birth-date", "1949-02-28", "--sex", "male",
             "--weight-kg", "81.3", "--crcl", "45.5"});
  demo_step(d, db, dr, "clinician", "2026-12-22", {"user", "add", ph, "--role", "pharmacist"},
            "correct horse battery staple\n");
  demo_step(d, db, dr, "clinician", "2026-12-22", {"patient", "invite", pt});
}

// A users row whose `created` is text where the schema has an integer: SQLite keeps what it is
// given, and no copy can keep it exactly, so a copy of `db` must fail as a whole.
inline void add_uncopyable_row(const std::string &db) {
  SQLite::Database d(db, SQLite::OPEN_READWRITE);
  d.exec("INSERT INTO users (name, role, password_hash, created) "
         "VALUES ('zz.last', 'clinician', 'x', 'yesterday')");
}

// `titrate db checksum` of `db` as JSON (its tables, their rows and digests); it must succeed.
inline nlohmann::json checksum_of(const TempDir &d, const std::string &db) {
  auto r = run_titrate(d, {"--json", "--db", db, "db", "checksum"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

} // namespace titrate::test
