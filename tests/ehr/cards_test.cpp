// The order cards (planner/ehr/cards): draft orders read from FHIR, checked against a patient.
// Expected verdicts from clinical.md by hand: CrCl by Cockcroft-Gault (A2), duloxetine avoid
// below 30 mL/min (A2), its 60 mg a day maximum (A3), sertraline serotonergic -> caution (A5).
#include "planner/core/errors.hpp"
#include "planner/ehr/cards.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace titrate;
using namespace titrate::ehr;
using nlohmann::json;

namespace {

const Date today = parse_date("2026-11-30");

json draft(const std::string &id, const std::string &rxcui, json dosages) {
  return {
      {"resourceType", "MedicationRequest"},
      {"id", id},
      {"status", "draft"},
      {"intent", "order"},
      {"medicationCodeableConcept", {{"coding", {{{"system", rxnorm_system}, {"code", rxcui}}}}}},
      {"subject", {{"reference", "Patient/p"}}},
      {"dosageInstruction", dosages}};
}

json dosage(double value, const std::string &unit, double per_day, int sequence = 0) {
  json d = {{"timing", {{"repeat", {{"frequency", per_day}, {"period", 1}, {"periodUnit", "d"}}}}},
            {"doseAndRate",
             {{{"doseQuantity", {{"value", value}, {"system", ucum_system}, {"code", unit}}}}}}};
  if (sequence)
    d["sequence"] = sequence;
  return d;
}

std::vector<DraftOrder> drafts(std::vector<json> orders, std::vector<std::string> selections = {}) {
  json b = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
  for (auto &o : orders)
    b["entry"].push_back({{"resource", o}});
  return read_draft_orders(b, selections, test::shipped_codes(), test::shipped_formulary());
}

Patient patient(double creatinine, const std::string &birth = "1960-03-01") {
  Patient p;
  p.id = "p";
  p.birth_date = parse_date(birth);
  p.sex = Sex::female;
  p.weight_kg = 70;
  p.serum_creatinine_mg_dl = creatinine;
  return p;
}

std::vector<std::string> kinds(const std::vector<Card> &cards) {
  std::vector<std::string> k;
  for (const auto &c : cards)
    k.push_back(c.kind);
  std::sort(k.begin(), k.end());
  return k;
}

} // namespace

TEST_CASE("cards: the daily dose of a draft order is read from its dosage", "[ehr]") {
  const auto d = drafts({
      draft("a", "596934", {dosage(2, "{capsule}", 1)}), // 2 x 60 mg capsules
      draft("b", "25480", {dosage(300, "mg", 3)}),       // gabapentin 300 mg 3 a day
      draft("c", "25480", {dosage(300, "mg", 1, 1), dosage(300, "mg", 3, 2)}), // a titration
      draft("d", "72625", {dosage(1, "{capsule}", 1)}), // ingredient code: no strength
      draft("e", "36437", {dosage(50, "mg", 1)}),       // sertraline: not formulary
  });
  REQUIRE(d.size() == 5);
  CHECK(d[0].drug == "duloxetine");
  CHECK(d[0].daily->str() == "120 mg");
  CHECK(d[1].daily->str() == "900 mg");
  CHECK(d[2].daily->str() == "900 mg"); // the highest day of the sequence
  CHECK(!d[3].daily);
  CHECK_THAT(d[3].dose_note, Catch::Contains("{capsule}"));
  CHECK(d[4].drug.empty());
  CHECK(d[4].medication == "sertraline");
  // order-select: only the selections
  const auto sel = drafts({draft("a", "596934", {dosage(1, "{capsule}", 1)}),
                           draft("b", "25480", {dosage(300, "mg", 3)})},
                          {"MedicationRequest/b"});
  REQUIRE(sel.size() == 1);
  CHECK(sel[0].id == "b");
}

