// Transcripts of `titrate patient add|show|update|list` on a fresh database in a temp folder.
// Expected values are the inputs given on the command line (and the version numbering rule of
// docs/storage.md), not copied from output.
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace titrate::test;

namespace {
std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string> &more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}
} // namespace

TEST_CASE("store patient: add, show, update and list keep every profile version") {
  TempDir d;
  auto r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                             with(p1_profile, {"--condition", "narrow-angle-glaucoma",
                                               "--medication", "sertraline", "--stopped-medication",
                                               "phenelzine=2026-11-01", "--baseline-pain", "7"})));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("added patient P1 (profile version 1)"));
  CHECK(std::filesystem::exists(d.file("clinic/titrate.db"))); // parent folder created

  r = run_titrate(
      d, as(d, "ph.bell", "pharmacist", "2026-11-20", {"--json", "patient", "show", "P1"}));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["id"] == "P1");
  CHECK(j["version"] == 1);
  CHECK(j["birth_date"] == "1958-04-02");
  CHECK(j["sex"] == "female");
  CHECK(j["weight_kg"] == 70.0);
  CHECK(j["serum_creatinine_mg_dl"] == 1.1);
  CHECK(j["crcl_ml_min"].is_null());
  CHECK(j["hepatic"] == "none");
  CHECK(j["conditions"] == nlohmann::json::array({"narrow-angle-glaucoma"}));
  CHECK(j["medications"] == nlohmann::json::array({"sertraline"}));
  CHECK(j["stopped_medications"][0]["name"] == "phenelzine");
  CHECK(j["stopped_medications"][0]["stopped"] == "2026-11-01");
  CHECK(j["baseline_pain"] == 7);
  CHECK(j["recorded_by"] == "dr.ames");
  CHECK(j["active_plan_version"].is_null());

  r = run_titrate(d, as(d, "dr.cole", "clinician", "2026-11-21",
                        {"patient", "update", "P1", "--weight-kg", "72.5", "--crcl", "45",
                         "--clear-medications"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("profile version 2"));

  r = run_titrate(d,
                  as(d, "dr.ames", "clinician", "2026-11-21", {"--json", "patient", "show", "P1"}));
  j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 2);
  CHECK(j["weight_kg"] == 72.5);
  CHECK(j["crcl_ml_min"] == 45.0);
  CHECK(j["serum_creatinine_mg_dl"].is_null()); // one renal figure: the new one replaces it
  CHECK(j["medications"].empty());
  CHECK(j["conditions"] == nlohmann::json::array({"narrow-angle-glaucoma"})); // untouched
  CHECK(j["recorded_by"] == "dr.cole");

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-21", {"patient", "show", "P1"}));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("72.5 kg") && Catch::Contains("45 mL/min") &&
                        Catch::Contains("profile version 2"));

  run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-21",
                    {"patient", "add", "A7", "--birth-date", "1990-01-01", "--sex", "male",
                     "--weight-kg", "80", "--crcl", "90"}));
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-21", {"--json", "patient", "list"}));
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["patients"].size() == 2);
  CHECK(j["patients"][0]["id"] == "A7");
  CHECK(j["patients"][1]["id"] == "P1");
  CHECK(j["patients"][1]["version"] == 2);

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-21", {"--json", "audit", "P1"}));
  j = nlohmann::json::parse(r.out);
  REQUIRE(j["entries"].size() == 2);
  CHECK(j["entries"][0]["action"] == "patient.add");
  CHECK(j["entries"][0]["user"] == "dr.ames");
  CHECK(j["entries"][0]["role"] == "clinician");
  CHECK(j["entries"][1]["action"] == "patient.update");
  CHECK(j["entries"][1]["user"] == "dr.cole");
}

// The indication (what the patient is treated for) is recorded with the patient, shown, cleared,
// and a plan on a pathway not written for it carries the caution plan.indication.
TEST_CASE("store patient: the indication is recorded, shown, cleared and checked by plan") {
  TempDir d;
  auto r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                             with(p1_profile, {"--indication", "trigeminal-neuralgia"})));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  r = run_titrate(
      d, as(d, "ph.bell", "pharmacist", "2026-11-20", {"--json", "patient", "show", "P1"}));
  CHECK(nlohmann::json::parse(r.out)["indication"] == "trigeminal-neuralgia");
  r = run_titrate(d, as(d, "ph.bell", "pharmacist", "2026-11-20", {"patient", "show", "P1"}));
  CHECK_THAT(r.out,
             Catch::Contains("  indication:   trigeminal neuralgia (trigeminal-neuralgia)\n"));

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                        {"plan", "P1", "--start", "2026-12-01", "--pathway", "nice-cg173"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("Warning (caution): the patient's recorded indication is "
                                    "trigeminal neuralgia (trigeminal-neuralgia); pathway "
                                    "nice-cg173 is written for") &&
                        Catch::Contains("[plan.indication; source:"));

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                        {"patient", "update", "P1", "--indication", "neuropathic-pain"}));
  REQUIRE(r.exit_code == 0);
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                        {"plan", "P1", "--start", "2026-12-01", "--pathway", "nice-cg173"}));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, !Catch::Contains("plan.indication"));

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                        {"patient", "update", "P1", "--clear-indication"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("profile version 3"));
  r = run_titrate(
      d, as(d, "ph.bell", "pharmacist", "2026-11-20", {"--json", "patient", "show", "P1"}));
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["indication"].is_null());
  CHECK(j["version"] == 3);
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                        {"patient", "update", "P1", "--clear-indication"}));
  CHECK(r.exit_code == 2); // nothing to change

  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                        {"patient", "update", "P1", "--indication", "migraine"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("indication: \"migraine\" is not a known indication; "
                                    "expected one of: chemotherapy-induced-neuropathy"));
}

