#include "planner/store/repository.hpp"

#include "planner/core/errors.hpp"
#include "planner/store/names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <set>

namespace titrate {

namespace store {

std::optional<std::string> effect_drugs_text(const AdverseEffect &ae) {
  if (!ae.attributed)
    return std::nullopt;
  return nlohmann::json(ae.drugs).dump();
}

std::string plan_version_name(const std::string &patient, int version) {
  return "plan of " + patient + " version " + std::to_string(version);
}

void read_effect_drugs(AdverseEffect &ae, const std::optional<std::string> &text) {
  ae.attributed = text.has_value();
  ae.drugs.clear();
  if (!text)
    return;
  try {
    ae.drugs = nlohmann::json::parse(*text).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception &) {
    throw StorageError("stored adverse effect #" + std::to_string(ae.id) + ": drugs \"" +
                       text->substr(0, 40) + "\" is not a JSON array of names");
  }
}

std::string effect_audit_detail(std::int64_t id, const AdverseEffect &ae) {
  std::string d = "#" + std::to_string(id) + ": ";
  if (ae.retracted) {
    return d + "retracts #" + std::to_string(ae.supersedes.value_or(0)) + " (" + ae.description +
           ")";
  }
  d += ae.description + " (" + std::string(to_string(ae.severity)) + ") at " + iso(ae.at);
  if (ae.attributed) {
    std::string names;
    for (const auto &n : ae.drugs)
      names += (names.empty() ? "" : ", ") + n;
    d += names.empty() ? "; no drug taken then" : "; taking " + names;
  }
  if (ae.supersedes)
    d += " (corrects #" + std::to_string(*ae.supersedes) + ")";
  return d;
}

void check_effect_correction(const std::string &patient, const AdverseEffect &ae,
                             const std::optional<std::string> &target_patient,
                             const std::optional<std::int64_t> &replaced_by) {
  if (ae.retracted && !ae.supersedes) {
    throw InputError("retract: expected the id of the adverse effect to withdraw");
  }
  if (!ae.supersedes)
    return;
  const std::string n = "#" + std::to_string(*ae.supersedes);
  if (!target_patient || *target_patient != patient) {
    throw NotFoundError("adverse effect " + n + ": patient " + patient + " has no adverse effect " +
                        n);
  }
  if (replaced_by) {
    throw RefusedError("adverse effect " + n + " was already corrected or retracted by #" +
                       std::to_string(*replaced_by) + "; correct that one instead");
  }
}

} // namespace store

std::optional<Date> plan_decision_date(const Plan &p) {
  return p.next_assessment();
}

namespace {
const Stage *last_trial(const Plan &p) {
  for (auto it = p.stages.rbegin(); it != p.stages.rend(); ++it)
    if (it->role == StageRole::trial)
      return &*it;
  return nullptr;
}
} // namespace

ImportResult Repository::import_scores(const std::vector<ScoreImportRow> &rows, const Actor &who,
                                       const std::string &source_name) {
  std::size_t i = 0;
  return import_scores(
      [&](ScoreImportRow &row) {
        if (i == rows.size())
          return false;
        row = rows[i++];
        return true;
      },
      who, source_name);
}

std::int64_t log_attributed_adverse_effect(Repository &repo, const std::string &patient,
                                           AdverseEffect ae, const Actor &who) {
  std::int64_t id = 0;
  repo.atomically([&] {
    ae.drugs.clear();
    ae.attributed = false;
    if (!ae.retracted) {
      if (const auto active = repo.active_plan(patient)) {
        ae.drugs = active->plan.drugs_taken_at(ae.at);
        ae.attributed = true;
      }
    }
    id = repo.log_adverse_effect(patient, ae, who);
  });
  return id;
}

std::vector<std::exception_ptr>
Repository::atomically_each(const std::vector<std::function<void()>> &bodies) {
  std::vector<std::exception_ptr> errors(bodies.size());
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    try {
      atomically(bodies[i]);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  }
  return errors;
}

std::vector<PlanVersion> Repository::current_plans() {
  std::vector<PlanVersion> out;
  for (const auto &rec : patients()) {
    if (auto a = active_plan(rec.patient.id)) {
      out.push_back(std::move(*a));
      continue;
    }
    auto all = plan_versions(rec.patient.id);
    if (!all.empty())
      out.push_back(std::move(all.back()));
  }
  return out;
}

std::vector<DecisionRecord> Repository::all_decisions() {
  std::vector<DecisionRecord> out;
  for (const auto &rec : patients()) {
    auto d = decisions(rec.patient.id);
    out.insert(out.end(), std::make_move_iterator(d.begin()), std::make_move_iterator(d.end()));
  }
  return out;
}

void Repository::each_current_trial(const std::function<void(const TrialSummary &)> &f) {
  for (const auto &v : current_plans()) {
    for (const auto &s : v.plan.stages) {
      if (s.role != StageRole::trial || s.steps.empty())
        continue;
      f({v.patient, v.plan.pathway, s.drug, s.steps.front().range.begin(),
         s.steps.back().range.end(), s.target_reached, s.maintenance()});
    }
  }
}

std::vector<DecisionSummary> Repository::decision_summaries() {
  std::vector<DecisionSummary> out;
  for (const auto &d : all_decisions()) {
    const Assessment &a = d.assessment;
    Window w = a.window;
    w.mean.reset();
    out.push_back({a.patient, a.date, a.drug, a.decision, a.rule, a.change_pct, w});
  }
  return out;
}

std::vector<DueEntry> Repository::due_list(Date today, int within_days, int window_days) {
  return due_list_generic(*this, today, within_days, window_days);
}

std::vector<DueEntry> due_list(Repository &repo, Date today, int within_days,
                               const std::vector<Pathway> &pathways) {
  if (within_days < 0 || within_days > max_due_within_days) {
    throw InputError("the due list's days ahead: " + std::to_string(within_days) +
                     " is out of range; expected 0 to " + std::to_string(max_due_within_days) +
                     " days");
  }
  if (pathways.empty())
    throw InputError("due: no pathway is loaded; expected at least one");
  const auto params = [&](const std::string &name) -> const DecisionParams & {
    for (const auto &pw : pathways)
      if (pw.name == name)
        return pw.decisions;
    return pathways.front().decisions;
  };
  std::set<int> windows;
  for (const auto &pw : pathways)
    windows.insert(pw.decisions.window_days.value);
  std::vector<DueEntry> out;
  for (const int w : windows) {
    auto listed = repo.due_list(today, within_days, w);
    // Kept in place (at 10^5 patients the list has tens of thousands of entries).
    std::erase_if(listed, [&](DueEntry &e) {
      const DecisionParams &dp = params(e.pathway);
      if (dp.window_days.value != w)
        return true; // counted with another pathway's window
      e.window_days = w;
      e.min_days_with_scores = dp.min_days_with_scores.value;
      e.missing_scores = e.window_days_with_scores < e.min_days_with_scores;
      return false;
    });
    if (out.empty()) {
      out = std::move(listed);
    } else {
      out.insert(out.end(), std::make_move_iterator(listed.begin()),
                 std::make_move_iterator(listed.end()));
    }
  }
  // As one query would order them: decision date, then patient id (byte order). A back end's
  // own order is kept when it is that already (SQLite's, for one window), so it is only checked.
  const auto before = [](const DueEntry &a, const DueEntry &b) {
    return a.decision_date != b.decision_date ? a.decision_date < b.decision_date
                                              : a.patient < b.patient;
  };
  if (!std::is_sorted(out.begin(), out.end(), before))
    std::stable_sort(out.begin(), out.end(), before);
  return out;
}

nlohmann::json due_json(const std::vector<DueEntry> &due, Date today, int within_days) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &e : due) {
    a.push_back({{"patient", e.patient},
                 {"version", e.version},
                 {"drug", e.drug},
                 {"decision_date", iso(e.decision_date)},
                 {"review", e.review},
                 {"days_until", e.days_until},
                 {"window",
                  {{"start", iso(e.decision_date - Days(e.window_days))},
                   {"end", iso(e.decision_date)},
                   {"days_with_scores", e.window_days_with_scores}}},
                 {"missing_scores", e.missing_scores}});
  }
  return {{"date", iso(today)}, {"within", within_days}, {"due", a}};
}

