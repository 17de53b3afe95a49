// The repository contract, written once against the Repository interface. Every back end runs
// it through TITRATE_STORE_CONTRACT (see sqlite_test.cpp). Expected values below follow from the
// contract in planner/store/repository.hpp, worked out by hand; the patient and plan fixtures are
// illustrative storage data, not clinical claims.
#include "tests/store/contract.hpp"

#include "planner/core/errors.hpp"
#include "tests/common/assessments.hpp"
#include "tests/common/duloxetine_trial.hpp"
#include "tests/common/thrown.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

namespace titrate::test {

namespace {
Dose mg(std::int64_t n) {
  return Dose::milligrams(n);
}
LocalDateTime at(int y, int m, int d, int minute = 0) {
  return {Date(static_cast<unsigned short>(y), static_cast<unsigned short>(m),
               static_cast<unsigned short>(d)),
          minute};
}
ScoreEntry score(LocalDateTime t, int v, std::string note = {}) {
  ScoreEntry s;
  s.at = t;
  s.score = PainScore(v);
  s.note = std::move(note);
  return s;
}
const Actor clinician{"dr.ada", "clinician"};
const Actor clinician2{"dr.bea", "clinician"};
const Actor pharmacist{"ph.cho", "pharmacist"};
const Actor pharmacist2{"ph.dan", "pharmacist"};
const Actor patient_p1{"P1", "patient"};
} // namespace

Patient sample_patient(const std::string &id) {
  Patient p;
  p.id = id;
  p.birth_date = Date(1958, 4, 2);
  p.sex = Sex::female;
  p.weight_kg = 70.5;
  p.serum_creatinine_mg_dl = 1.1;
  p.hepatic = Hepatic::mild;
  p.conditions = {"narrow-angle-glaucoma"};
  p.medications = {"sertraline", "omeprazole"};
  p.stopped_medications = {{"phenelzine", Date(2026, 11, 1)}};
  p.baseline_pain = PainScore(7);
  return p;
}

Plan sample_plan(const std::string &patient) {
  Plan p = duloxetine_trial(patient, mg(60));
  Stage &s = p.stages.front();
  s.dispense = {{mg(30), Form::capsule, 7}, {mg(60), Form::capsule, 14}};
  s.warnings = {{Severity::caution, "test.warning", "a caution carried with the stage", "TEST 1"}};
  s.note = "illustrative";
  p.lint = {{Severity::caution, "test.lint", "a lint finding", "TEST 2"}};
  p.unchecked_medications = {"st-johns-wort"};
  p.tried = {"pregabalin"};
  return p;
}

// sample_plan after a response: the trial in maintenance (its last step runs to the review,
// docs/storage.md), then a taper of it and a second trial, gabapentin, from 2027-03-01.
Plan maintenance_plan(const std::string &patient) {
  Plan p = sample_plan(patient);
  Stage &trial = p.stages.front();
  trial.steps.back().range = DateRange(Date(2026, 12, 8), Date(2027, 2, 16));
  trial.review_date = Date(2027, 2, 16);
  Stage taper;
  taper.drug = "duloxetine";
  taper.role = StageRole::taper;
  taper.steps = {
      one_capsule_step(DateRange(Date(2027, 2, 16), Date(2027, 3, 1)), AdminTime::morning, mg(30))};
  Stage next;
  next.drug = "gabapentin";
  next.role = StageRole::trial;
  next.steps = {
      one_capsule_step(DateRange(Date(2027, 3, 1), Date(2027, 3, 4)), AdminTime::bedtime, mg(300))};
  next.assessed_dose = mg(300);
  p.stages = {trial, taper, next};
  return p;
}

ScoreEntry sample_score(int day, int value) {
  return score(at(2026, 12, day, 8 * 60), value);
}

void check_refused_writes_change_nothing(const std::function<std::unique_ptr<Repository>()> &open,
                                         const std::function<std::string()> &fingerprint) {
  {
    const auto store = open();
    store->add_patient(sample_patient("P1"), clinician);
    store->save_draft(sample_plan("P1"), clinician);
    store->submit("P1", 1, clinician);
  }
  const auto before = fingerprint();
  {
    const auto store = open();
    CHECK_THROWS_AS(store->approve("P1", 1, Actor{"dr.ada", "pharmacist"}), RefusedError);
    CHECK_THROWS_AS(store->log_score("P9", sample_score(1, 5), clinician), NotFoundError);
  }
  CHECK(fingerprint() == before);
}

void fill_schema_1(Repository &old) {
  old.add_patient(sample_patient("P1"), clinician);
  old.log_score("P1", sample_score(1, 6), clinician);
  old.save_draft(sample_plan("P1"), clinician);
  old.add_patient(sample_patient("P2"), clinician);
  old.save_draft(maintenance_plan("P2"), clinician);
}

void check_schema_1_kept(Repository &migrated) {
  CHECK(migrated.patient("P1")->patient == sample_patient("P1"));
  CHECK(migrated.scores("P1").size() == 1);
  CHECK(migrated.plan_version("P1", 1)->plan == sample_plan("P1"));
  CHECK(migrated.plan_version("P2", 1)->plan == maintenance_plan("P2"));
  // Migration 10 filled stages.review_date from the stored document: P2's first trial is in
  // maintenance for the outcome report as for the plan itself.
  std::vector<TrialSummary> trials;
  migrated.each_current_trial([&](const TrialSummary &t) { trials.push_back(t); });
  REQUIRE(trials.size() == 3);
  CHECK(trials[0].patient == "P1");
  CHECK_FALSE(trials[0].maintenance);
  CHECK(trials[1].patient == "P2");
  CHECK(trials[1].maintenance);
  CHECK(trials[1].end == Date(2027, 2, 16));
  CHECK(trials[2].drug == "gabapentin");
  CHECK_FALSE(trials[2].maintenance);
  Assessment a;
  a.patient = "P1";
  a.date = Date(2026, 12, 22);
  a.drug = "duloxetine";
  a.rule = "r";
  a.source = "s";
  migrated.record_decision(a, 1, clinician); // the table migration 2 added
  CHECK(migrated.decisions("P1").size() == 1);
}

void fill_append_only_tables(Repository &store) {
  store.add_patient(sample_patient("P1"), clinician);
  store.log_score("P1", sample_score(1, 6), clinician);
  AdverseEffect ae;
  ae.at = {Date(2026, 12, 1), 0};
  ae.description = "dizziness";
  store.log_adverse_effect("P1", ae, clinician);
  Assessment a;
  a.patient = "P1";
  a.drug = "duloxetine";
  store.record_decision(a, std::nullopt, clinician);
  store.save_draft(sample_plan("P1"), clinician);
  store.submit("P1", 1, clinician);
}

std::vector<DueEntry> check_due_list_is_generic(Repository &repo, Date today, int within) {
  INFO("today " << iso(today) << ", within " << within);
  const auto mine = repo.due_list(today, within, 7);
  auto ref = due_list_generic(repo, today, within, 7);
  REQUIRE(mine.size() == ref.size());
  for (std::size_t i = 0; i < ref.size(); ++i) {
    INFO("entry " << i << ": " << ref[i].patient);
    CHECK(mine[i].patient == ref[i].patient);
    CHECK(mine[i].version == ref[i].version);
    CHECK(mine[i].drug == ref[i].drug);
    CHECK(mine[i].decision_date == ref[i].decision_date);
    CHECK(mine[i].days_until == ref[i].days_until);
    CHECK(mine[i].window_days_with_scores == ref[i].window_days_with_scores);
    CHECK(mine[i].pathway == ref[i].pathway);
    CHECK(mine[i].review == ref[i].review);
  }
  return ref;
}

namespace contract {

void patient_versions(Backend &b) {
  auto repo = b.connect();
  REQUIRE_FALSE(repo->patient("P1"));
  Patient p = sample_patient("P1");
  CHECK(repo->add_patient(p, clinician) == 1);
  CHECK_THROWS_AS(repo->add_patient(p, clinician), RefusedError);

  auto cur = repo->patient("P1");
  REQUIRE(cur);
  CHECK(cur->version == 1);
  CHECK(cur->patient == p); // every field round-trips, lists and optionals included
  CHECK(cur->recorded_by == "dr.ada");

  Patient p2 = p;
  p2.weight_kg = 72;
  p2.serum_creatinine_mg_dl.reset();
  p2.crcl_ml_min = 45;
  p2.baseline_pain.reset();
  p2.medications.clear();
  // clinical.md H14: dialysis days live in the conditions column (no migration); they round-trip.
  p2.dialysis = Dialysis{"haemodialysis", {Weekday::monday, Weekday::wednesday, Weekday::friday}};
  // Issue 16: values read from FHIR keep their provenance (migration 006, `sources`).
  p2.sources = {
      {"weight_kg", "Observation/w-1", "2026-11-20", "154 [lb_av] x 0.45359237 = 69.9 kg"},
      {"medications:sertraline", "MedicationStatement/ms \"1\"", "", "active"}};
  // What the patient is treated for (migration 009, `indication`); version 1 had none.
  p2.indication = "chemotherapy-induced-neuropathy";
  CHECK(repo->update_patient(p2, clinician2) == 2);
  cur = repo->patient("P1");
  REQUIRE(cur);
  CHECK(cur->version == 2);
  CHECK(cur->patient == p2);
  CHECK(cur->recorded_by == "dr.bea");

  auto hist = repo->patient_history("P1");
  REQUIRE(hist.size() == 2);
  CHECK(hist[0].patient == p); // history is kept, never overwritten
  CHECK(hist[1].patient == p2);

  repo->add_patient(sample_patient("A0"), clinician);
  auto all = repo->patients();
  REQUIRE(all.size() == 2);
  CHECK(all[0].patient.id == "A0");
  CHECK(all[1].patient.id == "P1");
  CHECK(all[1].version == 2);

  Patient ghost = sample_patient("GHOST");
  CHECK_THROWS_AS(repo->update_patient(ghost, clinician), NotFoundError);
  CHECK_FALSE(repo->patient("GHOST"));
}

void plan_lifecycle(Backend &b) {
  auto repo = b.connect();
  CHECK_THROWS_AS(repo->save_draft(sample_plan("P1"), clinician), NotFoundError);
  repo->add_patient(sample_patient("P1"), clinician);
  const Plan plan = sample_plan("P1");

  CHECK(repo->save_draft(plan, clinician, "first") == 1);
  auto v1 = repo->plan_version("P1", 1);
  REQUIRE(v1);
  CHECK(v1->status == PlanStatus::draft);
  CHECK(v1->plan == plan); // the plan round-trips exactly
  CHECK(v1->drafted_by == "dr.ada");
  CHECK(v1->note == "first");
  CHECK_FALSE(repo->active_plan("P1"));

  // A second draft supersedes the first.
  CHECK(repo->save_draft(plan, clinician) == 2);
  CHECK(repo->plan_version("P1", 1)->status == PlanStatus::superseded);
  CHECK_THROWS_AS(repo->submit("P1", 1, clinician), RefusedError);

  repo->submit("P1", 2, clinician);
  auto v2 = repo->plan_version("P1", 2);
  CHECK(v2->status == PlanStatus::submitted);
  CHECK(v2->submitted_by == std::optional<std::string>("dr.ada"));
  auto pending = repo->awaiting_review();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].patient == "P1");
  CHECK(pending[0].version == 2);
  CHECK_FALSE(repo->active_plan("P1")); // submitted is not active

