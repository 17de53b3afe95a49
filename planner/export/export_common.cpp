#include "planner/export/export_common.hpp"

#include "planner/core/enum_words.hpp"
#include "planner/core/errors.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

namespace titrate {

namespace export_detail {

const Monograph *find_monograph(const Formulary &f, std::string_view drug) {
  for (const auto &m : f.drugs)
    if (m.name == drug)
      return &m;
  return nullptr;
}

std::string display_name(const Formulary &f, std::string_view drug) {
  return f.display_name(drug); // one function for every printer (clinical.md H20)
}

std::string_view form_word(Form f) {
  return to_string(f); // the formulary's word
}

std::string_view time_key(AdminTime t) {
  return to_string(t); // the formulary's word
}

std::string_view time_phrase(AdminTime t) {
  using enum AdminTime;
  static constexpr std::array<EnumWord<AdminTime>, 4> phrases{{{morning, "in the morning"},
                                                               {midday, "at midday"},
                                                               {evening, "in the evening"},
                                                               {bedtime, "at bedtime"}}};
  return enum_word(phrases, t, "in the morning");
}

std::size_t time_index(AdminTime t) {
  return static_cast<std::size_t>(t);
}

std::string_view times_daily(std::size_t n) {
  switch (n) {
  case 1:
    return "once daily";
  case 2:
    return "twice daily";
  case 3:
    return "three times daily";
  case 4:
    return "four times daily";
  default:
    return "daily";
  }
}

std::string_view role_word(StageRole r) {
  return to_string(r); // the plan's word
}

std::vector<ScoreEntry> effective_scores(const std::vector<ScoreEntry> &scores) {
  std::set<std::int64_t> superseded;
  for (const auto &s : scores)
    if (s.supersedes)
      superseded.insert(*s.supersedes);
  std::vector<ScoreEntry> out;
  for (const auto &s : scores)
    if (!s.retracted && (s.id == 0 || !superseded.count(s.id)))
      out.push_back(s);
  std::stable_sort(out.begin(), out.end(), [](const ScoreEntry &a, const ScoreEntry &b) {
    if (a.at != b.at)
      return a.at < b.at;
    return a.id < b.id;
  });
  return out;
}

std::vector<Date> assessment_dates(const ExportInput &in) {
  std::vector<Date> dates = in.context.assessment_dates;
  if (dates.empty())
    for (const auto &s : in.plan.stages)
      if (s.decision_date)
        dates.push_back(*s.decision_date);
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

void check_context(const ExportContext &c) {
  // 0: a plan shown without being stored (`plan --patient-file ... --format`, `plan ID
  // --preview --format`); it can only be a draft.
  if (c.plan_version < 0 || (c.plan_version == 0 && c.review != ReviewState::draft))
    throw InputError("plan version: " + std::to_string(c.plan_version) +
                     " is not a version; expected a whole number from 1 (0 only for a draft "
                     "that is not stored)");
  for (int m : c.admin_minutes)
    if (m < 0 || m >= 1440)
      throw InputError("administration time: " + std::to_string(m) +
                       " minutes is not a time of day; expected 0 to 1439");
  if (c.now_utc.minute_of_day < 0 || c.now_utc.minute_of_day >= 1440)
    throw InputError("now: not a time of day");
}

std::string compact_date(Date d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", static_cast<int>(d.year()),
                static_cast<int>(d.month()), static_cast<int>(d.day()));
  return buf;
}

std::string compact_datetime(const LocalDateTime &t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d%02d00", t.minute_of_day / 60, t.minute_of_day % 60);
  return compact_date(t.date) + buf;
}

std::string hhmm(int minute_of_day) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
  return buf;
}

} // namespace export_detail
} // namespace titrate
