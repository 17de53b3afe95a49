#include "planner/export/text.hpp"

#include "planner/export/export_common.hpp"
#include "planner/export/words.hpp"
#include "planner/scheduling/scheduler.hpp"

namespace titrate {

using namespace export_detail;

void write_text(std::ostream &out, const ExportInput &in) {
  check_context(in.context);
  const ExportContext &c = in.context;

  out << words::phrase::schedule_title << "\n";
  out << words::phrase::patient << in.patient.id << "\n";
  out << words::plan_version(in.plan, c.plan_version) << "\n";
  out << words::phrase::prepared_on << iso(c.now_utc.date) << "\n";
  out << words::approval(c) << "\n";

  out << "\n" << words::phrase::what_to_take << "\n";
  const auto runs = words::runs(in.plan);
  if (runs.empty())
    out << "\n" << words::phrase::nothing_planned << "\n";
  for (const auto &run : runs) {
    out << "\n" << words::run_dates(run) << "\n";
    if (run.active.empty()) {
      out << "  " << words::phrase::gap << "\n";
      continue;
    }
    for (std::size_t t = 0; t < 4; ++t)
      for (const auto &[stage, step] : run.active)
        for (const auto &dose : step->doses)
          if (time_index(dose.time) == t)
            out << "  "
                << words::capitalised(words::administration(in.formulary, stage->drug, dose))
                << "\n";
    for (const auto &[stage, step] : run.active)
      out << "  " << words::run_total(in.formulary, *stage, *step) << "\n";
    // clinical.md H14: the supplement after haemodialysis, for the dialysis weekdays only.
    for (const auto &[stage, step] : run.active)
      if (auto line = dialysis_days_line(*stage, *step, in.patient, in.formulary))
        out << "  " << *line << "\n";
  }

  bool any_stop = false;
  for (const auto &s : in.plan.stages) {
    const auto line = words::stop(in.formulary, s);
    if (!line)
      continue;
    if (!any_stop)
      out << "\n" << words::phrase::stopping << "\n";
    any_stop = true;
    out << "  " << *line << "\n";
  }

  bool any_warning = !in.plan.unchecked_medications.empty();
  for (const auto &s : in.plan.stages)
    any_warning = any_warning || !s.warnings.empty();
  if (any_warning) {
    out << "\n" << words::phrase::warnings << "\n";
    for (const auto &s : in.plan.stages)
      for (const auto &w : s.warnings)
        out << "  " << words::drug(in.formulary, s.drug) << ": " << words::warning(in.formulary, w)
            << "\n";
    for (const auto &u : in.plan.unchecked_medications)
      out << "  " << words::for_people(in.formulary, u) << "\n";
  }

  bool any_note = false;
  for (const auto &s : in.plan.stages) {
    if (s.note.empty())
      continue;
    if (!any_note)
      out << "\n" << words::phrase::notes << "\n";
    any_note = true;
    out << "  " << words::drug(in.formulary, s.drug) << " " << role_word(s.role) << ": "
        << words::for_people(in.formulary, s.note) << "\n";
  }

  out << "\n" << words::phrase::assessment_dates << "\n";
  const auto dates = assessment_dates(in);
  if (dates.empty())
    out << "  " << words::phrase::none_planned << "\n";
  for (const Date d : dates)
    out << "  " << iso(d) << "\n";

  out << "\n" << words::phrase::footer << "\n";
}

} // namespace titrate
