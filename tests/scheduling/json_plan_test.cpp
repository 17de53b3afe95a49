// The "plan" JSON shape of design.md §6 and its inverse.
#include "planner/assessment/assess.hpp"
#include "planner/export/json.hpp"
#include "tests/scheduling/support.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace titrate;
using namespace titrate::test;
using nlohmann::json;

namespace {

std::set<std::string> keys(const json &j) {
  std::set<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it)
    out.insert(it.key());
  return out;
}

} // namespace

TEST_CASE("plan JSON has the design.md §6 keys, half-open ISO dates and whole mg as integers") {
  const json j = to_json(g1_plan());
  for (const char *k : {"patient", "pathway", "stages", "lint"})
    CHECK(j.contains(k));
  CHECK(j["patient"] == "P001");
  CHECK(j["pathway"] == "cipn-esmo");
  CHECK(j["lint"] == json::array());
  const json &stage = j["stages"][0];
  for (const char *k : {"drug", "role", "steps", "target_reached", "decision_date", "dispense"})
    CHECK(stage.contains(k));
  CHECK(stage["drug"] == "duloxetine");
  CHECK(stage["role"] == "trial");
  CHECK(stage["target_reached"] == "2026-12-08");
  CHECK(stage["decision_date"] == "2026-12-22");
  const json &step = stage["steps"][0];
  CHECK(keys(step) == std::set<std::string>{"start", "end", "daily_mg", "doses"});
  CHECK(step["start"] == "2026-12-01");
  CHECK(step["end"] == "2026-12-08"); // first day not included
  CHECK(step["daily_mg"].is_number_integer());
  CHECK(step["daily_mg"] == 30);
  const json &dose = step["doses"][0];
  CHECK(keys(dose) == std::set<std::string>{"time", "mg", "units"});
  CHECK(dose["time"] == "morning");
  CHECK(dose["units"][0] == json{{"strength_mg", 30}, {"form", "capsule"}, {"count", 1}});
  CHECK(stage["dispense"] == json::parse(R"([{"strength_mg":30,"form":"capsule","count":7},
                                             {"strength_mg":60,"form":"capsule","count":14}])"));
}

TEST_CASE("plan_from_json is the inverse of to_json, for a trial and for a switched plan") {
  const Plan p = g1_plan();
  CHECK(plan_from_json(to_json(p)) == p);
  CHECK(plan_from_json(json::parse(to_json(p).dump())) == p);

  const std::vector<ScoreEntry> scores;
  const std::vector<AdverseEffect> effects;
  Patient pt = adult();
  pt.medications = {"sertraline", "zzz-unknown"};
  PlanRequest r;
  r.start = day("2026-12-01");
  r.today = r.start;
  r.prefer = "duloxetine";
  const Plan first = build_plan(pt, shipped_formulary(), shipped_pathway(), r);
  AssessInput in{first,  pt,      shipped_formulary(), shipped_pathway(),
                 scores, effects, day("2026-12-22"),   0};
  Assessment a;
  a.date = day("2026-12-22");
  a.decision = DecisionKind::switch_;
  const Plan sw = apply_decision(in, a);
  REQUIRE(sw.stages.size() == 3);
  const json j = to_json(sw);
  CHECK(j["stages"][1]["role"] == "cross-taper");
  CHECK(j["stages"][1]["target_reached"].is_null());
  CHECK(plan_from_json(j) == sw);
}

TEST_CASE("plan_from_json names the JSON path of a malformed value") {
  json j = to_json(g1_plan());
  j["stages"][0]["steps"][1]["daily_mg"] = "sixty";
  CHECK_THROWS_WITH(plan_from_json(j), Catch::Contains("stages[0].steps[1].daily_mg"));
  json k = to_json(g1_plan());
  k["stages"][0]["role"] = "maintenance";
  CHECK_THROWS_AS(plan_from_json(k), InputError);
  json m = to_json(g1_plan());
  m["stages"][0]["steps"][0]["end"] = "2026-02-30";
  CHECK_THROWS_WITH(plan_from_json(m), Catch::Contains("steps[0].end"));
  json n = to_json(g1_plan());
  n["stages"][0]["steps"][0]["doses"][0]["units"][0].erase("form");
  CHECK_THROWS_WITH(plan_from_json(n), Catch::Contains("units[0].form"));
  CHECK_THROWS_AS(plan_from_json(json::array()), InputError);
}
