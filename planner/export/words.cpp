// The plan in people's words (words.hpp), one coherent thing: doses, steps, stops, warnings and
// dates as sentences; a plan, a day and a patient as lines; the diff and the changes between two
// versions. Every export and page that speaks to a person takes its words from here.
#include "planner/export/words.hpp"

#include "planner/core/text.hpp"
#include "planner/export/export_common.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

namespace titrate::words {

namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// The word before position `at` (skipping spaces) starts with "--": a command to type.
bool after_option(std::string_view text, std::size_t at) {
  std::size_t end = at;
  while (end > 0 && text[end - 1] == ' ')
    --end;
  std::size_t begin = end;
  while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != '(')
    --begin;
  return end > begin && text.substr(begin, 2) == "--";
}

} // namespace

std::string drug(const Formulary &f, std::string_view generic) {
  return f.display_name(generic);
}

std::string days(long n) {
  return std::to_string(n) + (n == 1 ? " day" : " days");
}

std::string number(double v, int decimals) {
  return decimal_text(v, decimals);
}

std::string dates(Date first, Date last) {
  const long n = (last - first).days() + 1;
  if (first == last)
    return "on " + iso(first) + " (1 day)";
  return "from " + iso(first) + " through " + iso(last) + " (" + days(n) + ")";
}

std::string dates(const DateRange &r) {
  if (r.empty())
    return "no days";
  return dates(r.begin(), r.end() - Days(1));
}

std::string units(const std::vector<UnitCount> &us) {
  std::string s;
  for (std::size_t i = 0; i < us.size(); ++i) {
    if (i > 0)
      s += (i + 1 == us.size()) ? " and " : ", ";
    const auto &u = us[i];
    s += std::to_string(u.count) + " " + std::string(export_detail::form_word(u.form)) +
         (u.count == 1 ? "" : "s") + " of " + u.strength.str();
  }
  return s;
}

std::string frequency(const Step &s) {
  const auto n = s.doses.size();
  if (n == 1 && s.doses[0].time == AdminTime::bedtime)
    return "at bedtime";
  return std::string(export_detail::times_daily(n));
}

std::string dose(const Formulary &f, std::string_view generic, const Administration &a) {
  std::string s = drug(f, generic) + " " + a.dose.str();
  if (!a.units.empty())
    s += ", take " + units(a.units);
  return s;
}

std::string administration(const Formulary &f, std::string_view generic, const Administration &a) {
  return std::string(export_detail::time_phrase(a.time)) + ": " + dose(f, generic, a);
}

std::string step(const Stage &s, const Step &st) {
  const std::string total = st.daily.str() + " a day, " + frequency(st);
  if (s.maintenance() && &st == &s.steps.back()) {
    return "from " + iso(st.range.begin()) + ", with no end date (maintenance; next review on " +
           iso(*s.review_date) + "): " + total;
  }
  return dates(st.range) + ": " + total;
}

std::optional<std::string> stop(const Formulary &f, const Stage &s) {
  if (s.role == StageRole::trial)
    return std::nullopt;
  if (s.steps.empty())
    return "Stop " + drug(f, s.drug) + " (no reduced step)";
  const Date end = s.steps.back().range.end();
  return "Stop " + drug(f, s.drug) + " from " + iso(end) + " (last dose on " + iso(end - Days(1)) +
         ")";
}

std::string warning(const Formulary &f, const Finding &w) {
  return "Warning (" + std::string(to_string(w.severity)) + "): " + for_people(f, w.text) + " [" +
         w.rule + "; source: " + w.source + "]";
}