  repo->approve("P1", 2, pharmacist);
  auto active = repo->active_plan("P1");
  REQUIRE(active);
  CHECK(active->version == 2);
  CHECK(active->status == PlanStatus::approved);
  CHECK(repo->awaiting_review().empty());
  CHECK(repo->active_plans().size() == 1);

  // Version 3 is rejected: the approved version 2 stays active.
  Plan changed = plan;
  changed.start = Date(2026, 12, 2);
  CHECK(repo->save_draft(changed, clinician) == 3);
  repo->submit("P1", 3, clinician);
  CHECK_THROWS_AS(repo->reject("P1", 3, pharmacist, "  "), InputError);
  repo->reject("P1", 3, pharmacist, "start after the dispensing visit");
  CHECK(repo->plan_version("P1", 3)->status == PlanStatus::rejected);
  CHECK(repo->active_plan("P1")->version == 2);
  CHECK_THROWS_AS(repo->approve("P1", 3, pharmacist), RefusedError);

  // Version 4 approved: version 2 is superseded, 4 is the one active schedule.
  CHECK(repo->save_draft(changed, clinician) == 4);
  repo->submit("P1", 4, clinician);
  repo->approve("P1", 4, pharmacist2);
  CHECK(repo->active_plan("P1")->version == 4);
  CHECK(repo->active_plan("P1")->plan == changed);
  CHECK(repo->plan_version("P1", 2)->status == PlanStatus::superseded);
  CHECK_THROWS_AS(repo->approve("P1", 4, pharmacist), RefusedError); // not awaiting review
  CHECK_THROWS_AS(repo->submit("P1", 4, clinician), RefusedError);
  CHECK_THROWS_AS(repo->approve("P1", 99, pharmacist), NotFoundError);
  CHECK_THROWS_AS(repo->approve("NOPE", 1, pharmacist), NotFoundError);

  auto versions = repo->plan_versions("P1");
  REQUIRE(versions.size() == 4);
  CHECK(versions[0].status == PlanStatus::superseded);
  CHECK(versions[1].status == PlanStatus::superseded);
  CHECK(versions[2].status == PlanStatus::rejected);
  CHECK(versions[3].status == PlanStatus::approved);

  auto revs = repo->reviews("P1");
  REQUIRE(revs.size() == 3);
  CHECK(revs[0].version == 2);
  CHECK(revs[0].verdict == Verdict::approved);
  CHECK(revs[1].verdict == Verdict::rejected);
  CHECK(revs[1].note == "start after the dispensing visit");
  CHECK(revs[2].pharmacist == "ph.dan");
}

