#include "planner/app/plans.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/plausible.hpp"
#include "planner/export/time_zone.hpp"
#include "planner/scheduling/scheduler.hpp"

namespace titrate::app {

namespace {

PatientRecord stored_profile(Repository &repo, const std::string &id) {
  auto rec = repo.patient(id);
  if (!rec)
    throw NotFoundError("patient " + id + ": not found");
  return *rec;
}

bool blank_text(const std::string &s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

} // namespace

Drafted preview_plan(Repository &repo, const Formulary &f, const Pathway &pw, Date today,
                     const DraftRequest &req) {
  Drafted d;
  d.patient = stored_profile(repo, req.patient);
  check_plan_start(req.start, today, d.patient.patient.birth_date, req.backdate, req.start_field,
                   req.backdate_flag);
  PlanRequest pr;
  pr.start = req.start;
  pr.today = today;
  pr.prefer = req.prefer;
  pr.prefer_field = req.prefer_field;
  pr.prefer_reason = req.reason;
  // Over a running plan the patient goes on from where they are; drugs already tried are never
  // chosen again.
  const auto active = repo.active_plan(req.patient);
  Draft draft = draft_plan(d.patient.patient, f, pw, pr, active ? &active->plan : nullptr);
  d.plan = std::move(draft.plan);
  d.continued = draft.continued;
  return d;
}

Drafted draft_plan_version(Repository &repo, const Formulary &f, const Pathway &pw, Date today,
                           const Actor &who, const DraftRequest &req) {
  if (req.prefer && blank_text(req.reason)) {
    throw InputError("the reason for preferring " + *req.prefer +
                     " is missing; a drafted plan records why the prescriber chose it");
  }
  Drafted d = preview_plan(repo, f, pw, today, req);
  // The version's note (and so its plan.draft audit entry) says how it was asked for.
  d.note = req.how;
  if (req.prefer)
    d.note += "; prefer " + *req.prefer + ": " + req.reason;
  if (d.continued)
    d.note += " (continues the running plan)";
  repo.atomically([&] {
    d.version = repo.save_draft(d.plan, who, d.note);
    if (req.submit)
      repo.submit(req.patient, d.version, who);
  });
  d.submitted = req.submit;
  return d;
}

PlanVersion submit_latest_draft(Repository &repo, const std::string &patient, const Actor &who) {
  stored_profile(repo, patient);
  std::optional<PlanVersion> draft;
  for (auto &v : repo.plan_versions(patient))
    if (v.status == PlanStatus::draft)
      draft = std::move(v);
  if (!draft)
    throw NotFoundError("plan " + patient + ": no draft version to submit");
  repo.submit(patient, draft->version, who);
  draft->status = PlanStatus::submitted;
  return *draft;
}

PlanVersion submit_draft(Repository &repo, const std::string &patient, int version,
                         const Actor &who, const std::string &field) {
  stored_profile(repo, patient);
  auto v = repo.plan_version(patient, version);
  if (!v)
    throw NotFoundError("plan of " + patient + ": no version " + std::to_string(version));
  if (v->status != PlanStatus::draft) {
    throw InputError(field + ": plan version " + std::to_string(version) + " is " +
                     std::string(to_string(v->status)) + ", not a draft; nothing was submitted");
  }
  repo.submit(patient, version, who);
  v->status = PlanStatus::submitted;
  return *v;
}

PlanVersion version_to_show(Repository &repo, const std::string &patient,
                            std::optional<int> version) {
  if (version) {
    auto v = repo.plan_version(patient, *version);
    if (!v) {
      throw NotFoundError("patient " + patient + " has no plan version " +
                          std::to_string(*version));
    }
    return *v;
  }
  if (auto v = repo.active_plan(patient))
    return *v;
  auto all = repo.plan_versions(patient);
  if (all.empty())
    throw NotFoundError("patient " + patient + ": no plan to export");
  return all.back();
}

ReviewState review_state(const PlanVersion &v, const std::vector<Review> &reviews) {
  switch (v.status) {
  case PlanStatus::draft:
    return ReviewState::draft;
  case PlanStatus::submitted:
    return ReviewState::submitted;
  case PlanStatus::approved:
    return ReviewState::approved;
  case PlanStatus::rejected:
    return ReviewState::rejected;
  case PlanStatus::superseded:
    // Superseded after approval stays an approved (historical) version; else it was a draft
    // (or a submitted version replaced before anyone reviewed it).
    for (const auto &r : reviews)
      if (r.version == v.version && r.verdict == Verdict::approved)
        return ReviewState::approved;
    return ReviewState::draft;
  }
  return ReviewState::draft;
}

ExportContext export_context(Repository &repo, const PlanVersion &v, const Patient &p,
                             const std::vector<Pathway> &pathways, const std::string &time_zone) {
  const auto reviews = repo.reviews(v.patient);
  ExportContext ec;
  ec.plan_version = std::max(1, v.version);
  ec.review = review_state(v, reviews);
  ec.time_zone = time_zone;
  std::string stamp = v.submitted_at.value_or(v.drafted_at);
  for (const auto &r : reviews) {
    if (r.version != v.version)
      continue;
    stamp = r.at;
    if (r.verdict == Verdict::approved) {
      ec.approved_by = r.pharmacist;
      ec.approved_at = to_local_time(time_zone, utc_stamp(r.at));
    }
  }
  ec.now_utc = utc_stamp(stamp);
  for (const auto &pw : pathways)
    if (pw.name == v.plan.pathway)
      ec.response_pct = pw.decisions.response_pct.value;
  const auto decisions = repo.decisions(v.patient);
  if (!decisions.empty() && decisions.back().assessment.baseline) {
    ec.baseline = decisions.back().assessment.baseline;
  } else if (p.baseline_pain) {
    ec.baseline = p.baseline_pain->value();
  }
  return ec;
}

std::string decision_tag(std::int64_t decision_id) {
  return "(decision #" + std::to_string(decision_id) + ")";
}

const DecisionRecord *decision_behind(const PlanVersion &v,
                                      const std::vector<DecisionRecord> &decisions) {
  for (const auto &d : decisions)
    if (v.note.find(decision_tag(d.id)) != std::string::npos)
      return &d;
  return nullptr;
}

} // namespace titrate::app