std::string for_people(const Formulary &f, std::string_view text) {
  std::string out(text);
  for (const auto &m : f.drugs) {
    if (m.tall_man.empty() || m.tall_man == m.name)
      continue;
    std::size_t at = 0;
    while ((at = out.find(m.name, at)) != std::string::npos) {
      const std::size_t end = at + m.name.size();
      const bool whole = (at == 0 || (!word_char(out[at - 1]) && out[at - 1] != '.')) &&
                         (end == out.size() || !word_char(out[end]));
      if (whole && !after_option(out, at)) {
        out.replace(at, m.name.size(), m.tall_man);
        at += m.tall_man.size();
      } else {
        at = end;
      }
    }
  }
  return out;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

namespace {

std::string heading(const Formulary &f, const Stage &s, std::size_t index) {
  return "Stage " + std::to_string(index + 1) + ": " + drug(f, s.drug) + ", " +
         std::string(to_string(s.role));
}

// The lines under a stage's heading, each step's doses right under the step.
Lines stage_body(const Formulary &f, const Stage &s) {
  Lines out;
  for (const auto &st : s.steps) {
    out.push_back({Kind::step, 1, step(s, st)});
    for (const auto &a : st.doses)
      out.push_back({Kind::dose, 2, administration(f, s.drug, a)});
  }
  if (auto line = stop(f, s))
    out.push_back({Kind::stop, 1, *line});
  if (s.target_reached) {
    out.push_back({Kind::fact, 1,
                   "Assessed dose " + s.assessed_dose.str() + " a day, first taken " +
                       iso(*s.target_reached)});
  }
  if (s.decision_date)
    out.push_back({Kind::fact, 1, "Decision date: " + iso(*s.decision_date)});
  if (!s.dispense.empty())
    out.push_back({Kind::fact, 1, "Dispense: " + units(s.dispense)});
  for (const auto &w : s.warnings)
    out.push_back({Kind::warning, 1, warning(f, w)});
  if (!s.note.empty())
    out.push_back({Kind::note, 1, "Note: " + for_people(f, s.note)});
  return out;
}

// Blocks for the diff: a line at depth 1 with the deeper lines under it.
std::vector<Lines> blocks(const Lines &body) {
  std::vector<Lines> out;
  for (const auto &l : body) {
    if (out.empty() || l.depth <= 1)
      out.emplace_back();
    out.back().push_back(l);
  }
  return out;
}

void emit(Lines &out, const Lines &block, Kind k) {
  for (auto l : block) {
    l.kind = k;
    out.push_back(std::move(l));
  }
}

// Removed and added blocks of the longest common subsequence of two short block lists.
void diff_blocks(const std::vector<Lines> &b, const std::vector<Lines> &a, Lines &out) {
  const std::size_t n = b.size(), m = a.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = b[i] == a[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && b[i] == a[j]) {
      ++i, ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      emit(out, b[i++], Kind::removed);
    } else {
      emit(out, a[j++], Kind::added);
    }
  }
}

} // namespace

Lines plan(const Plan &p, const Formulary &f) {
  Lines out;
  for (std::size_t i = 0; i < p.stages.size(); ++i) {
    out.push_back({Kind::heading, 0, heading(f, p.stages[i], i)});
    const Lines body = stage_body(f, p.stages[i]);
    out.insert(out.end(), body.begin(), body.end());
  }
  for (const auto &u : p.unchecked_medications)
    out.push_back({Kind::warning, 0, for_people(f, u)});
  return out;
}

Lines diff(const Plan *before, const Plan &after, const Formulary &f) {
  Lines out;
  if (before != nullptr && before->start != after.start) {
    out.push_back({Kind::removed, 0, "Plan starts on " + iso(before->start)});
    out.push_back({Kind::added, 0, "Plan starts on " + iso(after.start)});
  }
  const std::size_t nb = before ? before->stages.size() : 0, na = after.stages.size();
  for (std::size_t k = 0; k < std::max(nb, na); ++k) {
    const Stage *sb = k < nb ? &before->stages[k] : nullptr;
    const Stage *sa = k < na ? &after.stages[k] : nullptr;
    const Lines lb = sb ? stage_body(f, *sb) : Lines{};
    const Lines la = sa ? stage_body(f, *sa) : Lines{};
    const std::string hb = sb ? heading(f, *sb, k) : "";
    const std::string ha = sa ? heading(f, *sa, k) : "";
    if (sb && sa && hb == ha && lb == la)
      continue;
    if (sb && sa && hb == ha) {
      out.push_back({Kind::heading, 0, ha});
    } else {
      if (sb)
        out.push_back({Kind::removed, 0, hb});
      if (sa)
        out.push_back({Kind::added, 0, ha});
    }
    diff_blocks(blocks(lb), blocks(la), out);
  }
  return out;
}

