// `titrate patient import ID --fhir FILE` and `patient show` run as the real binary (the commands
// of docs/ehr.md). Expected values worked out from tests/ehr/fhir/demo-bundle.json by hand.
#include "tests/cli/run.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace titrate::test;

namespace {

std::vector<std::string> as(const TempDir &d, std::vector<std::string> args,
                            const std::string &user = "dr-a",
                            const std::string &role = "clinician") {
  std::vector<std::string> all = {
      "--db", d.file("clinic/titrate.db"), "--today", "2026-11-30", "--user", user, "--role", role};
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

std::string demo_bundle() {
  return source_dir() + "/tests/ehr/fhir/demo-bundle.json";
}

} // namespace

TEST_CASE("patient import: the demo bundle with provenance in patient show", "[ehr][cli]") {
  TempDir d;
  const auto r = run_titrate(d, as(d, {"patient", "import", "demo", "--fhir", demo_bundle()}));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("imported patient demo (profile version 1)"));
  CHECK_THAT(r.out, Catch::Contains("serum_creatinine_mg_dl: Observation/cr-2026-11-02 of "
                                    "2026-11-02T09:30:00+00:00 (88.4 umol/L / 88.4 = 1 mg/dL)"));
  CHECK_THAT(r.out, Catch::Contains(
                        "medications:sertraline: MedicationStatement/sertraline of 2026-06-15"));
  CHECK_THAT(r.out, Catch::Contains("not checked: MedicationStatement/ibuprofen"));
  CHECK_THAT(r.out, Catch::Contains("not checked: Condition/cipn"));
  CHECK_THAT(r.out, Catch::Contains("allergy (shown, not stored; titrate has no allergy rule)"));

  const auto show = run_titrate(d, as(d, {"patient", "show", "demo"}));
  REQUIRE(show.exit_code == 0);
  CHECK_THAT(show.out, Catch::Contains("creatinine:   1 mg/dL"));
  CHECK_THAT(show.out, Catch::Contains("medications:  sertraline"));
  CHECK_THAT(show.out, Catch::Contains("read from FHIR"));
  CHECK_THAT(show.out,
             Catch::Contains("weight_kg: Observation/weight-2026-11-20 of 2026-11-20 (70 kg)"));
  CHECK_THAT(show.out, Catch::Contains("birth_date: Patient/demo of 1966-05-12"));

  const auto js = run_titrate(d, as(d, {"--json", "patient", "show", "demo"}));
  REQUIRE(js.exit_code == 0);
  const auto j = nlohmann::json::parse(js.out);
  REQUIRE(j["sources"].size() == 6); // birth date, sex, weight, creatinine, eGFR, sertraline
  CHECK(j["sources"][3]["resource"] == "Observation/cr-2026-11-02");
  CHECK(j["serum_creatinine_mg_dl"] == 1.0);

  // A value changed by hand no longer credits the EHR; the others keep their source.
  REQUIRE(run_titrate(d, as(d, {"patient", "update", "demo", "--weight-kg", "68"})).exit_code == 0);
  const auto after =
      nlohmann::json::parse(run_titrate(d, as(d, {"--json", "patient", "show", "demo"})).out);
  CHECK(after["sources"].size() == 5);
  for (const auto &s : after["sources"])
    CHECK(s["field"] != "weight_kg");

  // The audit names the import.
  const auto audit = run_titrate(d, as(d, {"audit", "demo"}));
  CHECK_THAT(audit.out, Catch::Contains("patient.import"));
}

TEST_CASE("patient import: bad input writes nothing and names the value", "[ehr][cli]") {
  TempDir d;
  const auto bundle = [&](const std::string &birth, bool weight) {
    nlohmann::json b = nlohmann::json::parse(file_bytes(demo_bundle()));
    b["entry"][0]["resource"]["birthDate"] = birth;
    if (!weight)
      b["entry"].erase(4); // the weight Observation
    return d.write("b.json", b.dump());
  };
  SECTION("a birth date that cannot be true") {
    const auto r =
        run_titrate(d, as(d, {"patient", "import", "demo", "--fhir", bundle("1966-02-30", true)}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("Patient/demo.birthDate"));
  }
  SECTION("no body weight") {
    const auto r =
        run_titrate(d, as(d, {"patient", "import", "demo", "--fhir", bundle("1966-05-12", false)}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("no body weight") && Catch::Contains("29463-7"));
  }
  SECTION("not JSON") {
    const auto r =
        run_titrate(d, as(d, {"patient", "import", "demo", "--fhir", d.write("x.json", "{oops")}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("not JSON"));
  }
  SECTION("a pharmacist may not import") {
    const auto r = run_titrate(
        d, as(d, {"patient", "import", "demo", "--fhir", demo_bundle()}, "ph-b", "pharmacist"));
    CHECK(r.exit_code == 4);
  }
  CHECK_FALSE(std::filesystem::exists(d.file("clinic/titrate.db")));
}

TEST_CASE("patient import: an existing id is refused and the database is unchanged", "[ehr][cli]") {
  TempDir d;
  REQUIRE(run_titrate(d, as(d, {"patient", "import", "demo", "--fhir", demo_bundle()})).exit_code ==
          0);
  const std::string before = file_bytes(d.file("clinic/titrate.db"));
  const auto r = run_titrate(d, as(d, {"patient", "import", "demo", "--fhir", demo_bundle()}));
  CHECK(r.exit_code == 4);
  CHECK(file_bytes(d.file("clinic/titrate.db")) == before);
}

TEST_CASE("serve: the unsigned CDS test mode is refused off loopback", "[ehr][cli]") {
  TempDir d;
  const auto r =
      run_titrate(d, as(d, {"serve", "--listen", "0.0.0.0:18099", "--cds-unsigned-local-test"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("loopback"));
}