TEST_CASE("cards: avoid is critical, a caution and a dose above the cap are warnings", "[ehr]") {
  FhirInput in;
  // CrCl = (140 - 66) x 70 / (72 x 3) x 0.85 = 20.4 mL/min < 30: duloxetine avoid (A2).
  OrderContext low{in, {}, patient(3.0), "", "", std::nullopt};
  auto cards = order_cards(drafts({draft("a", "596930", {dosage(1, "{capsule}", 1)})}), low,
                           test::shipped_formulary(), today);
  REQUIRE(kinds(cards) == std::vector<std::string>{"order.avoid"});
  CHECK(cards[0].indicator == Indicator::critical);
  CHECK(cards[0].summary.size() < 140);
  CHECK_THAT(cards[0].detail, Catch::Contains("CrCl 20.4"));

  // CrCl = 74 x 70 / (72 x 0.9) x 0.85 = 67.9: ok; sertraline -> caution; 120 mg > 60 mg cap.
  Patient p = patient(0.9);
  p.medications = {"sertraline"};
  OrderContext ok{in, {}, p, "", "", std::nullopt};
  cards = order_cards(drafts({draft("a", "596934", {dosage(2, "{capsule}", 1)})}), ok,
                      test::shipped_formulary(), today);
  REQUIRE(kinds(cards) == std::vector<std::string>{"order.above-cap", "order.caution"});
  for (const auto &c : cards)
    CHECK(c.indicator == Indicator::warning);

  // Not a formulary drug: no card.
  cards = order_cards(drafts({draft("e", "36437", {dosage(50, "mg", 1)})}), ok,
                      test::shipped_formulary(), today);
  CHECK(cards.empty());
}

TEST_CASE("cards: without a creatinine nothing is guessed", "[ehr]") {
  FhirInput in;
  OrderContext none{in, {}, std::nullopt, "no serum creatinine on record", "details", std::nullopt};
  const auto cards = order_cards(drafts({draft("a", "596930", {dosage(1, "{capsule}", 1)})}), none,
                                 test::shipped_formulary(), today);
  REQUIRE(kinds(cards) == std::vector<std::string>{"order.not-checked"});
  CHECK_THAT(cards[0].summary, Catch::Contains("could not check DULoxetine: no serum creatinine"));
}

TEST_CASE("cards: an order off the approved plan gets the plan's step as a suggestion", "[ehr]") {
  FhirInput in;
  PlanVersion v;
  v.patient = "p";
  v.version = 3;
  v.status = PlanStatus::approved;
  v.plan.patient = "p";
  v.plan.pathway = "cipn-esmo";
  v.plan.start = parse_date("2026-11-20");
  Stage s;
  s.drug = "duloxetine";
  const Dose mg30 = Dose::milligrams(30), mg60 = Dose::milligrams(60);
  Step a{DateRange(parse_date("2026-11-20"), parse_date("2026-11-27")),
         mg30,
         {{AdminTime::morning, mg30, {{mg30, Form::capsule, 1}}}}};
  Step b{DateRange(parse_date("2026-11-27"), parse_date("2026-12-11")),
         mg60,
         {{AdminTime::morning, mg60, {{mg60, Form::capsule, 1}}}}};
  s.steps = {a, b};
  s.assessed_dose = mg60;
  v.plan.stages = {s};
  OrderContext ctx{in, {}, patient(0.9), "", "", v};

  // 30 mg on 2026-11-30 while the plan has 60 mg: off plan.
  auto cards = order_cards(drafts({draft("x", "596930", {dosage(1, "{capsule}", 1)})}), ctx,
                           test::shipped_formulary(), today);
  REQUIRE(kinds(cards) == std::vector<std::string>{"order.off-plan"});
  REQUIRE(cards[0].suggestion);
  const auto &mr = cards[0].suggestion->resource;
  CHECK(mr["id"] == "x");
  CHECK(mr["status"] == "draft");
  // Only the current step (2026-11-27 to 2026-12-10 inclusive), not the finished 30 mg step.
  REQUIRE(mr["dosageInstruction"].size() == 1);
  CHECK(mr["dosageInstruction"][0]["sequence"] == 2);
  CHECK(mr["dosageInstruction"][0]["timing"]["repeat"]["boundsPeriod"]["end"] == "2026-12-10");
  CHECK(mr["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 60);

  // Gabapentin while the plan has duloxetine: off plan too, suggesting duloxetine.
  cards = order_cards(drafts({draft("g", "25480", {dosage(300, "mg", 1)})}), ctx,
                      test::shipped_formulary(), today);
  REQUIRE(kinds(cards) == std::vector<std::string>{"order.off-plan"});
  CHECK_THAT(cards[0].summary, Catch::Contains("off titrate's plan"));

  // The plan's own dose: no card.
  cards = order_cards(drafts({draft("y", "596934", {dosage(1, "{capsule}", 1)})}), ctx,
                      test::shipped_formulary(), today);
  CHECK(cards.empty());
}

TEST_CASE("cards: a summary is cut under 140 characters at a word", "[ehr]") {
  const std::string long_text(200, 'a');
  CHECK(summary_text(long_text).size() < 140);
  const std::string words =
      "word " + std::string(20, 'b') + std::string(30, ' ') + std::string(120, 'c');
  CHECK(summary_text(words).size() < 140);
  CHECK(summary_text("short") == "short");
}
