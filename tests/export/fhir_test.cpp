// FHIR R4 export. Every Bundle is validated in the test by the npm `fhir` package
// (validate_fhir.js: R4 4.0.1 StructureDefinitions, unknown properties are errors). The golden
// file golden/short_approved.fhir.json was checked BY HAND against FHIR R4: Bundle.type
// "collection" with an instant timestamp; Patient identifier/gender/birthDate; MedicationRequest
// status "active" for an approved plan (medicationrequest-status), intent "plan", RxNorm system
// http://www.nlm.nih.gov/research/umls/rxnorm with ingredient 72625 (clinical.md E1); dosages
// with sequence 1 and 2, boundsPeriod 2026-12-01..2026-12-07 and 2026-12-08..2026-12-28 (inclusive
// ends of the half-open ranges), when MORN, doseQuantity 30 / 60 mg UCUM; Observations LOINC
// 72514-3, category survey, valueInteger, effectiveDateTime with the CET offset +01:00.
#include "planner/export/fhir.hpp"
#include "tests/export/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

using namespace titrate;
using namespace titrate::test;

namespace {

std::vector<nlohmann::json> resources(const nlohmann::json &bundle, const std::string &type) {
  std::vector<nlohmann::json> out;
  for (const auto &e : bundle["entry"])
    if (e["resource"]["resourceType"] == type)
      out.push_back(e["resource"]);
  return out;
}

} // namespace

TEST_CASE("FHIR bundle of the short approved plan matches the hand-checked golden file") {
  Sample s = short_sample();
  s.context = sample_context(ReviewState::approved, 2);
  check_golden_accepted(write_fhir, validate_fhir, s, "short_approved.fhir.json");
}

TEST_CASE("FHIR bundles validate against R4 for every review state") {
  for (auto state :
       {ReviewState::draft, ReviewState::submitted, ReviewState::approved, ReviewState::rejected}) {
    Sample s;
    s.context = sample_context(state, 3);
    INFO(to_string(state));
    require_accepted(validate_fhir, "full_" + std::string(to_string(state)) + ".fhir.json",
                     exported(write_fhir, s));
  }
}

TEST_CASE("MedicationRequest status follows the review state") {
  CHECK(fhir_medication_request_status(ReviewState::approved) == "active");
  CHECK(fhir_medication_request_status(ReviewState::draft) == "draft");
  CHECK(fhir_medication_request_status(ReviewState::submitted) == "draft");
  CHECK(fhir_medication_request_status(ReviewState::rejected) == "cancelled");
}

TEST_CASE("FHIR bundle content: one request per stage, ordered dosages, effective scores") {
  Sample s;
  const auto bundle = nlohmann::json::parse(exported(write_fhir, s));
  CHECK(bundle["type"] == "collection");
  CHECK(bundle["timestamp"] == "2026-11-30T15:00:00Z");
  // 1 Patient + 3 stages + 6 effective scores (id 10 superseded by id 11).
  REQUIRE(bundle["entry"].size() == 10);
  std::set<std::string> urls;
  for (const auto &e : bundle["entry"]) {
    const std::string url = e["fullUrl"];
    CHECK(url == "urn:uuid:" + e["resource"]["id"].get<std::string>());
    urls.insert(url);
  }
  CHECK(urls.size() == 10);

  const auto requests = resources(bundle, "MedicationRequest");
  REQUIRE(requests.size() == 3);
  CHECK(requests[2]["medicationCodeableConcept"]["coding"][0]["code"] == "25480"); // gabapentin, E1
  const auto &dosages = requests[2]["dosageInstruction"];
  REQUIRE(dosages.size() == 9); // 1 + 2 + 3 + 3 administrations
  int last_sequence = 0;
  for (const auto &d : dosages) {
    CHECK(d["sequence"].get<int>() >= last_sequence);
    last_sequence = d["sequence"];
  }
  CHECK(dosages[0]["timing"]["repeat"]["when"][0] == "HS"); // bedtime
  CHECK(dosages[0]["timing"]["repeat"]["boundsPeriod"]["start"] == "2026-12-29");
  CHECK(dosages[0]["timing"]["repeat"]["boundsPeriod"]["end"] == "2026-12-29"); // one day
  CHECK(dosages[8]["sequence"] == 4);
  CHECK(dosages[8]["timing"]["repeat"]["boundsPeriod"]["end"] == "2027-01-20");
  CHECK(dosages[8]["doseAndRate"][0]["doseQuantity"] ==
        nlohmann::json::parse(
            R"({"value":600,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"})"));

  const auto obs = resources(bundle, "Observation");
  REQUIRE(obs.size() == 6);
  CHECK(obs[0]["code"]["coding"][0]["code"] == "72514-3");
  CHECK(obs[0]["effectiveDateTime"] == "2026-11-28T09:00:00+01:00");
  CHECK(obs[5]["effectiveDateTime"] == "2026-12-20T09:00:00+01:00");
  CHECK(obs[5]["valueInteger"] == 7); // the correction, not the superseded 9
}

TEST_CASE("FHIR ids are name-based UUIDs: stable across versions, byte-identical exports") {
  // Version-5 UUID of "titrate:Patient:P001" in the URL namespace, computed independently with
  // Python's uuid.uuid5(uuid.NAMESPACE_URL, ...).
  CHECK(name_uuid("titrate:Patient:P001") == "49bb0a12-0a81-57ad-a81f-35c0b4976d77");
  Sample s;
  const std::string v1 = exported(write_fhir, s);
  CHECK(v1 == exported(write_fhir, s));
  s.context = sample_context(ReviewState::approved, 2);
  const auto a = nlohmann::json::parse(v1), b = nlohmann::json::parse(exported(write_fhir, s));
  for (std::size_t i = 0; i < a["entry"].size(); ++i)
    CHECK(a["entry"][i]["fullUrl"] == b["entry"][i]["fullUrl"]);
}

TEST_CASE("the FHIR validator rejects a wrong status inside a bundle entry") {
  Sample s;
  auto bundle = nlohmann::json::parse(exported(write_fhir, s));
  bundle["entry"][1]["resource"]["status"] = "approved"; // not in medicationrequest-status
  const auto r = validate_fhir(write_output("broken.fhir.json", bundle.dump(2)));
  INFO(r.output);
  CHECK(r.exit_code == 1);
  auto unexpected = nlohmann::json::parse(exported(write_fhir, s));
  unexpected["entry"][0]["resource"]["sex"] = "female"; // not an R4 Patient element
  const auto u = validate_fhir(write_output("unexpected.fhir.json", unexpected.dump(2)));
  INFO(u.output);
  CHECK(u.exit_code == 1);
}
