// The "assess" JSON shape of design.md §6: exactly its keys, nulls for absent numbers, and the
// rounding the text output uses (means to 2 decimals, change to 1).
#include "planner/export/json.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace titrate;

TEST_CASE("to_json(Assessment) has exactly the design.md keys and values") {
  Assessment a;
  a.patient = "P001";
  a.date = Date(2026, 12, 29);
  a.drug = "duloxetine";
  a.decision = DecisionKind::continue_;
  a.baseline = 7.0;
  a.window = Window{Date(2026, 12, 15), Date(2026, 12, 22), 21.0 / 5, 5};
  a.change_pct = (7.0 - 21.0 / 5) / 7.0 * 100; // 39.99999... in binary floating point
  a.days_at_target = 21;
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
