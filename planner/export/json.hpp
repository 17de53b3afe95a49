#pragma once
// The JSON shapes of design.md §6 (a contract: other tools and the web API read them).
// One function per shape; the CLI's --json and the web /api/ print exactly these.
#include "planner/assessment/decision.hpp"
#include "planner/safety/eligibility.hpp"
#include "planner/scheduling/plan.hpp"

#include <nlohmann/json.hpp>

namespace titrate {

nlohmann::json to_json(const Finding &f);           // {"rule","severity","text","source"}
nlohmann::json to_json(const EligibilityReport &r); // the "check" shape
nlohmann::json to_json(const Plan &p);              // the "plan" shape
nlohmann::json to_json(const Assessment &a);        // the "assess" shape
// Milligrams as every shape writes them: an integer when whole, else a decimal (design.md §6).
nlohmann::json mg_json(Dose d);
// Inverse of to_json(Plan): throws InputError naming the JSON path on a malformed document.
Plan plan_from_json(const nlohmann::json &j);

} // namespace titrate
