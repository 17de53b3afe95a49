#pragma once
// HTML fragments shared by the pages: plans and doses in words for people (no trailing zeros,
// units spelled out, generic names), findings, and the pain chart inlined from the SVG exporter.
// Every value goes through esc() (html.hpp). Pure: no store, no clock.
#include "planner/core/finding.hpp"
#include "planner/export/export_context.hpp"
#include "planner/scheduling/plan.hpp"

#include <string>
#include <vector>

namespace titrate::web {

std::string units_phrase(const std::vector<UnitCount> &units); // "2 capsules of 75 mg"
// One <li> per administration on `day` ("In the morning: pregabalin 75 mg - take 1 capsule of
// 75 mg"), or a sentence saying there is nothing to take.
std::string doses_on(const Plan &plan, Date day);
// The next decision date on or after `day` of any stage, if any.
std::optional<Date> next_assessment(const Plan &plan, Date day);
// Stages and steps as tables, day ranges inclusive for people ("2026-12-01 to 2026-12-07").
std::string plan_tables(const Plan &plan);
std::string findings_list(const std::vector<Finding> &findings);
// The SVG chart without its XML declaration, inside <div class="chart">; a sentence if the
// exporter refuses the input.
std::string chart(const ExportInput &in);

} // namespace titrate::web
