// The FHIR reader (planner/ehr/fhir_input): expected values worked out by hand from the resources
// (88.4 umol/L / 88.4 = 1 mg/dL; 154 [lb_av] x 0.45359237 = 69.85 kg -> 69.9), not copied from
// the reader's output.
#include "planner/core/errors.hpp"
#include "planner/ehr/fhir_input.hpp"
#include "planner/safety/eligibility.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace titrate;
using namespace titrate::ehr;
using nlohmann::json;

namespace {

const Date today = parse_date("2026-11-30");

json bundle(std::vector<json> resources, const std::string &type = "collection") {
  json b = {{"resourceType", "Bundle"}, {"type", type}, {"entry", json::array()}};
  for (auto &r : resources)
    b["entry"].push_back({{"resource", r}});
  return b;
}

json patient(const std::string &birth = "1958-04-02", const std::string &gender = "female") {
  return {{"resourceType", "Patient"}, {"id", "p1"}, {"birthDate", birth}, {"gender", gender}};
}

json obs(const std::string &id, const std::string &loinc, double value, const std::string &unit,
         const std::string &when = "2026-11-20", const std::string &status = "final") {
  return {{"resourceType", "Observation"},
          {"id", id},
          {"status", status},
          {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", loinc}}}}}},
          {"effectiveDateTime", when},
          {"valueQuantity",
           {{"value", value}, {"system", "http://unitsofmeasure.org"}, {"code", unit}}}};
}

json med(const std::string &type, const std::string &id, const std::string &rxcui,
         const std::string &status = "active") {
  return {{"resourceType", type},
          {"id", id},
          {"status", status},
          {"medicationCodeableConcept",
           {{"coding",
             {{{"system", "http://www.nlm.nih.gov/research/umls/rxnorm"}, {"code", rxcui}}}}}}};
}

// The shipped formulary/ehr/codes.toml with the first `from` replaced by `to`.
std::string replaced(const std::string &from, const std::string &to) {
  std::string t = test::read_file(std::string(TITRATE_SOURCE_DIR) + "/formulary/ehr/codes.toml");
  const auto at = t.find(from);
  REQUIRE(at != std::string::npos);
  return t.replace(at, from.size(), to);
}

FhirInput read(const json &b) {
  FhirReader r(test::shipped_codes(), today);
  r.add(b, "test.json");
  return r.input();
}

} // namespace

TEST_CASE("fhir: the demo bundle reads with provenance for every value", "[ehr]") {
  FhirReader r(test::shipped_codes(), today);
  r.add(test::read_json(test::ehr_test_path("fhir/demo-bundle.json")), "demo-bundle.json");
  const auto &in = r.input();
  REQUIRE(in.patient_resource == "Patient/demo");
  CHECK(iso(*in.birth_date) == "1966-05-12");
  CHECK(*in.sex == Sex::female);
  // Two creatinines: the newer (2026-11-02, 88.4 umol/L = 1 mg/dL) wins over 1.3 mg/dL of March.
  REQUIRE(in.creatinine);
  CHECK(in.creatinine->value == Approx(1.0));
  CHECK(in.creatinine->source.resource == "Observation/cr-2026-11-02");
  CHECK(in.creatinine->source.note.find("88.4 umol/L / 88.4 = 1 mg/dL") != std::string::npos);
  REQUIRE(in.weight);
  CHECK(in.weight->value == 70);
  REQUIRE(in.egfr);
  CHECK(in.egfr->value == 64);
  // sertraline by RxNorm 36437 (CPIC table); ibuprofen has text only: not checked.
  REQUIRE(in.medications.size() == 1);
  CHECK(in.medications[0].first == "sertraline");
  CHECK(in.medications[0].second.resource == "MedicationStatement/sertraline");
  CHECK(in.medications[0].second.date == "2026-06-15");
  // ibuprofen (no code), the neuropathy (no SNOMED code confirmed yet): listed, never dropped.
  REQUIRE(in.not_checked.size() == 2);
  CHECK(in.not_checked[0].find("MedicationStatement/ibuprofen") == 0);
  CHECK(in.not_checked[1].find("Condition/cipn") == 0);
  REQUIRE(in.allergies.size() == 1);
  CHECK(in.allergies[0].find("penicillin") != std::string::npos);
  CHECK(r.cautions().empty()); // 28 and 10 days old: within 90 days

  const Patient p = to_patient(in, "DEMO", test::shipped_codes());
  CHECK(p.id == "DEMO");
  CHECK(*p.serum_creatinine_mg_dl == Approx(1.0));
  CHECK(p.medications == std::vector<std::string>{"sertraline"});
  // birth date, sex, weight, creatinine, eGFR, sertraline
  CHECK(p.sources.size() == 6);
}

TEST_CASE("fhir: units are converted by UCUM code and anything else is refused", "[ehr]") {
  SECTION("weight in pounds") {
    const auto in = read(bundle({patient(), obs("w", "29463-7", 154, "[lb_av]")}));
    CHECK(in.weight->value == Approx(69.9));
  }
  SECTION("weight in grams") {
    const auto in = read(bundle({patient(), obs("w", "29463-7", 70500, "g")}));
    CHECK(in.weight->value == Approx(70.5));
  }
  SECTION("creatinine 120 umol/L is 1.36 mg/dL") {
    const auto in = read(bundle({obs("c", "14682-9", 120, "umol/L")}));
    CHECK(in.creatinine->value == Approx(1.36)); // 120 / 88.4 = 1.357
  }
  SECTION("creatinine by mass in umol/L is refused naming the unit") {
    CHECK_THROWS_WITH(read(bundle({obs("c", "2160-0", 88, "umol/L")})),
                      Catch::Contains("unit \"umol/L\"") && Catch::Contains("expected mg/dL"));
  }
  SECTION("weight in stones is refused") {
    CHECK_THROWS_AS(read(bundle({obs("w", "29463-7", 11, "[stone_av]")})), InputError);
  }
  SECTION("a negative value is refused") {
    CHECK_THROWS_WITH(read(bundle({obs("w", "29463-7", -70, "kg")})),
                      Catch::Contains("expected a positive measurement"));
  }
}

TEST_CASE("fhir: dates that cannot be true are bad input", "[ehr]") {
  CHECK_THROWS_WITH(read(bundle({patient("1958-02-30")})), Catch::Contains("birthDate"));
  CHECK_THROWS_WITH(read(bundle({patient("1958")})), Catch::Contains("not a full date"));
  CHECK_THROWS_WITH(read(bundle({obs("c", "2160-0", 1, "mg/dL", "2026-12-01")})),
                    Catch::Contains("after today"));
  CHECK_THROWS_WITH(read(bundle({obs("c", "2160-0", 1, "mg/dL", "2026-13-01")})),
                    Catch::Contains("Observation/c"));
}

TEST_CASE("fhir: a lab older than the project rule gives a caution naming its date", "[ehr]") {
  // lab_max_age_days = 90 (formulary/ehr/codes.toml): 2026-09-01 is 90 days before 2026-11-30.
  {
    FhirReader r(test::shipped_codes(), today);
    r.add(bundle({obs("c", "2160-0", 1.1, "mg/dL", "2026-09-01")}), "t");
    CHECK(r.cautions().empty());
  }
  FhirReader r(test::shipped_codes(), today);
  r.add(bundle({obs("c", "2160-0", 1.1, "mg/dL", "2026-08-31")}), "t");
  REQUIRE(r.cautions().size() == 1);
  CHECK_THAT(r.cautions()[0], Catch::Contains("2026-08-31") && Catch::Contains("91 days") &&
                                  Catch::Contains("Observation/c"));
}

TEST_CASE("fhir: medications by RxNorm, formulary strengths too, unknown codes not checked",
          "[ehr]") {
  const auto in = read(bundle({
      med("MedicationRequest", "a", "596930"),   // duloxetine 30 MG DR capsule (E2)
      med("MedicationStatement", "b", "10689"),  // tramadol (CPIC)
      med("MedicationRequest", "c", "99999999"), // unknown
      med("MedicationRequest", "d", "36437", "entered-in-error"),
  }));
  REQUIRE(in.medications.size() == 2);
  CHECK(in.medications[0].first == "duloxetine");
  CHECK(in.medications[1].first == "tramadol");
  REQUIRE(in.not_checked.size() == 1);
  CHECK_THAT(in.not_checked[0], Catch::Contains("RxNorm 99999999"));
  REQUIRE(in.ignored.size() == 1);
  CHECK_THAT(in.ignored[0], Catch::Contains("entered-in-error"));
}

TEST_CASE("fhir: a stopped medication with its end date is a stopped medication", "[ehr]") {
  json ms = med("MedicationStatement", "s", "4493", "stopped"); // fluoxetine
  ms["effectivePeriod"] = {{"start", "2026-01-01"}, {"end", "2026-11-20"}};
  json no_end = med("MedicationStatement", "t", "32937", "completed"); // paroxetine, no end
  const auto in = read(bundle({ms, no_end}));
  REQUIRE(in.stopped.size() == 1);
  CHECK(in.stopped[0].first.name == "fluoxetine");
  CHECK(iso(in.stopped[0].first.stopped) == "2026-11-20");
  REQUIRE(in.not_checked.size() == 1);
  CHECK_THAT(in.not_checked[0], Catch::Contains("no end date"));
}

TEST_CASE("fhir: medicationReference is resolved within the bundle and contained", "[ehr]") {
  json m = {
      {"resourceType", "Medication"},
      {"id", "m1"},
      {"code",
       {{"coding",
         {{{"system", "http://www.nlm.nih.gov/research/umls/rxnorm"}, {"code", "310431"}}}}}}};
  json r1 = {{"resourceType", "MedicationRequest"},
             {"id", "r1"},
             {"status", "active"},
             {"medicationReference", {{"reference", "Medication/m1"}}}};
  json r2 = {
      {"resourceType", "MedicationRequest"},
      {"id", "r2"},
      {"status", "active"},
      {"contained", json::array({{{"resourceType", "Medication"},
                                  {"id", "x"},
                                  {"code",
                                   {{"coding",
                                     {{{"system", "http://www.nlm.nih.gov/research/umls/rxnorm"},
                                       {"code", "704"}}}}}}}})},
      {"medicationReference", {{"reference", "#x"}}}};
  const auto in = read(bundle({r1, m, r2}, "searchset"));
  REQUIRE(in.medications.size() == 2);
  CHECK(in.medications[0].first == "gabapentin");    // 310431 gabapentin 300 MG capsule (E2)
  CHECK(in.medications[1].first == "amitriptyline"); // 704 ingredient (E1)
}

TEST_CASE("fhir: what cannot be used is said, never guessed", "[ehr]") {
  SECTION("gender other") {
    CHECK_THROWS_WITH(read(bundle({patient("1958-04-02", "other")})),
                      Catch::Contains("\"other\"") && Catch::Contains("female or male"));
  }
  SECTION("two different patients") {
    json p2 = patient();
    p2["id"] = "p2";
    CHECK_THROWS_WITH(read(bundle({patient(), p2})), Catch::Contains("a second Patient"));
  }
  SECTION("an element of the wrong JSON type is bad input, not an internal error") {
    json o = obs("c", "2160-0", 1.1, "mg/dL");
    o["code"]["coding"][0]["code"] = 2160;
    CHECK_THROWS_AS(read(bundle({o})), InputError);
    json p = patient();
    p["resourceType"] = 7;
    CHECK_THROWS_AS(read(bundle({p})), InputError);
  }
  SECTION("a transaction bundle") {
    CHECK_THROWS_WITH(read(bundle({patient()}, "transaction")),
                      Catch::Contains("\"transaction\"") && Catch::Contains("searchset"));
  }
  SECTION("no creatinine: only an eGFR") {
    const auto in = read(bundle(
        {patient(), obs("w", "29463-7", 70, "kg"), obs("e", "33914-3", 45, "mL/min/{1.73_m2}")}));
    CHECK_THROWS_WITH(to_patient(in, "P1", test::shipped_codes()),
                      Catch::Contains("no serum creatinine") &&
                          Catch::Contains("does not dose from an eGFR"));
  }
  SECTION("a preliminary creatinine is not used") {
    const auto in = read(bundle({obs("c", "2160-0", 1.1, "mg/dL", "2026-11-20", "preliminary")}));
    CHECK(!in.creatinine);
    REQUIRE(in.not_checked.size() == 1);
    CHECK_THAT(in.not_checked[0], Catch::Contains("preliminary"));
  }
  SECTION("an unknown LOINC") {
    const auto in = read(bundle({obs("h", "4548-4", 7, "%")}));
    REQUIRE(in.not_checked.size() == 1);
    CHECK_THAT(in.not_checked[0], Catch::Contains("LOINC 4548-4"));
  }
}

TEST_CASE("fhir: an IPS document reads its entries and skips the Composition", "[ehr]") {
  json comp = {{"resourceType", "Composition"}, {"id", "ips"}};
  const auto in = read(
      bundle({comp, patient(), obs("w", "29463-7", 70, "kg"), obs("c", "2160-0", 1.1, "mg/dL")},
             "document"));
  CHECK(in.patient_resource == "Patient/p1");
  REQUIRE(in.ignored.size() == 1);
  CHECK_THAT(in.ignored[0], Catch::Contains("Composition/ips"));
  const Patient p = to_patient(in, "P1", test::shipped_codes());
  CHECK(p.weight_kg == 70);
}

TEST_CASE("ehr codes: a medication outside the vocabulary is a data error", "[ehr]") {
  CHECK_THROWS_WITH(parse_ehr_codes(replaced("sertraline = \"36437\"", "ibuprofen-gel = \"36437\""),
                                    "codes.toml", test::shipped_formulary()),
                    Catch::Contains("ibuprofen-gel") && Catch::Contains("vocabulary"));
  CHECK_THROWS_WITH(parse_ehr_codes(replaced("tramadol = \"10689\"", "tramadol = \"36437\""),
                                    "codes.toml", test::shipped_formulary()),
                    Catch::Contains("listed twice"));
  CHECK_THROWS_WITH(parse_ehr_codes(replaced("lab_max_age_days = 90", "lab_max_age_days = 0"),
                                    "codes.toml", test::shipped_formulary()),
                    Catch::Contains("lab_max_age_days"));
}

namespace {

json condition(const std::string &id, const std::string &sctid, const std::string &text) {
  return {{"resourceType", "Condition"},
          {"id", id},
          {"code",
           {{"coding", {{{"system", "http://snomed.info/sct"}, {"code", sctid}}}}, {"text", text}}},
          {"recordedDate", "2026-10-01"}};
}

} // namespace

TEST_CASE("fhir: coded conditions and the indication and more medications reach the checks",
          "[ehr]") {
  // Codes from formulary/ehr/codes.toml, each re-read at its cited source: 392291006
  // "Angle-closure glaucoma" (VSAC Glaucoma), 247398009 "Neuropathic pain" (an indication),
  // RxNorm 8123 phenelzine (OHDSI, Ingredient). 38341003 "Hypertensive disorder" is left out on
  // purpose (it does not say uncontrolled), so it is not checked.
  const auto in = read(bundle(
      {patient(), obs("w", "29463-7", 70, "kg"), obs("c", "2160-0", 0.9, "mg/dL"),
       condition("g", "392291006", "Angle-closure glaucoma"),
       condition("np", "247398009", "Neuropathic pain"),
       condition("ht", "38341003", "Hypertension"), med("MedicationStatement", "mao", "8123")}));
  REQUIRE(in.conditions.size() == 1);
  CHECK(in.conditions[0].first == "narrow-angle-glaucoma");
  CHECK(in.conditions[0].second.resource == "Condition/g");
  CHECK(in.conditions[0].second.note == "392291006");
  REQUIRE(in.indications.size() == 1);
  CHECK(in.indications[0].first == "neuropathic-pain");
  REQUIRE(in.not_checked.size() == 1);
  CHECK_THAT(in.not_checked[0], Catch::Contains("Condition/ht") && Catch::Contains("SNOMED"));
  const Patient p = to_patient(in, "P1", test::shipped_codes());
  CHECK(p.indication == "neuropathic-pain");
  CHECK(p.medications == std::vector<std::string>{"phenelzine"});
  const auto sources_of = [&p](const std::string &field) {
    return std::count_if(p.sources.begin(), p.sources.end(),
                         [&](const ValueSource &s) { return s.field == field; });
  };
  CHECK(sources_of("indication") == 1);
  CHECK(sources_of("conditions:narrow-angle-glaucoma") == 1);
  // clinical.md A4: narrow-angle glaucoma makes amitriptyline avoid; A5: an MAOI taken now makes
  // duloxetine and amitriptyline avoid, and leaves gabapentin ok.
  const auto r = check_eligibility(p, test::shipped_formulary(), today);
  CHECK(r.find("duloxetine")->verdict == Severity::avoid);
  CHECK(r.find("amitriptyline")->verdict == Severity::avoid);
  CHECK(r.find("gabapentin")->verdict == Severity::ok);
  bool glaucoma_reason = false;
  for (const auto &f : r.find("amitriptyline")->reasons)
    glaucoma_reason = glaucoma_reason || f.text.find("glaucoma") != std::string::npos;
  CHECK(glaucoma_reason);
}

TEST_CASE("ehr codes: a SNOMED CT code in two places or under an unknown term is a data error",
          "[ehr]") {
  CHECK_THROWS_WITH(parse_ehr_codes(replaced("trigeminal-neuralgia = [\"31681005\"]",
                                             "trigeminal-neuralgia = [\"13746004\"]"),
                                    "codes.toml", test::shipped_formulary()),
                    Catch::Contains("SNOMED CT 13746004 is listed twice"));
  CHECK_THROWS_WITH(parse_ehr_codes(replaced("pregnancy = [", "pregnant = ["), "codes.toml",
                                    test::shipped_formulary()),
                    Catch::Contains("\"pregnant\" is not a condition"));
  CHECK_THROWS_WITH(parse_ehr_codes(replaced("trigeminal-neuralgia = [", "migraine = ["),
                                    "codes.toml", test::shipped_formulary()),
                    Catch::Contains("\"migraine\" is not an indication"));
}