void four_eyes(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  // The drafter cannot approve, whatever role they claim.
  const Actor drafter_as_pharmacist{"dr.ada", "pharmacist"};
  CHECK_THROWS_AS(repo->approve("P1", 1, drafter_as_pharmacist), RefusedError);
  CHECK(repo->plan_version("P1", 1)->status == PlanStatus::submitted);
  // Nor reject it: the rule is the same for both verdicts.
  CHECK_THROWS_WITH(repo->reject("P1", 1, drafter_as_pharmacist, "no"),
                    Catch::Contains("four eyes: dr.ada drafted plan of P1 version 1 and cannot "
                                    "reject it"));
  CHECK(repo->plan_version("P1", 1)->status == PlanStatus::submitted);
  CHECK(repo->reviews("P1").empty());

  // Drafted by one user and submitted by another: neither may approve.
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 2, clinician2);
  CHECK(repo->plan_version("P1", 1)->status == PlanStatus::superseded);
  CHECK_THROWS_AS(repo->approve("P1", 2, Actor{"dr.bea", "pharmacist"}), RefusedError);
  CHECK_THROWS_AS(repo->approve("P1", 2, Actor{"dr.ada", "pharmacist"}), RefusedError);
  CHECK_THROWS_AS(repo->reject("P1", 2, Actor{"dr.bea", "pharmacist"}, "no"), RefusedError);
  CHECK_THROWS_AS(repo->reject("P1", 2, Actor{"dr.ada", "pharmacist"}, "no"), RefusedError);
  CHECK_FALSE(repo->active_plan("P1"));
  repo->approve("P1", 2, pharmacist);
  CHECK(repo->active_plan("P1")->version == 2);
}

void submitted_version_is_immutable(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  const Plan plan = sample_plan("P1");
  repo->save_draft(plan, clinician);
  repo->submit("P1", 1, clinician);
  // An edit is a new version; the submitted one keeps its content and status.
  Plan edit = plan;
  edit.stages[0].steps[1].daily = mg(90);
  CHECK(repo->save_draft(edit, clinician) == 2);
  auto v1 = repo->plan_version("P1", 1);
  CHECK(v1->plan == plan);
  CHECK(v1->status == PlanStatus::submitted);
  CHECK(repo->plan_version("P1", 2)->plan == edit);
}

void scores_and_supersede(Backend &b) {
  auto repo = b.connect();
  CHECK_THROWS_AS(repo->log_score("P1", score(at(2026, 12, 1), 5), patient_p1), NotFoundError);
  CHECK(repo->audit(std::nullopt).empty()); // nothing written, not even an audit entry
  repo->add_patient(sample_patient("P1"), clinician);
  repo->add_patient(sample_patient("P2"), clinician);
  const auto id_late = repo->log_score("P1", score(at(2026, 12, 2, 8 * 60), 6), patient_p1);
  const auto id_early =
      repo->log_score("P1", score(at(2026, 12, 1, 20 * 60), 7, "bad night"), patient_p1);
  CHECK(id_late != id_early);
  auto s = repo->scores("P1");
  REQUIRE(s.size() == 2);
  CHECK(s[0].id == id_early); // ordered by time, not by entry
  CHECK(s[0].note == "bad night");
  CHECK(s[0].score.value() == 7);
  CHECK(s[0].at == at(2026, 12, 1, 20 * 60));

  ScoreEntry fix = score(at(2026, 12, 2, 8 * 60), 4, "typo: meant 4");
  fix.supersedes = id_late;
  const auto id_fix = repo->log_score("P1", fix, patient_p1);
  s = repo->scores("P1");
  REQUIRE(s.size() == 2);
  CHECK(s[1].id == id_fix);
  CHECK(s[1].supersedes == std::optional<std::int64_t>(id_late));
  CHECK(repo->scores("P1", true).size() == 3); // the corrected row is kept, only hidden

  CHECK_THROWS_AS(repo->log_score("P1", fix, patient_p1), RefusedError); // already corrected
  ScoreEntry ghost = fix;
  ghost.supersedes = 999999;
  CHECK_THROWS_AS(repo->log_score("P1", ghost, patient_p1), NotFoundError);
  ScoreEntry other = fix;
  other.supersedes = id_early; // P1's score cannot be corrected through P2
  CHECK_THROWS_AS(repo->log_score("P2", other, patient_p1), NotFoundError);
  CHECK(repo->scores("P2").empty());
}

void import_all_or_none(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->add_patient(sample_patient("P2"), clinician);
  std::vector<ScoreImportRow> rows = {
      {"P1", at(2026, 12, 1), PainScore(6), "", 2},
      {"P2", at(2026, 12, 1, 9 * 60), PainScore(5), "after walk", 3},
      {"NOPE", at(2026, 12, 1), PainScore(5), "", 4},
      {"NOPE2", at(2026, 12, 1), PainScore(5), "", 5},
  };
  // NotFoundError: exit 3, "not found" (design.md section 4).
  const auto unknown = thrown_message<NotFoundError>(
      [&] { repo->import_scores(rows, clinician, "s.csv"); }, "(no NotFoundError)");
  CHECK_THAT(unknown, Catch::Contains("s.csv:4: patient_id") && Catch::Contains("NOPE") &&
                          Catch::Contains("s.csv:5: patient_id"));
  CHECK(repo->scores("P1").empty()); // nothing of the good rows either
  CHECK(repo->scores("P2").empty());

  // A row dated before the patient's birth (1958-04-02) cannot be true: bad input naming the
  // line, the time and the birth date; nothing is imported.
  const std::vector<ScoreImportRow> early = {
      {"P1", at(2026, 12, 1), PainScore(6), "", 2},
      {"P2", at(1900, 1, 1), PainScore(5), "", 3},
      {"P1", at(1958, 4, 2), PainScore(4), "", 4}, // the day of birth itself is possible
  };
  const auto before_birth = thrown_message<InputError>(
      [&] { repo->import_scores(early, clinician, "e.csv"); }, "(no InputError)");
  CHECK_THAT(before_birth,
             Catch::Contains("e.csv: 1 row dated before the patient's birth; nothing was "
                             "imported") &&
                 Catch::Contains("e.csv:3: at: 1900-01-01T00:00 is before the birth of P2 "
                                 "(1958-04-02)"));
  CHECK(repo->scores("P1").empty());
  CHECK(repo->audit(std::nullopt).size() == 2); // the two patient.add entries only

  rows.resize(2);
  rows.push_back({"P1", at(2026, 12, 1), PainScore(6), "", 4}); // repeats row 2 within the file
  auto r = repo->import_scores(rows, clinician, "s.csv");
  CHECK(r.imported == 2);
  CHECK(r.duplicates == 1);
  // A re-import is harmless: every row is a duplicate of a stored one.
  r = repo->import_scores(rows, clinician, "s.csv");
  CHECK(r.imported == 0);
  CHECK(r.duplicates == 3);
  // Same time, different score or note: not a duplicate.
  rows = {{"P1", at(2026, 12, 1), PainScore(5), "", 2},
          {"P1", at(2026, 12, 1), PainScore(6), "x", 3}};
  r = repo->import_scores(rows, clinician, "t.csv");
  CHECK(r.imported == 2);
  CHECK(repo->scores("P1").size() == 3);
  CHECK(repo->scores("P2").size() == 1);
}

