// The "assess" JSON shape of design.md §6: exactly its keys, nulls for absent numbers, and the
// rounding the text output uses (means to 2 decimals, change to 1).
#include "planner/export/json.hpp"
#include "tests/common/assessments.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace titrate;

TEST_CASE("to_json(Assessment) has exactly the design.md keys and values") {
  // A mean of 21 / 5 against 7: a change of 39.99999... % in binary floating point.
  Assessment a = test::duloxetine_assessment("P001", Date(2026, 12, 29), DecisionKind::continue_,
                                             7.0, 21.0 / 5, 5);
  a.rule = "decision.response";
  a.source = "IMMPACT";
  a.reasons = {"why"};
  a.next_dose = Dose::milligrams(60); // not part of the shape
  const auto j = to_json(a);
  std::set<std::string> keys;
  for (const auto &[k, v] : j.items())
    keys.insert(k);
  CHECK(keys == std::set<std::string>{"patient", "date", "drug", "decision", "baseline", "window",
                                      "change_pct", "days_at_target", "rule", "source", "reasons"});
  CHECK(j["window"].size() == 4);
  CHECK(j["date"] == "2026-12-29");
  CHECK(j["decision"] == "continue");
  CHECK(j["window"]["end"] == "2026-12-22");
  CHECK(j["window"]["mean"].dump() == "4.2");
  CHECK(j["change_pct"].dump() == "40.0");
  CHECK(j["window"]["scores"] == 5);
  CHECK(j["reasons"] == nlohmann::json::array({"why"}));
}

TEST_CASE("to_json(Assessment) writes null for a missing baseline, mean and change") {
  Assessment a;
  a.decision = DecisionKind::review;
  const auto j = to_json(a);
  CHECK(j["decision"] == "review");
  CHECK(j["baseline"].is_null());
  CHECK(j["window"]["mean"].is_null());
  CHECK(j["change_pct"].is_null());
  CHECK(j["reasons"].is_array());
}