TEST_CASE("store patient: refused or bad adds create no database file") {
  TempDir d;
  const auto db = d.file("clinic/titrate.db");
  auto no_role = p1_profile;
  no_role.insert(no_role.begin(), {"--db", db, "--user", "dr.ames"});
  const auto adds = [&](std::vector<std::string> change) {
    return clin(d, "2026-11-20", with(p1_profile, std::move(change)));
  };
  check_refused(d, db,
                {
                    {as(d, "ph.bell", "pharmacist", "2026-11-20", p1_profile), 4, "pharmacist"},
                    {as(d, "P1", "patient", "2026-11-20", p1_profile), 4, "patient"},
                    {no_role, 4, "no role"},
                    {as(d, "dr.ames", "doctor", "2026-11-20", p1_profile), 2, "--role"},
                    {clin(d, "2026-11-20",
                          {"patient", "add", "P1", "--birth-date", "1958-04-02", "--sex", "female",
                           "--weight-kg", "70"}),
                     2, "crcl"},
                    {adds({"--condition", "no-such-condition"}), 2, "no-such-condition"},
                    {adds({"--weight-kg", "70kg"}), 2, "--weight-kg"},
                    {adds({"--stopped-medication", "phenelzine"}), 2, "NAME=YYYY-MM-DD"},
                });
  auto r = run_titrate(d, clin(d, "2026-11-20",
                               {"patient", "add", "P1", "--birth-date", "1958-04-02", "--sex",
                                "other", "--weight-kg", "70", "--crcl", "50"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--sex") && Catch::Contains("female or male"));
  CHECK_FALSE(std::filesystem::exists(db));

  // Reads of a database that does not exist do not create it either.
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20", {"patient", "list"}));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("no patients"));
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20", {"patient", "show", "P1"}));
  CHECK(r.exit_code == 3);
  r = run_titrate(d, as(d, "dr.ames", "clinician", "2026-11-20",
                        {"patient", "update", "P1", "--weight-kg", "71"}));
  CHECK(r.exit_code == 3);
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE_METHOD(ClinicWithP1, "store patient: refused changes leave the database byte-identical") {
  const auto update = [&](std::vector<std::string> change) {
    change.insert(change.begin(), {"patient", "update"});
    return clin(d, "2026-11-20", change);
  };
  check_refused(d, db,
                {
                    {clin(d, "2026-11-20", p1_profile), 4, ""}, // exists
                    {update({"P9", "--weight-kg", "71"}), 3, ""},
                    {update({"P1", "--weight-kg", "900"}), 2, ""},
                    {update({"P1", "--weight-kg", "70"}), 2, ""},
                    {update({"P1", "--birth-date", "2027-01-01"}), 2, ""},
                    {as(d, "ph.bell", "pharmacist", "2026-11-20",
                        {"patient", "update", "P1", "--weight-kg", "71"}),
                     4, ""},
                    {as(d, "P2", "patient", "2026-11-20", {"patient", "show", "P1"}), 4, ""},
                    {update({"P1", "--indication", "migraine"}), 2, ""},
                });
}

TEST_CASE("store patient: a --db URL of another scheme is bad input, creates nothing, hides its "
          "password") {
  TempDir d;
  // Taken as a file path, "mysql://ann:s3cret@host/db" would make the folders
  // mysql:/ann:s3cret@host.
  auto r = run_titrate(d, {"--db", "mysql://ann:s3cret@host/db", "--user", "dr.ames", "--role",
                           "clinician", "--today", "2026-11-20", "patient", "add", "P1",
                           "--birth-date", "1958-04-02", "--sex", "female", "--weight-kg", "70",
                           "--creatinine-mg-dl", "1.1"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("mysql://ann:***@host/db") &&
                        Catch::Contains("expected postgresql://... or a SQLite file path"));
  CHECK_THAT(r.err, !Catch::Contains("s3cret"));
  CHECK_FALSE(std::filesystem::exists(d.file("mysql:")));
}