void adverse_effects_and_decisions(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  AdverseEffect ae;
  ae.at = at(2026, 12, 5, 7 * 60 + 30);
  ae.description = "nausea";
  ae.severity = AeSeverity::intolerable;
  CHECK_THROWS_AS(repo->log_adverse_effect("NOPE", ae, patient_p1), NotFoundError);
  const auto id = repo->log_adverse_effect("P1", ae, patient_p1);
  auto list = repo->adverse_effects("P1");
  REQUIRE(list.size() == 1);
  CHECK(list[0].id == id);
  CHECK(list[0].description == "nausea");
  CHECK(list[0].severity == AeSeverity::intolerable);
  CHECK(list[0].at == ae.at);

  repo->save_draft(sample_plan("P1"), clinician);
  // 9.375 % less pain ((8 - 7.25) / 8), 14 days at target.
  Assessment a =
      duloxetine_assessment("P1", Date(2026, 12, 22), DecisionKind::switch_, 8.0, 7.25, 6);
  a.rule = "response.none";
  a.source = "TEST 3";
  a.reasons = {"change below threshold", "at stage maximum"};
  a.next_drug = "gabapentin";
  a.next_decision_date = Date(2027, 1, 5);
  a.substantial = true;
  CHECK_THROWS_AS(repo->record_decision(a, 99, clinician), NotFoundError);
  const auto did = repo->record_decision(a, 1, clinician);
  auto ds = repo->decisions("P1");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].id == did);
  CHECK(ds[0].plan_version == std::optional<int>(1));
  CHECK(ds[0].recorded_by == "dr.ada");
  const Assessment &g = ds[0].assessment;
  CHECK(g.patient == "P1");
  CHECK(g.date == a.date);
  CHECK(g.decision == DecisionKind::switch_);
  CHECK(g.baseline == a.baseline);
  CHECK(g.window.start == a.window.start);
  CHECK(g.window.end == a.window.end);
  CHECK(g.window.mean == a.window.mean);
  CHECK(g.window.scores == 6);
  CHECK(g.change_pct == a.change_pct);
  CHECK(g.days_at_target == 14);
  CHECK(g.rule == a.rule);
  CHECK(g.source == a.source);
  CHECK(g.reasons == a.reasons);
  CHECK_FALSE(g.next_dose);
  CHECK(g.next_drug == a.next_drug);
  CHECK(g.next_decision_date == a.next_decision_date);
  CHECK(g.substantial);

  // A maintenance review's "reduce" is stored and read back (migration 005).
  a.decision = DecisionKind::reduce;
  a.next_drug.reset();
  a.next_dose = Dose::milligrams(30);
  repo->record_decision(a, 1, clinician);
  ds = repo->decisions("P1");
  REQUIRE(ds.size() == 2);
  CHECK(ds[1].assessment.decision == DecisionKind::reduce);
  CHECK(ds[1].assessment.next_dose == Dose::milligrams(30));
}

void adverse_effects_attributed_corrected_retracted(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->add_patient(sample_patient("P2"), clinician);
  AdverseEffect ae;
  ae.at = at(2026, 12, 5, 7 * 60 + 30);
  ae.description = "nausea";
  ae.severity = AeSeverity::intolerable;
  // No active plan: stored without attribution (NULL), attributed on read by assess.
  const auto first = log_attributed_adverse_effect(*repo, "P1", ae, patient_p1);
  auto list = repo->adverse_effects("P1");
  REQUIRE(list.size() == 1);
  CHECK_FALSE(list[0].attributed);
  CHECK(list[0].drugs.empty());
  // With an approved plan: the drugs taken at its time, as stored.
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  repo->approve("P1", 1, pharmacist);
  const auto second = log_attributed_adverse_effect(*repo, "P1", ae, patient_p1);
  list = repo->adverse_effects("P1");
  REQUIRE(list.size() == 2);
  CHECK(list[1].id == second);
  CHECK(list[1].attributed);
  CHECK(list[1].drugs == std::vector<std::string>{"duloxetine"}); // day 5 of the sample plan

  // A correction supersedes; a retraction withdraws; both append-only, each target once.
  AdverseEffect fix = ae;
  fix.severity = AeSeverity::severe;
  fix.supersedes = first;
  const auto third = log_attributed_adverse_effect(*repo, "P1", fix, patient_p1);
  CHECK_THROWS_AS(log_attributed_adverse_effect(*repo, "P1", fix, patient_p1), RefusedError);
  CHECK_THROWS_AS(log_attributed_adverse_effect(*repo, "P2", fix, clinician), NotFoundError);
  AdverseEffect retract;
  retract.at = at(2026, 12, 6);
  retract.description = "logged in error";
  retract.retracted = true;
  retract.supersedes = second;
  const auto fourth = log_attributed_adverse_effect(*repo, "P1", retract, patient_p1);
  retract.supersedes = 999999;
  CHECK_THROWS_AS(log_attributed_adverse_effect(*repo, "P1", retract, patient_p1), NotFoundError);

  list = repo->adverse_effects("P1");
  REQUIRE(list.size() == 1); // #1 corrected by #3, #2 retracted by #4 (not itself an effect)
  CHECK(list[0].id == third);
  CHECK(list[0].severity == AeSeverity::severe);
  CHECK(list[0].supersedes == first);
  const auto all = repo->adverse_effects("P1", true);
  REQUIRE(all.size() == 4);
  CHECK(all[3].id == fourth);
  CHECK(all[3].retracted);
  CHECK(all[3].supersedes == second);
  const auto audit = repo->audit(std::string("P1"));
  CHECK(std::any_of(audit.begin(), audit.end(), [&](const AuditEntry &e) {
    return e.action == "adverse-effect.retract" &&
           e.detail.find("retracts #" + std::to_string(second)) != std::string::npos;
  }));
}

void audit_records_every_change(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  repo->update_patient(sample_patient("P1"), clinician2);
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  CHECK_THROWS_AS(repo->approve("P1", 1, clinician), RefusedError); // refused: no entry
  repo->approve("P1", 1, pharmacist);
  const std::int64_t id = repo->log_score("P1", score(at(2026, 12, 1), 6), patient_p1);
  repo->append_audit(pharmacist, "export", "", "all patients");

  auto log = repo->audit(std::string("P1"));
  const std::vector<std::string> expected = {"patient.add", "patient.update", "plan.draft",
                                             "plan.submit", "plan.approve",   "score.log"};
  REQUIRE(log.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(log[i].action == expected[i]);
    CHECK(log[i].patient == "P1");
    CHECK_FALSE(log[i].at.empty());
  }
  CHECK(log[1].user == "dr.bea");
  CHECK(log[4].user == "ph.cho");
  CHECK(log[4].role == "pharmacist");
  CHECK(log[5].role == "patient");
  // The same words on every back end (PostgreSQL writes a new score and this entry as one
  // statement, SQLite as two).
  CHECK(log[5].detail == "#" + std::to_string(id) + ": score 6 at 2026-12-01T00:00");
  CHECK(log[5].user == "P1");
  auto all = repo->audit(std::nullopt);
  REQUIRE(all.size() == expected.size() + 1);
  CHECK(all.back().action == "export");
  CHECK(all.back().patient.empty());
  CHECK(all.back().id > all.front().id);
}

