#include "planner/export/text.hpp"

#include "planner/export/export_common.hpp"
#include "planner/export/words.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <algorithm>
#include <set>

namespace titrate {

using namespace export_detail;

namespace {

struct Active {
  const Stage *stage;
  const Step *step;
};

} // namespace

void write_text(std::ostream &out, const ExportInput &in) {
  check_context(in.context);
  const ExportContext &c = in.context;

  out << "MEDICATION SCHEDULE\n";
  out << "Patient: " << in.patient.id << "\n";
  if (c.plan_version == 0)
    out << "Plan not stored (preview)";
  else
    out << "Plan version " << c.plan_version;
  if (!in.plan.pathway.empty())
    out << ", pathway " << in.plan.pathway;
  out << "\n";
  out << "Prepared on " << iso(c.now_utc.date) << "\n";
  switch (c.review) {
  case ReviewState::approved:
    out << "Approved by pharmacist "
        << (c.approved_by.empty() ? "(name not recorded)" : c.approved_by);
    if (c.approved_at)
      out << " on " << iso(c.approved_at->date) << " at " << hhmm(c.approved_at->minute_of_day);
    out << ".\n";
    break;
  case ReviewState::rejected:
    out << "NOT APPROVED: a pharmacist rejected this plan. Do not follow it.\n";
    break;
  case ReviewState::draft:
  case ReviewState::submitted:
    out << "NOT YET APPROVED: a pharmacist has not approved this plan. Do not follow it until "
           "they do.\n";
    break;
  }

  // Split the calendar at every step boundary so each run of days has one set of doses, across
  // stages (a cross-taper gives two drugs on the same days).
  std::set<Date> cuts;
  for (const auto &s : in.plan.stages)
    for (const auto &st : s.steps)
      if (!st.range.empty()) {
        cuts.insert(st.range.begin());
        cuts.insert(st.range.end());
      }

  out << "\nWHAT TO TAKE\n";
  if (cuts.size() < 2)
    out << "\nNothing is planned.\n";
  for (auto it = cuts.begin(); it != cuts.end() && std::next(it) != cuts.end(); ++it) {
    const Date first = *it;
    const Date last = *std::next(it) - Days(1);
    std::vector<Active> active;
    for (const auto &s : in.plan.stages)
      for (const auto &st : s.steps)
        if (st.range.contains(first))
          active.push_back({&s, &st});
    // A maintenance dose goes on past the plan's last day, until the clinic review.
    const Active *open_ended = nullptr;
    for (const auto &a : active)
      if (a.stage->maintenance() && a.step == &a.stage->steps.back() &&
          a.step->range.end() == last + Days(1))
        open_ended = &a;
    if (open_ended != nullptr) {
      out << "\nfrom " << iso(first) << ", with no end date: keep taking these doses until your "
          << "clinic review on " << iso(*open_ended->stage->review_date) << "\n";
    } else {
      out << "\n" << words::capitalised(words::dates(first, last)) << "\n";
    }
    if (active.empty()) {
      out << "  No medicine from this plan on these days (gap between medicines).\n";
      continue;
    }
    for (std::size_t t = 0; t < 4; ++t) {
      for (const auto &a : active) {
        for (const auto &dose : a.step->doses) {
          if (time_index(dose.time) != t)
            continue;
          out << "  " << words::capitalised(words::administration(in.formulary, a.stage->drug, dose))
              << "\n";
        }
      }
    }
    for (const auto &a : active) {
      out << "  Total each day: " << words::drug(in.formulary, a.stage->drug) << " "
          << a.step->daily.str() << ", " << words::frequency(*a.step);
      if (a.stage->role != StageRole::trial)
        out << " (" << role_word(a.stage->role) << ": reducing to stop)";
      out << "\n";
    }
    // clinical.md H14: the supplement after haemodialysis, for the dialysis weekdays only.
    for (const auto &a : active)
      if (auto line = dialysis_days_line(*a.stage, *a.step, in.patient, in.formulary))
        out << "  " << *line << "\n";
  }

  bool any_stop = false;
  for (const auto &s : in.plan.stages) {
    const auto line = words::stop(in.formulary, s);
    if (!line)
      continue;
    if (!any_stop)
      out << "\nSTOPPING (do not stop a medicine suddenly except as written here)\n";
    any_stop = true;
    out << "  " << *line << "\n";
  }

  bool any_warning = !in.plan.unchecked_medications.empty();
  for (const auto &s : in.plan.stages)
    any_warning = any_warning || !s.warnings.empty();
  if (any_warning) {
    out << "\nWARNINGS FOR YOUR CLINIC AND PHARMACIST\n";
    for (const auto &s : in.plan.stages)
      for (const auto &w : s.warnings)
        out << "  " << words::drug(in.formulary, s.drug) << ": " << words::warning(in.formulary, w) << "\n";
    for (const auto &u : in.plan.unchecked_medications)
      out << "  " << words::for_people(in.formulary, u) << "\n";
  }

  bool any_note = false;
  for (const auto &s : in.plan.stages) {
    if (s.note.empty())
      continue;
    if (!any_note)
      out << "\nNOTES\n";
    any_note = true;
    out << "  " << words::drug(in.formulary, s.drug) << " " << role_word(s.role) << ": "
        << words::for_people(in.formulary, s.note) << "\n";
  }

  out << "\nASSESSMENT DATES (your pain scores are reviewed and the next step is decided)\n";
  const auto dates = assessment_dates(in);
  if (dates.empty())
    out << "  None planned.\n";
  for (const Date d : dates)
    out << "  " << iso(d) << "\n";

  out << "\nDecision support only; not medical advice.\n";
}

} // namespace titrate