namespace {

// The daily dose of a stage on a day (none when it has no step then).
std::optional<Dose> stage_dose_on(const Stage &s, Date d) {
  for (const auto &st : s.steps)
    if (st.range.contains(d))
      return st.daily;
  return std::nullopt;
}

std::string dose_words(const std::optional<Dose> &d) {
  return d ? d->str() + " a day" : std::string("no dose");
}

std::string stage_name(const Formulary &f, const Stage &s) {
  return drug(f, s.drug) + " " + std::string(to_string(s.role));
}

// "from 2026-12-22 through 2027-01-04"; a maintenance stage: "from 2026-12-08, reviewed on D".
std::string stage_span(const Stage &s) {
  const Date first = s.steps.front().range.begin();
  if (s.maintenance())
    return "from " + iso(first) + ", with no end date, reviewed on " + iso(*s.review_date);
  return "from " + iso(first) + " through " + iso(s.steps.back().range.end() - Days(1));
}

std::string added_sentence(const Formulary &f, const Stage &s) {
  if (s.steps.empty())
    return stage_name(f, s) + " added, with no doses";
  std::string t = stage_name(f, s) + " added: starts on " + iso(s.steps.front().range.begin()) +
                  " at " + s.steps.front().daily.str() + " a day";
  if (s.role == StageRole::trial && s.target_reached) {
    t += ", the assessed dose " + s.assessed_dose.str() + " a day from " + iso(*s.target_reached);
    if (s.decision_date)
      t += ", decision on " + iso(*s.decision_date);
  } else if (s.role != StageRole::trial) {
    t += ", last dose on " + iso(s.steps.back().range.end() - Days(1));
  }
  return t;
}

// One stage in both versions: the first day its dose differs, then its end, review and decision.
std::optional<std::string> changed_sentence(const Formulary &f, const Stage &b, const Stage &a) {
  if (b.steps == a.steps && b.review_date == a.review_date && b.decision_date == a.decision_date &&
      b.assessed_dose == a.assessed_dose)
    return std::nullopt;
  std::vector<std::string> parts;
  // The same steps on other days (a later start): said once, with the shift.
  const auto moved = [&]() -> std::optional<Days> {
    if (a.steps.empty() || a.steps.size() != b.steps.size() || a.review_date || b.review_date)
      return std::nullopt;
    const Days by = a.steps.front().range.begin() - b.steps.front().range.begin();
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
      const Step &x = a.steps[i], &y = b.steps[i];
      if (x.daily != y.daily || x.doses != y.doses || x.range.begin() - y.range.begin() != by ||
          x.range.end() - y.range.end() != by)
        return std::nullopt;
    }
    const auto shifted = [&](const std::optional<Date> &d) {
      return d ? std::optional<Date>(*d - by) : d;
    };
    if (by.days() == 0 || shifted(a.decision_date) != b.decision_date ||
        shifted(a.target_reached) != b.target_reached || a.assessed_dose != b.assessed_dose)
      return std::nullopt;
    return by;
  }();
  if (moved) {
    const long n = moved->days();
    return stage_name(f, a) + " changed: the same doses " + days(n < 0 ? -n : n) +
           (n < 0 ? " earlier" : " later") + ", from " + iso(a.steps.front().range.begin()) +
           " through " + iso(a.steps.back().range.end() - Days(1)) +
           (a.decision_date ? ", decision on " + iso(*a.decision_date) : std::string());
  }
  if (!a.steps.empty() && !b.steps.empty()) {
    // A stage that starts on another day says so; its doses are compared from the later start.
    const Date fa = a.steps.front().range.begin(), fb = b.steps.front().range.begin();
    if (fa != fb)
      parts.push_back("starts on " + iso(fa) + " (was " + iso(fb) + ")");
    const Date first = std::max(fa, fb);
    // A stage that only ends earlier or later says so in its last dose, below.
    const Date common_end = std::min(a.steps.back().range.end(), b.steps.back().range.end());
    for (Date d = first; d < common_end; d += Days(1)) {
      const auto da = stage_dose_on(a, d), db = stage_dose_on(b, d);
      if (da != db) {
        parts.push_back(dose_words(da) + " from " + iso(d) + " (was " + dose_words(db) + ")");
        break;
      }
    }
    const Date la = a.steps.back().range.end() - Days(1), lb = b.steps.back().range.end() - Days(1);
    if (!a.maintenance() && la != lb)
      parts.push_back("last dose on " + iso(la) + " (was " + iso(lb) + ")");
  }
  if (a.review_date != b.review_date) {
    parts.push_back(a.review_date ? "reviewed on " + iso(*a.review_date) +
                                        (b.review_date ? " (was " + iso(*b.review_date) + ")"
                                                       : std::string(" (now maintenance)"))
                                  : std::string("no longer maintenance"));
  }
  if (a.decision_date != b.decision_date) {
    parts.push_back(
        a.decision_date
            ? "decision on " + iso(*a.decision_date) +
                  (b.decision_date ? " (was " + iso(*b.decision_date) + ")" : std::string())
            : std::string("no decision date (was ") + iso(*b.decision_date) + ")");
  }
  if (a.assessed_dose != b.assessed_dose && a.role == StageRole::trial)
    parts.push_back("assessed dose " + a.assessed_dose.str() + " a day (was " +
                    b.assessed_dose.str() + " a day)");
  if (parts.empty())
    return std::nullopt; // only the doses' times or units differ: the detail shows them
  std::string t = stage_name(f, a) + " changed";
  for (std::size_t i = 0; i < parts.size(); ++i)
    t += (i == 0 ? ": " : "; ") + parts[i];
  return t;
}

} // namespace