std::vector<DueEntry> due_list_generic(Repository &repo, Date today, int within_days,
                                       int window_days) {
  std::vector<DueEntry> out;
  for (const auto &v : repo.active_plans()) {
    const Stage *trial = last_trial(v.plan);
    const auto next = v.plan.next_assessment();
    if (!trial || !next)
      continue;
    const Date dd = *next;
    const long until = (dd - today).days();
    if (until > within_days)
      continue;
    // clinical.md A6: the window is the pathway's days before the decision date (many scores a
    // day count as one day).
    const Date wbegin = dd - Days(window_days);
    std::set<Date> days;
    for (const auto &s : repo.scores(v.patient)) {
      if (s.at.date >= wbegin && s.at.date < dd)
        days.insert(s.at.date);
    }
    DueEntry e;
    e.patient = v.patient;
    e.version = v.version;
    e.pathway = v.plan.pathway;
    e.window_days = window_days;
    e.drug = trial->drug;
    e.decision_date = dd;
    e.days_until = until;
    e.window_days_with_scores = static_cast<int>(days.size());
    e.review = trial->maintenance();
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const DueEntry &a, const DueEntry &b) {
    return a.decision_date < b.decision_date;
  });
  return out;
}

void require_four_eyes(const std::string &version_name, const std::string &drafted_by,
                       const std::string &submitted_by, const Actor &who, std::string_view verb) {
  const bool drafted = who.user == drafted_by;
  if (!drafted && (submitted_by.empty() || who.user != submitted_by))
    return;
  throw RefusedError("four eyes: " + who.user + " " + (drafted ? "drafted" : "submitted") + " " +
                     version_name + " and cannot " + std::string(verb) +
                     " it; another pharmacist must review it");
}

int extensions_so_far(const std::vector<DecisionRecord> &decisions, const Plan &plan) {
  const Stage *trial = plan.current_trial();
  if (!trial || trial->steps.empty())
    return 0;
  const Date since = trial->steps.front().range.begin();
  int n = 0;
  for (const auto &d : decisions) {
    if (d.assessment.decision == DecisionKind::extend && d.assessment.drug == trial->drug &&
        d.assessment.date >= since) {
      ++n;
    }
  }
  return n;
}

} // namespace titrate
