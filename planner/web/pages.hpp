#pragma once
// HTML fragments shared by the pages: plans, diffs and doses in the one wording for people
// (planner/export/words), findings, and the pain chart inlined from the SVG exporter.
// Each returns Html (html.hpp), so every value in it is escaped. Pure: no store, no clock.
#include "planner/core/finding.hpp"
#include "planner/core/observations.hpp"
#include "planner/export/export_context.hpp"
#include "planner/export/words.hpp"
#include "planner/scheduling/plan.hpp"
#include "planner/store/repository.hpp"
#include "planner/web/html.hpp"

#include <string>
#include <vector>

namespace titrate::web {

// Lines of the one wording (planner/export/words) as HTML, every text escaped.
Html words_html(const words::Lines &lines);
// One <li> per administration on `day` ("In the morning: DULoxetine 30 mg, take 1 capsule of
// 30 mg"), or a sentence saying there is nothing to take.
Html doses_on(const Plan &plan, const Formulary &f, Date day);
// The next decision date on or after `day` of any stage, if any.
std::optional<Date> next_assessment(const Plan &plan, Date day);
// The plan in the one wording: every stage, step, dose, stop, warning and note.
Html plan_html(const Plan &plan, const Formulary &f);
// With a formulary, drug names in the texts in tall man (words::for_people).
Html findings_list(const std::vector<Finding> &findings, const Formulary *f = nullptr);
// The SVG chart without its XML declaration, inside <div class="chart">; a sentence if the
// exporter refuses the input.
Html chart(const ExportInput &in);

// "2026-12-24 at 09:45": a logged time for people (never the ISO "T").
std::string when_text(const LocalDateTime &at);
// A time the store recorded ("2026-11-30T18:34:06Z") for people: "2026-11-30 at 18:34 UTC"; text
// that is not such a time is returned as it is.
std::string stamp_text(const std::string &utc_stamp);
// Pain scores logged on or after `from`, newest first, as a table (When, Score, Note); a
// sentence when there are none.
Html scores_table(const std::vector<ScoreEntry> &scores, Date from);
// Every adverse effect, newest first, as a table (When, Severity, What, Drugs taken then); the
// drugs in the one wording ("DULoxetine"), "not attributed" when logged with no plan to read.
Html adverse_effects_table(const std::vector<AdverseEffect> &effects, const Formulary &f);

// The due list as a table (Patient, Drug, Assessment, When, Scores in window): "3 days overdue",
// "missing scores" only for a window that has started (else when it starts). Patient ids link to
// `patient_href` + id when it is not empty.
Html due_table(const std::vector<DueEntry> &due, const Formulary &f, Date today,
               const std::string &patient_href);

} // namespace titrate::web