// Who acted, as the door says: every audit entry keeps the door and the operating-system user
// beside the claimed user and role; an actor that says neither reads back empty.
void audit_carries_door_and_os_user(Backend &b) {
  auto repo = b.connect();
  const Actor cli{"dr.ada", "clinician", "cli", "ada"};
  const Actor web{"ph.cho", "pharmacist", "web", ""};
  repo->add_patient(sample_patient("P1"), cli);
  repo->save_draft(sample_plan("P1"), cli);
  repo->submit("P1", 1, cli);
  repo->approve("P1", 1, web);
  repo->log_score("P1", score(at(2026, 12, 1), 6), patient_p1);
  const std::vector<ScoreImportRow> rows = {{"P1", at(2026, 12, 2), PainScore(5), "", 2}};
  repo->import_scores(rows, cli, "s.csv");
  repo->append_audit(Actor{"ph.cho", "pharmacist", "cds", "svc"}, "export", "", "all patients");

  const auto log = repo->audit(std::nullopt);
  REQUIRE(log.size() == 7);
  for (std::size_t i : {0u, 1u, 2u, 5u}) {
    CHECK(log[i].door == "cli");
    CHECK(log[i].os_user == "ada");
  }
  CHECK(log[5].action == "scores.import");
  CHECK(log[3].action == "plan.approve");
  CHECK(log[3].door == "web");
  CHECK(log[3].os_user.empty());
  CHECK(log[4].door.empty()); // Actor{user, role}: neither said
  CHECK(log[4].os_user.empty());
  CHECK(log[6].door == "cds");
  CHECK(log[6].os_user == "svc");
  CHECK(repo->audit(std::string("P1")).front().door == "cli");
}

void atomically_is_one_transaction(Backend &b) {
  auto repo = b.connect();
  CHECK_THROWS_AS(repo->atomically([&] {
    repo->add_patient(sample_patient("P1"), clinician);
    repo->log_score("P1", score(at(2026, 12, 1), 6), clinician);
    throw InputError("fault after two writes");
  }),
                  InputError);
  CHECK_FALSE(repo->patient("P1")); // rolled back as a whole
  CHECK(repo->audit(std::nullopt).empty());

  repo->atomically([&] {
    repo->add_patient(sample_patient("P1"), clinician);
    repo->log_score("P1", score(at(2026, 12, 1), 6), clinician);
  });
  CHECK(repo->patient("P1"));
  CHECK(repo->scores("P1").size() == 1);
  CHECK(repo->audit(std::nullopt).size() == 2);
}

void atomically_each_isolates_failures(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  const auto audit_before = repo->audit(std::nullopt).size();
  const auto errors = repo->atomically_each({
      [&] { repo->log_score("P1", score(at(2026, 12, 1), 6), clinician); },
      [&] {
        repo->log_score("P1", score(at(2026, 12, 2), 5), clinician); // written, then undone
        repo->log_score("P9", score(at(2026, 12, 2), 5), clinician); // no such patient
      },
      [&] { repo->log_score("P1", score(at(2026, 12, 3), 4), clinician); },
  });
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == nullptr);
  CHECK(errors[2] == nullptr);
  REQUIRE(errors[1] != nullptr);
  CHECK_THROWS_AS(std::rethrow_exception(errors[1]), NotFoundError);
  const auto kept = repo->scores("P1");
  REQUIRE(kept.size() == 2); // the failed body's first score went with it
  CHECK(kept[0].score.value() == 6);
  CHECK(kept[1].score.value() == 4);
  CHECK(repo->audit(std::nullopt).size() == audit_before + 2);
  CHECK(b.connect()->scores("P1").size() == 2); // committed: another connection sees them
  CHECK(repo->atomically_each({}).empty());
  // A group in which nothing fails is kept whole.
  const auto none_failed =
      repo->atomically_each({[&] { repo->log_score("P1", score(at(2026, 12, 5), 2), clinician); },
                             [&] { repo->log_score("P1", score(at(2026, 12, 6), 1), clinician); }});
  CHECK(none_failed == std::vector<std::exception_ptr>(2));
  CHECK(repo->scores("P1").size() == 4);
  // After a group the connection works as before, inside and outside atomically().
  repo->log_score("P1", score(at(2026, 12, 4), 3), clinician);
  CHECK(repo->scores("P1").size() == 5);
}

void concurrent_writers(Backend &b) {
  {
    auto setup = b.connect();
    setup->add_patient(sample_patient("P1"), clinician);
    setup->add_patient(sample_patient("P2"), clinician);
  }
  constexpr int per_writer = 100;
  std::atomic<int> failures{0};
  auto writer = [&](const std::string &patient) {
    try {
      auto repo = b.connect(); // its own connection, as a second process would have
      for (int i = 0; i < per_writer; ++i) {
        repo->log_score(patient, score(at(2026, 12, 1, i), i % 11), Actor{patient, "patient"});
      }
    } catch (...) {
      ++failures;
    }
  };
  std::thread t1(writer, "P1");
  std::thread t2(writer, "P2");
  t1.join();
  t2.join();
  CHECK(failures == 0);
  auto repo = b.connect();
  CHECK(repo->scores("P1").size() == per_writer);
  CHECK(repo->scores("P2").size() == per_writer);
  CHECK(repo->audit(std::nullopt).size() == 2 + 2 * per_writer);
}

// Pathways with only what the due list reads: the window and the minimum days with scores.
std::vector<Pathway> due_pathways(int window, int min_days) {
  Pathway pw;
  pw.name = "cipn-esmo";
  pw.decisions.window_days.value = window;
  pw.decisions.min_days_with_scores.value = min_days;
  return {pw};
}

