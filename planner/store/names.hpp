#pragma once
// Storage names of the plan model's enums. Kept here (not borrowed from the formulary or
// scheduling modules) because they are part of the stored format: a display name may change,
// a stored name may not without a migration. Unknown names are StorageError (corrupt data).
#include "planner/assessment/decision.hpp"
#include "planner/formulary/monograph.hpp"
#include "planner/scheduling/plan.hpp"

#include <string_view>

namespace titrate::store {

std::string_view form_name(Form f);
Form form_from_name(std::string_view s);
std::string_view admin_time_name(AdminTime t);
AdminTime admin_time_from_name(std::string_view s);
std::string_view stage_role_name(StageRole r);
StageRole stage_role_from_name(std::string_view s);
std::string_view decision_name(DecisionKind d);
DecisionKind decision_from_name(std::string_view s);

} // namespace titrate::store