std::vector<std::string> changes(const Plan *before, const Plan &after, const Formulary &f) {
  std::vector<std::string> out;
  if (before == nullptr)
    return out;
  if (before->start != after.start)
    out.push_back("the plan starts on " + iso(after.start) + " (was " + iso(before->start) + ")");
  std::vector<bool> used(before->stages.size(), false);
  for (const auto &a : after.stages) {
    const Stage *b = nullptr;
    for (std::size_t i = 0; i < before->stages.size() && b == nullptr; ++i) {
      if (!used[i] && before->stages[i].drug == a.drug && before->stages[i].role == a.role) {
        used[i] = true;
        b = &before->stages[i];
      }
    }
    if (b == nullptr)
      out.push_back(added_sentence(f, a));
    else if (auto t = changed_sentence(f, *b, a))
      out.push_back(*t);
  }
  for (std::size_t i = 0; i < before->stages.size(); ++i) {
    const Stage &b = before->stages[i];
    if (!used[i])
      out.push_back(stage_name(f, b) + " removed" +
                    (b.steps.empty() ? std::string() : " (was " + stage_span(b) + ")"));
  }
  return out;
}

Lines day(const Plan &p, const Formulary &f, Date d) {
  Lines out;
  for (const auto &[stage, st] : p.on(d)) {
    out.push_back({Kind::heading, 0,
                   drug(f, stage->drug) + " (" + std::string(to_string(stage->role)) + "), " +
                       st->daily.str() + " a day:"});
    for (const auto &a : st->doses)
      out.push_back({Kind::dose, 1, administration(f, stage->drug, a)});
    if (stage->maintenance()) {
      out.push_back({Kind::fact, 1,
                     std::string("maintenance with no end date; ") +
                         (d < *stage->review_date ? "next review on " : "review due since ") +
                         iso(*stage->review_date)});
    }
  }
  return out;
}

std::string indication(const Formulary &f, const std::string &term) {
  if (term.empty())
    return "not recorded";
  const auto it = f.vocabulary.indications.find(term);
  return it == f.vocabulary.indications.end() ? term : it->second + " (" + term + ")";
}

Lines patient(const Patient &p, const EligibilityReport &er, const Formulary &f, Date today) {
  auto joined = [](const std::vector<std::string> &xs) {
    std::string s;
    for (const auto &x : xs)
      s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? std::string("none") : s;
  };
  const long age = (today - p.birth_date).days() / 365; // whole years, for the reader
  Lines out;
  out.push_back({Kind::fact, 0,
                 "patient: " + std::to_string(age) + " years (born " + iso(p.birth_date) + "), " +
                     std::string(to_string(p.sex)) + ", " + number(p.weight_kg) + " kg; CrCl " +
                     number(er.crcl_ml_min) + " mL/min (" +
                     (p.crcl_ml_min ? std::string("given")
                                    : "Cockcroft-Gault from serum creatinine " +
                                          number(p.serum_creatinine_mg_dl.value_or(0)) + " mg/dL") +
                     "); hepatic impairment " + std::string(to_string(p.hepatic))});
  if (!p.indication.empty())
    out.push_back({Kind::fact, 0, "indication: " + indication(f, p.indication)});
  out.push_back({Kind::fact, 0,
                 "conditions: " + joined(p.conditions) + "; medicines: " + joined(p.medications)});
  for (const auto &dv : er.drugs) {
    std::string t = drug(f, dv.drug) + ": " + std::string(to_string(dv.verdict));
    for (const auto &r : dv.reasons) {
      if (r.severity != Severity::ok)
        t += "; " + for_people(f, r.text) + " (" + r.source + ")";
    }
    out.push_back({dv.verdict == Severity::ok ? Kind::fact : Kind::warning, 1, std::move(t)});
  }
  return out;
}