void due_list(Backend &b) {
  auto repo = b.connect();
  const auto a6 = due_pathways(7, 4); // clinical.md A6, as schedules/cipn-esmo.toml says
  repo->add_patient(sample_patient("P1"), clinician);
  repo->add_patient(sample_patient("P2"), clinician); // no active plan: never due
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  CHECK(titrate::due_list(*repo, Date(2026, 12, 22), 0, a6).empty()); // submitted is not active
  repo->approve("P1", 1, pharmacist);
  // sample_plan's decision date is 2026-12-22; window = [12-15, 12-22) (clinical.md A6: the
  // 7 days before the decision date, at least 4 days with scores).
  for (int d : {14, 15, 16, 16, 17, 22}) {
    repo->log_score("P1", score(at(2026, 12, d, 9 * 60 + d), 5), patient_p1);
  }
  auto due = titrate::due_list(*repo, Date(2026, 12, 20), 3, a6);
  REQUIRE(due.size() == 1);
  CHECK(due[0].patient == "P1");
  CHECK(due[0].pathway == "cipn-esmo");
  CHECK(due[0].drug == "duloxetine");
  CHECK(due[0].decision_date == Date(2026, 12, 22));
  CHECK(due[0].days_until == 2);
  CHECK(due[0].window_days == 7);
  CHECK(due[0].window_days_with_scores == 3); // 15, 16 (twice = one day), 17; not 14, not 22
  CHECK(due[0].missing_scores);
  // The pathway's parameters, not constants, judge the window: 3 days back and 2 needed count
  // only 12-19..21 (none yet: missing); 10 days back count 14, 15, 16, 17 (4: complete).
  due = titrate::due_list(*repo, Date(2026, 12, 20), 3, due_pathways(3, 2));
  REQUIRE(due.size() == 1);
  CHECK(due[0].window_days == 3);
  CHECK(due[0].window_days_with_scores == 0);
  CHECK(due[0].missing_scores);
  due = titrate::due_list(*repo, Date(2026, 12, 20), 3, due_pathways(10, 4));
  REQUIRE(due.size() == 1);
  CHECK(due[0].window_days_with_scores == 4);
  CHECK_FALSE(due[0].missing_scores);
  CHECK(titrate::due_list(*repo, Date(2026, 12, 20), 1, a6).empty());
  repo->log_score("P1", score(at(2026, 12, 21), 4), patient_p1);
  due = titrate::due_list(*repo, Date(2026, 12, 23), 0, a6);
  REQUIRE(due.size() == 1);
  CHECK(due[0].days_until == -1); // overdue
  CHECK(due[0].window_days_with_scores == 4);
  CHECK_FALSE(due[0].missing_scores);
  CHECK_THROWS_AS(titrate::due_list(*repo, Date(2026, 12, 23), -1, a6), InputError);
  // Two pathways with different windows: each plan is counted with its own pathway's window, and
  // the lists (one query per window, the shorter window first) are merged in date, then patient
  // order: P3's short-window plan comes after P1's although its list was read first.
  Plan other = sample_plan("P3");
  other.pathway = "short-window";
  repo->add_patient(sample_patient("P3"), clinician);
  repo->save_draft(other, clinician);
  repo->submit("P3", 1, clinician);
  repo->approve("P3", 1, pharmacist);
  auto two = due_pathways(7, 4);
  two.push_back(due_pathways(3, 2).front());
  two.back().name = "short-window";
  due = titrate::due_list(*repo, Date(2026, 12, 20), 3, two);
  REQUIRE(due.size() == 2);
  CHECK(due[0].patient == "P1");
  CHECK(due[0].window_days == 7);
  CHECK(due[0].window_days_with_scores == 4); // 15, 16, 17, 21
  CHECK(due[1].patient == "P3");
  CHECK(due[1].pathway == "short-window");
  CHECK(due[1].window_days == 3);
  CHECK(due[1].min_days_with_scores == 2);
  CHECK(due[1].window_days_with_scores == 0);
  CHECK(due[1].missing_scores);
}

// A withdrawn score (schema 8) is kept with its withdrawal and counts nowhere: not in the
// effective scores, not in the due list's window. Each score can be corrected or withdrawn once;
// a withdrawal is not a score to correct or withdraw.
void scores_withdrawn(Backend &b) {
  auto repo = b.connect();
  const auto a6 = due_pathways(7, 4);
  repo->add_patient(sample_patient("P1"), clinician);
  repo->save_draft(sample_plan("P1"), clinician);
  repo->submit("P1", 1, clinician);
  repo->approve("P1", 1, pharmacist);
  std::vector<std::int64_t> ids;
  for (int d : {15, 16, 17, 18}) // sample_plan's window: 12-15..12-21
    ids.push_back(repo->log_score("P1", score(at(2026, 12, d, 9 * 60), 5), patient_p1));
  REQUIRE(titrate::due_list(*repo, Date(2026, 12, 20), 3, a6).at(0).window_days_with_scores == 4);
  ScoreEntry w;
  w.supersedes = ids[3];
  w.retracted = true;
  w.note = "logged twice";
  w.at = at(2026, 12, 20); // the store keeps the withdrawn entry's own time and score
  const auto wid = repo->log_score("P1", w, patient_p1);
  const auto effective = repo->scores("P1");
  REQUIRE(effective.size() == 3);
  CHECK(std::none_of(effective.begin(), effective.end(),
                     [&](const ScoreEntry &s) { return s.id == ids[3] || s.id == wid; }));
  const auto all = repo->scores("P1", true);
  REQUIRE(all.size() == 5);
  const auto row = std::find_if(all.begin(), all.end(), [&](const auto &s) { return s.id == wid; });
  REQUIRE(row != all.end());
  CHECK(row->retracted);
  CHECK(row->supersedes == std::optional<std::int64_t>(ids[3]));
  CHECK(row->at == at(2026, 12, 18, 9 * 60));
  CHECK(row->score.value() == 5);
  CHECK(row->note == "logged twice");
  const auto due = titrate::due_list(*repo, Date(2026, 12, 20), 3, a6);
  REQUIRE(due.size() == 1);
  CHECK(due[0].window_days_with_scores == 3); // 15, 16, 17: the withdrawn 18th counts no more
  CHECK(due[0].missing_scores);
  CHECK_THROWS_AS(repo->log_score("P1", w, patient_p1), RefusedError); // withdrawn already
  ScoreEntry fix = score(at(2026, 12, 18, 9 * 60), 6);
  fix.supersedes = ids[3];
  CHECK_THROWS_AS(repo->log_score("P1", fix, patient_p1), RefusedError);
  w.supersedes = wid; // a withdrawal is no score
  CHECK_THROWS_AS(repo->log_score("P1", w, patient_p1), RefusedError);
  w.supersedes = ids[2];
  w.note = " ";
  CHECK_THROWS_AS(repo->log_score("P1", w, patient_p1), InputError); // a reason is required
  CHECK(repo->scores("P1", true).size() == 5);                       // nothing more written
  const auto log = repo->audit("P1");
  CHECK(std::any_of(log.begin(), log.end(), [&](const AuditEntry &e) {
    return e.action == "score.retract" &&
           e.detail == "#" + std::to_string(wid) + ": withdraws #" + std::to_string(ids[3]) +
                           " (score 5 at 2026-12-18T09:00): logged twice";
  }));
}

