#include "planner/export/csv.hpp"

#include "planner/export/export_common.hpp"

#include <set>

namespace titrate {

using namespace export_detail;

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

void write_schedule_csv(std::ostream &out, const ExportInput &in) {
  check_context(in.context);
  out << "date,time,drug,strength_mg,form,count,dose_mg,daily_total_mg,stage,step\r\n";
  Date first(boost::date_time::pos_infin), end(boost::date_time::neg_infin);
  bool any = false;
  for (const auto &s : in.plan.stages)
    for (const auto &st : s.steps)
      if (!st.range.empty()) {
        if (!any || st.range.begin() < first)
          first = st.range.begin();
        if (!any || st.range.end() > end)
          end = st.range.end();
        any = true;
      }
  if (!any)
    return;
  for (Date d = first; d < end; d += Days(1)) {
    for (std::size_t t = 0; t < 4; ++t) {
      for (std::size_t si = 0; si < in.plan.stages.size(); ++si) {
        const Stage &s = in.plan.stages[si];
        for (std::size_t pi = 0; pi < s.steps.size(); ++pi) {
          const Step &st = s.steps[pi];
          if (!st.range.contains(d))
            continue;
          for (const auto &a : st.doses) {
            if (time_index(a.time) != t)
              continue;
            auto row = [&](const std::string &strength, std::string_view form,
                           const std::string &count) {
              out << iso(d) << ',' << time_key(a.time) << ',' << csv_field(s.drug) << ','
                  << strength << ',' << form << ',' << count << ',' << a.dose.mg_plain() << ','
                  << st.daily.mg_plain() << ',' << si + 1 << ',' << pi + 1 << "\r\n";
            };
            // An administration without units (not expected from the scheduler) keeps its row
            // so no dose is silently lost.
            if (a.units.empty())
              row("", "", "");
            for (const auto &u : a.units)
              row(u.strength.mg_plain(), form_word(u.form), std::to_string(u.count));
          }
        }
      }
    }
  }
}

void write_scores_csv(std::ostream &out, std::string_view patient_id,
                      const std::vector<ScoreEntry> &scores) {
  out << "patient_id,at,score,note\r\n";
  for (const auto &s : effective_scores(scores)) {
    out << csv_field(patient_id) << ',' << iso(s.at) << ',' << s.score.value() << ','
        << csv_field(s.note) << "\r\n";
  }
}

} // namespace titrate
