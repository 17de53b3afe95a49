#include "planner/export/text.hpp"

#include "planner/export/export_common.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <algorithm>
#include <set>

namespace titrate {

using namespace export_detail;

namespace {

std::string capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string day_range(Date first, Date last) {
  const long days = (last - first).days() + 1;
  const std::string count = std::to_string(days) + (days == 1 ? " day" : " days");
  if (first == last)
    return iso(first) + " (" + count + ")";
  return iso(first) + " to " + iso(last) + " (" + count + ")";
}

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
    out << "\n" << day_range(first, last) << "\n";
    if (active.empty()) {
      out << "  No medicine from this plan on these days (gap between medicines).\n";
      continue;
    }
    for (std::size_t t = 0; t < 4; ++t) {
      for (const auto &a : active) {
        for (const auto &dose : a.step->doses) {
          if (time_index(dose.time) != t)
            continue;
          const std::string name = display_name(in.formulary, a.stage->drug);
          out << "  " << capitalised(time_phrase(dose.time)) << ": " << units_text(name, dose)
              << " (" << dose.dose.str() << ")\n";
        }
      }
    }
    for (const auto &a : active) {
      out << "  Total each day: " << display_name(in.formulary, a.stage->drug) << " "
          << a.step->daily.str() << ", " << times_daily(a.step->doses.size());
      if (a.stage->role != StageRole::trial)
        out << " (" << role_word(a.stage->role) << ": reducing to stop)";
      out << "\n";
    }
    // clinical.md H14: the supplement after haemodialysis, for the dialysis weekdays only.
    for (const auto &a : active)
      if (auto line = dialysis_days_line(*a.stage, *a.step, in.patient, in.formulary))
        out << "  " << *line << "\n";
  }

  bool any_note = false;
  for (const auto &s : in.plan.stages) {
    if (s.note.empty())
      continue;
    if (!any_note)
      out << "\nNOTES\n";
    any_note = true;
    out << "  " << display_name(in.formulary, s.drug) << " " << role_word(s.role) << ": " << s.note
        << "\n";
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