// Two pharmacists (two connections, as two `serve` instances would have) approve the same
// submitted version at the same moment: exactly one wins, the other is refused, and the version
// has one review and one approval in the audit. Repeated so the calls really overlap.
void concurrent_approve_race(Backend &b) {
  constexpr int rounds = 8;
  {
    auto setup = b.connect();
    for (int r = 0; r < rounds; ++r) {
      const std::string id = "R" + std::to_string(r);
      setup->add_patient(sample_patient(id), clinician);
      setup->save_draft(sample_plan(id), clinician);
      setup->submit(id, 1, clinician);
    }
  }
  auto first = b.connect();
  auto second = b.connect();
  enum Outcome { won, refused, other };
  for (int r = 0; r < rounds; ++r) {
    const std::string id = "R" + std::to_string(r);
    std::atomic<int> ready{0};
    Outcome out1 = other, out2 = other;
    auto run = [&](Repository &repo, const Actor &who, Outcome &out) {
      ++ready;
      while (ready < 2)
        std::this_thread::yield();
      try {
        repo.approve(id, 1, who);
        out = won;
      } catch (const RefusedError &) {
        out = refused;
      } catch (...) {
        out = other;
      }
    };
    std::thread t1(run, std::ref(*first), std::cref(pharmacist), std::ref(out1));
    std::thread t2(run, std::ref(*second), std::cref(pharmacist2), std::ref(out2));
    t1.join();
    t2.join();
    INFO("round " << r);
    CHECK(((out1 == won && out2 == refused) || (out1 == refused && out2 == won)));
  }
  auto repo = b.connect();
  for (int r = 0; r < rounds; ++r) {
    const std::string id = "R" + std::to_string(r);
    INFO(id);
    CHECK(repo->active_plan(id)->version == 1);
    CHECK(repo->reviews(id).size() == 1);
    int approvals = 0;
    for (const auto &e : repo->audit(id))
      approvals += e.action == "plan.approve" ? 1 : 0;
    CHECK(approvals == 1);
  }
}

// Two clinicians drafting for one patient at once: every draft gets its own version number
// (1..2n, none lost or repeated) and only the newest draft is left a draft.
void concurrent_drafts(Backend &b) {
  { b.connect()->add_patient(sample_patient("P1"), clinician); }
  constexpr int per_writer = 10;
  std::atomic<int> failures{0};
  std::atomic<int> ready{0};
  auto writer = [&](const Actor &who) {
    try {
      auto repo = b.connect();
      ++ready;
      while (ready < 2)
        std::this_thread::yield();
      for (int i = 0; i < per_writer; ++i)
        repo->save_draft(sample_plan("P1"), who);
    } catch (...) {
      ++failures;
    }
  };
  std::thread t1(writer, std::cref(clinician));
  std::thread t2(writer, std::cref(clinician2));
  t1.join();
  t2.join();
  CHECK(failures == 0);
  auto repo = b.connect();
  const auto versions = repo->plan_versions("P1");
  REQUIRE(versions.size() == 2 * per_writer);
  int drafts = 0;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    CHECK(versions[i].version == static_cast<int>(i + 1));
    drafts += versions[i].status == PlanStatus::draft ? 1 : 0;
  }
  CHECK(drafts == 1);
  CHECK(versions.back().status == PlanStatus::draft);
}

namespace {
// Storage data for the due-list comparison: one or two trial stages (optionally followed by a
// taper), or a taper alone (no decision date). Illustrative doses, no clinical claim.
Plan seeded_plan(const std::string &patient, Date decision, int shape) {
  Plan p = sample_plan(patient);
  Stage &trial = p.stages[0];
  trial.decision_date = decision;
  trial.steps.back().range = DateRange(trial.steps.back().range.begin(), decision);
  if (shape == 1) {
    Stage second = trial;
    second.drug = "gabapentin";
    second.decision_date = decision; // the last trial stage is the one assessed
    trial.decision_date = decision - Days(14);
    p.stages.push_back(second);
  } else if (shape == 2) {
    Stage taper = trial;
    taper.role = StageRole::taper;
    taper.drug = "amitriptyline";
    taper.decision_date.reset();
    p.stages.push_back(taper);
  } else if (shape == 3) {
    p.stages[0].role = StageRole::taper;
    p.stages[0].decision_date.reset();
  } else if (shape == 4) { // maintenance: judged 8 weeks ago, reviewed on `decision`
    trial.decision_date = decision - Days(56);
    trial.review_date = decision;
  }
  return p;
}
} // namespace

// A back end's own due_list() must give exactly due_list_generic()'s entries (the reference over
// the domain calls): same patients, versions, drugs, dates, window counts and order, on a seeded
// cohort with ties on the decision date, superseded plan versions, submitted-only plans, plans
// with no trial stage, maintenance reviews, scores on both edges of the window, several scores a
// day and corrections.
void due_list_matches_generic(Backend &b) {
  auto repo = b.connect();
  SeededPick pick(20261222); // fixed seed: the same cohort every run
  const Date base(2026, 12, 22);
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i)
    ids.push_back("Q" + std::to_string(100 + i));
  for (const char *id : {"a1", "B2", "b10", "Z9"})
    ids.push_back(id); // byte order: B2 Z9 a1 b10
  std::vector<ScoreImportRow> rows;
  int line = 1;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string &id = ids[i];
    repo->add_patient(sample_patient(id), clinician);
    const Date dd = base + Days(pick(-4, 4));
    const int kind = static_cast<int>(i % 6);
    repo->save_draft(seeded_plan(id, dd, kind % 4), clinician);
    repo->submit(id, 1, clinician);
    if (kind != 4)
      repo->approve(id, 1, pharmacist); // kind 4: submitted only, never due
    if (kind == 5) { // a newer approved version with a later date supersedes version 1
      repo->save_draft(seeded_plan(id, dd + Days(3), 4), clinician);
      repo->submit(id, 2, clinician);
      repo->approve(id, 2, pharmacist);
    }
    const int n = pick(0, 12);
    for (int k = 0; k < n; ++k) {
      const Date day = dd + Days(pick(-9, 2)); // before, inside and after the window
      rows.push_back({id, {day, pick(0, 24 * 60 - 1)}, PainScore(pick(0, 10)), "", ++line});
    }
  }
  repo->import_scores(rows, clinician, "seed.csv");
  // Corrections: move some scores out of (or into) the window; the superseded one no longer counts.
  for (std::size_t i = 0; i < ids.size(); i += 3) {
    const auto s = repo->scores(ids[i]);
    if (s.empty())
      continue;
    ScoreEntry fix = s[static_cast<std::size_t>(pick(0, static_cast<int>(s.size()) - 1))];
    fix.supersedes = fix.id;
    fix.at.date = fix.at.date - Days(pick(0, 6));
    repo->log_score(ids[i], fix, clinician);
  }
  bool saw_missing = false, saw_complete = false, saw_review = false, saw_decision = false;
  for (const auto &[today, within] : std::vector<std::pair<Date, int>>{{base - Days(10), 0},
                                                                       {base, 0},
                                                                       {base, 3},
                                                                       {base + Days(5), 0},
                                                                       {base - Days(30), 100}}) {
    for (const auto &e : check_due_list_is_generic(*repo, today, within)) {
      (e.window_days_with_scores < 4 ? saw_missing : saw_complete) = true;
      (e.review ? saw_review : saw_decision) = true;
    }
  }
  CHECK(saw_missing); // the cohort exercises both outcomes
  CHECK(saw_complete);
  CHECK(saw_review); // maintenance reviews and trial decision dates
  CHECK(saw_decision);
}

