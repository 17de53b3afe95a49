#include "planner/app/assess.hpp"

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
  return req.decision ? clinician_decision(in, *req.decision, req.reason) : assess(in);
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
      throw RefusedError("assess " + req.patient + " --apply: the " +
                         std::string(to_string(a.decision)) + " decision of " + iso(today) +
                         " on plan version " + std::to_string(d.active.version) +
                         " is already recorded (#" + std::to_string(r.id) + ")");
    }
  }
  Plan next = apply_decision(in, a);
  Applied out{Assessed{d.patient, d.active, a}, 0, 0};
  repo.atomically([&] {
    out.decision_id = repo.record_decision(a, d.active.version, who);
    if (!(next == d.active.plan)) {
      next.lint = lint(next, d.patient.patient, f, *d.pathway, today);
      out.version =
          repo.save_draft(next, who,
                          "assess " + std::string(to_string(a.decision)) + " on " + iso(today) +
                              " (decision #" + std::to_string(out.decision_id) + ")");
    }
  });
  return out;
}

std::vector<std::string> assessment_lines(const Assessment &a, const Formulary &f) {
  std::vector<std::string> lines;
  std::ostringstream out;
  const auto end_line = [&] {
    lines.push_back(out.str());
    out.str("");
  };
  out << "Assessment for patient " << a.patient << " on " << iso(a.date);
  if (!a.drug.empty())
    out << ": " << words::drug(f, a.drug);
  end_line();
  out << "Decision: " << to_string(a.decision);
  if (a.next_dose)
    out << " to " << a.next_dose->str() << " daily";
  if (a.next_drug)
    out << " to " << words::drug(f, *a.next_drug);
  if (a.next_decision_date) {
    out << (a.decision == DecisionKind::continue_ ? "; maintenance, next review on "
                                                  : " to a new decision date ")
        << iso(*a.next_decision_date);
  }
  if (a.substantial)
    out << " (substantial response)";
  end_line();
  out << "Baseline pain: " << (a.baseline ? words::number(*a.baseline, 2) + " of 10" : "none");
  end_line();
  if (a.window.start < a.window.end) {
    out << "Window: " << iso(a.window.start) << " through " << iso(a.window.end - Days(1)) << ", "
        << a.window.scores << (a.window.scores == 1 ? " day" : " days") << " with scores";
    if (a.window.mean)
      out << ", mean " << words::number(*a.window.mean, 2) << " of 10";
    end_line();
  }
  if (a.change_pct) {
    const double c = *a.change_pct;
    out << "Change from baseline: "
        << (c >= 0 ? words::number(c, 1) + " % less pain" : words::number(-c, 1) + " % more pain");
    end_line();
  }
  out << "Days at target dose: " << a.days_at_target;
  end_line();
  out << "Rule: " << a.rule << " (source: " << words::for_people(f, a.source) << ")";
  end_line();
  out << "Reasons:";
  end_line();
  for (const auto &r : a.reasons) {
    out << "  - " << words::for_people(f, r);
    end_line();
  }
  end_line();
  out << "Decision support only; not medical advice.";
  end_line();
  return lines;
}

} // namespace titrate::app