std::vector<Run> runs(const Plan &p) {
  std::set<Date> cuts;
  for (const auto &s : p.stages)
    for (const auto &st : s.steps)
      if (!st.range.empty()) {
        cuts.insert(st.range.begin());
        cuts.insert(st.range.end());
      }
  std::vector<Run> out;
  for (auto it = cuts.begin(); it != cuts.end() && std::next(it) != cuts.end(); ++it) {
    Run r;
    r.first = *it;
    r.last = *std::next(it) - Days(1);
    for (const auto &s : p.stages)
      for (const auto &st : s.steps)
        if (st.range.contains(r.first))
          r.active.emplace_back(&s, &st);
    // A maintenance dose goes on past the plan's last day, until the clinic review.
    for (const auto &[s, st] : r.active)
      if (s->maintenance() && st == &s->steps.back() && st->range.end() == r.last + Days(1))
        r.open_ended = s;
    out.push_back(std::move(r));
  }
  return out;
}

std::string run_dates(const Run &r) {
  if (r.open_ended != nullptr) {
    return "from " + iso(r.first) + ", with no end date: keep taking these doses until your " +
           "clinic review on " + iso(*r.open_ended->review_date);
  }
  return capitalised(dates(r.first, r.last));
}

std::string run_total(const Formulary &f, const Stage &s, const Step &st) {
  std::string out = std::string(phrase::total) + ": " + drug(f, s.drug) + " " + st.daily.str() +
                    ", " + frequency(st);
  if (s.role != StageRole::trial)
    out += " (" + std::string(export_detail::role_word(s.role)) + ": reducing to stop)";
  return out;
}

std::string plan_version(const Plan &p, int version) {
  std::string out =
      version == 0 ? "Plan not stored (preview)" : "Plan version " + std::to_string(version);
  if (!p.pathway.empty())
    out += ", pathway " + p.pathway;
  return out;
}

std::string approval(const ExportContext &c) {
  switch (c.review) {
  case ReviewState::approved: {
    std::string out = "Approved by pharmacist " +
                      (c.approved_by.empty() ? std::string("(name not recorded)") : c.approved_by);
    if (c.approved_at)
      out += " on " + iso(c.approved_at->date) + " at " +
             export_detail::hhmm(c.approved_at->minute_of_day);
    return out + ".";
  }
  case ReviewState::rejected:
    return "NOT APPROVED: a pharmacist rejected this plan. Do not follow it.";
  case ReviewState::draft:
  case ReviewState::submitted:
    break;
  }
  return "NOT YET APPROVED: a pharmacist has not approved this plan. Do not follow it until they "
         "do.";
}

std::pair<std::string, std::string> clinic_parts(std::string_view name, std::string_view phone) {
  const std::string blank = "______________________________";
  return {"Clinic: " + (name.empty() ? blank : std::string(name)),
          "Telephone: " + (phone.empty() ? blank : std::string(phone))};
}

std::string clinic(std::string_view name, std::string_view phone) {
  const auto [clinic_name, telephone] = clinic_parts(name, phone);
  return clinic_name + "    " + telephone;
}

std::string do_not_stop(const Formulary &f, std::string_view generic) {
  std::string out = "Do not stop taking " + drug(f, generic) +
                    " suddenly: reduce it only as this plan shows or as your clinic tells you.";
  if (const Monograph *m = f.find(generic)) {
    if (!m->taper.note.empty())
      out += " " + capitalised(for_people(f, m->taper.note)) + ".";
    if (!m->taper.cite.source.empty())
      out += " [source: " + m->taper.cite.source + "]";
  }
  return out;
}

std::optional<std::string> side_effects(const Formulary &f, std::string_view generic) {
  const Monograph *m = f.find(generic);
  if (m == nullptr || m->not_tolerated.empty())
    return std::nullopt;
  std::string out = "Tell your clinic if " + drug(f, generic) + " gives you: ";
  for (std::size_t i = 0; i < m->not_tolerated.size(); ++i) {
    if (i > 0)
      out += (i + 1 == m->not_tolerated.size()) ? " or " : ", ";
    out += m->not_tolerated[i];
  }
  out += ".";
  if (!m->not_tolerated_cite.source.empty())
    out += " [source: " + m->not_tolerated_cite.source + "]";
  return out;
}

// ---- the patient's page