// An exception from the row source in the middle of a streamed import rolls back every row
// already read (and, inside atomically(), the rest of the body); the store stays usable.
void import_rolls_back_when_source_throws(Backend &b) {
  auto repo = b.connect();
  repo->add_patient(sample_patient("P1"), clinician);
  constexpr int good_rows = 250;
  int n = 0;
  const ScoreRowSource failing = [&](ScoreImportRow &row) {
    if (n == good_rows)
      throw InputError("s.csv:252: score: \"x\" is not a whole number 0-10");
    row = {"P1", at(2026, 12, 1, n), PainScore(n % 11), "", n + 2};
    ++n;
    return true;
  };
  CHECK_THROWS_AS(repo->import_scores(failing, clinician, "s.csv"), InputError);
  CHECK(n == good_rows);
  CHECK(repo->scores("P1").empty());
  CHECK(repo->audit(std::string("P1")).size() == 1); // patient.add only

  n = 0;
  CHECK_THROWS_AS(repo->atomically([&] {
    repo->log_score("P1", score(at(2026, 12, 2), 3), clinician);
    repo->import_scores(failing, clinician, "s.csv");
  }),
                  InputError);
  CHECK(repo->scores("P1").empty());

  n = 0;
  const ScoreRowSource good = [&](ScoreImportRow &row) {
    if (n == good_rows)
      return false;
    row = {"P1", at(2026, 12, 1, n), PainScore(n % 11), "", n + 2};
    ++n;
    return true;
  };
  const auto r = repo->import_scores(good, clinician, "s.csv");
  CHECK(r.imported == good_rows);
  CHECK(r.duplicates == 0);
  CHECK(repo->scores("P1").size() == good_rows);
}

// The outcome report's one-pass reads give exactly what reading one patient at a time gives:
// the approved version over a later draft, the latest version without an approved one (a
// rejected one too), no row for a patient without a plan; every decision, by patient then id.
void whole_clinic_reads_match_per_patient(Backend &b) {
  auto repo = b.connect();
  for (const char *id : {"b10", "B2", "a1", "Z9", "none"})
    repo->add_patient(sample_patient(id), clinician);
  repo->save_draft(sample_plan("b10"), clinician); // b10: approved 1, then a newer draft 2
  repo->submit("b10", 1, clinician);
  repo->approve("b10", 1, pharmacist);
  repo->save_draft(sample_plan("b10"), clinician);
  repo->save_draft(sample_plan("B2"), clinician); // B2: drafts 1 and 2 (1 superseded)
  repo->save_draft(maintenance_plan("B2"), clinician);
  repo->save_draft(sample_plan("a1"), clinician); // a1: rejected 1
  repo->submit("a1", 1, clinician);
  repo->reject("a1", 1, pharmacist, "dose too high for the renal function");
  repo->save_draft(sample_plan("Z9"), clinician); // Z9: approved 1, then approved 2
  repo->submit("Z9", 1, clinician);
  repo->approve("Z9", 1, pharmacist);
  repo->save_draft(sample_plan("Z9"), clinician);
  repo->submit("Z9", 2, clinician);
  repo->approve("Z9", 2, pharmacist);
  Assessment a;
  a.date = Date(2026, 12, 22);
  a.drug = "duloxetine";
  a.decision = DecisionKind::continue_;
  a.window = {Date(2026, 12, 15), Date(2026, 12, 22), 5.0, 6};
  a.rule = "response.partial";
  a.source = "TEST 1";
  for (const char *id : {"Z9", "b10", "Z9", "a1"}) {
    a.patient = id;
    repo->record_decision(a, 1, clinician);
  }

  const auto plans = repo->current_plans();
  const auto ref = repo->Repository::current_plans();
  REQUIRE(plans.size() == 4); // not "none"
  REQUIRE(ref.size() == plans.size());
  std::map<std::string, std::pair<int, PlanStatus>> got;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    INFO("row " << i);
    CHECK(plans[i].patient == ref[i].patient);
    CHECK(plans[i].version == ref[i].version);
    CHECK(plans[i].status == ref[i].status);
    CHECK(plans[i].plan == ref[i].plan);
    got[plans[i].patient] = {plans[i].version, plans[i].status};
  }
  CHECK(got["b10"] == std::make_pair(1, PlanStatus::approved));
  CHECK(got["B2"] == std::make_pair(2, PlanStatus::draft));
  CHECK(got["a1"] == std::make_pair(1, PlanStatus::rejected));
  CHECK(got["Z9"] == std::make_pair(2, PlanStatus::approved));

  const auto ds = repo->all_decisions();
  const auto dref = repo->Repository::all_decisions();
  REQUIRE(ds.size() == 4);
  REQUIRE(dref.size() == ds.size());
  for (std::size_t i = 0; i < ds.size(); ++i) {
    INFO("decision " << i);
    CHECK(ds[i].id == dref[i].id);
    CHECK(ds[i].assessment.patient == dref[i].assessment.patient);
  }
  // By patient id in byte order (Z9 before a1 before b10), then in the order recorded.
  CHECK(ds[0].assessment.patient == "Z9");
  CHECK(ds[1].assessment.patient == "Z9");
  CHECK(ds[0].id < ds[1].id);
  CHECK(ds[2].assessment.patient == "a1");
  CHECK(ds[3].assessment.patient == "b10");

  // The report's cut-down reads give the same as deriving them from the full reads, and what
  // the plans say (checked by hand against sample_plan and maintenance_plan).
  std::vector<TrialSummary> trials, trials_ref;
  repo->each_current_trial([&](const TrialSummary &t) { trials.push_back(t); });
  repo->Repository::each_current_trial([&](const TrialSummary &t) { trials_ref.push_back(t); });
  CHECK(trials == trials_ref);
  REQUIRE(trials.size() == 5); // B2: two trials (the taper is not one); Z9, a1, b10: one each
  CHECK(trials[0].patient == "B2");
  CHECK(trials[0].drug == "duloxetine");
  CHECK(trials[0].first == Date(2026, 12, 1));
  CHECK(trials[0].end == Date(2027, 2, 16));
  CHECK(trials[0].target_reached == Date(2026, 12, 8));
  CHECK(trials[0].maintenance);
  CHECK(trials[1].patient == "B2");
  CHECK(trials[1].drug == "gabapentin");
  CHECK(trials[1].first == Date(2027, 3, 1));
  CHECK_FALSE(trials[1].target_reached);
  CHECK_FALSE(trials[1].maintenance);
  CHECK(trials[2].patient == "Z9");
  CHECK(trials[2].end == Date(2026, 12, 22));
  CHECK_FALSE(trials[2].maintenance);
  CHECK(trials[3].patient == "a1");
  CHECK(trials[4].patient == "b10");

  const auto sums = repo->decision_summaries();
  CHECK(sums == repo->Repository::decision_summaries());
  REQUIRE(sums.size() == 4);
  CHECK(sums[0].patient == "Z9");
  CHECK(sums[0].decision == DecisionKind::continue_);
  CHECK(sums[0].rule == "response.partial");
  CHECK(sums[0].window.scores == 6);
  CHECK(sums[0].window.end == Date(2026, 12, 22));
  CHECK_FALSE(sums[0].window.mean); // not read
}

} // namespace contract
} // namespace titrate::test
