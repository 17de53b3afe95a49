#include "planner/app/assess.hpp"

#include "planner/app/plans.hpp"
#include "planner/core/errors.hpp"
#include "planner/export/words.hpp"
#include "planner/scheduling/scheduler.hpp"

#include <sstream>

namespace titrate::app {

namespace {

// What one assessment reads from the store, kept alive for the AssessInput that refers to it.
struct AssessData {
  PatientRecord patient;
  PlanVersion active;
  const Pathway *pathway = nullptr;
  std::vector<ScoreEntry> scores;
  std::vector<AdverseEffect> effects;
  std::vector<DecisionRecord> decisions;

  AssessInput input(const Formulary &f, Date today) const {
    return AssessInput{
        active.plan, patient.patient, f,     *pathway,
        scores,      effects,         today, extensions_so_far(decisions, active.plan)};
  }
};

AssessData read_assess_data(Repository &repo, const PathwayLookup &pathway, const std::string &id) {
  validate_patient_id(id);
  auto rec = repo.patient(id);
  if (!rec)
    throw NotFoundError("patient " + id + ": not found");
  auto active = repo.active_plan(id);
  if (!active) {
    throw NotFoundError("assess " + id +
                        ": no approved plan to assess (a pharmacist approves "
                        "a submitted version with titrate review approve)");
  }
  AssessData d{std::move(*rec), std::move(*active), nullptr, {}, {}, {}};
  d.pathway = &pathway(d.active.plan.pathway);
  d.scores = repo.scores(id);
  d.effects = repo.adverse_effects(id);
  d.decisions = repo.decisions(id);
  return d;
}

Assessment judge(const AssessInput &in, const AssessRequest &req) {
  return req.decision ? clinician_decision(in, *req.decision, req.reason, req.names) : assess(in);
}

} // namespace

Assessed assess_stored(Repository &repo, const Formulary &f, const PathwayLookup &pathway,
                       Date today, const AssessRequest &req) {
  const AssessData d = read_assess_data(repo, pathway, req.patient);
  Assessment a = judge(d.input(f, today), req);
  return Assessed{d.patient, d.active, std::move(a)};
}

Applied apply_assessment(Repository &repo, const Formulary &f, const PathwayLookup &pathway,
                         Date today, const Actor &who, const AssessRequest &req) {
  const AssessData d = read_assess_data(repo, pathway, req.patient);
  const AssessInput in = d.input(f, today);
  const Assessment a = judge(in, req);
  for (const auto &r : d.decisions) {
    if (r.plan_version == d.active.version && r.assessment.date == today &&
        r.assessment.decision == a.decision) {
      throw RefusedError("the " + std::string(to_string(a.decision)) + " decision of " +
                         iso(today) + " on plan version " + std::to_string(d.active.version) +
                         " of " + req.patient + " is already recorded (#" + std::to_string(r.id) +
                         ")");
    }
  }
  Plan next = apply_decision(in, a);
  Applied out{Assessed{d.patient, d.active, a}, 0, 0};
  repo.atomically([&] {
    out.decision_id = repo.record_decision(a, d.active.version, who);
    if (!(next == d.active.plan)) {
      next.lint = lint(next, d.patient.patient, f, *d.pathway, today);
      out.version = repo.save_draft(next, who,
                                    "assess " + std::string(to_string(a.decision)) + " on " +
                                        iso(today) + " " + decision_tag(out.decision_id));
    }
  });
  return out;
}

} // namespace titrate::app