std::string when(const LocalDateTime &at, Date today) {
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", at.minute_of_day / 60 % 24, at.minute_of_day % 60);
  if (at.date == today)
    return std::string(hm) + " today";
  if (at.date == today - Days(1))
    return std::string("yesterday at ") + hm;
  return iso(at.date) + " at " + hm;
}

std::string day_word(Date d, Date today) {
  if (d == today)
    return "today (" + iso(d) + ")";
  if (d == today + Days(1))
    return "tomorrow (" + iso(d) + ")";
  static constexpr std::array<const char *, 7> names{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                     "Thursday", "Friday", "Saturday"};
  return std::string(names[d.day_of_week().as_number()]) + " " + iso(d);
}

std::vector<TimeLine> time_lines(const Plan &plan, const Formulary &f, Date d) {
  std::vector<TimeLine> out;
  for (const AdminTime t :
       {AdminTime::morning, AdminTime::midday, AdminTime::evening, AdminTime::bedtime}) {
    std::string text;
    for (const auto &[stage, step] : plan.on(d))
      for (const auto &adm : step->doses)
        if (adm.time == t)
          text += (text.empty() ? "" : "; ") + dose(f, stage->drug, adm);
    if (!text.empty())
      out.push_back({t, time_heading(t) + ": " + text});
  }
  return out;
}

std::string keep_taking_until(Date review) {
  return "Keep taking these doses every day until your clinic review on " + iso(review) + ".";
}

std::string last_taper_day(const Formulary &f, const Stage &s) {
  return "Today is your last dose of " + drug(f, s.drug) + ". " +
         stop(f, s).value_or("Stop " + drug(f, s.drug)) + ": take no more of it from tomorrow.";
}

std::vector<std::string> after_plan(const Formulary &f, const Plan &plan, Date last) {
  std::vector<std::string> out{"Your plan's last day was " + iso(last) + "."};
  std::set<std::string> said;
  for (const auto &s : plan.stages) {
    if (s.steps.empty() || s.steps.back().range.end() != last + Days(1) ||
        !said.insert(s.drug).second)
      continue;
    if (s.role == StageRole::trial)
      out.push_back(do_not_stop(f, s.drug) + " Ask your clinic today what to take next.");
    else
      out.push_back(*stop(f, s) + ": take no more of it unless your clinic tells you to.");
  }
  return out;
}

std::vector<std::string> call_clinic_lines(std::string_view name, std::string_view phone) {
  if (name.empty() && phone.empty())
    return {"Call your clinic."};
  // Only what is known: no line to write on (a web page).
  if (phone.empty())
    return {"Call your clinic: " + std::string(name)};
  if (name.empty())
    return {"Call your clinic on " + std::string(phone)};
  return {"Call your clinic: " + std::string(name), clinic_parts(name, phone).second};
}

std::string month_name(Date d) {
  static constexpr std::array<const char *, 12> names{
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return std::string(names[static_cast<std::size_t>(d.month().as_number() - 1)]) + " " +
         std::to_string(static_cast<int>(d.year()));
}

std::string weekday_day(Date d) {
  static constexpr std::array<const char *, 7> names{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                     "Thursday", "Friday", "Saturday"};
  return std::string(names[d.day_of_week().as_number()]) + " " +
         std::to_string(d.day().as_number());
}

std::string time_heading(AdminTime t) {
  return capitalised(std::string(export_detail::time_phrase(t)));
}

std::vector<std::string> texts(const Lines &lines) {
  const bool marked = std::any_of(lines.begin(), lines.end(), [](const Line &l) {
    return l.kind == Kind::removed || l.kind == Kind::added;
  });
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const auto &l : lines) {
    std::string s;
    if (marked)
      s = l.kind == Kind::removed ? "removed  " : l.kind == Kind::added ? "added    " : "         ";
    s += std::string(static_cast<std::size_t>(2 * l.depth), ' ') + l.text;
    out.push_back(std::move(s));
  }
  return out;
}

void print(std::ostream &out, const Lines &lines, std::string_view indent,
           bool blank_before_headings) {
  const auto text = texts(lines);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // A blank line before each stage, and before the list of medications not checked.
    const bool unchecked =
        lines[i].depth == 0 && lines[i].kind == Kind::warning &&
        (i == 0 || lines[i - 1].kind != Kind::warning || lines[i - 1].depth != 0);
    if (blank_before_headings && (lines[i].kind == Kind::heading || unchecked))
      out << "\n";
    out << indent << text[i] << "\n";
  }
}

} // namespace titrate::words
